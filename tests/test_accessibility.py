"""Accessibility of the built book, in headless Debian chromium with the network blocked.

1. axe-core (pinned in package.json; `npm ci` installs it into node_modules/) runs on every
   page once its charts have drawn, with the WCAG 2.0/2.1/2.2 A and AA rules, in the theme's
   light mode (the default) and in its dark mode (a reader's choice, remembered by the theme).
   Any violation of impact "serious" or "critical" fails, listed with rule, impact, targets, help.
2. Keyboard: tabbing through a chart page reaches the chart's export menu (vega-embed's
   actions), any chart input, the CSV download and the data table's <summary>; Enter opens it.

Needs `make book` first (make test does it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import HTML, ROOT, Visit, pages

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
CHART_PAGE = "chapters/01-the-claim.html"


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run 'npm ci' (make test does it)")
    return AXE


REFRESH = re.compile(r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]+url=([^"'>\s]+)""", re.I)


def redirect_target(name: str) -> str | None:
    """The page a redirect stub (Jupyter Book's index.html) sends the reader to, else None."""
    m = REFRESH.search((HTML / name).read_text(encoding="utf-8", errors="replace")[:2000])
    return m.group(1) if m else None


def _open(browser, server: str, name: str, mode: str) -> Visit:
    # Dark mode: the reader's choice, stored by the theme before the page loads (conftest.Visit).
    visit = Visit(browser, f"{server}/{name}", mode=None if mode == "light" else mode)
    target = redirect_target(name)
    if target:  # a stub that redirects at once: the reader sees (and axe checks) its target
        visit.page.wait_for_url(f"**/{target}", timeout=15_000)
        visit.page.wait_for_load_state("load")
    visit.wait_for_charts()
    visit.page.wait_for_load_state("networkidle")
    return visit


def run_axe(page, script: Path) -> list[dict]:
    """axe.run() on the whole document; returns its violations."""
    page.add_script_tag(path=str(script))
    return page.evaluate(
        """async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']})).violations""",
        TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl'].split('?')[0]})")
        for node in v["nodes"][:10]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " | ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", pages())
def test_no_serious_axe_violations(browser, book_server, axe_script, name, mode):
    visit = _open(browser, book_server, name, mode)
    try:
        assert visit.page.evaluate("document.documentElement.dataset.theme") == mode
        violations = run_axe(visit.page, axe_script)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            pytest.fail(f"{name} ({mode} mode): axe found\n{describe(blocking)}", pytrace=False)
    finally:
        visit.close()


def _focus_path(page, limit: int = 600) -> list[dict]:
    """Press Tab from the top of the page until focus comes back to an element it has visited;
    describe each focused element."""
    seen = []
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """n => { const el = document.activeElement;
            if (!el || el === document.body) return null;
            if (el.dataset.tabStop) return {again: true};
            el.dataset.tabStop = String(n);
            const fig = el.closest('.tally-figure');
            return {tag: el.tagName.toLowerCase(), figure: fig ? fig.id : null,
                    text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 60),
                    actions: !!el.closest('.vega-embed') && !!el.closest('.vega-embed > details'),
                    input: !!el.closest('.vega-bindings'),
                    summary: el.matches('.tally-data > summary'),
                    download: el.matches('.tally-download a')}; }""",
            len(seen),
        )
        if info is None:
            continue
        if info.get("again"):
            break
        seen.append(info)
    return seen


def test_keyboard_reaches_chart_controls_and_data_table(browser, book_server):
    visit = _open(browser, book_server, CHART_PAGE, "light")
    try:
        page = visit.page
        path = _focus_path(page)
        figures = page.eval_on_selector_all(".tally-figure", "els => els.map(e => e.id)")
        assert figures, f"{CHART_PAGE} has no chart figure"
        for fig in figures:
            stops = [s for s in path if s["figure"] == fig]
            assert any(s["actions"] for s in stops), f"{fig}: Tab never reaches the chart's export menu: {stops}"
            assert any(s["download"] for s in stops), f"{fig}: Tab never reaches the CSV download: {stops}"
            assert any(s["summary"] for s in stops), f"{fig}: Tab never reaches the data table's summary: {stops}"
            n_inputs = page.locator(f"#{fig} .vega-bindings input, #{fig} .vega-bindings select").count()
            assert sum(s["input"] for s in stops) >= n_inputs, f"{fig}: some chart inputs are not reachable by Tab"
        # The data table opens from the keyboard.
        summary = page.locator(f"#{figures[0]} .tally-data > summary")
        summary.focus()
        page.keyboard.press("Enter")
        assert page.locator(f"#{figures[0]} .tally-data").evaluate("d => d.open")
        assert page.locator(f"#{figures[0]} table.tally-table").is_visible()
        # So does the export menu.
        menu = page.locator(f"#{figures[0]} .vega-embed > details > summary")
        menu.focus()
        page.keyboard.press("Enter")
        assert page.locator(f"#{figures[0]} .vega-actions a").first.is_visible()
    finally:
        visit.close()
