"""The book's chart theme and its offline chart output.

``figure(chart, ...)`` turns an Altair chart into one notebook output that carries
three representations, so every builder finds what it needs:

* ``text/html`` for the website: a ``div`` with a deterministic id, the Vega-Lite
  spec as inert JSON (``<script type="application/json">``), and under the chart the
  source line, the unit note, a CSV download of exactly the plotted data, a text
  description and a collapsed data table. The page's JavaScript (``tally-charts.js``,
  served with the vega bundle from the book's own ``_static``; see ``tally.sphinx``)
  draws it. Nothing is loaded from any other host.
* ``image/png`` (rendered offline by vl-convert) for print and PDF builds.
* ``text/plain``: the text description.

Because ids are derived from the chart's ``name`` and the spec is serialised with
sorted keys, the output is byte-for-byte stable, which nbval checks.
"""
from __future__ import annotations

import base64
import html
import json
import math
import numbers
import re

import altair as alt
import numpy as np
import pandas as pd

# Okabe–Ito, a colour-blind-safe palette (Okabe & Ito 2008).
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7",
}
#: Meta's services share one hue family (blues) throughout the book; everyone else is grey.
META_BLUES = {"Meta": "#0072B2", "Facebook": "#0072B2", "Instagram": "#56B4E9",
              "WhatsApp": "#1B3F66", "Threads": "#9FCBE8"}
GREY = "#8C8C8C"
ACCENT = OKABE_ITO["orange"]
#: Text and line colours for marks that need one explicitly (labels, rules, reference lines).
#: Use these names, never other greys or black: the page swaps them for their dark-mode
#: counterparts when the reader's theme is dark (see tally-charts.js).
INK = "#1A1A1A"
MUTED = "#595959"

#: Vega expression for axis labels in millions ("0", "2M", "4M" ...), for counts of reports or files.
MILLIONS_LABEL = "datum.value == 0 ? '0' : format(datum.value / 1e6, ',') + 'M'"

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
WIDTH = 600

_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def theme() -> dict:
    """The house chart theme: system fonts only (no web fonts), quiet axes, left-aligned titles."""
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 320},
            "title": {"anchor": "start", "fontSize": 16, "fontWeight": 600, "subtitleFontSize": 13,
                      "subtitleColor": "#444444", "offset": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": 500,
                     "gridColor": "#E6E6E6", "domainColor": "#888888", "tickColor": "#888888",
                     "labelColor": "#333333", "titleColor": "#333333"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": list(OKABE_ITO.values())[1:] + [GREY]},
            "bar": {"color": GREY},
            "line": {"color": OKABE_ITO["blue"], "strokeWidth": 2},
            "point": {"color": OKABE_ITO["blue"]},
        }
    }


@alt.theme.register("tally", enable=False)
def _tally_theme() -> alt.theme.ThemeConfig:
    return theme()


def enable() -> None:
    """Use the house theme (notebooks call this once, through ``tally.setup()``)."""
    alt.theme.enable("tally")


def _safe_json(obj) -> str:
    """JSON that cannot end its ``<script>`` element or inject markup."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _cell(value) -> str:
    """A data-table cell as readers expect it: thousands separators, 4 significant digits."""
    if value is None or value is pd.NA or (isinstance(value, numbers.Real) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        v = float(value)
        return f"{v:,.0f}" if v.is_integer() and abs(v) >= 1000 else f"{v:,.4g}"
    return str(value)


def _is_period(column) -> bool:
    """Columns of years or quarters: printed as labels (2019), not as counts (2,019)."""
    name = str(column).lower()
    return "year" in name or "quarter" in name


def _table_html(df: pd.DataFrame) -> str:
    """A compact, escaped HTML table of ``df`` (the chart's data-table alternative)."""
    e = html.escape
    head = "".join(f"<th scope=\"col\">{e(str(c))}</th>" for c in df.columns)
    periods = [_is_period(c) for c in df.columns]
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{e(str(v) if period and isinstance(v, numbers.Integral) else _cell(v))}</td>"
                         for v, period in zip(row, periods)) + "</tr>"
        for row in df.itertuples(index=False, name=None))
    return f'<table class="tally-table"><thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>'


class Figure:
    """A chart with its source line, unit note, description, data download and data table."""

    def __init__(self, chart: alt.TopLevelMixin, *, name: str, source: str, unit: str,
                 description: str, data: pd.DataFrame):
        if not _NAME.match(name):
            raise ValueError(f"figure name must be lower-case words joined by hyphens: {name!r}")
        for label, text in (("source", source), ("unit", unit), ("description", description)):
            if not text or not text.strip():
                raise ValueError(f"figure {name!r} needs a {label}")
        self.chart, self.name, self.source, self.unit = chart, name, source, unit
        self.description, self.data = description, data
        self.spec = chart.to_dict()

    def _html(self) -> str:
        e = html.escape
        view_id = f"fig-{self.name}"
        csv = self.data.to_csv(index=False, lineterminator="\n").encode("utf-8")
        href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv).decode("ascii")
        table = _table_html(self.data)
        return (
            f'<figure class="tally-figure" id="{view_id}-figure">\n'
            f'<div class="tally-chart" id="{view_id}" role="group" aria-labelledby="{view_id}-desc"></div>\n'
            f'<script type="application/json" id="{view_id}-spec">{_safe_json(self.spec)}</script>\n'
            f'<figcaption class="tally-caption">\n'
            f'<p class="tally-source"><strong>Source:</strong> {e(self.source)} '
            f'<strong>Unit:</strong> {e(self.unit)}</p>\n'
            f'<p class="tally-description" id="{view_id}-desc">{e(self.description)}</p>\n'
            f'<p class="tally-download"><a href="{href}" download="{self.name}.csv">'
            f'Download the data (CSV)</a></p>\n'
            f'<details class="tally-data"><summary>Data table</summary>\n{table}\n</details>\n'
            f"</figcaption>\n</figure>"
        )

    def _png(self) -> bytes:
        import vl_convert as vlc

        return vlc.vegalite_to_png(self.spec, scale=1.5)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._html(), "image/png": self._png(), "text/plain": self.description}


def figure(chart: alt.TopLevelMixin, *, name: str, source: str, unit: str, description: str,
           data: pd.DataFrame) -> Figure:
    """Wrap ``chart`` for display in the book. ``data`` is exactly what is plotted (offered as CSV)."""
    return Figure(chart, name=name, source=source, unit=unit, description=description, data=data)
