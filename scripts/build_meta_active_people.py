"""Build data/meta_active_people.csv from Meta's family daily and monthly active people.

Input: shared/sources/meta/family-active-people.csv -- Meta's quarterly "Family daily active
people (DAP)" and "Family monthly active people (MAP)" (people who used at least one of
Facebook, Instagram, Messenger or WhatsApp on a day / in a month), as published in Meta's
quarterly earnings releases and transcribed in R. Grimm's Diaphanous dataset. Values are in
billions, as Meta publishes them (two decimals). Re-runnable and deterministic.
"""

from __future__ import annotations

import csv
from pathlib import Path

from scripts.pdftext import SOURCES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "meta_active_people.csv"
SOURCE_ID = "meta-family-active-people"
METRICS = {"daily_billion": "daily_active_people", "monthly_billion": "monthly_active_people"}


def main() -> int:
    rows = []
    with open(SOURCES / "meta" / "family-active-people.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            year, quarter = int(r["period"][:4]), int(r["period"][-1])
            for col, metric in METRICS.items():
                value = float(r[col])
                if not 0 < value < 10:
                    raise SystemExit(f"{r['period']} {col}: {value} is not a plausible number of billions")
                rows.append(
                    {
                        "year": year,
                        "quarter": quarter,
                        "metric": metric,
                        "value": r[col],
                        "unit": "billion people",
                        "source_id": SOURCE_ID,
                    }
                )
    rows.sort(key=lambda r: (r["year"], r["quarter"], r["metric"]))
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(
            fh, fieldnames=["year", "quarter", "metric", "value", "unit", "source_id"], lineterminator="\n"
        )
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
