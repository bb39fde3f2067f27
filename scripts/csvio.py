"""Small CSV helpers shared by the build scripts: read a table, parse printed counts, write deterministically."""

from __future__ import annotations

import csv
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
#: Where the original documents live: ``../shared/sources`` beside the repository, or $TALLY_SOURCES.
SOURCES = Path(os.environ.get("TALLY_SOURCES", ROOT.parent / "shared" / "sources"))


class CheckFailed(SystemExit):
    """A consistency check on the source failed; the script stops without writing."""


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise CheckFailed(f"consistency check failed: {msg}")


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def number(text: str | None) -> int | None:
    """A count as Grimm or NCMEC print it ("1,234", "1_234", "1234"); empty gives None."""
    t = (text or "").strip().replace(",", "").replace("_", "")
    return int(t) if t else None


def write_rows(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r[k]) for k in fields})


def provenance(source_id: str) -> str:
    """``primary`` or ``secondary``, as data/sources.csv records the source."""
    rows = {r["source_id"]: r for r in read_rows(DATA / "sources.csv")}
    check(source_id in rows, f"source '{source_id}' is not in data/sources.csv (add it with scripts/add_source.py)")
    return "primary" if rows[source_id]["primary"] == "true" else "secondary"
