"""The claims ledger (issue 11 §4): data/claims.csv and chapters/claims-ledger.ipynb.

Quick checks (no build): every claim has a source and a verdict from the fixed vocabulary; a claim
whose implied unit the data package holds has a computed comparison (a glue key), and so does every
verdict other than "cannot be checked"; every glue key is glued in the executed notebook; the page
shows every claim with its own anchor; the reasoning types no computed figure.

Browser checks (on the built book; `TALLY_HTML_DIR` may point at another build): the filters, the
sortable headers (buttons with aria-sort), a link to one claim that a filter hides, the CSV download,
keyboard use, and a 390 px phone without sideways scrolling.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import HTML, ROOT, serve

CLAIMS = ROOT / "data" / "claims.csv"
NOTEBOOK = ROOT / "chapters" / "claims-ledger.ipynb"
META = yaml.safe_load((ROOT / "data" / "metadata.yaml").read_text(encoding="utf-8"))

#: implied units the data package holds (a comparison is required) and those it does not.
HELD = {
    "reports",
    "reports from companies",
    "reports from one company",
    "share of reports",
    "change in reports",
    "images",
    "files",
    "change in files",
    "content actioned",
    "signatory governments",
}
NOT_HELD = {
    "share of images",
    "change in images",
    "files from one company",
    "incidents from one company",
    "reports from one service's messages",
    "share of a company's reports from its messages",
    "reports lost to encryption (forecast)",
    "referrals to UK police lost to encryption (forecast)",
    "a company's own sample of its reports",
    "reports by EU providers under the interim derogation",
}
YEARS = re.compile(r"\b(?:199[89]|20[0-3]\d)\b|\bQ[1-4]\b")


def _field(name: str) -> dict:
    table = next(t for t in META["tables"] if t["name"] == "claims")
    return next(f for f in table["fields"] if f["name"] == name)


def _claims() -> list[dict]:
    with CLAIMS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _sources() -> set[str]:
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8", newline="") as fh:
        return {r["source_id"] for r in csv.DictReader(fh)}


def _notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def _glued(nb) -> dict[str, str]:
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                out[name] = o["data"].get("application/papermill.record/text/plain", "")
    return out


def _ledger_html(nb) -> str:
    pages = [
        o["data"]["text/html"]
        for c in nb.cells
        for o in c.get("outputs", [])
        if "text/html" in o.get("data", {}) and "tally-ledger" in o["data"]["text/html"]
    ]
    assert len(pages) == 1, "the notebook shows the ledger exactly once"
    return pages[0]


# --- quick: the data ------------------------------------------------------------------------------


def test_the_vocabularies_are_the_schemas():
    assert set(_field("implied_unit")["constraints"]["enum"]) == HELD | NOT_HELD, (
        "classify every implied unit as held or not held here (and in the notebook's HELD)"
    )
    assert not HELD & NOT_HELD
    assert len(_field("verdict")["constraints"]["enum"]) == 5


def test_every_claim_has_a_source_a_verdict_and_a_comparison_where_the_data_allow():
    verdicts = set(_field("verdict")["constraints"]["enum"])
    sources = _sources()
    claims = _claims()
    assert len(claims) >= 15
    problems = []
    for c in claims:
        cid = c["claim_id"]
        if not c["source_id"] or c["source_id"] not in sources:
            problems.append(f"{cid}: no source in sources.csv")
        if c["verdict"] not in verdicts:
            problems.append(f"{cid}: verdict {c['verdict']!r} not in the vocabulary")
        if not c["reasoning"].strip():
            problems.append(f"{cid}: no reasoning")
        if c["implied_unit"] in HELD and not c["glue_key"]:
            problems.append(f"{cid}: the data hold '{c['implied_unit']}', but there is no computed comparison")
        if c["verdict"] != "cannot be checked" and not c["glue_key"]:
            problems.append(f"{cid}: a verdict other than 'cannot be checked' needs a computed comparison")
        if c["verdict"] == "cannot be checked" and c["implied_unit"] in HELD:
            problems.append(f"{cid}: 'cannot be checked', yet the data hold '{c['implied_unit']}'")
    keys = [c["glue_key"] for c in claims if c["glue_key"]]
    assert len(keys) == len(set(keys)), "glue keys are unique"
    assert not problems, "\n".join(problems)


def test_the_reasoning_types_no_computed_figure():
    """Figures are computed and glued ("what the data show"); the reasoning is words (years allowed)."""
    typed = [
        f"{c['claim_id']}: {c['reasoning']}" for c in _claims() if re.search(r"\d", YEARS.sub(" ", c["reasoning"]))
    ]
    assert not typed, "numbers typed into the reasoning:\n" + "\n".join(typed)


# --- quick: the executed notebook -----------------------------------------------------------------


def test_every_glue_key_is_in_the_executed_notebook():
    glued = _glued(_notebook())
    missing = [c["glue_key"] for c in _claims() if c["glue_key"] and c["glue_key"] not in glued]
    assert not missing, f"not glued in {NOTEBOOK.name} (re-execute it): {missing}"
    empty = [c["glue_key"] for c in _claims() if c["glue_key"] and not glued[c["glue_key"]].strip("'\" ")]
    assert not empty


def test_the_page_shows_every_claim_with_its_own_anchor_and_the_vocabulary():
    nb = _notebook()
    page = _ledger_html(nb)
    claims = _claims()
    for c in claims:
        assert f'<tr id="{c["claim_id"]}"' in page, f"{c['claim_id']}: no row with its anchor"
        assert f'href="#{c["claim_id"]}">Link to this claim</a>' in page, f"{c['claim_id']}: no visible permalink"
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids on the page are unique"
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for v in _field("verdict")["constraints"]["enum"]:
        assert f"**{v}**" in prose, f"the page does not define the verdict {v!r}"
    sources_cell = next(c.source for c in nb.cells if c.cell_type == "markdown" and "## Sources" in c.source)
    cited = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", " ".join(re.findall(r"\{cite:p\}`([^`]*)`", sources_cell))))
    assert {c["source_id"] for c in claims} <= cited, "every claim's source is cited under Sources"
    m = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)" download="claims-ledger.csv"', page)
    assert m, "the page offers the ledger as CSV"
    rows = list(csv.DictReader(io.StringIO(base64.b64decode(m.group(1)).decode("utf-8"))))
    assert [r["claim_id"] for r in rows] and {r["claim_id"] for r in rows} == {c["claim_id"] for c in claims}
    assert {"verdict", "what_the_data_show", "source_url", "quote"} <= set(rows[0])


# --- browser: the built page ----------------------------------------------------------------------


def _built_page() -> Path:
    html = Path(os.environ.get("TALLY_HTML_DIR", HTML))
    page = html / "chapters" / "claims-ledger.html"
    in_toc = "chapters/claims-ledger" in (ROOT / "_toc.yml").read_text(encoding="utf-8")
    if not page.exists():
        if in_toc and (html / "index.html").exists():
            pytest.fail(f"{page} is missing although _toc.yml lists the ledger")
        pytest.skip("the claims ledger is not in this build (not yet in _toc.yml)")
    return page


@pytest.fixture(scope="module")
def ledger_url():
    page = _built_page()
    server = serve(page.parent.parent)
    yield f"http://127.0.0.1:{server.server_address[1]}/chapters/claims-ledger.html"
    server.shutdown()


def _visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(".tally-ledger tbody tr", "rs => rs.filter(r => !r.hidden).map(r => r.id)")


@pytest.mark.browser
def test_filters_sorting_anchor_and_keyboard(browser, ledger_url):
    claims = _claims()
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(ledger_url, wait_until="load")
    assert page.locator(".tally-ledger-controls").is_visible()
    status = page.locator(".tally-ledger-status")
    assert status.inner_text() == f"Showing all {len(claims)} claims"

    # Filter by verdict, then by claimant as well (labelled selects).
    page.get_by_label("Verdict", exact=True).select_option("cannot be checked")
    want = {c["claim_id"] for c in claims if c["verdict"] == "cannot be checked"}
    assert set(_visible_ids(page)) == want
    assert status.inner_text() == f"Showing {len(want)} of {len(claims)} claims"
    page.get_by_label("Claimant", exact=True).select_option("governments")
    want = {
        c["claim_id"] for c in claims if c["verdict"] == "cannot be checked" and c["claimant_group"] == "governments"
    }
    assert set(_visible_ids(page)) == want

    # A link to a claim the filters hide shows it (and clears the filters).
    hidden = next(c["claim_id"] for c in claims if c["verdict"] == "accurate")
    page.evaluate(f"window.location.hash = '{hidden}'")
    page.wait_for_function(f"!document.getElementById('{hidden}').hidden")
    assert len(_visible_ids(page)) == len(claims)

    # Sorting by keyboard: the Date header's button toggles aria-sort; rows follow.
    date_th = page.locator("th[data-sort='Date']")
    assert date_th.get_attribute("aria-sort") == "ascending"
    date_th.locator("button").focus()
    page.keyboard.press("Enter")
    assert date_th.get_attribute("aria-sort") == "descending"
    dates = page.eval_on_selector_all(".tally-ledger tbody tr", "rs => rs.map(r => r.dataset.sortDate)")
    assert dates == sorted(dates, reverse=True)
    verdict_th = page.locator("th[data-sort='Verdict']")
    verdict_th.locator("button").click()
    assert verdict_th.get_attribute("aria-sort") == "ascending" and date_th.get_attribute("aria-sort") is None

    # Search, then "Show all claims" by keyboard.
    page.get_by_role("searchbox", name="Search the claims").fill("images")
    assert 0 < len(_visible_ids(page)) < len(claims)
    page.locator("button[data-action='reset']").focus()
    page.keyboard.press("Enter")
    assert len(_visible_ids(page)) == len(claims)
    assert not errors, errors
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_ledger_fits_a_phone(browser, ledger_url, theme):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.goto(ledger_url, wait_until="load")
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways"
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.tally-ledger tbody tr')]"
        ".map(r => r.getBoundingClientRect().right))"
    )
    assert widest <= 390
    # On a phone the sort buttons stay reachable above the cards.
    assert page.locator("th[data-sort='Date'] button").is_visible()
    ctx.close()
