"""Printing works: a chapter of the built book prints through the same code as `make pdf`,
with its chart drawn, page numbers in the footer and no request to another host.
(`make pdf` itself builds the single-page HTML of the whole book first, which takes longer.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HTML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def test_a_chapter_prints_with_its_chart_and_page_numbers(tmp_path):
    import make_pdf

    page = HTML / "chapters" / "01-the-claim.html"
    if not page.exists():
        pytest.fail("no built book: run 'make book' (make test does)")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is needed to read the PDF back: apt-get install poppler-utils")
    out = tmp_path / "chapter.pdf"
    charts = make_pdf.print_pdf(HTML, out, "Counting the Reports", page_file=page)
    assert charts >= 1
    assert make_pdf.page_count(out) >= 2
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Page 1 of" in text  # footer with page numbers
    assert "One line in NCMEC's 2019 table holds more than" in text  # the chart's title, drawn as SVG
    assert "Facebook*" in text  # and its labels
    # No code in print (issue 9): neither code cells nor their text outputs.
    for code in ("glue(", "import tally", "tally.setup", "charts.figure(", "assert "):
        assert code not in text, f"code printed in the PDF: {code!r}"
    print(f"chapter 1: {make_pdf.page_count(out)} pages")


def test_title_page_is_page_one_and_legends_print_whole(tmp_path):
    """The title page is page 1 (a page break before its heading once left page 1 blank), and a
    chart whose bottom legend is wider than the chart (chapter 4's grouped bars) prints whole."""
    import make_pdf

    page = HTML / "chapters" / "04-what-a-report-measures.html"
    if not page.exists():
        pytest.fail("no built book: run 'make book' (make test does)")
    out = tmp_path / "chapter4.pdf"
    make_pdf.print_pdf(HTML, out, "Counting the Reports", page_file=page, title_page=True)

    def text(first, last=None):
        return subprocess.run(
            ["pdftotext", "-f", str(first), "-l", str(last or first), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    first = text(1)
    assert "How to cite" in first and "Counting the Reports" in first, f"page 1 is not the title page: {first[:200]!r}"
    whole = " ".join(text(1, make_pdf.page_count(out)).split())
    assert "Distinct after grouping visually similar files" in whole, "chapter 4's legend is cut in print"
