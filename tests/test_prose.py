"""No number in the book's prose is typed by hand: every figure in a sentence is glued from
the notebook that computes it. This test reads every markdown cell of every chapter (and the
Markdown pages) and fails on any digit that is not a year, a quarter or part of markup
(glue, citations, cross-references, code, links)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
PAGES = [ROOT / "intro.md", ROOT / "chapters" / "glossary.md"]

MARKUP = [
    re.compile(r"\{[a-z:]+\}`[^`]*`"),  # roles: {glue:text}`...`, {cite:p}`...`, {doc}`...`
    re.compile(r"^```(?!\{).*?^```", re.S | re.M),  # fenced code (but not directives: their text is prose)
    re.compile(r"^```+.*$", re.M),  # directive fences: ```{admonition} Key points / ```
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),  # bare URLs
    re.compile(r"^\s*:[a-z-]+:.*$", re.M),  # directive options (:class: tip)
    re.compile(r"^#+ ", re.M),  # heading markers
    re.compile(r"\([a-z0-9-]+\)="),  # MyST targets
]
# Allowed names that contain digits (identifiers, not figures), list markers, and the constant
# one in a formula written out in words ("1 − share").
NAMES = re.compile(
    r"\bMD5\b|\bE2EE\b|ISO 3166-1|CC BY 4\.0|^\s*(?:>\s*)?\d+\.\s|\(1 [−-] "
    # legal names, quoted as they are: 18 U.S.C. 2258A, COM(2022) 209, (EU) 2021/1232, A/HRC/51/17
    r"|\b\d+ U\.S\.C\.? §?\s*\d+\w*|COM\(\d{4}\) ?\d+|\b\d{4}/\d+\b|[A-Z]+/[A-Z]+/\d+/\d+",
    re.M,
)
# Allowed: years (1998-2030), year ranges, quarters ("2019 Q3"), "Q3", ordinal chapter refs are glued or linked.
ALLOWED = re.compile(r"\b(?:199[89]|20[0-3]\d)(?:\s*[–-]\s*(?:199[89]|20[0-3]\d))?\b|\bQ[1-4]\b")
DIGIT = re.compile(r"\d[\d,.]*")


def prose_of(path: Path) -> list[tuple[str, str]]:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [(f"{path.name} cell {i}", c.source) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]
    return [(path.name, path.read_text(encoding="utf-8"))]


def typed_numbers(text: str) -> list[str]:
    for pattern in MARKUP:
        text = pattern.sub(" ", text)
    text = NAMES.sub(" ", text)
    text = ALLOWED.sub(" ", text)
    found = []
    for line in text.splitlines():
        for m in DIGIT.finditer(line):
            found.append(f"{m.group(0)!r} in: {line.strip()[:120]}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: p.name)
def test_no_number_typed_by_hand(path):
    problems = [f"{where}: {hit}" for where, text in prose_of(path) for hit in typed_numbers(text)]
    assert not problems, "numbers typed into prose (glue them):\n" + "\n".join(problems)


def test_the_check_catches_a_typed_number():
    assert typed_numbers("Facebook made 94.3% of reports in 2019.") != []
    assert typed_numbers("Facebook made {glue:text}`claim_fb_share` of reports in 2019 Q3.") == []
    assert typed_numbers("1. A list item with MD5 hashes, 2019–2023.") == []
    assert typed_numbers("```{admonition} Key points\n- Facebook made 94% of reports.\n```") != []
    assert typed_numbers("```python\nx = 94\n```") == []
    assert [h.split(" in:")[0] for h in typed_numbers("In 2019, 16.9 million reports.")] == ["'16.9'"]
