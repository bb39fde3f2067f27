"""Build data/meta_cybertips.csv: Meta's own quarterly counts of CyberTipline reports it sent to NCMEC.

load:    ``meta/meta_ncmec_cybertips_quarterly.csv`` (rounded figures as Meta prints them, transcribed
         from Meta's integrity reports in Grimm's Diaphanous code; Meta's own page seen only for 2023 Q2)
process: one row per quarter; value expanded from the rounded figure, rounding recorded; the 2023 Q2
         row cites Meta's page (primary), every other row Grimm's transcription (secondary)
save:    data/meta_cybertips.csv, sorted by year and quarter

Run from the repository root: ``.venv/bin/python -m scripts.build_meta_cybertips``.
"""

from __future__ import annotations

import re

from scripts.csvio import DATA, SOURCES, check, number, provenance, read_rows, write_rows

SOURCE_FILE = SOURCES / "meta" / "meta_ncmec_cybertips_quarterly.csv"
SEEN_ON_META = {(2023, 2): "meta-ncmec-q2-2023"}  # quarters whose Meta page the team read itself
FIELDS = ["year", "quarter", "reports", "rounding", "scope", "meta_page", "source_id", "provenance", "note"]


def load() -> list[dict]:
    return read_rows(SOURCE_FILE)


def process(rows: list[dict]) -> list[dict]:
    out = []
    scope = ""
    for r in rows:
        m = re.fullmatch(r"(\d{4}) Q([1-4])", r["quarter"])
        check(m is not None, f"quarter {r['quarter']!r}")
        year, quarter = int(m.group(1)), int(m.group(2))
        value = number(r["cybertip_reports_rounded"])
        check(value % 100_000 == 0, f"{r['quarter']}: {value} is not a figure rounded to 0.1 million")
        # Grimm's notes say "as above" for a repeated scope; write it out so each row stands alone.
        # The part after the first ";" is about that quarter only (e.g. a breakdown), not its scope.
        head, _, extra = r["scope"].partition(";")
        scope = scope if head.startswith("as above") else head.strip()
        extra = extra.strip()
        sid = SEEN_ON_META.get((year, quarter), "grimm-diaphanous")
        note = (
            f"printed as '{value / 1e6:.1f} million'"
            + (
                "; '>3.7 million' on Meta's own page"
                if sid != "grimm-diaphanous"
                else "; Meta's figure as transcribed by R. Grimm (diaphanous/platform/data.py), Meta's page not read"
            )
            + (f"; {extra}" if extra else "")
        )
        out.append(
            {
                "year": year,
                "quarter": quarter,
                "reports": value,
                "rounding": 100_000,
                "scope": scope,
                "meta_page": r["source_page"],
                "source_id": sid,
                "provenance": provenance(sid),
                "note": note,
            }
        )
    keys = [(r["year"], r["quarter"]) for r in out]
    check(len(set(keys)) == len(keys), "a quarter appears twice")
    return sorted(out, key=lambda r: (r["year"], r["quarter"]))


def save(rows: list[dict]) -> None:
    write_rows(DATA / "meta_cybertips.csv", FIELDS, rows)
    print(
        f"meta_cybertips: {len(rows)} quarters, {rows[0]['year']} Q{rows[0]['quarter']} to "
        f"{rows[-1]['year']} Q{rows[-1]['quarter']}"
    )


def main() -> None:
    save(process(load()))


if __name__ == "__main__":
    main()
