"""Benchmark the build (``make bench``). Prints, on this machine:

- clean build seconds (``make clean`` then ``make book``, with the venv present),
- no-change rebuild seconds (``make book`` again),
- ``make test`` seconds,
- HTML bytes per page (excluding shared assets), and the JavaScript bytes each page loads.

Targets (issue: book pipeline): clean build <= 30 s; rebuild <= 5 s; chart JavaScript <= 1 MB
uncompressed, loaded once per page; page HTML <= 200 KB. This is a measurement, not a test:
it reports and flags, and never fails the test suite.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
TARGETS = {"clean build": 30.0, "no-change rebuild": 5.0}
PAGE_LIMIT = 200_000
CHART_JS_LIMIT = 1_000_000


def timed(*cmd: str) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def page_js(page: Path) -> tuple[int, int, list[str]]:
    """(all local JS bytes, chart JS bytes, chart bundle names) that ``page`` loads."""
    text = page.read_text(encoding="utf-8")
    total = chart = 0
    bundles = []
    for src in re.findall(r'<script[^>]*\ssrc="([^"]+)"', text):
        if src.startswith(("http:", "https:", "//")):
            raise SystemExit(f"{page}: loads a script from another host: {src}")
        path = (page.parent / src.split("?")[0]).resolve()
        size = path.stat().st_size
        total += size
        if "vega-" in path.name or path.name == "tally-charts.js":
            chart += size
            if "vega-" in path.name:
                bundles.append(path.name)
    return total, chart, bundles


def main() -> int:
    results = {}
    subprocess.run(["make", "clean"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    results["clean build"] = timed("make", "book")
    results["no-change rebuild"] = timed("make", "book")
    results["make test"] = timed("make", "test")
    print(f"{'measure':<22}{'seconds':>10}{'target':>10}")
    for name, secs in results.items():
        target = TARGETS.get(name)
        flag = "" if target is None else ("  ok" if secs <= target else "  OVER")
        print(f"{name:<22}{secs:>10.1f}{(f'{target:.0f}' if target else '-'):>10}{flag}")
    print()
    print(f"{'page':<44}{'HTML bytes':>12}{'JS bytes':>12}{'chart JS':>12}")
    worst_html = worst_chart = 0
    for page in sorted(HTML.rglob("*.html")):
        rel = page.relative_to(HTML)
        if rel.parts[0] in {"_static", "_sources", "reports"}:
            continue
        size = page.stat().st_size
        js, chart, bundles = page_js(page)
        if len(bundles) > 1:
            print(f"  {rel}: chart bundle loaded {len(bundles)} times", file=sys.stderr)
        worst_html, worst_chart = max(worst_html, size), max(worst_chart, chart)
        flag = "  OVER" if size > PAGE_LIMIT or chart > CHART_JS_LIMIT else ""
        print(f"{str(rel):<44}{size:>12,}{js:>12,}{chart:>12,}{flag}")
    print()
    print(f"largest page HTML: {worst_html:,} bytes (target <= {PAGE_LIMIT:,}); "
          f"largest chart JS per page: {worst_chart:,} bytes (target <= {CHART_JS_LIMIT:,})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
