"""Shared fixtures: a scratch copy of the data package that a test may break."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
HTML = ROOT / "_build" / "html"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of data/ in a temporary folder."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest


# --- browser tests: Debian's chromium driven by Playwright, network blocked -----------------

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


