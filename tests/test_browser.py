"""Every page of the built book in headless Debian chromium, with the network blocked:
no request may leave 127.0.0.1, no console error may appear, every chart must draw marks,
and chart tooltips must work. Needs `make book` first (make test does it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import HTML, MARKS, Visit, pages, serve


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
            # The chart fits its column on a desktop screen: nothing clipped or scrolled sideways.
            overflow = chart.evaluate("el => el.scrollWidth - el.clientWidth")
            assert overflow <= 1, f"{name}: chart {chart.get_attribute('id')} is {overflow}px wider than its column"
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
        encoding="utf-8",
    )
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


def test_tooltip_works_on_tap(browser, book_server):
    """On a phone (touch, no mouse) a tap on a mark shows its tooltip."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{book_server}/chapters/01-the-claim.html", wait_until="load")
        page.wait_for_function(
            "() => document.querySelector('#fig-claim-reports-by-esp-2019')?.getAttribute('data-rendered') === 'true'",
            timeout=30_000,
        )
        bar = page.locator("#fig-claim-reports-by-esp-2019 svg g.mark-rect path").first
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()  # tap the bar itself, left of its value label
        page.touchscreen.tap(box["x"] + min(12, box["width"] / 2), box["y"] + box["height"] / 2)
        tip = page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible", timeout=5_000)
        assert "15,884,511" in tip.inner_text()
    finally:
        context.close()


def test_header_has_one_menu_one_search_and_no_fullscreen(browser, book_server):
    visit = Visit(browser, f"{book_server}/chapters/02-a-quarter-century.html")
    try:
        page = visit.page
        assert page.locator(".article-header-buttons .dropdown").count() == 1, "launch and download in one menu"
        items = page.locator(".article-header-buttons .dropdown-menu a, .article-header-buttons .dropdown-menu button")
        texts = " | ".join(items.all_inner_texts())
        assert "notebook" in texts.lower() and "Binder" in texts and "Colab" in texts, texts
        assert page.locator("[onclick*='toggleFullScreen'], .fa-expand").count() == 0, "full-screen button"
        visible_search = page.locator(".search-button-field:visible, .search-button:visible")
        assert visible_search.count() == 1, f"{visible_search.count()} search boxes visible on desktop"
        # Every header button shows where the keyboard focus is.
        for button in page.locator(".bd-header-article button:visible, .bd-header-article a.btn:visible").all():
            button.focus()
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")
            style = button.evaluate(
                "el => { const s = getComputedStyle(document.activeElement); "
                "return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
            )
            assert style[0] != "none" and style[1] != "0px" or style[2] != "none", f"no focus ring: {style}"
        # No icon web font and no icon script of 1.5 MB.
        assert page.locator("script[src*='fontawesome']").count() == 0
    finally:
        visit.close()


def test_phone_header_has_few_icons(browser, book_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{book_server}/chapters/02-a-quarter-century.html", wait_until="load")
        buttons = page.locator(".bd-header-article button:visible, .bd-header-article a.btn:visible")
        assert 1 <= buttons.count() <= 5, buttons.evaluate_all("els => els.map(e => e.outerHTML.slice(0, 80))")
    finally:
        context.close()


def test_controls_sit_above_their_chart(browser, book_server):
    visit = Visit(browser, f"{book_server}/chapters/02-a-quarter-century.html")
    try:
        visit.wait_for_charts()
        panels = visit.page.locator(".tally-controls")
        assert panels.count() >= 1, "chapter 2's scale switch is not in a controls panel"
        for panel in panels.all():
            chart_svg = panel.locator("xpath=..").locator(".vega-embed svg").first
            assert panel.bounding_box()["y"] + panel.bounding_box()["height"] <= chart_svg.bounding_box()["y"] + 1
            assert panel.locator(".vega-bindings").count() == 1
    finally:
        visit.close()
