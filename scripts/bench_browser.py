#!/usr/bin/env python3
"""Page speed under a throttled mid-range mobile profile (issue 9 §8): for chapter 2 and chapter 7,
the time to first paint and the time until every chart on the page is drawn.

Profile (Chromium DevTools protocol, through Playwright and Debian's /usr/bin/chromium):
150 ms round trip, 1.6 Mbps down, 750 kbps up, CPU 4x slower, cold cache (a new browser context
per run, cache disabled), 390x844 viewport; the book is served gzip-compressed from 127.0.0.1
(as any static host would), and every request to another host is blocked.

"Charts drawn" is the moment the last `.tally-chart` on the page carries `data-rendered="true"`,
measured from navigation start. Targets: first paint <= 2.0 s, all charts <= 3.5 s. These are
benchmark figures, not a timed test.

Usage:
    .venv/bin/python scripts/bench_browser.py [html_dir]       # default: _build/html
`measure(html_dir)` returns {page: {"first_paint_s": ..., "charts_drawn_s": ..., "charts": n,
"js_bytes": ..., "transfer_bytes": ...}} (median of `runs` cold loads); scripts/bench.py calls it.
"""

from __future__ import annotations

import gzip
import statistics
import sys
from pathlib import Path
from urllib.parse import urlparse

from tally.browser import ARGS, CHROMIUM, QuietHandler, serve

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["chapters/02-a-quarter-century.html", "chapters/07-end-to-end-encryption.html"]
PROFILE = {"latency_ms": 150, "down_bps": 1_600_000, "up_bps": 750_000, "cpu_slowdown": 4}
TARGETS = {"first_paint_s": 2.0, "charts_drawn_s": 3.5}
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".map")


class _GzipHandler(QuietHandler):
    """Static files, gzip-compressed when the browser accepts it (compressed once, kept in memory)."""

    cache: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in COMPRESSIBLE and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            key = str(path)
            if key not in self.cache:
                self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6)
            body = self.cache[key]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def _serve(folder: Path):
    return serve(folder, _GzipHandler)


_COLLECT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByType('paint').find(p => p.name === 'first-contentful-paint')
             || performance.getEntriesByType('paint').find(p => p.name === 'first-paint');
  const res = performance.getEntriesByType('resource');
  const js = res.filter(r => /\\.js(\\?|$)/.test(r.name)).reduce((a, r) => a + r.decodedBodySize, 0);
  const transfer = res.reduce((a, r) => a + r.transferSize, 0) + (nav ? nav.transferSize : 0);
  return {paint: paint ? paint.startTime : null, charts: document.querySelectorAll('.tally-chart').length,
          drawn: window.__tallyDrawn || null, js: js, transfer: transfer};
}"""

#: Records, from navigation start, when the last chart reports data-rendered="true".
_WATCH = """
(() => {
  const check = () => {
    const charts = document.querySelectorAll('.tally-chart');
    if (charts.length && [...charts].every(c => c.getAttribute('data-rendered') === 'true')) {
      if (!window.__tallyDrawn) window.__tallyDrawn = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-rendered']});
})();
"""


def _one_run(browser, url: str) -> dict:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()

    def route(r):
        if urlparse(r.request.url).hostname == "127.0.0.1" or r.request.url.startswith("data:"):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.add_init_script(_WATCH)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": PROFILE["latency_ms"],
            "downloadThroughput": PROFILE["down_bps"] / 8,
            "uploadThroughput": PROFILE["up_bps"] / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PROFILE["cpu_slowdown"]})
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        n = page.locator(".tally-chart").count()
        if n:
            page.wait_for_function("() => !!window.__tallyDrawn", timeout=120_000)
        data = page.evaluate(_COLLECT)
    finally:
        context.close()
    return {
        "first_paint_s": data["paint"] / 1000 if data["paint"] is not None else None,
        "charts_drawn_s": data["drawn"] / 1000 if data["drawn"] else None,
        "charts": data["charts"],
        "js_bytes": data["js"],
        "transfer_bytes": data["transfer"],
    }


def _median(samples: list[dict], key: str) -> float | None:
    values = [s[key] for s in samples]
    return statistics.median(values) if all(v is not None for v in values) else None


def measure(html_dir: str | Path | None = None, pages: list[str] | None = None, runs: int = 3) -> dict:
    """Median first paint and time-to-all-charts (seconds) per page over `runs` cold loads."""
    from playwright.sync_api import sync_playwright

    folder = Path(html_dir) if html_dir else ROOT / "_build" / "html"
    if not (folder / "index.html").exists():
        raise SystemExit(f"no built book in {folder}: run 'make book' first")
    if not Path(CHROMIUM).exists():
        raise SystemExit("Debian's chromium is required: apt-get install chromium")
    server = _serve(folder)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for name in pages or PAGES:
                samples = [_one_run(browser, base + name) for _ in range(runs)]
                results[name] = {
                    "first_paint_s": _median(samples, "first_paint_s"),
                    "charts_drawn_s": _median(samples, "charts_drawn_s"),
                    "charts": samples[0]["charts"],
                    "js_bytes": samples[0]["js_bytes"],
                    "transfer_bytes": samples[0]["transfer_bytes"],
                    "runs": runs,
                }
            browser.close()
    finally:
        server.shutdown()
    return results


def table(results: dict) -> str:
    rows = [
        "| page | first paint | all charts drawn | charts | JS (uncompressed) | transferred (gzip) |",
        "|---|---|---|---|---|---|",
    ]
    fmt = lambda v: "—" if v is None else f"{v:.2f} s"  # noqa: E731
    for name, r in results.items():
        rows.append(
            f"| {name} | {fmt(r['first_paint_s'])} | {fmt(r['charts_drawn_s'])} | {r['charts']} | "
            f"{r['js_bytes']:,} B | {r['transfer_bytes']:,} B |"
        )
    rows.append(f"| target | ≤ {TARGETS['first_paint_s']:.1f} s | ≤ {TARGETS['charts_drawn_s']:.1f} s | | ≤ 1.2 MB | |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    html_dir = argv[0] if argv else None
    print(
        f"throttled mobile profile: {PROFILE['latency_ms']} ms RTT, {PROFILE['down_bps'] / 1e6:.1f} Mbps down, "
        f"{PROFILE['up_bps'] / 1e3:.0f} kbps up, CPU {PROFILE['cpu_slowdown']}x slower, cold cache, gzip; "
        "median of 3 loads"
    )
    print(table(measure(html_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
