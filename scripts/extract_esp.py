"""Transcribe NCMEC's "CyberTipline Reports by Electronic Service Providers (ESP)" tables.

Reads NCMEC's per-ESP PDFs for 2019-2023 (shared/sources/ncmec/ncmec-by-esp-YYYY.pdf)
through their text layer (scripts/pdftext.py), keeps EVERY printed row with the name
exactly as printed, merges the partial 2024-2025 rows transcribed by R. Grimm
(scripts/esp_partial_2024_2025.csv), and writes

* data/esp_reports.csv   year,esp,reports,coverage,page,row,source_id
* data/printed_totals.csv  (only the rows with table=esp_reports; other rows are kept)

It exits non-zero if a year's rows do not add up exactly to the total printed under
that year's table, or if anything on a table page cannot be parsed.

Run from the repository root:  .venv/bin/python -m scripts.extract_esp
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from scripts.pdftext import SOURCES, ncmec_years, parse_count, pdf_pages

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "esp_reports.csv"
TOTALS = ROOT / "data" / "printed_totals.csv"
PARTIAL = Path(__file__).resolve().parent / "esp_partial_2024_2025.csv"

TABLE = "esp_reports"
COLUMNS = ["year", "esp", "reports", "coverage", "page", "row", "source_id"]
TOTAL_COLUMNS = ["table", "year", "total", "page", "source_id"]

# Hand corrections: (year, name as parsed) -> name as printed. Empty on purpose: every
# multi-line name was checked against a rendering of its page (pdftoppm) and the
# automatic joining below reproduces the printed name. Add entries here, with a comment
# saying why, only if a rendered page shows the text layer is wrong.
CORRECTIONS: dict[tuple[int, str], str] = {}

# The complete years, and the number of printed rows per year: a guard against the parser
# silently merging or splitting rows. Counted independently of this parser from the word boxes
# of the count column (`pdftotext -bbox`, one number per table row, page by page) and
# spot-checked on pages rendered with pdftoppm. Kept in scripts/ncmec_years.csv.
EXPECTED_ROWS = ncmec_years()
YEARS = sorted(EXPECTED_ROWS)

HEADER = re.compile(r"^\s*ESP\s{2,}(Number of )?Reports\s*$")
FOOTER = re.compile(r"Copyright ©|CyberTiplineData")
TOTAL = re.compile(r"^\s*Totals?:?\s{2,}(?P<n>[\d,]+)\s*$")
NAME_AND_COUNT = re.compile(r"^\s*(?P<name>\S.*?)\s{2,}(?P<n>[\d,]+|[-–—])\s*$")
COUNT_ONLY = re.compile(r"^\s*(?P<n>[\d,]+|[-–—])\s*$")


def fail(msg: str) -> None:
    raise SystemExit(f"extract_esp.py: {msg}")


def parse_year(year: int) -> tuple[list[dict], int, int]:
    """Return (rows, printed total, page of the total) for one year's PDF."""
    path = SOURCES / "ncmec" / f"ncmec-by-esp-{year}.pdf"
    records: list[dict] = []  # each: {"parts": [...], "n": str|None, "page": int}
    total = total_page = None
    for pageno, text in enumerate(pdf_pages(path), start=1):
        lines = text.split("\n")
        starts = [i for i, ln in enumerate(lines) if HEADER.match(ln)]
        if not starts:
            continue
        if len(starts) > 1:
            fail(f"{year} p{pageno}: more than one table header (two-column layout?)")
        body: list[str] = []
        for ln in lines[starts[0] + 1 :]:
            if FOOTER.search(ln):
                break
            if ln.strip():
                body.append(ln)
        # A record is one count plus one or more name fragments. Layouts seen:
        #   "name  count"                       (one line)
        #   "name-part-1  count" / "name-part-2" (2019, 2020: count on the first line)
        #   "name-part-1" / "count" / "name-part-2" (2021: count centred between the parts)
        open_rec = None  # record that may still take name fragments on following lines
        i = 0
        while i < len(body):
            ln = body[i]
            m_total = TOTAL.match(ln)
            if m_total:
                if total is not None:
                    fail(f"{year}: two total lines")
                total, total_page = parse_count(m_total["n"]), pageno
                open_rec = None
                i += 1
                continue
            if total is not None:
                fail(f"{year} p{pageno}: text after the total line: {ln.strip()!r}")
            m = NAME_AND_COUNT.match(ln)
            if m:
                open_rec = {"parts": [m["name"].strip()], "n": m["n"], "page": pageno}
                records.append(open_rec)
                i += 1
                continue
            if COUNT_ONLY.match(ln):
                fail(f"{year} p{pageno}: count without a name: {ln.strip()!r}")
            frag = ln.strip()
            nxt = body[i + 1] if i + 1 < len(body) else ""
            m_next = COUNT_ONLY.match(nxt)
            if m_next:
                # 2021 layout: name part, count on its own line, maybe a further name part
                open_rec = {"parts": [frag], "n": m_next["n"], "page": pageno}
                records.append(open_rec)
                i += 2
                continue
            if open_rec is None:
                fail(f"{year} p{pageno}: name fragment with no count: {frag!r}")
            open_rec["parts"].append(frag)  # continuation of the previous name
            open_rec = None  # no name in these PDFs wraps over more than two lines
            i += 1
    if total is None:
        fail(f"{year}: no printed total found")

    rows = []
    for rowno, rec in enumerate(records, start=1):
        name = " ".join(rec["parts"])
        name = CORRECTIONS.get((year, name), name)
        rows.append(
            {
                "year": year,
                "esp": name,
                "reports": parse_count(rec["n"]),
                "coverage": "complete",
                "page": rec["page"],
                "row": rowno,
                "source_id": f"ncmec-esp-{year}",
            }
        )
        if len(rec["parts"]) > 1:
            print(f"  {year} p{rec['page']} row {rowno}: joined {rec['parts']!r} -> {name!r}", file=sys.stderr)
    return rows, total, total_page


def main() -> None:
    rows: list[dict] = []
    totals: list[dict] = []
    errors = []
    for year in YEARS:
        yr, total, total_page = parse_year(year)
        s = sum(r["reports"] or 0 for r in yr)
        names = [r["esp"] for r in yr]
        dups = sorted({n for n in names if names.count(n) > 1})
        if dups:
            errors.append(f"{year}: duplicate names {dups}")
        if s != total:
            errors.append(f"{year}: rows sum to {s:,}, printed total is {total:,} (difference {s - total:+,})")
        if len(yr) != EXPECTED_ROWS[year]:
            errors.append(f"{year}: {len(yr)} rows parsed, {EXPECTED_ROWS[year]} expected")
        print(
            f"{year}: {len(yr)} rows, sum {s:,}, printed total {total:,} (p{total_page})"
            f" {'OK' if s == total else 'MISMATCH'}",
            file=sys.stderr,
        )
        rows += yr
        totals.append(
            {"table": TABLE, "year": year, "total": total, "page": total_page, "source_id": f"ncmec-esp-{year}"}
        )

    # 2024-2025: partial per-ESP rows and ESP totals as transcribed by R. Grimm (Diaphanous)
    with PARTIAL.open(newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            year = int(rec["year"])
            if year in EXPECTED_ROWS:  # a complete year replaces the partial transcription
                continue
            if rec["kind"] == "total":
                totals.append(
                    {
                        "table": TABLE,
                        "year": year,
                        "total": int(rec["reports"]),
                        "page": "",
                        "source_id": rec["source_id"],
                    }
                )
            elif rec["kind"] == "row":
                rows.append(
                    {
                        "year": year,
                        "esp": rec["esp"],
                        "reports": int(rec["reports"]),
                        "coverage": "partial",
                        "page": "",
                        "row": "",
                        "source_id": rec["source_id"],
                    }
                )
            else:
                errors.append(f"{PARTIAL.name}: unknown kind {rec['kind']!r}")
    for year in sorted({r["year"] for r in rows if r["coverage"] == "partial"}):
        yr = [r for r in rows if r["year"] == year]
        keys = [r["esp"] for r in yr]
        if len(keys) != len(set(keys)):
            errors.append(f"{year}: duplicate names in {PARTIAL.name}")
        tot = [t["total"] for t in totals if t["year"] == year]
        if len(tot) != 1:
            errors.append(f"{year}: need exactly one total in {PARTIAL.name}")
        elif sum(r["reports"] for r in yr) > tot[0]:
            errors.append(f"{year}: partial rows exceed the ESP total")
        else:
            print(
                f"{year}: {len(yr)} partial rows, sum {sum(r['reports'] for r in yr):,}, "
                f"ESP total {tot[0]:,} (partial coverage)",
                file=sys.stderr,
            )

    if errors:
        fail("; ".join(errors))

    rows.sort(key=lambda r: (r["year"], r["row"] if r["row"] != "" else 0, r["esp"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r[k] is None else r[k]) for k in COLUMNS})

    # printed_totals.csv is shared: keep every other table's rows, replace our own.
    kept: list[dict] = []
    if TOTALS.exists():
        with TOTALS.open(newline="", encoding="utf-8") as f:
            kept = [r for r in csv.DictReader(f) if r["table"] != TABLE]
    allrows = kept + [{k: str(v) for k, v in t.items()} for t in totals]
    allrows.sort(key=lambda r: (r["table"], int(r["year"])))
    with TOTALS.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=TOTAL_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({k: r.get(k, "") for k in TOTAL_COLUMNS} for r in allrows)
    print(
        f"wrote {OUT.relative_to(ROOT)} ({len(rows)} rows) and the {TABLE} rows of {TOTALS.relative_to(ROOT)}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
