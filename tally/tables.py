"""Display tables: the only kind of table a reader sees.

A chapter never shows a raw DataFrame. It shows ``tables.show(df, ...)``, which
renders an HTML table in the house style:

* plain-English headers (a header containing ``_`` is refused: it is a column name,
  not a header), with the unit in the header or the caption;
* every cell formatted by a named format (``"count"``, ``"millions"``, ``"pct"``,
  ``"pct_change"``, ``"date"``, ``"year"``, ``"text"``, ``"ratio"``) or a function,
  so there is never ``16900000.0``, ``1.026e-06`` or ``2020-03-24 00:00:00``;
* no index column, no truncation; text left-aligned, numbers right-aligned;
* wrapped in a scrollable region with a visible cue, so it fits a 390 px column.

The same function makes the collapsed data table under each chart
(:mod:`tally.charts`), so both look alike.

Example::

    tables.show(df, caption="CyberTipline reports by year",
                columns={"year": ("Year", "year"), "reports": ("Reports", "count"),
                         "share": ("Share of all reports", "pct")})
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from . import fmt

Format = str | Callable[[object], str]


def _missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isnan(float(v))


def _pct_plain(v) -> str:
    return fmt.pct(v)


def _signed_change(v) -> str:
    """A change already expressed as a fraction (``-0.433`` -> ``"−43.3%"``)."""
    x = float(v) * 100
    sign = "+" if x > 0 else "\u2212" if x < 0 else ""
    return f"{sign}{abs(x):.1f}%"


def _auto(v) -> str:
    """Used where a column has no named format: whole numbers with separators, text as is."""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, numbers.Integral):
        return f"{int(v):,}"
    if isinstance(v, numbers.Real):
        x = float(v)
        if x.is_integer():
            return f"{int(x):,}"
        raise ValueError(f"a fractional number ({x!r}) needs a named format (pct, ratio, millions ...)")
    if isinstance(v, pd.Timestamp):
        return fmt.date(v)
    return str(v)


FORMATS: dict[str, Callable[[object], str]] = {
    "auto": _auto,
    "text": lambda v: str(v),
    "count": fmt.count,
    "millions": fmt.millions,
    "millions_short": lambda v: f"{float(v) / 1e6:,.1f}",
    "pct": _pct_plain,
    "pct0": lambda v: fmt.pct(v, digits=0),
    "pct_change": _signed_change,
    "ratio": fmt.ratio,
    "ratio2": lambda v: fmt.ratio(v, digits=2),
    "date": fmt.date,
    "year": lambda v: str(int(v)),
    "yesno": lambda v: "yes" if bool(v) else "no",
}

#: Formats whose cells are numbers (right-aligned).
NUMERIC = {"count", "millions", "millions_short", "pct", "pct0", "pct_change", "ratio", "ratio2"}


def _resolve(spec: Format) -> tuple[Callable[[object], str], bool | None]:
    if callable(spec):
        return spec, None
    if spec not in FORMATS:
        raise ValueError(f"unknown table format {spec!r}; use one of {sorted(FORMATS)} or a function")
    return FORMATS[spec], (spec in NUMERIC) if spec != "auto" else None


class DisplayTable:
    """A formatted table with HTML and plain-text representations."""

    def __init__(
        self,
        df: pd.DataFrame,
        *,
        caption: str | None,
        columns: Mapping[str, tuple[str, Format] | str] | None,
        note: str | None,
        label: str | None,
    ):
        if columns is None:
            columns = {c: (str(c), "auto") for c in df.columns}
        self.headers: list[str] = []
        self.cells: list[list[str]] = []
        self.numeric: list[bool] = []
        cols = []
        for col, spec in columns.items():
            if col not in df.columns:
                raise KeyError(f"display table: no column {col!r} (have {list(df.columns)})")
            header, form = (spec, "auto") if isinstance(spec, str) else spec
            if "_" in header:
                raise ValueError(f"display table header {header!r} contains '_': write it in plain English")
            func, numeric = _resolve(form)
            if numeric is None:
                values = df[col].dropna()
                numeric = (
                    bool(len(values))
                    and all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in values)
                    and form != "text"
                    and "year" not in header.lower()
                )
                if form == "auto" and "year" in header.lower():
                    func = lambda v: str(int(v)) if isinstance(v, numbers.Real) else str(v)  # noqa: E731
            cols.append((col, func))
            self.headers.append(header)
            self.numeric.append(numeric)
        for row in df.itertuples(index=False, name=None):
            values = dict(zip(df.columns, row))
            self.cells.append(["" if _missing(values[c]) else f(values[c]) for c, f in cols])
        self.caption, self.note, self.label = caption, note, label

    def html(self) -> str:
        e = html.escape
        cls = lambda i: ' class="num"' if self.numeric[i] else ""  # noqa: E731
        head = "".join(f'<th scope="col"{cls(i)}>{e(h)}</th>' for i, h in enumerate(self.headers))
        body = "\n".join(
            "<tr>"
            + "".join(
                (f'<th scope="row">{e(v)}</th>' if i == 0 and not self.numeric[0] else f"<td{cls(i)}>{e(v)}</td>")
                for i, v in enumerate(row)
            )
            + "</tr>"
            for row in self.cells
        )
        caption = f"<caption>{e(self.caption)}</caption>" if self.caption else ""
        name = e(self.caption or self.label or "Table")
        note = f'<p class="tally-table-note">{e(self.note)}</p>' if self.note else ""
        return (
            f'<div class="tally-table-wrap" role="region" aria-label="{name}" tabindex="0">'
            f'<table class="tally-table">{caption}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody></table></div>{note}"
        )

    def text(self) -> str:
        widths = [
            max(len(h), *(len(r[i]) for r in self.cells)) if self.cells else len(h) for i, h in enumerate(self.headers)
        ]
        line = lambda vals: " | ".join(  # noqa: E731
            v.rjust(w) if self.numeric[i] else v.ljust(w) for i, (v, w) in enumerate(zip(vals, widths))
        )
        out = [self.caption] if self.caption else []
        out += [line(r).rstrip() for r in [self.headers, *self.cells]]
        out.insert(len(out) - len(self.cells), "-+-".join("-" * w for w in widths))
        if self.note:
            out.append(self.note)
        return "\n".join(out)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html(), "text/plain": self.text()}


def show(
    df: pd.DataFrame,
    *,
    caption: str | None = None,
    columns: Mapping[str, tuple[str, Format] | str] | None = None,
    note: str | None = None,
) -> DisplayTable:
    """A display table of ``df`` (its index is ignored: reset it first if it holds data).

    ``columns`` maps each column to show, in order, to ``(header, format)`` or to a header
    alone (format chosen from the values: whole numbers with separators, text as is).
    """
    return DisplayTable(df, caption=caption, columns=columns, note=note, label=None)
