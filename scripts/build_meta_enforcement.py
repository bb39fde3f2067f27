"""Build data/meta_enforcement.csv: Meta's quarterly child-safety enforcement figures.

Inputs (read, never copied into the repository):
- shared/sources/meta/meta-2024-q2.csv: Meta's Community Standards Enforcement Report (CSER) CSV
  as published for 2024 Q2 (edition "2024 Q2 CSV", source_id meta-cser).
- shared/research/meta_cser_csam.csv and meta_cser_nudity_physical_abuse.csv: the child-safety rows
  of Meta's CSER CSV as published for 2025 Q4, from the copy archived in the Diaphanous repository
  (edition "2025 Q4 CSV", source_id meta-cser-2025q4).
- HAND_ROWS below: values first published elsewhere and later restated (newsroom post, press report,
  earlier CSV versions that disagree with later ones).

Output: one row per (app, year, quarter, policy_area, metric, edition), sorted; `current` is true
for the value in the latest edition of each (app, year, quarter, policy_area, metric).

Run from the repository root: .venv/bin/python -m scripts.build_meta_enforcement
Exits non-zero if the inputs do not have the expected shape (missing quarters, duplicates,
unparseable values). Differences between the two CSV editions are printed, not fatal: both rows
are kept, and the later edition is marked current.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from scripts.pdftext import SOURCES

ROOT = Path(__file__).resolve().parent.parent
RESEARCH = SOURCES.parent / "research"
OUT = ROOT / "data" / "meta_enforcement.csv"

OLD_AREA = "Child Nudity & Sexual Exploitation"  # to 2021 Q1
SE_AREA = "Child Endangerment: Sexual Exploitation"  # from 2021 Q2
NPA_AREA = "Child Endangerment: Nudity and Physical Abuse"  # from 2021 Q2
AREAS = (OLD_AREA, SE_AREA, NPA_AREA)
METRICS = {"Content Actioned": "content_actioned", "Proactive rate": "proactive_rate"}
UNITS = {"content_actioned": "pieces of content", "proactive_rate": "percent"}
APPS = ("Facebook", "Instagram")

E_2024Q2 = "2024 Q2 CSV"
E_2025Q4 = "2025 Q4 CSV"
# Editions in publication order; `current` goes to the latest edition that gives a value.
EDITIONS = ["2019-11 newsroom", "2022 Q2 CSV", "2022 Q3 CSV", "2022 Q4 CSV", E_2024Q2, E_2025Q4]
SOURCE_OF = {E_2024Q2: "meta-cser", E_2025Q4: "meta-cser-2025q4"}

FIRST = (2018, 3)  # first quarter with child-safety figures (Facebook)
LAST = (2025, 4)  # latest quarter in the 2025 Q4 edition

# Hand table: values that later editions restate. Each row: app, year, quarter, policy_area,
# metric, value, edition, source_id, note. Why each is here:
# - Meta's November 2019 report first gave Facebook 2019 Q3 as "about 11.6 million"; every CSV
#   since shows 11,400,000 (no reason given by Meta). Instagram's first figures, for 2019 Q2 and
#   Q3, were reported as about 512,000 and 754,000 (dpa-AFX report of the same release); the CSVs
#   show 526,200 and 755,800. Meta then called the area "Child Nudity and Sexual Exploitation of
#   Children"; the CSV name is used so the rows line up with the restated values.
# - Meta's CSVs released for 2022 Q2 and 2022 Q3 give Facebook 2020 Q3 as 10,000,000 (all other
#   versions: 12,400,000); the first CSV with 2022 Q4 data gives Facebook 2022 Q4 "Sexual
#   Exploitation" as 25,100,000 (later versions: 25,200,000). Meta keeps no archive of its CSVs;
#   these versions survive in the Diaphanous repository (data/meta/), hence grimm-diaphanous.
HAND_ROWS = [
    (
        "Facebook",
        2019,
        3,
        OLD_AREA,
        "content_actioned",
        11600000,
        "2019-11 newsroom",
        "meta-newsroom-2019-11",
        "first published as about 11.6 million; restated as 11,400,000 in every later CSV, no reason given",
    ),
    (
        "Instagram",
        2019,
        2,
        OLD_AREA,
        "content_actioned",
        512000,
        "2019-11 newsroom",
        "dpa-afx-2019-11-14",
        "about 512,000 as first published (Meta's November 2019 report, as reported by dpa-AFX); later CSVs: 526,200",
    ),
    (
        "Instagram",
        2019,
        3,
        OLD_AREA,
        "content_actioned",
        754000,
        "2019-11 newsroom",
        "dpa-afx-2019-11-14",
        "about 754,000 as first published (Meta's November 2019 report, as reported by dpa-AFX); later CSVs: 755,800",
    ),
    (
        "Facebook",
        2020,
        3,
        OLD_AREA,
        "content_actioned",
        10000000,
        "2022 Q2 CSV",
        "grimm-diaphanous",
        "Meta CSV released for 2022 Q2, archived copy data/meta/meta-2022-q2.csv; all other versions: 12,400,000",
    ),
    (
        "Facebook",
        2020,
        3,
        OLD_AREA,
        "content_actioned",
        10000000,
        "2022 Q3 CSV",
        "grimm-diaphanous",
        "Meta CSV released for 2022 Q3, archived copy data/meta/meta-2022-q3.csv; all other versions: 12,400,000",
    ),
    (
        "Facebook",
        2022,
        4,
        SE_AREA,
        "content_actioned",
        25100000,
        "2022 Q4 CSV",
        "grimm-diaphanous",
        "first Meta CSV with 2022 Q4 data, archived copy in data/meta/; later versions: 25,200,000",
    ),
]

# Notes attached to every row of a quarter/area/metric (caveats a reader must see at the value).
SPLIT_NOTE = (
    "first quarter of the split of Child Nudity & Sexual Exploitation into two areas; "
    "not comparable with earlier quarters"
)
PR_NOTES = {
    (2022, 4): "proactive-rate method changed: proactive only if found before any user report",
    (2023, 3): "proactive-rate method changed: comments count as user-reported only if users reported them directly",
}
CORRECTED_NOTE = "corrected after a logging bug found in July 2019 (corrected values first in the November 2019 report)"

FIELDS = ["app", "year", "quarter", "policy_area", "metric", "value", "unit", "edition", "current", "source_id", "note"]


def fail(msg: str) -> None:
    print(f"ERROR: {msg}", file=sys.stderr)
    sys.exit(1)


def parse_value(metric: str, text: str) -> int | float | None:
    t = text.strip()
    if t in {"", "N/A"}:
        return None
    if metric == "content_actioned":
        t = t.replace(",", "")
        if not t.isdigit():
            fail(f"not a count: {text!r}")
        return int(t)
    t = t.rstrip("%")
    try:
        return float(t)
    except ValueError:
        fail(f"not a percentage: {text!r}")


def fmt(v: int | float) -> str:
    if isinstance(v, int):
        return str(v)
    return f"{v:.2f}".rstrip("0").rstrip(".")


def read_2024q2() -> dict[tuple, float | int]:
    """Child-safety rows of Meta's 2024 Q2 CSV (columns app, policy_area, metric, period, value)."""
    out: dict[tuple, float | int] = {}
    with open(SOURCES / "meta" / "meta-2024-q2.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["policy_area"] not in AREAS or r["metric"] not in METRICS:
                continue
            metric = METRICS[r["metric"]]
            year, q = int(r["period"][:4]), int(r["period"][5])
            v = parse_value(metric, r["value"])
            if v is None:
                continue
            key = (r["app"], year, q, r["policy_area"], metric)
            if key in out:
                fail(f"duplicate row in 2024 Q2 CSV: {key}")
            out[key] = v
    return out


def read_2025q4() -> dict[tuple, float | int]:
    """Rows of the 2025 Q4 edition (columns platform, year, quarter, content_actioned, proactive_rate)."""
    out: dict[tuple, float | int] = {}
    for name, area_of in (
        ("meta_cser_csam.csv", lambda y, q: OLD_AREA if (y, q) <= (2021, 1) else SE_AREA),
        ("meta_cser_nudity_physical_abuse.csv", lambda y, q: NPA_AREA),
    ):
        with open(RESEARCH / name, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                year, q = int(r["year"]), int(r["quarter"].lstrip("Q"))
                for metric in ("content_actioned", "proactive_rate"):
                    v = parse_value(metric, r[metric])
                    if v is None:
                        continue
                    key = (r["platform"], year, q, area_of(year, q), metric)
                    if key in out:
                        fail(f"duplicate row in 2025 Q4 edition: {key}")
                    out[key] = v
    return out


def quarters(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    y, q = first
    res = []
    while (y, q) <= last:
        res.append((y, q))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return res


def expected_keys(last: tuple[int, int]) -> set[tuple]:
    keys = set()
    for app in APPS:
        start = FIRST if app == "Facebook" else (2019, 2)  # Instagram's first report: 2019 Q2
        for y, q in quarters(start, last):
            areas = [OLD_AREA] if (y, q) <= (2021, 1) else [SE_AREA, NPA_AREA]
            for area in areas:
                for metric in UNITS:
                    keys.add((app, y, q, area, metric))
    return keys


def row_note(key: tuple, edition: str, hand_note: str = "") -> str:
    app, y, q, area, metric = key
    notes = [hand_note] if hand_note else []
    if (y, q) == (2021, 2) and area in (SE_AREA, NPA_AREA):
        notes.append(SPLIT_NOTE)
    if metric == "proactive_rate" and (y, q) in PR_NOTES:
        notes.append(PR_NOTES[(y, q)])
    if app == "Facebook" and (2018, 3) <= (y, q) <= (2019, 1) and edition != "2019-11 newsroom":
        notes.append(CORRECTED_NOTE)
    return "; ".join(notes)


def main() -> None:
    e24 = {k: v for k, v in read_2024q2().items() if (k[1], k[2]) >= FIRST}
    e25 = {k: v for k, v in read_2025q4().items() if (k[1], k[2]) >= FIRST}

    # Shape checks: each edition covers exactly the expected quarters, areas and metrics.
    for name, ed, last in (("2024 Q2 CSV", e24, (2024, 2)), ("2025 Q4 CSV", e25, LAST)):
        want = expected_keys(last)
        missing, extra = want - set(ed), set(ed) - want
        if missing or extra:
            fail(f"{name}: missing {sorted(missing)[:5]} … extra {sorted(extra)[:5]}")

    # Edition agreement check (the overlap is 2018 Q3 – 2024 Q2).
    diffs = [(k, e24[k], e25[k]) for k in sorted(e24) if e24[k] != e25[k]]
    print(f"edition check: {len(e24)} values in both editions, {len(diffs)} differ")
    for k, a, b in diffs:
        print(f"  DIFF {k}: 2024 Q2 CSV {a} vs 2025 Q4 CSV {b}")

    rows: dict[tuple, dict] = {}

    def add(key: tuple, value, edition: str, source_id: str, hand_note: str = "") -> None:
        pk = key + (edition,)
        if pk in rows:
            fail(f"duplicate primary key {pk}")
        rows[pk] = dict(
            zip(
                FIELDS,
                (
                    *key[:4],
                    key[4],
                    fmt(value),
                    UNITS[key[4]],
                    edition,
                    "false",
                    source_id,
                    row_note(key, edition, hand_note),
                ),
            )
        )

    for key, v in e24.items():
        add(key, v, E_2024Q2, SOURCE_OF[E_2024Q2])
    for key, v in e25.items():
        add(key, v, E_2025Q4, SOURCE_OF[E_2025Q4])
    for app, y, q, area, metric, v, edition, sid, note in HAND_ROWS:
        key = (app, y, q, area, metric)
        if key not in e25:
            fail(f"hand row has no current value to restate: {key}")
        if e25[key] == v:
            fail(f"hand row equals the current value, not a restatement: {key}")
        add(key, v, edition, sid, note)

    # current = latest edition per (app, year, quarter, policy_area, metric).
    latest: dict[tuple, str] = {}
    for pk in rows:
        k, ed = pk[:5], pk[5]
        if ed not in EDITIONS:
            fail(f"unknown edition {ed!r}")
        if k not in latest or EDITIONS.index(ed) > EDITIONS.index(latest[k]):
            latest[k] = ed
    for k, ed in latest.items():
        rows[k + (ed,)]["current"] = "true"

    order = sorted(rows, key=lambda pk: (pk[0], pk[1], pk[2], pk[3], pk[4], EDITIONS.index(pk[5])))
    OUT.parent.mkdir(exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        for pk in order:
            r = rows[pk]
            r["year"], r["quarter"] = str(r["year"]), str(r["quarter"])
            w.writerow(r)
    n_current = sum(r["current"] == "true" for r in rows.values())
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} rows, {n_current} current")


if __name__ == "__main__":
    main()
