"""Editions (tally.editions): stable versioned URLs, the list of editions, and the site layout the
publish workflow deploys. The last tests assemble the local build into a site folder as the
workflow does and check that every chapter's citation URL names the file that serves it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import HTML

from tally import editions

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SPHINX = CONFIG["sphinx"]["config"]
BASE = SPHINX["html_baseurl"]
RELEASE = SPHINX["release"]
SITE = "https://example.org/book/"


def test_release_numbers_parse_and_order():
    assert editions.parse("0.2.0") == editions.parse("v0.2.0") == (0, 2, 0)
    assert editions.ordered(["0.2.0", "v0.10.0", "0.9.1", "0.2.0"]) == ["0.10.0", "0.9.1", "0.2.0"]
    for bad in ("0.2", "0.2.0rc1", "latest", ""):
        with pytest.raises(ValueError):
            editions.parse(bad)


def test_urls_of_an_edition():
    assert editions.slug("0.2.0") == "v0.2.0"
    assert editions.edition_url(SITE, "0.2.0") == "https://example.org/book/v0.2.0/"
    assert editions.page_url(SITE, "0.2.0", "chapters/01-the-claim") == (
        "https://example.org/book/v0.2.0/chapters/01-the-claim.html"
    )
    # The same URL whether the build's base is the site root or the edition's own (an edition build).
    assert editions.site_root("https://example.org/book/v0.2.0/") == SITE
    assert editions.site_root("https://example.org/book") == SITE
    assert editions.page_url("https://example.org/book/v0.2.0/", "0.2.0", "intro") == (
        "https://example.org/book/v0.2.0/intro.html"
    )


def test_editions_listed_are_those_at_a_versioned_path():
    assert editions.editions("0.2.0") == ["0.2.0"]
    # 0.1.0 was never published at /v0.1.0/; later tags are, newest first, the build's own included.
    assert editions.editions("0.3.0", ["v0.1.0", "v0.2.0"]) == ["0.3.0", "0.2.0"]
    entries = editions.versions_json(["0.2.0", "0.3.0"], SITE)
    assert entries == [
        {"name": "latest", "version": "latest", "url": SITE},
        {"name": "0.3.0", "version": "0.3.0", "url": SITE + "v0.3.0/"},
        {"name": "0.2.0", "version": "0.2.0", "url": SITE + "v0.2.0/"},
    ]


def test_an_edition_build_points_at_its_release():
    cfg = SimpleNamespace(
        html_baseurl=SITE, release="0.2.0", ogp_site_url=SITE, html_theme_options={"repository_branch": "main"}
    )
    editions.configure(cfg, edition=False)
    assert cfg.html_baseurl == SITE and cfg.html_theme_options["repository_branch"] == "main"
    editions.configure(cfg, edition=True)
    assert cfg.html_baseurl == cfg.ogp_site_url == SITE + "v0.2.0/"
    assert cfg.html_theme_options["repository_branch"] == "v0.2.0"


def _fake_build(folder: Path, text: str) -> Path:
    (folder / "chapters").mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    (folder / "chapters" / "01.html").write_text(text, encoding="utf-8")
    return folder


def test_assemble_keeps_every_edition_beside_the_latest(tmp_path):
    site = tmp_path / "site"
    first = _fake_build(tmp_path / "b1", "edition 0.2.0")
    assert editions.assemble(site, first, "0.2.0", SITE, latest=True, edition=True) == ["0.2.0"]
    second = _fake_build(tmp_path / "b2", "edition 0.3.0")
    assert editions.assemble(site, second, "0.3.0", SITE, latest=True, edition=True) == ["0.3.0", "0.2.0"]
    main = _fake_build(tmp_path / "b3", "main after 0.3.0")
    (main / "chapters" / "01.html").unlink()  # a page removed on main leaves the latest
    editions.assemble(site, main, "0.3.0", SITE, latest=True, edition=False)
    assert (site / "index.html").read_text() == "main after 0.3.0"
    assert not (site / "chapters" / "01.html").exists()
    assert (site / "v0.2.0" / "chapters" / "01.html").read_text() == "edition 0.2.0"
    assert (site / "v0.3.0" / "index.html").read_text() == "edition 0.3.0"
    listed = json.loads((site / "versions.json").read_text())
    assert [e["name"] for e in listed] == ["latest", "0.3.0", "0.2.0"]
    assert (site / ".nojekyll").exists()


# --- on the local build ---------------------------------------------------------------------------

CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]-*.ipynb"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not (HTML / "index.html").exists():
        pytest.fail("no built book in _build/html: run 'make book' (make test does it)")
    site = tmp_path_factory.mktemp("site")
    editions.assemble(site, HTML, RELEASE, BASE, latest=True, edition=True)
    return site


def _served_file(site: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return site / url.removeprefix(BASE)


@pytest.mark.build
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_citation_url_names_the_file_the_edition_serves(site, chapter):
    page = (HTML / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
    url = editions.page_url(BASE, RELEASE, f"chapters/{chapter}")
    cite = re.search(r'<section class="tally-cite".*?</section>', page, re.S)
    assert cite, "no 'Cite this chapter'"
    assert f'href="{url}"' in cite.group(0), "the suggested citation does not link the edition's URL"
    assert f"url       = {{{url}}}" in cite.group(0), "the BibTeX entry does not name the edition's URL"
    served = _served_file(site, url)
    assert served.exists(), f"{url} would not be served by the assembled site"
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert f"<title>{title}</title>" in served.read_text(encoding="utf-8")


@pytest.mark.build
def test_every_page_lists_the_editions(site):
    page = (HTML / "chapters" / f"{CHAPTERS[0]}.html").read_text(encoding="utf-8")
    line = re.search(r'<p class="tally-editions">(.*?)</p>', page, re.S)
    assert line, "no list of editions"
    assert f'<a href="{BASE}">latest</a>' in line.group(1)
    assert f'<a href="{editions.edition_url(BASE, RELEASE)}">{RELEASE}</a>' in line.group(1)
    listed = json.loads((site / "versions.json").read_text())
    assert {"name": RELEASE, "version": RELEASE, "url": editions.edition_url(BASE, RELEASE)} in listed
    for entry in listed:
        assert (_served_file(site, entry["url"]) / "index.html").exists()
