"""Every page of the built book in headless Debian chromium, with the network blocked:
no request may leave 127.0.0.1, no console error may appear, every chart must draw marks,
and chart tooltips must work. Needs `make book` first (make test does it)."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import HTML

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-features=Translate,MediaRouter"]
MARKS = "svg g[class*='mark-'] path, svg g[class*='mark-'] rect, svg g[class*='mark-'] text, svg g[class*='mark-'] line"


def pages() -> list[str]:
    if not (HTML / "index.html").exists():
        pytest.fail("no built book in _build/html: run 'make book' (make test does)")
    skip = ("_static", "_sources", "_images", "reports")
    return sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html") if not p.relative_to(HTML).parts[0] in skip)


def serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


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
    """Open one page with every non-local request blocked and counted."""

    def __init__(self, browser, url: str):
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context()
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
                "el => el.getAttribute('data-rendered') === 'true'", arg=charts.nth(i).element_handle(), timeout=15_000)
        return n

    def close(self):
        self.context.close()


@pytest.mark.parametrize("name", pages())
def test_page_is_self_contained_and_charts_draw(browser, book_server, name):
    visit = Visit(browser, f"{book_server}/{name}")
    try:
        n = visit.wait_for_charts()
        visit.page.wait_for_load_state("networkidle")
        assert visit.foreign == [], f"{name} requested other hosts: {visit.foreign}"
        for i in range(n):
            chart = visit.page.locator(".tally-chart").nth(i)
            marks = chart.locator(MARKS).count()
            assert marks > 0, f"{name}: chart {chart.get_attribute('id')} drew no marks"
        if n:  # the chart bundle is loaded once, and only on pages with charts
            scripts = visit.page.eval_on_selector_all("script[src*='vega-']", "els => els.map(e => e.src)")
            assert len(scripts) == 1, scripts
        assert visit.errors == [], f"{name} console errors: {visit.errors}"
    finally:
        visit.close()


def test_pages_without_charts_do_not_load_the_bundle(browser, book_server):
    visit = Visit(browser, f"{book_server}/index.html")
    try:
        if visit.page.locator(".tally-chart").count() == 0:
            assert visit.page.locator("script[src*='vega-']").count() == 0
    finally:
        visit.close()


def test_tooltip_shows_exact_value(browser, book_server):
    visit = Visit(browser, f"{book_server}/chapters/01-the-claim.html")
    try:
        visit.wait_for_charts()
        bar = visit.page.locator("#fig-claim-reports-by-esp-2019 svg g.mark-rect path").first
        bar.hover()
        tip = visit.page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible", timeout=5_000)
        text = tip.inner_text()
        assert "Reports in 2019" in text and "15,884,511" in text
    finally:
        visit.close()


def test_markup_in_a_company_name_is_shown_as_text(browser, tmp_path):
    """A name containing </script> or <b> must neither break the page nor render as markup."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_charts import HOSTILE, make

    static = HTML / "_static"
    bundle = next(static.glob("vega-*.js"), None)
    if bundle is None:
        pytest.fail("no vega bundle in _build/html/_static: run 'make book'")
    shutil.copy(bundle, tmp_path / bundle.name)
    shutil.copy(static / "tally-charts.js", tmp_path / "tally-charts.js")
    (tmp_path / "index.html").write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body>{make()._html()}"
        f"<script src='{bundle.name}'></script><script src='tally-charts.js'></script></body></html>",
        encoding="utf-8")
    server = serve(tmp_path)
    visit = Visit(browser, f"http://127.0.0.1:{server.server_address[1]}/index.html")
    try:
        assert visit.wait_for_charts() == 1
        assert visit.page.locator("figure b").count() == 0, "markup from the data was rendered"
        labels = visit.page.locator("#fig-test-chart svg text").all_text_contents()
        assert HOSTILE in labels
        assert HOSTILE in visit.page.locator("table.tally-table").text_content()  # collapsed: text, not layout
        visit.page.locator("#fig-test-chart svg g.mark-rect path").first.hover()
        tip = visit.page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible", timeout=5_000)
        assert HOSTILE in tip.inner_text() and tip.locator("b").count() == 0
        assert visit.errors == [] and visit.foreign == []
    finally:
        visit.close()
        server.shutdown()
