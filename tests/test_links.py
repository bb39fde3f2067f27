"""Every internal link of the built book resolves: each relative or same-site href/src of every
page in _build/html (outside _static) names a file that exists and, if it has a #fragment, an
id (or <a name>) in that file. Links to other sites, mailto:, data: and javascript: are not
followed. Pure Python: no browser. Needs `make book` first (make test does it)."""

from __future__ import annotations

import functools
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import HTML

#: Attributes that point at another resource, per tag ("*" = any tag).
LINK_ATTRS = {
    "a": ("href",),
    "link": ("href",),
    "area": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "object": ("data",),
    "form": ("action",),
}
FOREIGN = ("mailto:", "data:", "javascript:", "tel:")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str, str]] = []  # (line, attribute, value)
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs_d = {k: (v or "") for k, v in attrs}
        if "id" in attrs_d:
            self.anchors.add(attrs_d["id"])
        if tag == "a" and "name" in attrs_d:
            self.anchors.add(attrs_d["name"])
        if tag == "meta" and attrs_d.get("http-equiv", "").lower() == "refresh":
            content = attrs_d.get("content", "")
            if "url=" in content.lower():
                self.links.append(
                    (self.getpos()[0], "meta refresh", content[content.lower().index("url=") + 4 :].strip())
                )
        for attr in LINK_ATTRS.get(tag, ()):
            if attrs_d.get(attr, "").strip():
                self.links.append((self.getpos()[0], f"{tag} {attr}", attrs_d[attr].strip()))
        if attrs_d.get("srcset"):
            for part in attrs_d["srcset"].split(","):
                if part.strip():
                    self.links.append((self.getpos()[0], f"{tag} srcset", part.split()[0]))

    handle_startendtag = handle_starttag


@functools.cache
def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def html_pages(root: Path = HTML) -> list[Path]:
    if not (root / "index.html").exists():
        pytest.fail("no built book in _build/html: run 'make book' (make test does it)")
    return sorted(p for p in root.rglob("*.html") if p.relative_to(root).parts[0] != "_static")


def is_internal(url: str) -> bool:
    if url.lower().startswith(FOREIGN):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc  # relative, root-relative or fragment-only


def check_link(root: Path, page: Path, url: str) -> str | None:
    """None if ``url`` (found in ``page``) resolves inside ``root``; else what is wrong."""
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    here = page.relative_to(root).as_posix()
    if not path:
        target_rel = here
    elif path.startswith("/"):
        target_rel = posixpath.normpath(path.lstrip("/"))
    else:
        target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
    if target_rel.startswith("../") or target_rel == "..":
        return f"points outside the book ({target_rel})"
    target = root / target_rel
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"no such file: {target.relative_to(root).as_posix()}"
    if fragment and target.suffix == ".html" and fragment not in parse(target).anchors:
        return f"no id or name {fragment!r} in {target.relative_to(root).as_posix()}"
    return None


def broken_links(root: Path = HTML) -> list[str]:
    problems = []
    for page in html_pages(root):
        parsed = parse(page)
        for line, attr, url in parsed.links:
            if not is_internal(url):
                continue
            problem = check_link(root, page, url)
            if problem:
                problems.append(f"{page.relative_to(root).as_posix()}:{line}: {attr}={url!r}: {problem}")
    return problems


def test_every_internal_link_resolves():
    pages = html_pages()
    assert any(parse(p).links for p in pages), "no links found at all: is the parser broken?"
    problems = broken_links()
    if problems:
        pytest.fail(f"{len(problems)} broken internal link(s):\n" + "\n".join(problems), pytrace=False)


def test_the_checker_finds_broken_links(tmp_path):
    """The checker itself: a missing file, a missing anchor and a good link of each kind."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=sub/a.html" />', encoding="utf-8")
    (tmp_path / "sub" / "a.html").write_text(
        '<html><body><h1 id="top">A</h1><a name="old"></a>'
        '<a href="#top">ok</a><a href="#old">ok</a><a href="../index.html">ok</a><a href="b.html#x">ok</a>'
        '<img src="../img%20one.png"><a href="https://example.org/none.html">foreign</a><a href="mailto:a@b">m</a>'
        '<a href="#nowhere">bad anchor</a><a href="missing.html">bad file</a><a href="b.html#y">bad anchor</a>'
        '<script src="../_static/gone.js"></script></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "sub" / "b.html").write_text('<p id="x">B</p>', encoding="utf-8")
    (tmp_path / "img one.png").write_bytes(b"")
    parse.cache_clear()
    problems = broken_links(tmp_path)
    parse.cache_clear()
    assert len(problems) == 4, problems
    assert any("'#nowhere'" in p and "no id or name 'nowhere'" in p for p in problems)
    assert any("missing.html" in p and "no such file: sub/missing.html" in p for p in problems)
    assert any("no id or name 'y' in sub/b.html" in p for p in problems)
    assert any("no such file: _static/gone.js" in p for p in problems)
