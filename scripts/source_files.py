"""Check (or update) data/source_files.csv, the manifest of every file the build scripts read.

Each row pins one file in the shared folder beside the repository (``../shared/``, or the parent of
``$TALLY_SOURCES``) by size and SHA-256, with its original address and access date.

    python -m scripts.source_files            check every file; exit 1 naming each file that differs
    python -m scripts.source_files --update   rewrite `bytes` and `sha256` from the files as they are now
                                              (after replacing a file on purpose; say why in `note`)

tests/test_extraction.py runs the same check before it re-runs the extraction.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from scripts.csvio import DATA, SOURCES, read_rows, write_rows

MANIFEST = DATA / "source_files.csv"
FIELDS = ["path", "read_by", "source_id", "url", "accessed", "bytes", "sha256", "note"]


def shared_dir() -> Path:
    """The folder the manifest's paths are relative to (it holds ``sources/`` and ``research/``)."""
    return SOURCES.parent


def digest(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def problems(rows: list[dict], shared: Path) -> list[str]:
    """One message per file that is missing or differs from its row (size, then SHA-256)."""
    out = []
    for path in sorted({r["path"] for r in rows}):
        row = next(r for r in rows if r["path"] == path)
        file = shared / path
        if not file.is_file():
            out.append(f"{path}: missing from {shared}")
            continue
        size, sha = digest(file)
        if size != int(row["bytes"]):
            out.append(f"{path}: {size:,} bytes, data/source_files.csv records {int(row['bytes']):,}")
        elif sha != row["sha256"]:
            out.append(f"{path}: SHA-256 {sha}, data/source_files.csv records {row['sha256']}")
    return out


def update(rows: list[dict], shared: Path) -> list[dict]:
    for r in rows:
        r["bytes"], r["sha256"] = digest(shared / r["path"])
    return rows


def main(argv: list[str]) -> int:
    rows = read_rows(MANIFEST)
    if "--update" in argv:
        write_rows(MANIFEST, FIELDS, update(rows, shared_dir()))
        print(f"updated {MANIFEST.name} ({len(rows)} rows)")
        return 0
    found = problems(rows, shared_dir())
    for msg in found:
        print(f"source file changed: {msg}", file=sys.stderr)
    if not found:
        print(f"{len({r['path'] for r in rows})} source files match {MANIFEST.name}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
