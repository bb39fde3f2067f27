"""The chart output: self-describing, deterministic, and inert against markup in the data."""
from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

from tally import charts

HOSTILE = "Evil</script><b>Corp</b>"


def make(name="test-chart", label=HOSTILE):
    charts.enable()
    data = pd.DataFrame({"esp": [label, "Plain Co"], "reports": [10, 5]})
    chart = alt.Chart(data).mark_bar().encode(x="reports:Q", y="esp:N", tooltip=["esp:N", "reports:Q"])
    return charts.figure(chart, name=name, data=data, source="Test source.", unit="Reports.",
                         description=f"Bars for {label}.")


def test_bundle_has_html_png_and_text():
    bundle = make()._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert bundle["text/plain"] == f"Bars for {HOSTILE}."


def test_output_is_deterministic():
    assert make()._repr_mimebundle_()["text/html"] == make()._repr_mimebundle_()["text/html"]
    assert 'id="fig-test-chart"' in make()._html()


def test_markup_in_data_stays_text():
    html = make()._html()
    # Nothing in the data can close the spec's script element or open a tag.
    assert "</script><b>" not in html and "<b>Corp" not in html
    spec_json = re.search(r'<script type="application/json" id="fig-test-chart-spec">(.*?)</script>', html, re.S)
    assert spec_json, "spec element missing"
    spec = json.loads(spec_json.group(1))
    values = [v for ds in spec["datasets"].values() for v in ds]
    assert values[0]["esp"] == HOSTILE  # the JSON still carries the exact name
    assert "Evil&lt;/script&gt;&lt;b&gt;Corp&lt;/b&gt;" in html  # escaped in table and description


def test_no_foreign_hosts_in_output():
    html = make()._html()
    hosts = set(re.findall(r'(?:src|href)="(https?://[^"/]+)', html))
    assert not hosts


def test_figure_requires_source_unit_and_description():
    data = pd.DataFrame({"a": [1]})
    chart = alt.Chart(data).mark_point().encode(x="a:Q")
    for missing in ("source", "unit", "description"):
        kwargs = dict(name="x", source="s", unit="u", description="d", data=data)
        kwargs[missing] = " "
        with pytest.raises(ValueError):
            charts.figure(chart, **kwargs)
    with pytest.raises(ValueError):
        charts.figure(chart, name="Not A Slug", source="s", unit="u", description="d", data=data)


def test_theme_uses_no_web_fonts():
    cfg = charts.theme()["config"]
    assert "googleapis" not in json.dumps(cfg)
    assert cfg["font"].startswith("system-ui")


def test_data_table_prints_years_as_labels_and_counts_with_separators():
    from tally.charts import _table_html

    table = _table_html(pd.DataFrame({"year": [2019], "reports": [15884511], "share": [0.94342]}))
    assert "<td>2019</td><td>15,884,511</td><td>0.9434</td>" in table
