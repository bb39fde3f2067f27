"""The data package: valid as committed, and every kind of breakage is caught with a
message that names the file, the line, the column and the rule."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import tally
from tally.data import DataError, validate

ROOT = Path(__file__).resolve().parent.parent


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, data: list[dict], fields: list[str] | None = None) -> None:
    fields = fields or list(data[0].keys())
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(data)


def problem(folder: Path) -> str:
    with pytest.raises(DataError) as info:
        validate(folder)
    return str(info.value.problems[0])


# --- the package as committed --------------------------------------------------------------

def test_committed_package_is_valid():
    tables = validate()
    assert {"esp_reports", "country_reports", "printed_totals", "cybertipline_annual", "esp_companies",
            "meta_enforcement", "report_contents", "report_recipients", "timeline", "sources",
            "claims"} <= set(tables)


def test_descriptor_is_generated_from_the_script():
    out = subprocess.run([sys.executable, "scripts/build_datapackage.py", "--check"], cwd=ROOT)
    assert out.returncode == 0, "data/datapackage.json differs from scripts/build_datapackage.py"


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022, 2023])
def test_complete_years_sum_exactly_to_printed_totals(year):
    esp = tally.load("esp_reports")
    country = tally.load("country_reports")
    totals = tally.load("printed_totals").set_index(["table", "year"])["total"]
    rows_ = esp[(esp["year"] == year)]
    assert (rows_["coverage"] == "complete").all()
    assert int(rows_["reports"].sum()) == int(totals[("esp_reports", year)])
    assert int(country[country["year"] == year]["reports"].sum()) == int(totals[("country_reports", year)])
    # NCMEC lists 150-250 companies a year; a transcription far below that has lost rows.
    assert len(rows_) >= 140


def test_known_figures_from_the_pdfs():
    """Spot checks against figures quoted by independent sources (news, NCMEC's own text)."""
    esp = tally.load("esp_reports").set_index(["year", "esp"])["reports"]
    assert esp[(2019, "Facebook*")] == 15_884_511
    assert esp[(2020, "Facebook*")] == 20_307_216
    assert esp[(2021, "Instagram")] == 3_393_654
    y = tally.yearly()
    assert y.loc[2019, "total_reports"] == 16_987_361
    assert y.loc[2019, "esp_reports"] == 16_836_694


def test_every_esp_name_is_mapped_to_a_company():
    names = set(tally.load("esp_reports")["esp"])
    mapped = set(tally.load("esp_companies")["esp"])
    assert names == mapped


def test_loader_keeps_csv_line_numbers():
    esp = tally.load("esp_reports")
    first = rows(ROOT / "data" / "esp_reports.csv")[0]
    assert esp.index[0] == 2
    assert esp.loc[2, "esp"] == first["esp"]


# --- breakages: each must stop validation with a precise message ------------------------------

def test_missing_file(data_copy):
    (data_copy / "esp_reports.csv").unlink()
    msg = problem(data_copy)
    assert "data/esp_reports.csv" in msg or "esp_reports.csv" in msg
    assert "missing file" in msg


def test_missing_column(data_copy):
    path = data_copy / "country_reports.csv"
    data = rows(path)
    for r in data:
        del r["reports"]
    write(path, data)
    msg = problem(data_copy)
    assert "country_reports.csv" in msg and "line 1" in msg and "'reports'" in msg and "missing column" in msg


def test_non_numeric_count(data_copy):
    path = data_copy / "esp_reports.csv"
    data = rows(path)
    data[10]["reports"] = "12,345"
    write(path, data)
    msg = problem(data_copy)
    assert "esp_reports.csv, line 12, column 'reports': type error" in msg


def test_negative_count(data_copy):
    path = data_copy / "esp_reports.csv"
    data = rows(path)
    data[3]["reports"] = "-5"
    write(path, data)
    msg = problem(data_copy)
    assert "esp_reports.csv, line 5, column 'reports': constraint error" in msg and "minimum" in msg


def test_duplicate_key(data_copy):
    path = data_copy / "country_reports.csv"
    data = rows(path)
    data.insert(5, dict(data[4]))
    write(path, data)
    msg = problem(data_copy)
    assert "country_reports.csv, line 7, column 'year,country': primary key" in msg


def test_unknown_source_id(data_copy):
    path = data_copy / "timeline.csv"
    data = rows(path)
    data[2]["source_id"] = "no-such-source"
    write(path, data)
    msg = problem(data_copy)
    assert "timeline.csv, line 4, column 'source_id': foreign key" in msg and "no-such-source" in msg


def test_sum_mismatch(data_copy):
    path = data_copy / "esp_reports.csv"
    data = rows(path)
    i = next(i for i, r in enumerate(data) if r["year"] == "2021" and r["reports"])
    data[i]["reports"] = str(int(data[i]["reports"]) + 1)
    write(path, data)
    msg = problem(data_copy)
    assert "printed_totals.csv" in msg and "column 'total'" in msg and "rows sum to printed total" in msg
    assert "2021" in msg


def test_out_of_range_year(data_copy):
    path = data_copy / "cybertipline_annual.csv"
    data = rows(path)
    data[0]["year"] = "2099"
    write(path, data)
    msg = problem(data_copy)
    assert "cybertipline_annual.csv, line 2, column 'year': constraint error" in msg and "maximum" in msg


def test_malformed_date(data_copy):
    path = data_copy / "timeline.csv"
    data = rows(path)
    data[0]["date"] = "11/10/2020"
    write(path, data)
    msg = problem(data_copy)
    assert "timeline.csv, line 2, column 'date': type error" in msg


def test_esp_plus_public_must_equal_total(data_copy):
    path = data_copy / "cybertipline_annual.csv"
    data = rows(path)
    i = next(i for i, r in enumerate(data)
             if r["year"] == "2022" and r["measure"] == "public_reports" and r["preferred"] == "true")
    data[i]["value"] = str(int(data[i]["value"]) + 10)
    write(path, data)
    msg = problem(data_copy)
    assert "cybertipline_annual.csv" in msg and "ESP + public = total" in msg and "2022" in msg


def test_two_preferred_values(data_copy):
    path = data_copy / "cybertipline_annual.csv"
    data = rows(path)
    for r in data:
        if r["year"] == "1998":
            r["preferred"] = "true"
    write(path, data)
    msg = problem(data_copy)
    assert "column 'preferred': one preferred value" in msg and "year=1998" in msg


def test_unmapped_esp_name(data_copy):
    path = data_copy / "esp_reports.csv"
    data = rows(path)
    data[0]["esp"] = data[0]["esp"] + " (renamed)"
    write(path, data)
    msg = problem(data_copy)
    assert "esp_reports.csv, line 2, column 'esp': foreign key" in msg


def test_cli_prints_one_clear_line(data_copy):
    (data_copy / "sources.csv").unlink()
    out = subprocess.run([sys.executable, "-m", "tally", str(data_copy)], capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.startswith("data error: ") and "sources.csv" in out.stderr
    assert "Traceback" not in out.stderr


def test_bibliography_is_generated_from_sources():
    out = subprocess.run([sys.executable, "scripts/build_bib.py", "--check"], cwd=ROOT)
    assert out.returncode == 0, "references.bib differs from data/sources.csv: run scripts/build_bib.py"
    from pybtex.database import parse_file

    keys = set(parse_file(str(ROOT / "references.bib")).entries)
    assert keys == set(tally.load("sources")["source_id"])
