"""The encryption scenario explorer in chapter 7, in headless chromium with the network blocked:
its inputs are native, labelled, set in percent and keyboard-reachable; moving them recomputes the
chart; the title always states the result of the current choices (and says that nothing is lost when
nothing is), rounded to 0.1 million. Needs `make book` first."""

from __future__ import annotations

import re

from conftest import Visit

PAGE = "/chapters/07-end-to-end-encryption.html"
FIG = "#fig-e2ee-scenario-explorer"


def _title(visit: Visit) -> str:
    """The chart's headline: lines of text computed in Vega from the current choices."""
    return visit.page.evaluate(
        """sel => {
            const t = [...document.querySelectorAll(sel + ' svg text')].map(e => { const ts = e.querySelectorAll('tspan'); return ts.length ? [...ts].map(x => x.textContent).join(' ') : e.textContent; }).join(' ');
            const m = t.replace(/\\s+/g, ' ').match(/(The model:|In this scenario).*?Published figures give [\\d.,]+–[\\d.,]+ million\\./);
            return m ? m[0].replace(/\\s+/g, ' ') : t;
        }""",
        FIG,
    )


def _all_text(visit: Visit) -> str:
    """Every text of the chart, its wrapped lines (<tspan>s) joined by single spaces."""
    return visit.page.evaluate(
        """sel => [...document.querySelectorAll(sel + ' svg text')].map(e => { const ts = e.querySelectorAll('tspan'); return ts.length ? [...ts].map(x => x.textContent).join(' ') : e.textContent; }).join(' ').replace(/\\s+/g, ' ')""",
        FIG,
    )


def _lost_millions(title: str) -> float | None:
    if title.startswith("In this scenario nothing is lost"):
        return 0.0
    m = re.search(r"about ([\d,.]+) million lost", title)
    return float(m.group(1).replace(",", "")) if m else None


def _wait_for_new_title(visit: Visit, old: str) -> str:
    visit.page.wait_for_function(
        """([sel, old]) => {
            const t = [...document.querySelectorAll(sel + ' svg text')].map(e => { const ts = e.querySelectorAll('tspan'); return ts.length ? [...ts].map(x => x.textContent).join(' ') : e.textContent; }).join(' ');
            return !t.replace(/\\s+/g, ' ').includes(old);
        }""",
        arg=[FIG, old[:60]],
        timeout=5_000,
    )
    return _title(visit)


def _set_range(visit: Visit, name: str, value: float) -> None:
    visit.page.locator(f"{FIG} input[type=range][name='{name}']").evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(value)
    )


def test_explorer_inputs_recompute_the_chart(browser, book_server):
    visit = Visit(browser, book_server + PAGE)
    try:
        visit.wait_for_charts()
        root = visit.page.locator(FIG)

        # native inputs, each with a visible label; the controls sit above the chart
        ranges = root.locator("input[type=range]")
        radios = root.locator("input[type=radio][name='scenario']")
        assert ranges.count() == 6 and radios.count() == 3
        for inp in [*ranges.all(), *radios.all()]:
            label = inp.evaluate("el => (el.closest('label') || {}).textContent || ''")
            assert label.strip(), "every input is labelled"
        assert root.locator("input[type=radio][value='messenger']").is_checked()
        above = root.evaluate("""el => {
            const b = el.querySelector('.vega-bindings'), s = el.querySelector('svg');
            return !!(b && s) && b.getBoundingClientRect().top < s.getBoundingClientRect().top; }""")
        assert above, "the controls sit above the chart"

        # shares are shown in percent, not as 0.7
        shown = root.locator("input[type=range][name='fb_pm']").evaluate(
            "el => (el.parentNode.querySelector('.vega-bind-value, output, span:not(.vega-bind-name)') || {}).textContent || ''"
        )
        assert shown.strip() == "70%", shown  # the chart loader shows 0-1 sliders in percent

        # default: Messenger only, rounded to 0.1 million, with the published range and Facebook's observed change
        default = _title(visit)
        assert default.startswith("The model: about ") and "of Facebook's" in default, default
        assert re.search(r"Published figures give \d+\.\d–\d+\.\d million\.", default), default
        lost0 = _lost_millions(default)
        assert lost0 and lost0 > 0
        observed = _all_text(visit)
        assert "Facebook's reports fell by " in observed, observed

        # fewer lost when more of the private-message reports are still found
        _set_range(visit, "fb_nf", 0.46)
        half = _wait_for_new_title(visit, default)
        assert abs(_lost_millions(half) - lost0 / 2) <= 0.1, (half, lost0)

        # a share of zero loses nothing, and the title says so
        _set_range(visit, "fb_pm", 0)
        nothing = _wait_for_new_title(visit, half)
        assert nothing.startswith("In this scenario nothing is lost"), nothing

        # Instagram's controls do nothing in "Messenger only": the title does not change with them
        _set_range(visit, "ig_pm", 0.9)
        visit.page.wait_for_timeout(200)
        assert _title(visit) == nothing

        # choosing Messenger and Instagram Direct: the title names both, and Instagram's share now counts
        root.locator("input[type=radio][value='meta']").check()
        both = _wait_for_new_title(visit, nothing)
        assert "Facebook's and Instagram's" in both and _lost_millions(both) > 0, both
        observed = _all_text(visit)
        assert "Facebook's and Instagram's reports fell by " in observed, observed

        # keyboard: focus Instagram's slider and step it down -> fewer lost
        ig = root.locator("input[type=range][name='ig_pm']")
        ig.focus()
        visit.page.keyboard.press("ArrowLeft")
        after_key = _wait_for_new_title(visit, both)
        assert _lost_millions(after_key) < _lost_millions(both)

        # every service with private messages: more lost than with Meta's two
        root.locator("input[type=radio][value='all']").check()
        everything = _wait_for_new_title(visit, after_key)
        assert "all companies'" in everything and _lost_millions(everything) >= _lost_millions(after_key), everything

        # controls that do nothing in the current mode are disabled (usermeta.tally.enable_when), and look it
        def state(name: str) -> tuple[bool, str | None, bool]:
            return root.locator(f"input[type=range][name='{name}']").evaluate(
                "el => [el.disabled, el.getAttribute('aria-disabled'), el.closest('.vega-bind').classList.contains('tally-bind-disabled')]"
            )

        assert all(
            tuple(state(n)) == (False, None, False)
            for n in ("fb_pm", "fb_nf", "ig_pm", "ig_nf", "other_pm", "other_nf")
        )
        root.locator("input[type=radio][value='meta']").check()
        visit.page.wait_for_function(
            f"() => document.querySelector(\"{FIG} input[name='other_pm']\").disabled", timeout=5_000
        )
        assert tuple(state("other_pm")) == (True, "true", True) and tuple(state("other_nf")) == (True, "true", True)
        assert tuple(state("ig_pm")) == (False, None, False)
        root.locator("input[type=radio][value='messenger']").check()
        visit.page.wait_for_function(
            f"() => document.querySelector(\"{FIG} input[name='ig_pm']\").disabled", timeout=5_000
        )
        for n in ("ig_pm", "ig_nf", "other_pm", "other_nf"):
            assert tuple(state(n)) == (True, "true", True), n
        for n in ("fb_pm", "fb_nf"):
            assert tuple(state(n)) == (False, None, False), n
        greyed = root.locator(".vega-bind.tally-bind-disabled .vega-bind-name").first.evaluate(
            "el => getComputedStyle(el).color"
        )
        live = root.locator("input[name='fb_pm']").evaluate(
            "el => getComputedStyle(el.closest('.vega-bind').querySelector('.vega-bind-name')).color"
        )
        assert greyed != live, "a disabled control looks disabled"

        # a reset button in the controls panel, reachable from the keyboard, puts every control back
        reset = root.locator(".tally-controls button[type=button]", has_text="Reset")
        assert reset.count() == 1
        fb_pm = root.locator("input[type=range][name='fb_pm']")
        assert fb_pm.input_value() != "0.7"  # moved above
        fb_pm.focus()
        for _ in range(12):
            visit.page.keyboard.press("Tab")
            if visit.page.evaluate("() => document.activeElement.classList.contains('tally-reset')"):
                break
        else:
            raise AssertionError("the reset button is not reachable with Tab")
        outline = visit.page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), "the reset button shows keyboard focus"
        before_reset = _title(visit)
        visit.page.keyboard.press("Enter")
        after_reset = _wait_for_new_title(visit, before_reset)
        assert _lost_millions(after_reset) == lost0 and after_reset == default, (after_reset, default)
        assert root.locator("input[type=radio][value='messenger']").is_checked()
        assert fb_pm.input_value() == "0.7"
        assert root.locator("input[type=range][name='fb_nf']").input_value() == "0.92"
        shown = fb_pm.evaluate("el => el.parentNode.querySelector('span.tally-percent').textContent")
        assert shown.strip() == "70%" and fb_pm.get_attribute("aria-valuetext") == "70%", shown
        assert root.locator("input[type=range][name='ig_pm']").is_disabled()

        assert visit.errors == [], visit.errors
        assert visit.foreign == [], visit.foreign
    finally:
        visit.close()


def test_dot_chart_legend_has_a_symbol_for_every_year(browser, book_server):
    visit = Visit(browser, book_server + PAGE)
    try:
        visit.wait_for_charts()
        legend = visit.page.locator("#fig-e2ee-reports-2023-2024 svg .role-legend")
        labels = legend.locator(".role-legend-label text").all_text_contents()
        assert labels == ["2023", "2024", "2025"], labels
        symbols = legend.locator(".role-legend-symbol path")
        assert symbols.count() == 3
        for i in range(3):
            stroke = symbols.nth(i).get_attribute("stroke")
            assert stroke and stroke not in ("transparent", "none"), f"legend symbol {i} is invisible"
        assert visit.errors == [], visit.errors
    finally:
        visit.close()
