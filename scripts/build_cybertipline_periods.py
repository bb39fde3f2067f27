"""Build data/cybertipline_periods.csv: CyberTipline figures for periods other than a table's calendar
year - NCMEC's half-year comparisons and the first 2025 figures, each with its source.

load:    ``scripts/cybertipline_periods_input.csv`` (hand transcription of NCMEC's blog and of the
         secondary reports named on each row; the web pages are not stored locally)
process: check periods, dates, units and roundings; mark each row primary or secondary from
         data/sources.csv; check that figures for the same period, subject and measure agree within
         their rounding
save:    data/cybertipline_periods.csv, sorted by period start, subject, measure, source

Run from the repository root: ``.venv/bin/python -m scripts.build_cybertipline_periods``.
"""

from __future__ import annotations

import datetime as dt
import re

from scripts.csvio import DATA, ROOT, check, number, provenance, read_rows, write_rows

INPUT = ROOT / "scripts" / "cybertipline_periods_input.csv"
FIELDS = [
    "period",
    "start",
    "end",
    "subject",
    "measure",
    "value",
    "unit",
    "rounding",
    "source_id",
    "provenance",
    "note",
]
UNITS = {"reports", "files"}


def load() -> list[dict]:
    return read_rows(INPUT)


def process(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        check(re.fullmatch(r"\d{4}(-H[12])?", r["period"]) is not None, f"period {r['period']!r}")
        start, end = dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"])
        check(start < end and str(start.year) == r["period"][:4], f"{r['period']}: dates {start}..{end}")
        check(r["unit"] in UNITS, f"unit {r['unit']!r}")
        value, rounding = number(r["value"]), number(r["rounding"])
        check(value % rounding == 0, f"{r['period']} {r['measure']}: {value} not a multiple of {rounding}")
        out.append({**r, "value": value, "rounding": rounding, "provenance": provenance(r["source_id"])})
    groups: dict[tuple, list[dict]] = {}
    for r in out:
        groups.setdefault((r["period"], r["subject"], r["measure"]), []).append(r)
    for key, g in groups.items():
        tol = max(r["rounding"] for r in g)
        check(max(r["value"] for r in g) - min(r["value"] for r in g) < tol, f"{key}: sources disagree")
    return sorted(out, key=lambda r: (r["start"], r["end"], r["subject"], r["measure"], r["source_id"]))


def save(rows: list[dict]) -> None:
    write_rows(DATA / "cybertipline_periods.csv", FIELDS, rows)
    print(f"cybertipline_periods: {len(rows)} rows, periods {sorted({r['period'] for r in rows})}")


def main() -> None:
    save(process(load()))


if __name__ == "__main__":
    main()
