"""Extract NCMEC's "CyberTipline Reports by Country" tables, 2019-2023.

Reads the PDFs in shared/sources/ncmec/ncmec-by-country-YYYY.pdf through the text layer
(scripts/pdftext.py, ``pdftotext -layout``) and writes

* data/country_reports.csv  year,country,iso2,iso3,reports,page,row,source_id
* the ``country_reports`` rows of data/printed_totals.csv (the other rows are kept).

Layout
  2019: pages 2-5, two table columns per page (Country | Total Reports | Country | Total Reports);
        the grand total is printed below the table on page 5 ("TOTAL 16,987,361").
  2020-2023: pages 1-8, one table column per page; the total is printed below the table on page 8
        ("Total:" / "Total").

Row rule
  ``row`` is the 1-based position of the entry in the printed order: page by page, and within a page
  the left table column from top to bottom, then the right table column from top to bottom.
  For the one-column years this is simply top to bottom, page by page.

Names
  Kept exactly as printed (text layer, including curly apostrophes, misspellings and the trailing "*"
  of "No Country Listed*" / "null*"). A name wrapped over two lines is joined with one space; the
  count may be printed on the first line of the wrapped name, the last line, or on a line of its own
  between the two name lines (2022/2023 "Saint Helena, Ascension / and Tristan da Cunha").
  A count printed "-" (2020: Norfolk Island, Saint Helena..., Svalbard) is kept as an empty cell.

ISO codes come from the hand-reviewed table scripts/country_iso.csv (printed name -> iso2, iso3);
every printed name must appear there (empty codes for non-countries), otherwise the script fails.

Exits non-zero if a year's rows do not sum exactly to the total printed in that year's PDF.
Run from the repository root: ``.venv/bin/python -m scripts.extract_country``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
from pathlib import Path

from scripts.pdftext import SOURCES, ncmec_years, parse_count, pdf_pages

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "country_reports.csv"
TOTALS = ROOT / "data" / "printed_totals.csv"
ISO_TABLE = Path(__file__).parent / "country_iso.csv"
YEARS = sorted(ncmec_years())  # the complete years (scripts/ncmec_years.csv)
TABLE = "country_reports"

# Hand corrections: none needed (every row parses from the text layer; wrapped names were
# checked against rendered pages). Kept as an explicit, empty table per the data spec.
CORRECTIONS: dict[tuple[int, str], int] = {}

HEADER_WORDS = {"Country", "Country / Territory", "Total", "Reports", "Total Reports", "Number of Reports"}
COUNT_RE = re.compile(r"^(\d{1,3}(,\d{3})*|\d+|[-–—])$")
TOTAL_RE = re.compile(r"^\s*(TOTAL|Total:?)\s+(\d{1,3}(?:,\d{3})+|\d+)\s*$")
END_RE = re.compile(r"Copyright|^\s*\*Reasons|MissingKids\.org|NCMEC\.org")
CHUNK_RE = re.compile(r"\S+(?: \S+)*")  # runs of text separated by 2+ spaces


def chunks(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in CHUNK_RE.finditer(line)]


def is_header(line: str) -> bool:
    cs = chunks(line)
    return bool(cs) and all(t in HEADER_WORDS for _, t in cs)


def column_split(header_lines: list[str]) -> int | None:
    """Character position where the right table column starts (None = one column)."""
    for line in header_lines:
        starts = [s for s, t in chunks(line) if t.startswith("Country")]
        if len(starts) == 2:
            return starts[1] - 4
    return None


def parse_page(text: str) -> tuple[list[list[tuple[str | None, str | None]]], int | None]:
    """Return (columns, printed_total). Each column is a list of (name, count_text) per line."""
    lines = text.split("\n")
    # table starts after the (possibly multi-line) header
    first = next((i for i, ln in enumerate(lines) if is_header(ln)), None)
    if first is None:
        return [], None
    i = first
    headers = []
    while i < len(lines) and (is_header(lines[i]) or not lines[i].strip()) and i < first + 4:
        if lines[i].strip():
            headers.append(lines[i])
        i += 1
    split = column_split(headers)
    ncol = 1 if split is None else 2
    cols: list[list[tuple[str | None, str | None]]] = [[] for _ in range(ncol)]
    total = None
    for line in lines[i:]:
        if END_RE.search(line):
            break
        m = TOTAL_RE.match(line)
        if m:
            total = parse_count(m.group(2))
            break
        if not line.strip() or is_header(line):
            continue
        per_col: list[list[str]] = [[] for _ in range(ncol)]
        for start, t in chunks(line):
            c = 0 if split is None or start < split else 1
            per_col[c].append(t)
        for c, parts in enumerate(per_col):
            if not parts:
                continue
            count = parts[-1] if COUNT_RE.match(parts[-1]) else None
            name_parts = parts[:-1] if count is not None else parts
            name = " ".join(name_parts) if name_parts else None
            if name is not None and any(COUNT_RE.match(p) for p in name_parts):
                raise SystemExit(f"unexpected layout: {line!r}")
            cols[c].append((name, count))
    # the 2019 "TOTAL" sits after a "Country  Total Reports" header further down the page
    if total is None:
        for line in lines:
            m = TOTAL_RE.match(line)
            if m:
                total = parse_count(m.group(2))
    return cols, total


def assemble(items: list[tuple[str | None, str | None]]) -> list[tuple[str, str]]:
    """Join wrapped names within one table column; return (name, count_text) entries."""
    entries: list[list] = []  # [name, count_text]
    for k, (name, count) in enumerate(items):
        nxt = items[k + 1] if k + 1 < len(items) else None
        if name is not None and count is not None:
            entries.append([name, count])
        elif name is None:  # count on a line of its own: belongs to the open entry above
            if not entries or entries[-1][1] is not None:
                raise SystemExit(f"count without a name: {count!r}")
            entries[-1][1] = count
        elif nxt is not None and nxt[0] is None:  # name line whose count follows on its own line
            entries.append([name, None])
        else:  # continuation of the name above
            if not entries:
                raise SystemExit(f"continuation without an entry: {name!r}")
            entries[-1][0] += " " + name
    for name, count in entries:
        if count is None:
            raise SystemExit(f"no count for {name!r}")
    return [(n, c) for n, c in entries]


ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-1.json")  # Debian iso-codes, optional check


def load_iso() -> dict[str, tuple[str, str]]:
    with ISO_TABLE.open(encoding="utf-8", newline="") as f:
        table = {r["country"]: (r["iso2"], r["iso3"]) for r in csv.DictReader(f)}
    if ISO_CODES.exists():  # every (iso2, iso3) pair must be a current ISO 3166-1 entry
        import json

        valid = {(d["alpha_2"], d["alpha_3"]) for d in json.loads(ISO_CODES.read_text(encoding="utf-8"))["3166-1"]}
        bad = [n for n, c in table.items() if c != ("", "") and c not in valid]
        if bad:
            raise SystemExit(f"{ISO_TABLE.name}: not valid ISO 3166-1 pairs: {bad}")
    return table


def extract(year: int) -> tuple[list[dict], int, int]:
    pdf = SOURCES / "ncmec" / f"ncmec-by-country-{year}.pdf"
    rows: list[dict] = []
    total = total_page = None
    for pno, text in enumerate(pdf_pages(pdf), start=1):
        cols, t = parse_page(text)
        if t is not None:
            total, total_page = t, pno
        for col in cols:
            for name, count in assemble(col):
                rows.append(
                    {
                        "year": year,
                        "country": name,
                        "reports": parse_count(count),
                        "page": pno,
                        "row": len(rows) + 1,
                        "source_id": f"ncmec-country-{year}",
                    }
                )
    if total is None:
        raise SystemExit(f"{year}: no printed total found in {pdf.name}")
    for r in rows:
        if (year, r["country"]) in CORRECTIONS:
            r["reports"] = CORRECTIONS[(year, r["country"])]
    return rows, total, total_page


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def to_csv(fields: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r[k]) for k in fields})
    return buf.getvalue()


def main() -> int:
    iso = load_iso()
    all_rows, totals, errors = [], [], []
    for year in YEARS:
        rows, total, page = extract(year)
        seen = set()
        for r in rows:
            if r["country"] in seen:
                errors.append(f"{year}: duplicate name {r['country']!r}")
            seen.add(r["country"])
            if r["country"] not in iso:
                errors.append(f"{year}: {r['country']!r} missing from {ISO_TABLE.name}")
                r["iso2"] = r["iso3"] = ""
            else:
                r["iso2"], r["iso3"] = iso[r["country"]]
        s = sum(r["reports"] or 0 for r in rows)
        status = "exact" if s == total else f"MISMATCH (diff {s - total:+,})"
        print(f"{year}: {len(rows)} rows, sum {s:,}, printed total {total:,} (p. {page}): {status}")
        if s != total:
            errors.append(f"{year}: rows sum to {s:,} but the PDF prints a total of {total:,} on page {page}")
        all_rows += rows
        totals.append(
            {"table": TABLE, "year": year, "total": total, "page": page, "source_id": f"ncmec-country-{year}"}
        )
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1

    all_rows.sort(key=lambda r: (r["year"], r["row"]))
    write_atomic(OUT, to_csv(["year", "country", "iso2", "iso3", "reports", "page", "row", "source_id"], all_rows))

    # printed_totals.csv is shared with the esp_reports writer: read, drop own rows, append,
    # sort, write -- in one quick step, replaced atomically.
    fields = ["table", "year", "total", "page", "source_id"]
    keep = []
    if TOTALS.exists():
        with TOTALS.open(encoding="utf-8", newline="") as f:
            keep = [r for r in csv.DictReader(f) if r["table"] != TABLE]
    merged = keep + [{k: str(v) for k, v in r.items()} for r in totals]
    merged.sort(key=lambda r: (r["table"], int(r["year"])))
    write_atomic(TOTALS, to_csv(fields, merged))
    print(f"wrote {OUT.relative_to(ROOT)} ({len(all_rows)} rows) and {len(totals)} rows of {TOTALS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
