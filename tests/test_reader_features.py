"""Reader and researcher features in the built book: every chapter offers its notebook for
download and launch links, a citation and a version line; every chart offers exactly its data
as CSV; the sitemap and Open Graph metadata use the one base URL set in _config.yml."""

from __future__ import annotations

import base64
import csv
import html as html_lib
import io
import re
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import HTML, pages

from tally import editions

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
BASE = CONFIG["sphinx"]["config"]["html_baseurl"]
REPO = CONFIG["repository"]["url"].removeprefix("https://github.com/")
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]-*.ipynb"))


def html(name: str) -> str:
    path = HTML / name
    if not path.exists():
        pytest.fail(f"{path} missing: run 'make book'")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_offers_notebook_launch_links_and_citation(chapter):
    page = html(f"chapters/{chapter}.html")
    # The .ipynb download is the executed notebook itself.
    assert f'href="../_sources/chapters/{chapter}.ipynb"' in page
    nb = nbformat.read(HTML / "_sources" / "chapters" / f"{chapter}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "notebook saved without outputs"
    # Launch links (plain links: nothing is requested until a reader clicks).
    ui = "lab/tree" if CONFIG["launch_buttons"].get("notebook_interface") == "jupyterlab" else "tree"
    assert f"https://mybinder.org/v2/gh/{REPO}/main?urlpath={ui}/chapters/{chapter}.ipynb" in page
    assert f"https://colab.research.google.com/github/{REPO}/blob/main/chapters/{chapter}.ipynb" in page
    # Cite this chapter: a suggested citation with the version and URL, and a BibTeX entry.
    assert 'id="cite-this"' in page and "@incollection{" in page
    assert f"version {CONFIG['sphinx']['config']['release']}" in page
    # ... which names the edition's stable URL (/vX.Y.Z/, tally.editions), not the latest page.
    assert f"{editions.page_url(BASE, CONFIG['sphinx']['config']['release'], f'chapters/{chapter}')}" in page


@pytest.mark.parametrize("name", pages())
def test_every_page_states_version_and_last_update(name):
    page = html(name)
    if 'http-equiv="refresh"' in page.lower():
        pytest.skip("redirect stub")
    if name in {"genindex.html", "search.html"}:
        pytest.skip("generated index page")
    assert re.search(
        r'class="tally-version">.*version [\d.]+\. This page was last updated on <time datetime="\d{4}-\d{2}-\d{2}">',
        page,
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chart_offers_exactly_its_data(chapter):
    page = html(f"chapters/{chapter}.html")
    figures = re.findall(r'<figure class="tally-figure".*?</figure>', page, re.S)
    # As many charts on the page as the notebook's saved outputs hold.
    nb = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    saved = sum(
        "".join(out.get("data", {}).get("text/html", "")).count('<figure class="tally-figure"')
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )
    assert len(figures) == saved, f"{chapter}: {len(figures)} charts on the page, {saved} in the notebook"
    for fig in figures:
        assert '<p class="tally-source"><strong>Source:</strong>' in fig and "<strong>Unit:</strong>" in fig
        assert re.search(r'<p class="tally-description" id="[^"]+">[^<]{20,}', fig), "description missing"
        m = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)" download="([^"]+)\.csv"', fig)
        assert m, "CSV download missing"
        rows = list(csv.reader(io.StringIO(base64.b64decode(m.group(1)).decode("utf-8"))))
        # The data table shows the same rows and columns with plain headers and formatted numbers
        # (tally.tables); its first column is the CSV's first column, as text.
        table = re.search(r'<table class="tally-table">.*?</table>', fig, re.S)
        assert table, "data table missing"
        header = re.findall(r'<th scope="col"[^>]*>', table.group(0))
        tbody = table.group(0).split("<tbody>", 1)[-1]
        body = re.findall(r"<tr><t[hd][^>]*>(.*?)</t[hd]>", tbody, re.S)
        assert len(rows[0]) == len(header), "CSV and data table have different columns"
        assert len(rows) - 1 == len(body), "CSV and data table have different rows"
        assert [html_lib.unescape(c) for c in body] == [r[0] for r in rows[1:]], "first column differs"


def test_sitemap_and_open_graph_use_the_base_url():
    sitemap = html("sitemap.xml")
    for chapter in CHAPTERS:
        assert f"<loc>{BASE}chapters/{chapter}.html</loc>" in sitemap
    page = html(f"chapters/{CHAPTERS[0]}.html")
    assert f'<meta property="og:url" content="{BASE}chapters/{CHAPTERS[0]}.html"' in page


def test_data_page_offers_every_table():
    page = html("data.html")
    for table in (ROOT / "data").glob("*.csv"):
        assert re.search(rf'href="_downloads/[0-9a-f]+/{re.escape(table.name)}"', page), f"{table.name} not offered"
    assert re.search(r'href="_downloads/[0-9a-f]+/datapackage\.json"', page)
