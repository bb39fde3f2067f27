"""Unit tests of tally.tables, the display-table helper every chapter uses."""

import pandas as pd
import pytest

from tally import tables


def _df():
    return pd.DataFrame(
        {
            "year": [2019, 2020],
            "reports": [16987361, 21751085],
            "share": [0.9434, 0.94],
            "when": pd.to_datetime(["2020-03-24", "2021-01-01"]),
            "who": ["Meta", "<b>x</b>"],
        }
    )


def test_formats_headers_and_alignment():
    t = tables.show(
        _df(),
        caption="Reports",
        columns={
            "year": ("Year", "year"),
            "reports": ("Reports", "count"),
            "share": ("Share of reports", "pct"),
            "when": ("Date", "date"),
            "who": "Company",
        },
    )
    h = t.html()
    assert "16,987,361" in h and "94.3%" in h and "24 March 2020" in h
    assert "2020-03-24" not in h and "0.9434" not in h and "2,019" not in h
    assert '<th scope="col" class="num">Reports</th>' in h
    assert '<th scope="col">Company</th>' in h
    assert "&lt;b&gt;x&lt;/b&gt;" in h and "<b>x</b>" not in h
    assert 'class="tally-table-wrap"' in h and "<caption>Reports</caption>" in h
    assert "dataframe" not in h


def test_refuses_snake_case_headers_and_unformatted_fractions():
    with pytest.raises(ValueError, match="plain English"):
        tables.show(_df(), columns={"share": ("share_of_all", "pct")})
    with pytest.raises(ValueError, match="named format"):
        tables.show(_df(), columns={"share": "Share"}).html()


def test_unknown_format_and_column():
    with pytest.raises(ValueError, match="unknown table format"):
        tables.show(_df(), columns={"share": ("Share", "percent")})
    with pytest.raises(KeyError):
        tables.show(_df(), columns={"nope": "Nope"})


def test_missing_values_are_blank_and_text_is_aligned():
    df = pd.DataFrame({"name": ["a", "b"], "n": [1.0, float("nan")]})
    t = tables.show(df, columns={"name": "Name", "n": ("Count", "count")})
    assert '<td class="num"></td>' in t.html()
    lines = t.text().splitlines()
    assert lines[0].startswith("Name") and set(lines[1]) <= {"-", "+"}
