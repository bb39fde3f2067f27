"""Chapter 3's company explorer in headless Debian chromium, with the network blocked:
the chart draws with Meta selected; choosing another company in the "Company" list
(a native <select> that vega-embed binds to the chart's parameter) changes the
summary line, the highlighted company in the ranking and the drawn SVG; no console
error, no request to another host. Needs `make book` first (make test does it)."""
from __future__ import annotations

from conftest import Visit

PAGE = "chapters/03-who-reports.html"
FIGURE = "#fig-who-company-explorer"
OTHER = "X Corp. (Twitter)"


def _texts(visit: Visit) -> list[str]:
    return visit.page.locator(f"{FIGURE} svg text").all_text_contents()


def _summary(visit: Visit) -> str:
    lines = [t for t in _texts(visit) if " in " in t and ": " in t and ", rank " in t]
    assert len(lines) == 1, lines
    return lines[0]


def test_choosing_a_company_updates_every_view(browser, book_server):
    visit = Visit(browser, f"{book_server}/{PAGE}")
    try:
        assert visit.wait_for_charts() >= 1
        chart = visit.page.locator(FIGURE)

        # Default state: Meta, ranked first, named in the ranking.
        before = _summary(visit)
        assert before.startswith("Meta in ") and "rank 1 of " in before, before
        assert "Meta" in _texts(visit)
        svg_before = chart.locator("svg").first.inner_html()

        # The company list is a native, labelled <select> inside the figure.
        bind = chart.locator(".vega-bind", has_text="Company")
        assert bind.locator(".vega-bind-name").inner_text().strip() == "Company"
        select = bind.locator("select")
        assert select.input_value() == "Meta"
        select.select_option(OTHER)
        visit.page.wait_for_function(
            "([sel, name]) => Array.from(document.querySelectorAll(sel + ' svg text'))"
            ".some(t => t.textContent.startsWith(name + ' in '))",
            arg=[FIGURE, OTHER], timeout=5_000)

        after = _summary(visit)
        assert after.startswith(f"{OTHER} in ") and after != before, after
        texts = _texts(visit)
        assert OTHER in texts and "Meta" not in texts, "the ranking must name the chosen company only"
        assert chart.locator("svg").first.inner_html() != svg_before

        visit.page.wait_for_load_state("networkidle")
        assert visit.foreign == [], f"requests to other hosts: {visit.foreign}"
        assert visit.errors == [], f"console errors: {visit.errors}"
    finally:
        visit.close()
