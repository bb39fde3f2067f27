"""The book's chart theme and its offline chart output.

``figure(chart, ...)`` turns an Altair chart into one notebook output that carries
two representations:

* ``text/html`` for the website and the PDF (chromium prints the HTML): the chart's fixed
  title and subtitle as HTML (they wrap at any width), a ``div`` with a deterministic id,
  the Vega-Lite spec as inert JSON (``<script type="application/json">``), and under the
  chart the source line, the unit note, a "Describe this chart" expander holding the text
  description (the chart's accessible description), a collapsed data table made by
  ``tally.tables`` and a CSV download of exactly the plotted data. The page's JavaScript
  (``tally-charts.js``, served with the vega bundle from the book's own ``_static``; see
  ``tally.sphinx``) draws it to fit its column, in the reader's light or dark theme.
  Nothing is loaded from any other host.
* ``text/plain``: the text description.

No image is stored in the notebook (it would make each notebook several hundred KB).

Because ids are derived from the chart's ``name`` and the spec is serialised with
sorted keys, the output is byte-for-byte stable, which nbval checks.
"""

from __future__ import annotations

import base64
import html
import json
import numbers
import re

import altair as alt
import pandas as pd

# Okabe–Ito, a colour-blind-safe palette (Okabe & Ito 2008).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
#: Meta's services share one hue family (blues) throughout the book; everyone else is grey.
META_BLUES = {
    "Meta": "#0072B2",
    "Facebook": "#0072B2",
    "Instagram": "#56B4E9",
    "WhatsApp": "#5B7BD5",
    "Threads": "#9FCBE8",
}
GREY = "#8C8C8C"
ACCENT = OKABE_ITO["orange"]
#: Text and line colours for marks that need one explicitly (labels, rules, reference lines).
#: Use these names, never other greys or black: the page swaps them for their dark-mode
#: counterparts when the reader's theme is dark (see tally-charts.js).
INK = "#1A1A1A"
MUTED = "#595959"
#: Gridlines and axis rules of the theme (also swapped in dark mode).
GRID = "#E6E6E6"
RULE = "#888888"

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
            "background": "transparent",
            "title": {
                "anchor": "start",
                "fontSize": 16,
                "fontWeight": 600,
                "subtitleFontSize": 13,
                "color": INK,
                "subtitleColor": MUTED,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleFontWeight": 500,
                "gridColor": GRID,
                "domainColor": RULE,
                "tickColor": RULE,
                "labelColor": MUTED,
                "titleColor": MUTED,
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "labelColor": MUTED,
                "titleColor": MUTED,
            },
            "text": {"color": INK},
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


def _short_title(title: str, limit: int = 48) -> str:
    title = " ".join(str(title).split())
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


_ABBREVIATIONS = {
    "National Center for Missing & Exploited Children": "NCMEC",
    "National Center for Missing and Exploited Children": "NCMEC",
}


def _short_publisher(name: str) -> str:
    """ "Child Rights International Network (CRIN) and defenddigitalme" -> "CRIN and defenddigitalme"."""
    for long, short in _ABBREVIATIONS.items():
        name = name.replace(long, short)
    name = re.sub(r"([A-Z][\w&.'-]*(?: [\w&.'-]+)+) \(([A-Z][A-Za-z&]{1,9})\)", r"\2", name)
    return re.sub(r" \(via [^)]*\)|, published by .*$", "", name).strip()


def source_names(path=None) -> dict[str, str]:
    """Short, readable names for tooltips, by ``source_id`` (from data/sources.csv):
    "NCMEC, 2023" where that publisher has one source that year, else "NCMEC, 2023: <short title>"."""
    from pathlib import Path

    path = Path(path) if path else Path(__file__).resolve().parent.parent / "data" / "sources.csv"
    src = pd.read_csv(path, dtype=str).fillna("")
    publisher = src["publisher"].where(src["publisher"] != "", src["author"]).str.strip().map(_short_publisher)
    year = src["date"].str[:4]
    base = publisher + ", " + year
    dup = base.duplicated(keep=False)
    names = base.where(~dup, base + ": " + src["title"].map(_short_title))
    return dict(zip(src["source_id"], names))


def with_source_names(df: pd.DataFrame, column: str = "source_id", name: str = "Source") -> pd.DataFrame:
    """A copy of ``df`` with a column ``name`` giving each row's source as a short name instead of a
    slug, for tooltips (``alt.Tooltip("Source:N")``). Unknown ids raise: every row names a source."""
    names = source_names()
    missing = sorted(set(df[column].dropna()) - set(names))
    if missing:
        raise KeyError(f"source ids not in data/sources.csv: {missing}")
    out = df.copy()
    out[name] = df[column].map(names)
    return out


def _safe_json(obj) -> str:
    """JSON that cannot end its ``<script>`` element or inject markup."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _static_text(value) -> str | None:
    """A title or subtitle that is fixed text (a string or a list of lines), joined; None if it is an
    expression (a title that follows the reader's choices) or absent."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " ".join(v.strip() for v in value)
    return None


def split_title(spec: dict) -> tuple[dict, str | None, str | None]:
    """Move a chart's fixed top-level title and subtitle out of the spec, into HTML above the
    chart (where they wrap at any width). A title that is an expression stays in the spec
    (tally-charts.js wraps it to the chart's width); so does everything if the subtitle is one."""
    title = spec.get("title")
    if title is None:
        return spec, None, None
    if isinstance(title, dict):
        text, subtitle = _static_text(title.get("text")), title.get("subtitle")
        sub = _static_text(subtitle) if subtitle is not None else None
        if text is None or (subtitle is not None and sub is None):
            return spec, None, None
    else:
        text, sub = _static_text(title), None
        if text is None:
            return spec, None, None
    spec = {k: v for k, v in spec.items() if k != "title"}
    return spec, text, sub


_PERIOD = ("year", "quarter")
_SHARE = ("share", "pct", "percent", "rate", "proportion", "fraction")


def _plain_header(column) -> str:
    words = str(column).replace("_", " ").replace("-", " ").strip()
    return (words[:1].upper() + words[1:]) or "Value"


def _number(v) -> str:
    """A number without a named format: whole numbers with separators; others to three decimals at
    most (never scientific notation)."""
    x = float(v)
    if x.is_integer():
        return f"{int(x):,}"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    if abs(x) < 0.001:
        return "< 0.001" if x > 0 else "> \u22120.001"
    return f"{x:.3f}".rstrip("0").rstrip(".")


def _label(v) -> str:
    return str(int(v)) if isinstance(v, numbers.Real) and not isinstance(v, bool) else str(v)


def table_columns(df: pd.DataFrame) -> dict:
    """Plain headers and formats for a chart's data table, guessed from column names and values
    (pass ``table_columns=`` to ``figure()`` to name them yourself, as in ``tally.tables.show``):
    years and quarters as labels, shares (a name with share/pct/rate and values in [0, 1]) as
    percentages, whole numbers with separators, dates as dates, other numbers to three decimals
    at most."""
    columns = {}
    for col in df.columns:
        name, values = str(col).lower(), df[col].dropna()
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            form = "date"
        elif pd.api.types.is_bool_dtype(df[col]):
            form = "yesno"
        elif any(p in name for p in _PERIOD):
            form = _label
        elif pd.api.types.is_numeric_dtype(df[col]) and len(values):
            whole = bool((values == values.round()).all())
            if any(s in name for s in _SHARE) and not whole and bool(values.between(0, 1).all()):
                form = "pct"
            else:
                form = "count" if whole else _number
        else:
            form = "text"
        columns[col] = (_plain_header(col), form)
    return columns


class Figure:
    """A chart with its title, source line, unit note, description, data download and data table."""

    def __init__(
        self,
        chart: alt.TopLevelMixin,
        *,
        name: str,
        source: str,
        unit: str,
        description: str,
        data: pd.DataFrame,
        table_columns: dict | None = None,
    ):
        if not _NAME.match(name):
            raise ValueError(f"figure name must be lower-case words joined by hyphens: {name!r}")
        for label, text in (("source", source), ("unit", unit), ("description", description)):
            if not text or not text.strip():
                raise ValueError(f"figure {name!r} needs a {label}")
        self.chart, self.name, self.source, self.unit = chart, name, source, unit
        self.description, self.data = description, data
        self.columns = table_columns
        self.spec, self.title, self.subtitle = split_title(chart.to_dict())

    def table(self):
        """The collapsed data table under the chart: a display table (``tally.tables``)."""
        from .tables import DisplayTable

        columns = self.columns or table_columns(self.data)
        label = f"Data: {self.title}" if self.title else f"Data plotted in {self.name.replace('-', ' ')}"
        return DisplayTable(self.data, caption=None, columns=columns, note=None, label=label)

    def _html(self) -> str:
        e = html.escape
        view_id = f"fig-{self.name}"
        csv = self.data.to_csv(index=False, lineterminator="\n").encode("utf-8")
        href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv).decode("ascii")
        heading, labelled = "", ""
        if self.title:
            sub = f'\n<p class="tally-subtitle">{e(self.subtitle)}</p>' if self.subtitle else ""
            heading = (
                f'<div class="tally-heading"><p class="tally-title" id="{view_id}-title">'
                f"{e(self.title)}</p>{sub}</div>\n"
            )
            labelled = f' aria-labelledby="{view_id}-title"'
        return (
            f'<figure class="tally-figure{"" if self.title else " tally-untitled"}" id="{view_id}-figure">\n'
            f"{heading}"
            f'<div class="tally-chart" id="{view_id}" role="group"{labelled} aria-describedby="{view_id}-desc"></div>\n'
            f'<script type="application/json" id="{view_id}-spec">{_safe_json(self.spec)}</script>\n'
            f'<figcaption class="tally-caption">\n'
            f'<p class="tally-source"><strong>Source:</strong> {e(self.source)} '
            f"<strong>Unit:</strong> {e(self.unit)}</p>\n"
            f'<details class="tally-describe"><summary>Describe this chart</summary>\n'
            f'<p class="tally-description" id="{view_id}-desc">{e(self.description)}</p>\n</details>\n'
            f'<details class="tally-data"><summary>Data table</summary>\n{self.table().html()}\n</details>\n'
            f'<p class="tally-download"><a href="{href}" download="{self.name}.csv">'
            f"Download the data (CSV)</a></p>\n"
            f"</figcaption>\n</figure>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        # No image/png: the website and the PDF (printed by chromium from the HTML) draw the SVG
        # from the spec, and a stored PNG would make every notebook several hundred KB.
        return {"text/html": self._html(), "text/plain": self.description}


def figure(
    chart: alt.TopLevelMixin,
    *,
    name: str,
    source: str,
    unit: str,
    description: str,
    data: pd.DataFrame,
    table_columns: dict | None = None,
) -> Figure:
    """Wrap ``chart`` for display in the book. ``data`` is exactly what is plotted (offered as CSV
    and as the collapsed data table). ``table_columns`` names the table's headers and formats as
    in ``tally.tables.show(columns=...)``; without it they are guessed from the column names."""
    return Figure(
        chart, name=name, source=source, unit=unit, description=description, data=data, table_columns=table_columns
    )
