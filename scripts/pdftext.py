"""Shared helpers for the extraction scripts: read a PDF's text layer page by page.

Uses ``pdftotext -layout`` from Debian's ``poppler-utils`` (install with
``apt-get install poppler-utils``). Only the extraction scripts need it; the book
and its tests read the transcribed CSV files in ``data/``, never the PDFs.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

#: Where the original documents live: ``../shared/sources`` beside the repository, or $TALLY_SOURCES.
SOURCES = Path(os.environ.get("TALLY_SOURCES", Path(__file__).resolve().parent.parent.parent / "shared" / "sources"))

#: The years whose per-ESP and per-country PDFs are transcribed in full, with the per-ESP table's
#: expected number of printed rows (a guard against rows merged or split by the parser).
#: ``python -m scripts.add_year`` adds a line; the extraction scripts read it.
YEARS_FILE = Path(__file__).resolve().parent / "ncmec_years.csv"

_COUNT = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


def pdf_pages(path: Path) -> list[str]:
    """Return the text of each page of ``path`` (index 0 is page 1), layout preserved."""
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext not found: apt-get install poppler-utils")
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages


def parse_count(text: str) -> int | None:
    """Parse a printed count such as ``"15,884,511"``; ``"-"`` (printed for none) gives None."""
    t = text.strip()
    if t in {"-", "–", "—"}:
        return None
    if not _COUNT.match(t):
        raise ValueError(f"not a printed count: {text!r}")
    return int(t.replace(",", ""))


def ncmec_years(path: Path = YEARS_FILE) -> dict[int, int]:
    """Year -> expected number of printed rows in that year's per-ESP table (scripts/ncmec_years.csv)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {int(r["year"]): int(r["esp_rows"]) for r in csv.DictReader(fh)}
