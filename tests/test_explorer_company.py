"""Chapter 3's company explorer in headless Debian chromium, with the network blocked.

The chart opens on Meta (empty search box). Typing part of a company's name in the "Company"
search box, from the keyboard, picks the first matching company: the title, the summary line, the
highlighted company in the ranking and the drawn SVG all change; typing a service's name finds its
company ("tiktok" finds ByteDance); a text that matches nothing says so instead of keeping the last
company's title. Choosing a full name (as the browser's suggestion list does) selects it exactly.
No console error, no request to another host. Needs `make book` first (make test does it)."""

from __future__ import annotations

import re

from conftest import Visit

PAGE = "chapters/03-who-reports.html"
FIGURE = "#fig-who-company-explorer"  # the chart (its SVG)
PANEL = "#fig-who-company-explorer-figure"  # the whole figure: controls panel above the chart
TITLE_MARKS = ("more than half", "largest yearly count", "No company in the list matches")


def _squash(text: str) -> str:
    """Text without whitespace: a wrapped title's lines are separate <tspan>s."""
    return re.sub(r"\s+", "", text)


def _texts(visit: Visit) -> list[str]:
    return visit.page.locator(f"{FIGURE} svg text").all_text_contents()


def _title(visit: Visit) -> str:
    titles = visit.page.locator(f"{FIGURE} svg .role-title-text").all_text_contents()
    found = [t for t in titles if any(_squash(m) in _squash(t) for m in TITLE_MARKS)]
    assert len(found) == 1, titles
    return found[0]


def _summary(visit: Visit) -> str:
    # Three lines (<tspan>s): "<company> in <year>:", "<n> reports, <share> of ESP reports,", "rank <r> of <n> companies".
    lines = [
        t for t in _texts(visit) if (" in " in t and "of ESP reports," in t and "rank " in t) or "is not in NCMEC" in t
    ]
    assert len(lines) == 1, lines
    return lines[0]


def _wait_title(visit: Visit, start: str) -> None:
    visit.page.wait_for_function(
        "([sel, start]) => Array.from(document.querySelectorAll(sel + ' svg .role-title-text'))"
        ".some(t => t.textContent.replace(/\\s+/g, '').startsWith(start.replace(/\\s+/g, '')))",
        arg=[FIGURE, start],
        timeout=5_000,
    )


def test_typing_part_of_a_name_updates_title_summary_and_views(browser, book_server):
    visit = Visit(browser, f"{book_server}/{PAGE}")
    try:
        assert visit.wait_for_charts() >= 1
        page = visit.page
        chart = page.locator(FIGURE)

        # Default state: Meta, ranked first, named in the ranking; the title says what holds for Meta.
        title = _title(visit)
        assert title.startswith("Meta") and "more than half" in title, title
        before = _summary(visit)
        assert before.startswith("Meta in ") and "rank 1 of " in before and "companies" in before, before
        assert "Meta" in _texts(visit)
        svg_before = chart.locator("svg").first.inner_html()

        # The company box is a labelled search input in the figure's controls.
        bind = page.locator(PANEL).locator(".vega-bind", has_text="Company")
        assert bind.locator(".vega-bind-name").inner_text().strip() == "Company"
        box = bind.locator("input")
        assert box.get_attribute("type") == "search"
        assert box.input_value() == ""

        # Type part of a name from the keyboard: the first match is shown at once.
        box.focus()
        page.keyboard.type("goo", delay=30)
        _wait_title(visit, "Google (Alphabet)")
        title = _title(visit)
        assert "largest yearly count" in title and "more than half" not in title, title
        after = _summary(visit)
        assert after.startswith("Google (Alphabet) in ") and after != before, after
        texts = _texts(visit)
        assert "Google (Alphabet)" in texts and "Meta" not in texts, "the ranking must name the chosen company only"
        assert chart.locator("svg").first.inner_html() != svg_before

        # The box is linked to the list of names the browser offers as the reader types.
        list_id = box.get_attribute("list")
        assert list_id == "fig-who-company-explorer-find-list", list_id
        values = page.eval_on_selector_all(f"datalist#{list_id} option", "os => os.map(o => o.value)")
        assert "Google (Alphabet)" in values and "X Corp. (Twitter)" in values and "Meta" in values

        # Choosing a full name (what picking a suggestion does) selects exactly that company.
        box.fill("X Corp. (Twitter)")
        _wait_title(visit, "X Corp. (Twitter)")
        assert _summary(visit).startswith("X Corp. (Twitter) in ")

        # A service's name finds its company.
        box.fill("")
        page.keyboard.type("tiktok", delay=10)
        _wait_title(visit, "ByteDance")

        # A text that matches nothing says so; no company's title or summary stays on screen.
        box.fill("zzzz")
        _wait_title(visit, "No company in the list matches")
        assert "zzzz" in _title(visit)
        assert not [t for t in _texts(visit) if "of ESP reports," in t]

        # Emptying the box goes back to Meta.
        box.fill("")
        _wait_title(visit, "Meta made more than half")

        # The reset button in the controls panel puts the box and the year back to their defaults.
        box.fill("goo")
        _wait_title(visit, "Google (Alphabet)")
        year = page.locator(PANEL).locator(".vega-bind", has_text="Year").locator("select")
        default_year = year.input_value()
        year.select_option("2019")
        page.wait_for_function(
            "sel => Array.from(document.querySelectorAll(sel + ' svg text')).some(t => t.textContent.startsWith('Google (Alphabet) in 2019'))",
            arg=FIGURE,
            timeout=5_000,
        )
        reset = page.locator(PANEL).locator(".tally-controls button[type=button]", has_text="Reset")
        assert reset.count() == 1
        reset.click()
        _wait_title(visit, "Meta made more than half")
        assert box.input_value() == "" and year.input_value() == default_year
        assert _summary(visit).startswith(f"Meta in {default_year}:")

        page.wait_for_load_state("networkidle")
        assert visit.foreign == [], f"requests to other hosts: {visit.foreign}"
        assert visit.errors == [], f"console errors: {visit.errors}"
    finally:
        visit.close()


def test_year_list_changes_the_rank_line(browser, book_server):
    visit = Visit(browser, f"{book_server}/{PAGE}")
    try:
        assert visit.wait_for_charts() >= 1
        select = visit.page.locator(PANEL).locator(".vega-bind", has_text="Year").locator("select")
        select.select_option("2019")
        visit.page.wait_for_function(
            "sel => Array.from(document.querySelectorAll(sel + ' svg text')).some(t => t.textContent.startsWith('Meta in 2019'))",
            arg=FIGURE,
            timeout=5_000,
        )
        assert "rank 1 of " in _summary(visit)
        assert visit.errors == [], f"console errors: {visit.errors}"
    finally:
        visit.close()
