"""Add (or update) one record in data/sources.csv and regenerate references.bib and the codebook's
count of sources (``python -m scripts.build_datapackage``), under a lock.

Several people may add sources at once; the lock keeps their writes from interleaving.
Usage (all values are text; --primary true|false):

  .venv/bin/python -m scripts.add_source --source-id nca-2023-12-07 --kind statement \\
      --publisher "National Crime Agency" --title "..." --date 2023-12-07 --url https://... \\
      --primary true [--author "..."] [--accessed 2026-11-27] [--note "..."] [--replace]
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources.csv"
FIELDS = ["source_id", "kind", "author", "publisher", "title", "date", "url", "accessed", "primary", "note"]
KINDS = {"report", "dataset", "webpage", "article", "legislation", "statement", "blog"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for f in FIELDS:
        ap.add_argument(
            "--" + f.replace("_", "-"), required=f in {"source_id", "kind", "publisher", "title", "date", "primary"}
        )
    ap.add_argument("--replace", action="store_true", help="update an existing record")
    a = ap.parse_args()
    rec = {f: (getattr(a, f) or "") for f in FIELDS}
    rec["accessed"] = rec["accessed"] or "2026-11-27"
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rec["source_id"]):
        return _fail(f"source_id must be kebab-case: {rec['source_id']!r}")
    if rec["kind"] not in KINDS:
        return _fail(f"kind must be one of {sorted(KINDS)}")
    if rec["primary"] not in {"true", "false"}:
        return _fail("--primary must be true or false")
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", rec["date"]):
        return _fail("--date must be YYYY, YYYY-MM or YYYY-MM-DD")
    with open(ROOT / "data" / ".sources.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with SOURCES.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        ids = {r["source_id"] for r in rows}
        if rec["source_id"] in ids and not a.replace:
            return _fail(f"{rec['source_id']} exists already (use --replace to update it)")
        rows = [r for r in rows if r["source_id"] != rec["source_id"]] + [rec]
        rows.sort(key=lambda r: r["source_id"])
        with SOURCES.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_bib.py")], check=True)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_datapackage.py")], check=True)
    print(f"{'updated' if rec['source_id'] in ids else 'added'} {rec['source_id']}")
    return 0


def _fail(msg: str) -> int:
    print(f"add_source: {msg}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
