"""The data package: valid as committed, and every kind of breakage is caught with a
message that names the file, the line, the column and the rule."""

from __future__ import annotations

import copy
import csv
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import tally
from tally.data import DataError, validate

ROOT = Path(__file__).resolve().parent.parent
META = yaml.safe_load((ROOT / "data" / "metadata.yaml").read_text(encoding="utf-8"))
PACKAGE_TABLES = [t["name"] for t in META["tables"] if t.get("package", True)]


def _builder():
    """scripts/build_datapackage.py, loaded from its file (it imports nothing from the project)."""
    spec = importlib.util.spec_from_file_location("build_datapackage", ROOT / "scripts" / "build_datapackage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    assert {
        "esp_reports",
        "country_reports",
        "printed_totals",
        "cybertipline_annual",
        "esp_companies",
        "meta_enforcement",
        "report_contents",
        "report_recipients",
        "timeline",
        "sources",
        "claims",
        "country_referrals",
        "meta_cybertips",
        "cybertipline_periods",
        "after_report",
        "context_series",
    } <= set(tables)
    assert set(tables) == set(PACKAGE_TABLES), "the package's tables are the ones data/metadata.yaml lists"


def test_descriptor_is_generated_from_the_script():
    """datapackage.json, the codebook's generated parts and the Data page's table list are current."""
    out = subprocess.run(
        [sys.executable, "scripts/build_datapackage.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, f"generated files are stale: {out.stderr.strip()}"


# --- one source of metadata: data/metadata.yaml -------------------------------------------------


def test_every_csv_in_data_is_described_in_the_metadata():
    described = {t["name"] for t in META["tables"]}
    files = {p.stem for p in (ROOT / "data").glob("*.csv")}
    assert files == described, (
        f"not in data/metadata.yaml: {sorted(files - described)}; no file: {sorted(described - files)}"
    )
    for t in META["tables"]:
        with (ROOT / "data" / f"{t['name']}.csv").open(encoding="utf-8") as fh:
            header = fh.readline().rstrip("\n").split(",")
        assert header == [f["name"] for f in t["fields"]], f"data/{t['name']}.csv: header differs from the metadata"


def test_every_field_has_a_description_and_a_unit():
    for t in META["tables"]:
        for key in ("title", "description", "row", "unit", "coverage", "codebook"):
            assert t.get(key), f"{t['name']}: no {key!r} in data/metadata.yaml"
        for f in t["fields"]:
            assert f.get("description", "").strip(), f"{t['name']}.{f['name']}: no description"
            assert f.get("unit"), f"{t['name']}.{f['name']}: no unit ('—' if none)"


def test_every_table_and_field_appears_in_the_codebook_and_on_the_data_page():
    codebook = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    page = (ROOT / "data.md").read_text(encoding="utf-8")
    for t in META["tables"]:
        assert f"<!-- generated: fields:{t['name']} " in codebook
        assert f"<data/{t['name']}.csv>" in page
        for f in t["fields"]:
            assert re.search(rf"^\| [^|]*`{f['name']}`", codebook, re.M), f"{t['name']}.{f['name']} not in the codebook"


def test_a_changed_description_makes_the_generated_files_stale():
    builder = _builder()
    meta = copy.deepcopy(builder.load_metadata())
    assert builder.stale(meta) == []
    meta["tables"][0]["fields"][0]["description"] += " Changed."
    assert set(builder.stale(meta)) == {"data/datapackage.json", "data/README.md"}


def test_a_generated_part_without_metadata_is_an_error():
    builder = _builder()
    with pytest.raises(SystemExit, match="unknown generated part 'fields:nothing'"):
        builder.fill("<!-- generated: fields:nothing -->\n<!-- end generated: fields:nothing -->", {}, "x.md")


def test_counts_in_the_codebook_are_computed():
    codebook = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    n_sources = len(rows(ROOT / "data" / "sources.csv"))
    n_events = len(rows(ROOT / "data" / "timeline.csv"))
    assert f"{n_sources:,} sources, " in codebook
    assert f"{n_events:,} events, " in codebook


def test_source_manifest_is_well_formed():
    manifest = rows(ROOT / "data" / "source_files.csv")
    sources = {r["source_id"] for r in rows(ROOT / "data" / "sources.csv")}
    modules = {b["module"] for b in META["builders"]}
    assert len({(r["path"], r["read_by"]) for r in manifest}) == len(manifest), "duplicate rows"
    for r in manifest:
        where = f"data/source_files.csv, {r['path']}"
        assert re.fullmatch(r"[0-9a-f]{64}", r["sha256"]), f"{where}: sha256 is not 64 hex digits"
        assert r["bytes"].isdigit() and int(r["bytes"]) > 0, f"{where}: bytes"
        assert r["source_id"] in sources, f"{where}: unknown source_id {r['source_id']!r}"
        assert r["read_by"] in modules, f"{where}: {r['read_by']!r} is not a builder in data/metadata.yaml"
        assert r["url"].startswith("https://") or (not r["url"] and r["note"]), f"{where}: no address and no note"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["accessed"]), f"{where}: accessed"
        same = {(x["bytes"], x["sha256"]) for x in manifest if x["path"] == r["path"]}
        assert len(same) == 1, f"{where}: two rows for one file disagree"


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
    i = next(
        i
        for i, r in enumerate(data)
        if r["year"] == "2022" and r["measure"] == "public_reports" and r["preferred"] == "true"
    )
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


# --- the 2024-2025 tables and "after the report" (issue 11) -----------------------------------


def test_country_referrals_sum_to_recipients_not_to_reports():
    ref = tally.load("country_referrals")
    rec = tally.load("report_recipients")
    y = tally.yearly()
    r24 = ref[ref["year"] == 2024]
    assert int(r24["referrals"].sum()) == 16_612_392
    assert int(r24["informational"].sum()) == 4_566_847
    both = int(r24["referrals"].sum() + r24["informational"].sum())
    assert both == 21_179_239 == int(rec[rec["year"] == 2024]["reports"].sum())
    assert both != int(y.loc[2024, "total_reports"])  # a report referred to two places counts twice
    flagged = set(r24.loc[r24["flagged"], "country"])
    assert flagged == {"Lao People's Democratic Republic", "Tokelau", "Samoa", "Guadeloupe", "Martinique"}
    assert (r24["provenance"] == "secondary").all()


def test_new_tables_show_primary_or_secondary_on_every_row():
    for name in ("country_referrals", "meta_cybertips", "cybertipline_periods", "after_report", "context_series"):
        df = tally.load(name)
        assert df["provenance"].isin(["primary", "secondary"]).all(), name
        assert df["source_id"].notna().all(), name


def test_known_figures_2024_2025():
    y = tally.yearly()
    assert y.loc[2025, "total_reports"] == 21_351_493
    per = tally.load("cybertipline_periods").set_index(["period", "subject", "measure", "source_id"])["value"]
    assert per[("2025-H1", "all reports", "generative_ai", "ncmec-blog-2025-h1")] == 440_419
    assert per[("2025", "Amazon AI Services", "esp_reports", "grimm-diaphanous")] == 1_105_405
    meta = tally.load("meta_cybertips")
    assert len(meta) == 11 and int(meta["reports"].sum()) == 37_200_000
    after = tally.load("after_report").set_index(["year", "topic", "label", "measure"])["value"]
    assert (
        after[
            (
                2023,
                "law_enforcement_feedback",
                "Internet Crimes Against Children (ICACs) Units",
                "instances of feedback",
            )
        ]
        == 312_343
    )
    assert after[(2023, "cvip_new_series", "New series of unidentified child victims", "series added")] == 8_160
    contents = tally.load("report_contents").set_index(["year", "category", "label"])["value"]
    assert contents[(2024, "unique_files", "Images")] == 17_533_122


def _edit(path: Path, match: dict, column: str, value: str) -> int:
    data = rows(path)
    i = next(i for i, r in enumerate(data) if all(r[k] == v for k, v in match.items()))
    data[i][column] = value
    write(path, data)
    return i + 2  # CSV line


def test_country_referrals_must_sum_to_recipients(data_copy):
    _edit(data_copy / "country_referrals.csv", {"country": "Afghanistan"}, "referrals", "115683")
    msg = problem(data_copy)
    assert "country_referrals.csv" in msg and "column 'referrals'" in msg
    assert "country rows sum to recipients total" in msg and "16,612,393" in msg


def test_country_referrals_need_a_recipients_year(data_copy):
    path = data_copy / "report_recipients.csv"
    write(path, [r for r in rows(path) if r["year"] != "2024"])
    msg = problem(data_copy)
    assert "country_referrals.csv" in msg and "country rows sum to recipients total" in msg and "2024" in msg


def test_provenance_must_agree_with_sources(data_copy):
    line = _edit(data_copy / "meta_cybertips.csv", {"year": "2024", "quarter": "1"}, "provenance", "primary")
    msg = problem(data_copy)
    assert f"meta_cybertips.csv, line {line}, column 'provenance': provenance agrees with sources" in msg


def test_provenance_value_is_constrained(data_copy):
    line = _edit(data_copy / "context_series.csv", {"organisation": "IWF", "year": "2011"}, "provenance", "tertiary")
    msg = problem(data_copy)
    assert f"context_series.csv, line {line}, column 'provenance': constraint error" in msg


def test_after_report_parts_must_add_up(data_copy):
    line = _edit(
        data_copy / "after_report.csv",
        {
            "year": "2023",
            "topic": "cvip_submissions",
            "label": "Federal Bureau of Investigation",
            "measure": "files submitted",
        },
        "value",
        "16037153",
    )
    msg = problem(data_copy)
    assert "after_report.csv" in msg and "parts add up to the printed total" in msg
    assert "Total Federal Agencies" in msg and "2023" in msg and f"line {line}" not in msg


def test_after_report_overlapping_parts_at_least_total(data_copy):
    _edit(
        data_copy / "after_report.csv",
        {"year": "2022", "topic": "cvip_files_reviewed", "label": "Total", "measure": "files reviewed"},
        "value",
        "99999999",
    )
    msg = problem(data_copy)
    assert "after_report.csv" in msg and "parts add up to the printed total" in msg and "at least" in msg


def test_after_report_part_of_needs_a_total(data_copy):
    _edit(
        data_copy / "after_report.csv",
        {
            "year": "2021",
            "topic": "cvip_submissions",
            "label": "Federal Bureau of Investigation",
            "measure": "reviews submitted",
        },
        "part_of",
        "No Such Total",
    )
    msg = problem(data_copy)
    assert "after_report.csv" in msg and "column 'part_of': part of a printed total" in msg


def test_after_report_topic_is_constrained(data_copy):
    line = _edit(data_copy / "after_report.csv", {"year": "2020", "topic": "cvip_new_series"}, "topic", "arrests")
    msg = problem(data_copy)
    assert f"after_report.csv, line {line}, column 'topic': constraint error" in msg


def test_context_series_one_preferred_value(data_copy):
    path = data_copy / "context_series.csv"
    data = rows(path)
    for r in data:
        if r["organisation"] == "INHOPE" and r["year"] == "2020" and r["measure"] == "content_exchanged":
            r["preferred"] = "true"
    write(path, data)
    msg = problem(data_copy)
    assert "context_series.csv" in msg and "one preferred value" in msg and "year=2020" in msg


def test_context_series_unit_is_constrained(data_copy):
    line = _edit(
        data_copy / "context_series.csv",
        {
            "organisation": "INHOPE",
            "year": "2024",
            "measure": "content_exchanged",
            "source_id": "inhope-annual-report-2024",
        },
        "unit",
        "URLs",
    )
    msg = problem(data_copy)
    assert f"context_series.csv, line {line}, column 'unit': constraint error" in msg


def test_period_figures_must_agree(data_copy):
    path = data_copy / "cybertipline_periods.csv"
    data = rows(path)
    extra = dict(next(r for r in data if r["period"] == "2024-H1" and r["measure"] == "generative_ai"))
    extra.update(source_id="grimm-diaphanous", provenance="secondary", value="7835")
    write(path, data + [extra])
    msg = problem(data_copy)
    assert "cybertipline_periods.csv" in msg and "values of one figure agree" in msg and "6,835" in msg


def test_period_total_agrees_with_yearly_total(data_copy):
    line = _edit(
        data_copy / "cybertipline_periods.csv", {"period": "2025", "measure": "total_reports"}, "value", "21500000"
    )
    msg = problem(data_copy)
    assert f"cybertipline_periods.csv, line {line}, column 'value': agrees with yearly totals" in msg


def test_period_must_end_after_it_starts(data_copy):
    line = _edit(
        data_copy / "cybertipline_periods.csv", {"period": "2024-H1", "measure": "generative_ai"}, "end", "2023-12-31"
    )
    msg = problem(data_copy)
    assert f"cybertipline_periods.csv, line {line}, column 'end': period ends after it starts" in msg


def test_period_pattern(data_copy):
    line = _edit(
        data_copy / "cybertipline_periods.csv", {"period": "2024-H1", "measure": "generative_ai"}, "period", "2024-Q1"
    )
    msg = problem(data_copy)
    assert f"cybertipline_periods.csv, line {line}, column 'period': constraint error" in msg


def test_meta_cybertips_rounded_as_printed(data_copy):
    line = _edit(data_copy / "meta_cybertips.csv", {"year": "2024", "quarter": "2"}, "reports", "2812345")
    msg = problem(data_copy)
    assert f"meta_cybertips.csv, line {line}, column 'reports': rounded as printed" in msg


def test_meta_cybertips_duplicate_quarter(data_copy):
    path = data_copy / "meta_cybertips.csv"
    data = rows(path)
    data.insert(3, dict(data[2]))
    write(path, data)
    msg = problem(data_copy)
    assert "meta_cybertips.csv, line 5, column 'year,quarter': primary key" in msg


def test_country_referrals_negative(data_copy):
    line = _edit(data_copy / "country_referrals.csv", {"country": "Albania"}, "informational", "-1")
    msg = problem(data_copy)
    assert f"country_referrals.csv, line {line}, column 'informational': constraint error" in msg
