"""Shared code for the notebooks of *Counting the Reports*.

- :mod:`tally.data`   -- load the validated data package (``load("esp_reports")``)
- :mod:`tally.rules`  -- the cross-table validation rules
- :mod:`tally.fmt`    -- number formats of the house style, for glued prose
- :mod:`tally.charts` -- chart theme and the offline, self-describing chart output
- :mod:`tally.scenario` -- the encryption scenario model (chapter 7), mirrored in Vega there
- :mod:`tally.browser` -- headless Debian Chromium's flags and a local static server (tests, PDF, benchmark)
- :mod:`tally.sphinx` -- the Sphinx extension: local chart bundle, no foreign scripts, data
  dependencies, "Cite this chapter", version lines
"""

from __future__ import annotations

from . import fmt
from .data import DataError, esp_mapped, load, validate, yearly

__all__ = ["DataError", "esp_mapped", "fmt", "glue", "load", "setup", "validate", "yearly"]


def setup() -> None:
    """Call once at the top of a chapter: validates the data and enables the chart theme."""
    from . import charts

    validate()
    charts.enable()


def glue(key: str, text: str) -> None:
    """Glue a formatted string for the prose (``{glue:text}`key```). Returns nothing, so a
    cell that ends with a glue call shows no output.

    Values are glued as the formatted strings readers see (made by :mod:`tally.fmt`),
    so nbval compares exactly what the prose shows.
    """
    from myst_nb import glue as _glue

    if not isinstance(text, str):
        raise TypeError(f"glue {key!r}: pass a formatted string (see tally.fmt), not {type(text).__name__}")
    _glue(key, text, display=False)
