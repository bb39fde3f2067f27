"""Shared fixtures: a scratch copy of the data package that a test may break."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tally.browser import ARGS, CHROMIUM, serve  # noqa: F401 (serve is imported by tests)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# The build under test: _build/html, or another build folder (TALLY_HTML_DIR) when checking a private build.
HTML = Path(os.environ.get("TALLY_HTML_DIR") or ROOT / "_build" / "html")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of data/ in a temporary folder."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest


# --- browser tests: Debian's chromium driven by Playwright, network blocked -----------------
# (launch flags and the local server: tally.browser, shared with make_pdf and bench_browser)

MARKS = "svg g[class*='mark-'] path, svg g[class*='mark-'] rect, svg g[class*='mark-'] text, svg g[class*='mark-'] line"


def pages() -> list[str]:
    if not (HTML / "index.html").exists():
        pytest.fail("no built book in _build/html: run 'make book' (make test does)")
    skip = ("_static", "_sources", "_images", "reports")
    return sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html") if p.relative_to(HTML).parts[0] not in skip)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def book_server():
    pages()  # fail early without a build
    server = serve(HTML)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class Visit:
    """Open one page with every non-local request blocked and counted.

    ``mode="dark"``: as a reader who chose dark mode on an earlier visit. The theme keeps that choice
    in localStorage and applies it before the page is drawn; the choice is stored before the first
    request, so the page is loaded once, in that mode."""

    def __init__(self, browser, url: str, mode: str | None = None):
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context()
        if mode:
            self.context.add_init_script(
                f"localStorage.setItem('mode', {json.dumps(mode)}); localStorage.setItem('theme', {json.dumps(mode)});"
            )
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, wait_until="load")

    def _route(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith("data:") or host == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def wait_for_charts(self) -> int:
        charts = self.page.locator(".tally-chart")
        n = charts.count()
        for i in range(n):
            charts.nth(i).locator("svg").first.wait_for(state="attached", timeout=15_000)
            self.page.wait_for_function(
                "el => el.getAttribute('data-rendered') === 'true'", arg=charts.nth(i).element_handle(), timeout=15_000
            )
        return n

    def close(self):
        self.context.close()


# --- test tiers (markers registered in pyproject.toml; added by infra) -------------------------
# `make check` runs `-m quick` (no build, no browser, no kernel); `make test` runs everything.
# A test file not listed here is quick unless it marks itself (pytest.mark.build / browser / ...)
# or uses the browser fixtures; a file that needs the build must say so here or in its marks.

TIERS = {
    "test_accessibility.py": "browser",
    "test_browser.py": "browser",
    "test_explorer_company.py": "browser",
    "test_explorer_scenario.py": "browser",
    "test_reader_view.py": "browser",
    "test_pdf.py": "browser",
    "test_links.py": "build",
    "test_reader_features.py": "build",
}
_TIER_MARKS = ("quick", "build", "browser", "nbval", "slow")


def pytest_ignore_collect(collection_path, config):
    # Under `-m quick`, do not even import a module that needs the build (some list its pages at import).
    if config.getoption("markexpr", "") == "quick" and TIERS.get(collection_path.name, "quick") != "quick":
        return True
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(m) for m in _TIER_MARKS):
            continue
        path = Path(str(item.fspath))
        if path.suffix == ".ipynb":
            tier = "nbval"
        elif {"browser", "book_server"} & set(getattr(item, "fixturenames", ())):
            tier = "browser"
        else:
            tier = TIERS.get(path.name, "quick")
        item.add_marker(getattr(pytest.mark, tier))
