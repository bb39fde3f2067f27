"""The reader's view of the built book (issue 9): prose, charts and tidy tables only.

Static checks of every built page (no browser):
- no code input a reader can see (`.cell_input` outside a closed <details>);
- no raw pandas output (`table.dataframe`), no table header containing `_` (a column name, not a
  header), no number cell with more than three decimals or in scientific notation;
- no <script> over 50 KB in <head> without defer/async (it would block the first paint);
- all JavaScript a page loads (its <script src> files, and the chart bundle that tally-charts.js
  loads after first paint) at most 1.2 MB uncompressed.

In headless Debian chromium at 390x844 (phone) and 1366x900 (desktop):
- no page that scrolls sideways (every page, chart or not);
- no chart drawing wider than its container, no page that scrolls sideways, every chart title
  (HTML above the chart, or text drawn in the SVG title group) fully inside the figure;
- in dark mode, every text of every chart has a contrast of at least 4.5:1 against the
  background it is drawn on.

Needs a build (`make book`; `make test` does it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import HTML, Visit, pages

JS_BUDGET = 1_200_000
HEAD_SCRIPT_LIMIT = 50_000
SIZES = [(390, 844), (1366, 900)]
#: More than three decimals, or scientific notation, in a cell that holds a number.
FILE_NAME = re.compile(r"\S+\.(csv|json|py|md|ipynb|bib|yml)\b")
BAD_NUMBER = re.compile(r"^[−+-]?[\d,]*\.\d{4,}%?$|^[−+-]?\d+(\.\d+)?[eE][−+-]?\d+$")


def _soup(name: str) -> BeautifulSoup:
    return BeautifulSoup((HTML / name).read_text(encoding="utf-8"), "html.parser")


def _is_redirect(soup: BeautifulSoup) -> bool:
    return bool(soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)}))


def _article(soup: BeautifulSoup):
    return soup.find("article") or soup.find("main") or soup


@pytest.mark.parametrize("name", pages())
def test_no_code_and_no_raw_tables(name):
    soup = _soup(name)
    if _is_redirect(soup):
        pytest.skip("redirect stub")
    problems = []
    for cell in _article(soup).select(".cell_input"):
        closed = cell.find_parent("details")
        if closed is None or closed.has_attr("open"):
            problems.append(f"visible code: {cell.get_text(' ', strip=True)[:80]!r}")
    for table in soup.select("table.dataframe"):
        problems.append(f"raw DataFrame: {table.get_text(' ', strip=True)[:80]!r}")
    for table in _article(soup).find_all("table"):
        for th in table.select("thead th"):
            if "_" in FILE_NAME.sub("", th.get_text(" ")):
                problems.append(f"header with '_': {th.get_text(strip=True)!r}")
        for td in table.select("td, tbody th"):
            text = td.get_text(strip=True)
            if BAD_NUMBER.match(text):
                problems.append(f"unformatted number: {text!r}")
    # Text outputs of code cells that print a pandas object (Series / DataFrame repr).
    for out in _article(soup).select(".cell_output pre, .output pre"):
        text = out.get_text()
        if re.search(r"\bdtype: \w+|^\s*\d+\s{2,}\S.*\n\s*\d+\s{2,}", text, re.M):
            problems.append(f"raw pandas text output: {text[:80]!r}")
    assert not problems, (
        f"{name}:\n  "
        + "\n  ".join(problems[:20])
        + (f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else "")
    )


def _local(src: str, page: Path) -> Path | None:
    if re.match(r"^(https?:)?//", src) or src.startswith("data:"):
        return None
    return (page.parent / src.split("?")[0]).resolve()


def _scripts(name: str) -> tuple[list[tuple[Path, bool, bool]], list[Path]]:
    """(file, in head, deferred or async) for every <script src>, and the chart bundle a page loads later."""
    page = HTML / name
    soup = _soup(name)
    out, later = [], []
    for s in soup.find_all("script", src=True):
        path = _local(s["src"], page)
        if path is None:
            continue
        in_head = s.find_parent("head") is not None
        out.append((path, in_head, s.has_attr("defer") or s.has_attr("async")))
        if s.has_attr("data-tally-bundle"):
            later.append(path.parent / s["data-tally-bundle"])
    return out, later


@pytest.mark.parametrize("name", pages())
def test_script_weight_and_no_blocking_head_scripts(name):
    if _is_redirect(_soup(name)):
        pytest.skip("redirect stub")
    scripts, later = _scripts(name)
    missing = [str(p) for p, *_ in scripts if not p.exists()] + [str(p) for p in later if not p.exists()]
    assert not missing, f"{name} refers to missing scripts: {missing}"
    blocking = [
        f"{p.name} ({p.stat().st_size:,} B)"
        for p, head, deferred in scripts
        if head and not deferred and p.stat().st_size > HEAD_SCRIPT_LIMIT
    ]
    assert not blocking, f"{name}: large scripts block the first paint from <head>: {blocking}"
    total = sum(p.stat().st_size for p in {p for p, *_ in scripts} | set(later))
    assert total <= JS_BUDGET, f"{name} loads {total:,} bytes of JavaScript (budget {JS_BUDGET:,}): " + ", ".join(
        f"{p.name} {p.stat().st_size:,}" for p in {p for p, *_ in scripts} | set(later)
    )


def _chart_pages() -> list[str]:
    return [n for n in pages() if 'class="tally-chart"' in (HTML / n).read_text(encoding="utf-8")]


LAYOUT = """() => {
  const out = {scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth, charts: []};
  for (const el of document.querySelectorAll('.tally-chart')) {
    const fig = el.closest('.tally-figure') || el;
    const box = fig.getBoundingClientRect();
    const svg = el.querySelector('svg');
    const s = svg ? svg.getBoundingClientRect() : {width: 0, left: 0, right: 0};
    const titles = [];
    for (const t of fig.querySelectorAll('.tally-title, .tally-subtitle')) {
      const r = t.getBoundingClientRect();
      titles.push({text: t.textContent.slice(0, 60), left: r.left, right: r.right,
                   overflow: t.scrollWidth - t.clientWidth, hidden: getComputedStyle(t).visibility === 'hidden'});
    }
    for (const t of el.querySelectorAll('svg g[class*="title"] text')) {
      const r = t.getBoundingClientRect();
      titles.push({text: t.textContent.slice(0, 60), left: r.left, right: r.right, overflow: 0,
                   hidden: false, clipped: /…$/.test(t.textContent)});
    }
    out.charts.push({id: el.id, container: el.clientWidth, scroll: el.scrollWidth - el.clientWidth,
                     svg: s.width, svgLeft: s.left, svgRight: s.right, figLeft: box.left, figRight: box.right, titles});
  }
  return out;
}"""


WIDE_TEXT = """() => {
  const cw = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('.bd-article *')) {
    if (el.getBoundingClientRect().right > cw + 1 && !el.closest('.tally-table-wrap, .pst-scrollable-table-container, pre, .tally-chart'))
      out.push(el.tagName.toLowerCase() + ': ' + (el.textContent || '').trim().slice(0, 60));
  }
  return {scroll: document.documentElement.scrollWidth - cw, wide: out.slice(0, 5)};
}"""

SETTLED = (
    "() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"
)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", pages())
def test_page_and_charts_fit_the_screen(browser, book_server, name, size):
    """Every page, with or without charts (the Data page, the codebooks and References hold long
    file paths and URLs), on a phone and a desktop: the page never scrolls sideways (wide tables
    scroll in their own box); every chart is drawn within its column and its titles are not cut."""
    if _is_redirect(_soup(name)):
        pytest.skip("redirect stub")
    visit = Visit(browser, "about:blank")
    try:
        visit.page.set_viewport_size({"width": size[0], "height": size[1]})
        visit.page.goto(f"{book_server}/{name}", wait_until="load")
        visit.wait_for_charts()
        visit.page.evaluate(SETTLED)  # fonts loaded and the layout drawn
        info = visit.page.evaluate(WIDE_TEXT)
        assert info["scroll"] <= 1, (
            f"{name} at {size[0]}x{size[1]} scrolls sideways by {info['scroll']}px; wide: {info['wide']}"
        )
        problems = []
        for c in visit.page.evaluate(LAYOUT)["charts"]:
            if c["scroll"] > 1 or c["svg"] > c["container"] + 1:
                problems.append(f"{c['id']}: drawing {c['svg']:.0f}px wide in a {c['container']}px column")
            for t in c["titles"]:
                if (
                    t["overflow"] > 1
                    or t["left"] < c["figLeft"] - 1
                    or t["right"] > c["figRight"] + 1
                    or t.get("clipped")
                ):
                    problems.append(f"{c['id']}: title {t['text']!r} is cut")
        assert not problems, f"{name} at {size[0]}x{size[1]}:\n  " + "\n  ".join(problems)
        assert visit.errors == [], visit.errors
    finally:
        visit.close()


CONTRAST = """() => {
  function rgb(s) { const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; }
  function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); }
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  }
  const out = [];
  for (const chart of document.querySelectorAll('.tally-chart')) {
    const bg = background(chart);
    // The SVG's own background rect, if the spec paints one.
    const bgRect = chart.querySelector('svg > g > path.background, svg > rect');
    let base = bg;
    if (bgRect) { const f = rgb(getComputedStyle(bgRect).fill); if (f && f.a > 0.5 && getComputedStyle(bgRect).fillOpacity !== '0') base = f; }
    for (const t of chart.querySelectorAll('svg text')) {
      if (!t.textContent.trim()) continue;
      const st = getComputedStyle(t);
      if (st.visibility === 'hidden' || st.display === 'none' || Number(st.opacity) === 0) continue;
      const c = rgb(st.fill);
      if (!c || Number(st.fillOpacity) === 0) continue;
      const a = c.a * Number(st.fillOpacity || 1) * Number(st.opacity || 1);
      const mix = {r: c.r * a + base.r * (1 - a), g: c.g * a + base.g * (1 - a), b: c.b * a + base.b * (1 - a)};
      const l1 = lum(mix), l2 = lum(base);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      out.push({chart: chart.id, text: t.textContent.slice(0, 40), ratio: Math.round(ratio * 100) / 100, fill: st.fill});
    }
  }
  return out;
}"""


@pytest.mark.parametrize("name", _chart_pages())
def test_dark_mode_chart_text_contrast(browser, book_server, name):
    visit = Visit(browser, f"{book_server}/{name}", mode="dark")
    try:
        assert visit.page.evaluate("document.documentElement.dataset.theme") == "dark"
        visit.wait_for_charts()
        texts = visit.page.evaluate(CONTRAST)
        assert texts, f"{name}: no chart text found"
        low = [t for t in texts if t["ratio"] < 4.5]
        assert not low, f"{name} (dark mode): chart text below 4.5:1:\n  " + "\n  ".join(
            f"{t['chart']}: {t['text']!r} {t['fill']} {t['ratio']}:1" for t in low[:20]
        )
        # The page background is dark: the chart is not a white rectangle.
        bg = visit.page.evaluate("""() => getComputedStyle(document.body).backgroundColor""")
        assert bg != "rgb(255, 255, 255)"
    finally:
        visit.close()
