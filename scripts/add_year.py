"""Add one year of NCMEC's per-ESP and per-country tables: extract, validate, report what changed.

    python -m scripts.add_year --year 2026 --esp-rows 251

Before running it:

1. Put NCMEC's two PDFs for the year beside the others, under the names the scripts read:
   ``../shared/sources/ncmec/ncmec-by-esp-YYYY.pdf`` and ``ncmec-by-country-YYYY.pdf``.
2. Add both documents to data/sources.csv (``python -m scripts.add_source --source-id ncmec-esp-YYYY ...``
   and ``ncmec-country-YYYY``), with the address each was downloaded from.
3. Count the printed rows of the per-ESP table independently of the parser (``--esp-rows``): for example
   the numbers in the count column of ``pdftotext -bbox``, page by page, spot-checked on pages rendered
   with ``pdftoppm``. The extraction stops if it finds a different number.

The command then

* registers the year in scripts/ncmec_years.csv (the list of complete years the extraction reads);
* records the two PDFs in data/source_files.csv (address from sources.csv, access date, bytes, SHA-256);
* re-runs the per-year extraction (``scripts.extract_esp``, ``scripts.extract_country``) and the company
  mapping (``scripts.build_esp_companies``), which stop on any row that does not parse, any year that does
  not add up exactly to its printed total, or any ESP name without a rule in scripts/esp_company_rules.csv;
* validates the whole package (``python -m tally``) and regenerates the codebook's generated parts;
* prints, per table, how many rows were added, changed and removed (by primary key).

If a step fails, nothing after it runs and the message says what to fix (e.g. add rules for the new
ESP names); the year stays registered, so fixing and running the command again is enough.
Not covered: the yearly totals, files and report contents (cybertipline_annual, report_contents,
report_recipients) come from NCMEC's transparency report to OJJDP, which covers three years at a time
and is added to ``OJJDP`` in scripts/extract_ojjdp.py by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import yaml

from scripts.csvio import DATA, ROOT, SOURCES, read_rows, write_rows
from scripts.pdftext import YEARS_FILE
from scripts.source_files import FIELDS as MANIFEST_FIELDS
from scripts.source_files import MANIFEST, digest

#: The per-year builders, in order, and the tables they write.
STEPS = ["scripts.extract_esp", "scripts.extract_country", "scripts.build_esp_companies"]
TABLES = ["esp_reports", "printed_totals", "country_reports", "esp_companies", "source_files"]
#: Which scripts read each of the year's PDFs (rows of data/source_files.csv).
PDFS = {
    "esp": ("ncmec-by-esp-{year}.pdf", "ncmec-esp-{year}", ["scripts.extract_esp"]),
    "country": ("ncmec-by-country-{year}.pdf", "ncmec-country-{year}", ["scripts.extract_country"]),
}


class Failed(SystemExit):
    pass


def primary_keys() -> dict[str, list[str]]:
    meta = yaml.safe_load((DATA / "metadata.yaml").read_text(encoding="utf-8"))
    return {t["name"]: t["primary_key"] for t in meta["tables"]}


def snapshot(keys: dict[str, list[str]]) -> dict[str, dict[tuple, dict]]:
    """Every row of the tables this command may change, keyed by primary key."""
    out = {}
    for name in TABLES:
        path = DATA / f"{name}.csv"
        rows = read_rows(path) if path.exists() else []
        out[name] = {tuple(r[k] for k in keys[name]): r for r in rows}
    return out


def changes(
    before: dict[str, dict[tuple, dict]], after: dict[str, dict[tuple, dict]]
) -> dict[str, tuple[int, int, int]]:
    """Table -> (rows added, rows changed, rows removed)."""
    out = {}
    for name in TABLES:
        old, new = before[name], after[name]
        added = len(new.keys() - old.keys())
        removed = len(old.keys() - new.keys())
        changed = sum(old[k] != new[k] for k in new.keys() & old.keys())
        out[name] = (added, changed, removed)
    return out


def register_year(year: int, esp_rows: int) -> None:
    rows = [r for r in read_rows(YEARS_FILE) if int(r["year"]) != year]
    rows.append({"year": year, "esp_rows": esp_rows, "note": "same method"})
    write_rows(YEARS_FILE, ["year", "esp_rows", "note"], sorted(rows, key=lambda r: int(r["year"])))


def record_pdfs(year: int) -> None:
    """Add (or refresh) the year's PDFs in data/source_files.csv."""
    sources = {r["source_id"]: r for r in read_rows(DATA / "sources.csv")}
    manifest = read_rows(MANIFEST)
    for name, sid, readers in PDFS.values():
        name, sid = name.format(year=year), sid.format(year=year)
        path = SOURCES / "ncmec" / name
        if not path.is_file():
            raise Failed(f"add_year: {path} not found: put NCMEC's PDF for {year} there first")
        if sid not in sources:
            raise Failed(
                f"add_year: source '{sid}' is not in data/sources.csv: add it with python -m scripts.add_source"
            )
        size, sha = digest(path)
        rel = f"sources/ncmec/{name}"
        for reader in readers:
            manifest = [r for r in manifest if (r["path"], r["read_by"]) != (rel, reader)]
            manifest.append(
                {
                    "path": rel,
                    "read_by": reader,
                    "source_id": sid,
                    "url": sources[sid]["url"],
                    "accessed": sources[sid]["accessed"],
                    "bytes": size,
                    "sha256": sha,
                    "note": "NCMEC's PDF as published at this address.",
                }
            )
    write_rows(MANIFEST, MANIFEST_FIELDS, sorted(manifest, key=lambda r: (r["path"], r["read_by"])))


def run(args: list[str]) -> None:
    out = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise Failed(f"add_year: python {' '.join(args)} failed:\n{out.stdout}{out.stderr}")


def add_year(year: int, esp_rows: int) -> dict[str, tuple[int, int, int]]:
    keys = primary_keys()
    before = snapshot(keys)
    register_year(year, esp_rows)
    record_pdfs(year)
    for module in STEPS:
        run(["-m", module])
    run(["-m", "scripts.build_datapackage"])  # the codebook's generated parts
    run(["-m", "tally", str(DATA)])
    return changes(before, snapshot(keys))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--year", type=int, required=True, help="the calendar year of NCMEC's new tables")
    ap.add_argument(
        "--esp-rows",
        type=int,
        required=True,
        help="number of rows printed in the per-ESP table, counted independently of the parser",
    )
    a = ap.parse_args(argv)
    result = add_year(a.year, a.esp_rows)
    print(f"added {a.year}: extracted, validated (python -m tally)")
    for name, (added, changed, removed) in result.items():
        print(f"  {name}: {added:+,} rows added, {changed:,} changed, {removed:,} removed")
    print(
        "Now: update the coverage of these tables in data/metadata.yaml (then python -m scripts.build_datapackage), "
        "review the diff, and commit."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
