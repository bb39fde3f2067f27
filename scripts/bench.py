"""Benchmark the build (``make bench``). Measures, on this machine:

- clean build seconds (``make clean`` then ``make book``, with the venv present: every notebook executed),
- no-change rebuild seconds (``make book`` again),
- ``make check`` seconds (the quick tier) and ``make test`` seconds (lint, build, every check, nbval
  in the Binder-style environment, whose venv is built first if it is missing: not timed),
- HTML bytes per page (excluding shared assets) and the JavaScript bytes each page loads,
- with scripts/bench_browser.py (if present): first paint and all charts drawn for chapters 2 and 7
  under a throttled mobile profile.

Targets (issue 12 §6 and the book pipeline's): clean build <= 20 s; rebuild <= 5 s; make check <= 30 s;
make test <= 150 s (two cores); chart JavaScript <= 1 MB uncompressed, loaded once per page; page HTML
<= 200 KB. A measurement, not a test: it reports and flags, and never fails the suite. The figures are
printed as a Markdown table for README's Benchmark section and saved to _build/bench.json.

    python scripts/bench.py [--root DIR] [--no-test] [--no-browser]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"clean build": 20.0, "no-change rebuild": 5.0, "make check": 30.0, "make test": 150.0}
PAGE_LIMIT = 200_000
CHART_JS_LIMIT = 1_000_000
WHAT = {
    "clean build": "clean build (`make clean`, then `make book`, venv present)",
    "no-change rebuild": "no-change rebuild (`make book` again)",
    "make check": "`make check` (quick tier: data, unit, prose; no build)",
    "make test": "`make test` (lint, build, every check, nbval in the Binder-style environment)",
}


def timed(root: Path, *cmd: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        print(result.stdout[-4000:], file=sys.stderr)
        raise SystemExit(f"{' '.join(cmd)} failed (exit {result.returncode}) after {elapsed:.1f} s")
    return elapsed


def page_js(page: Path) -> tuple[int, int, list[str]]:
    """(all local JS bytes, chart JS bytes, chart bundle names) that ``page`` loads, including the
    chart bundle that tally-charts.js loads after first paint (named in data-tally-bundle)."""
    text = page.read_text(encoding="utf-8")
    total = chart = 0
    bundles = []
    srcs = re.findall(r'<script[^>]*\ssrc="([^"]+)"', text)
    loader = next((s.split("?")[0] for s in srcs if s.split("?")[0].endswith("tally-charts.js")), None)
    if loader:  # the bundle that tally-charts.js loads after first paint sits beside it
        srcs += [f"{loader.rsplit('/', 1)[0]}/{name}" for name in re.findall(r'data-tally-bundle="([^"]+)"', text)]
    for src in srcs:
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


def pages_report(html: Path) -> dict:
    rows = {}
    for page in sorted(html.rglob("*.html")):
        rel = page.relative_to(html)
        if rel.parts[0] in {"_static", "_sources", "reports"}:
            continue
        js, chart, bundles = page_js(page)
        rows[str(rel)] = {
            "html_bytes": page.stat().st_size,
            "js_bytes": js,
            "chart_js_bytes": chart,
            "bundles": len(bundles),
        }
    return rows


def browser_report(root: Path, html: Path) -> dict | None:
    script = root / "scripts" / "bench_browser.py"
    if not script.exists():
        return None
    sys.path.insert(0, str(script.parent))
    import bench_browser

    return bench_browser.measure(html)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--no-test", action="store_true", help="skip make test")
    parser.add_argument("--no-browser", action="store_true", help="skip the throttled browser measurement")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    html = root / "_build" / "html"
    make = ["make", "--no-print-directory"]

    times = {}
    timed(root, *make, "setup")
    if not args.no_test:
        timed(root, *make, "binder-env")  # the Binder-style venv is built once per change of pins: not timed
    subprocess.run([*make, "clean"], cwd=root, check=True, stdout=subprocess.DEVNULL)
    times["clean build"] = timed(root, *make, "book")
    times["no-change rebuild"] = timed(root, *make, "book")
    times["make check"] = timed(root, *make, "check")
    if not args.no_test:
        times["make test"] = timed(root, *make, "test")
    pages = pages_report(html)
    browser = None if args.no_browser else browser_report(root, html)

    print(f"{'measure':<22}{'seconds':>10}{'target':>10}")
    for name, secs in times.items():
        target = TARGETS[name]
        print(f"{name:<22}{secs:>10.1f}{target:>10.0f}{'  ok' if secs <= target else '  OVER'}")
    print()
    print(f"{'page':<44}{'HTML bytes':>12}{'JS bytes':>12}{'chart JS':>12}")
    for name, r in pages.items():
        flag = "  OVER" if r["html_bytes"] > PAGE_LIMIT or r["chart_js_bytes"] > CHART_JS_LIMIT else ""
        flag += "  (chart bundle loaded more than once)" if r["bundles"] > 1 else ""
        print(f"{name:<44}{r['html_bytes']:>12,}{r['js_bytes']:>12,}{r['chart_js_bytes']:>12,}{flag}")
    worst = max(pages.items(), key=lambda kv: kv[1]["html_bytes"])
    worst_chart = max(r["chart_js_bytes"] for r in pages.values())

    # The README table.
    cores = os.cpu_count()
    print(f"\nMeasured on {date.today().isoformat()} ({cores} cores, Python {platform.python_version()}):\n")
    print("| measure | result | target |\n|---|---|---|")
    for name, secs in times.items():
        print(f"| {WHAT[name]} | {secs:.1f} s | ≤ {TARGETS[name]:.0f} s |")
    print(f"| largest page HTML ({worst[0]}) | {worst[1]['html_bytes']:,} bytes | ≤ 200 KB |")
    print(f"| chart JavaScript per chart page | {worst_chart:,} bytes | ≤ 1 MB |")
    if browser:
        import bench_browser

        print("\n" + bench_browser.table(browser))
    out = root / "_build" / "bench.json"
    record = {"date": date.today().isoformat(), "cores": cores, "seconds": times, "pages": pages, "browser": browser}
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"\nsaved {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
