"""The encryption scenario explorer in chapter 7, in headless chromium with the network blocked:
its inputs are native, labelled and keyboard-reachable, and moving them recomputes the chart
(the total of reports lost, a text mark computed in Vega, changes). Needs `make book` first."""
from __future__ import annotations

import re

from conftest import Visit

PAGE = "/chapters/07-end-to-end-encryption.html"
FIG = "#fig-e2ee-scenario-explorer"


def _lost(visit: Visit) -> int:
    text = visit.page.locator(f"{FIG} svg text", has_text="In this scenario").first.text_content()
    m = re.search(r"In this scenario ([\d,]+) of the ([\d,]+)", text or "")
    assert m, f"no total in the explorer: {text!r}"
    return int(m.group(1).replace(",", ""))


def _wait_for_change(visit: Visit, old: int) -> int:
    visit.page.wait_for_function(
        """([sel, old]) => {
            const t = [...document.querySelectorAll(sel + ' svg text')].map(e => e.textContent)
                .find(s => s.startsWith('In this scenario'));
            return t && parseInt(t.replace('In this scenario ', '').split(' ')[0].replace(/,/g, '')) !== old;
        }""", arg=[FIG, old], timeout=5_000)
    return _lost(visit)


def _set_range(visit: Visit, name: str, value: float) -> None:
    visit.page.locator(f"{FIG} input[type=range][name='{name}']").evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(value))


def test_explorer_inputs_recompute_the_chart(browser, book_server):
    visit = Visit(browser, book_server + PAGE)
    try:
        visit.wait_for_charts()
        root = visit.page.locator(FIG)

        # native inputs, each with a visible label
        ranges = root.locator("input[type=range]")
        radios = root.locator("input[type=radio][name='scenario']")
        boxes = root.locator("input[type=checkbox]")
        assert ranges.count() == 4 and radios.count() == 4 and boxes.count() >= 2
        for inp in [*ranges.all(), *radios.all(), *boxes.all()]:
            label = inp.evaluate("el => (el.closest('label') || {}).textContent || ''")
            assert label.strip(), "every input is labelled"
        assert root.locator("input[type=radio][value='meta']").is_checked()

        default = _lost(visit)
        assert default > 0

        # slider: more found by other means -> fewer lost
        _set_range(visit, "found", 0.5)
        half = _wait_for_change(visit, default)
        assert abs(half - default / 2) <= 1

        # selection: every service with private messages -> more lost
        root.locator("input[type=radio][value='all']").check()
        everything = _wait_for_change(visit, half)
        assert everything > half

        # keyboard: focus the Facebook slider and step it down
        fb = root.locator("input[type=range][name='fb_share']")
        fb.focus()
        visit.page.keyboard.press("ArrowLeft")
        after_key = _wait_for_change(visit, everything)
        assert after_key < everything

        # custom selection with no service type ticked loses nothing
        root.locator("input[type=radio][value='custom']").check()
        for box in boxes.all():
            if box.is_checked():
                box.uncheck()
        visit.page.wait_for_function(
            "sel => [...document.querySelectorAll(sel + ' svg text')].some(e => e.textContent.startsWith('In this scenario 0 of'))",
            arg=FIG, timeout=5_000)

        assert visit.errors == [], visit.errors
        assert visit.foreign == [], visit.foreign
    finally:
        visit.close()
