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
    return charts.figure(
        chart, name=name, data=data, source="Test source.", unit="Reports.", description=f"Bars for {label}."
    )


def test_bundle_has_html_and_text_and_no_image():
    """No image/png in the notebook (issue 12: notebooks stay small and diffable)."""
    bundle = make()._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
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


def test_data_table_is_a_display_table():
    """The collapsed data table is made by tally.tables: plain headers, years as labels, counts with
    separators, shares as percentages, no number with more than three decimals."""
    data = pd.DataFrame(
        {"year": [2019], "reports": [15884511], "share_of_esp": [0.94342], "files_per_report": [3.14159]}
    )
    chart = alt.Chart(data).mark_bar().encode(x="year:O", y="reports:Q")
    fig = charts.figure(chart, name="t", source="s", unit="u", description="d", data=data)
    table = re.search(r'<details class="tally-data">.*?</details>', fig._html(), re.S).group(0)
    assert 'class="tally-table-wrap"' in table
    assert '<th scope="col">Year</th>' in table and "Share of esp" in table and "_" not in re.sub(r"<[^>]+>", "", table)
    assert '<th scope="row">2019</th>' in table
    assert "15,884,511" in table and "94.3%" in table and "3.142" in table and "0.9434" not in table


def test_fixed_title_moves_to_html_and_expression_title_stays():
    data = pd.DataFrame({"a": [1]})
    chart = alt.Chart(data, title=alt.Title("A long title", subtitle=["Line one", "line two"])).mark_point()
    fig = charts.figure(chart, name="t", source="s", unit="u", description="d", data=data)
    assert "title" not in fig.spec
    html = fig._html()
    assert '<p class="tally-title" id="fig-t-title">A long title</p>' in html
    assert '<p class="tally-subtitle">Line one line two</p>' in html
    assert 'aria-labelledby="fig-t-title" aria-describedby="fig-t-desc"' in html
    dynamic = alt.Chart(data, title=alt.Title(alt.expr("'n = ' + 1"))).mark_point()
    fig = charts.figure(dynamic, name="u", source="s", unit="u", description="d", data=data)
    assert fig.spec["title"]["text"] == {"expr": "'n = ' + 1"} and "tally-title" not in fig._html()


def test_description_is_in_an_expander_and_describes_the_chart():
    html = make()._html()
    assert re.search(
        r'<details class="tally-describe"><summary>Describe this chart</summary>\s*'
        r'<p class="tally-description" id="fig-test-chart-desc">',
        html,
    )
    assert 'aria-describedby="fig-test-chart-desc"' in html
