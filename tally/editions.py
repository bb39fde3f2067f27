"""Editions: every tagged release of the book stays online, unchanged, at a versioned path.

The site (GitHub Pages) holds the latest edition at its root and each release beside it::

    https://counting-the-reports.github.io/counting-the-reports/               latest (main)
    https://counting-the-reports.github.io/counting-the-reports/v0.2.0/        edition 0.2.0, frozen
    https://counting-the-reports.github.io/counting-the-reports/versions.json  the list of editions

"Cite this chapter", ``CITATION.cff`` and the BibTeX entries name the edition's URL
(:func:`page_url`), which keeps resolving to the text that was cited after the latest moves on.

As a Sphinx extension (set up by ``tally.sphinx``): with ``TALLY_EDITION=1`` in the environment
the build is the archived copy of the release in ``_config.yml``: its base URL (canonical links,
sitemap, Open Graph) is the edition's, and its launch buttons open the release's tag, not main.

As a program (used by the publish workflow, which runs this file with a bare ``python3``)::

    python -m tally.editions assemble --site SITE --html _build/html [--latest] [--edition]
    python3 tally/editions.py --release 0.2.0 --base-url URL assemble --site SITE --html HTML --edition

copies a build into a site folder (the root for ``--latest``, ``vX.Y.Z/`` for ``--edition``),
keeping every other edition there, and rewrites ``versions.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The first release published at a versioned path (0.1.0 was only ever the latest).
FIRST_VERSIONED = "0.2.0"
_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
_SLUG = re.compile(r"v\d+\.\d+\.\d+/$")


def parse(release: str) -> tuple[int, int, int]:
    """``"0.2.0"`` or ``"v0.2.0"`` -> ``(0, 2, 0)``; anything else is an error."""
    m = _VERSION.match(release.strip())
    if not m:
        raise ValueError(f"not a release number (X.Y.Z): {release!r}")
    return int(m[1]), int(m[2]), int(m[3])


def slug(release: str) -> str:
    """The edition's folder and git tag: ``"0.2.0"`` -> ``"v0.2.0"``."""
    return "v{}.{}.{}".format(*parse(release))


def site_root(base_url: str) -> str:
    """The site's root URL (with one trailing slash), whether ``base_url`` is the root or an edition's."""
    base = base_url.rstrip("/") + "/"
    return _SLUG.sub("", base)


def edition_url(base_url: str, release: str) -> str:
    """The URL of the edition's home: ``<site>/v0.2.0/``."""
    return f"{site_root(base_url)}{slug(release)}/"


def page_url(base_url: str, release: str, docname: str, suffix: str = ".html") -> str:
    """The stable URL of one page in one edition: ``<site>/v0.2.0/chapters/01-the-claim.html``."""
    return f"{edition_url(base_url, release)}{docname}{suffix}"


def ordered(releases) -> list[str]:
    """Distinct release numbers, newest first, as ``X.Y.Z``."""
    found = {parse(r) for r in releases}
    return ["{}.{}.{}".format(*v) for v in sorted(found, reverse=True)]


def git_tags(root: Path = ROOT) -> list[str]:
    """Release tags (``vX.Y.Z``) of the repository; none outside git."""
    try:
        out = subprocess.run(
            ["git", "tag", "--list", "v*"], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [t for t in out.stdout.split() if _VERSION.match(t)]


def editions(release: str, tags=()) -> list[str]:
    """The editions published at a versioned path: the tagged releases from :data:`FIRST_VERSIONED`
    on, and the release being built (it is published at its path when it is tagged)."""
    first = parse(FIRST_VERSIONED)
    return ordered([r for r in [*tags, release] if parse(r) >= first])


def versions_json(releases, base_url: str) -> list[dict]:
    """The site's ``versions.json``: "latest" then each edition, newest first, in the format of
    pydata-sphinx-theme's version switcher (name, version, url)."""
    root = site_root(base_url)
    entries = [{"name": "latest", "version": "latest", "url": root}]
    for r in ordered(releases):
        entries.append({"name": r, "version": r, "url": edition_url(root, r)})
    return entries


def site_editions(site: Path) -> list[str]:
    """Editions present in a site folder (its ``vX.Y.Z/`` folders with an ``index.html``)."""
    return ordered(p.name for p in site.iterdir() if _VERSION.match(p.name) and (p / "index.html").exists())


def assemble(site: Path, html: Path, release: str, base_url: str, latest: bool, edition: bool) -> list[str]:
    """Copy the build in ``html`` into ``site`` (root and/or ``vX.Y.Z/``), keep the other editions,
    write ``versions.json``; return the editions now in the site."""
    if not (html / "index.html").exists():
        raise SystemExit(f"{html}: no built book (index.html missing)")
    site.mkdir(parents=True, exist_ok=True)
    if edition:
        target = site / slug(release)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(html, target)
    if latest:
        keep = {p.name for p in site.iterdir() if _VERSION.match(p.name)} | {".git", "versions.json", ".nojekyll"}
        for p in site.iterdir():
            if p.name not in keep:
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        for p in html.iterdir():
            dest = site / p.name
            shutil.copytree(p, dest) if p.is_dir() else shutil.copy2(p, dest)
    (site / ".nojekyll").write_text("", encoding="utf-8")  # serve _static/ and _sources/ as they are
    found = site_editions(site)
    text = json.dumps(versions_json(found, base_url), indent=2) + "\n"
    (site / "versions.json").write_text(text, encoding="utf-8")
    return found


def book_config(root: Path = ROOT) -> tuple[str, str]:
    """(release, base URL) from ``_config.yml``."""
    import yaml  # not needed when both are given on the command line (the publish job has no PyYAML)

    sphinx = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    return sphinx["release"], sphinx["html_baseurl"]


# --- Sphinx -------------------------------------------------------------------------------------


def is_edition_build() -> bool:
    """True when this build is the archived copy of a release (``TALLY_EDITION=1``)."""
    return os.environ.get("TALLY_EDITION", "") not in ("", "0")


def configure(config, edition: bool, shared_cache: Path | None = None) -> None:
    """Point an edition build's base URL (canonical links, sitemap, Open Graph) and launch buttons at the
    release; let it reuse the main build's notebook cache (same code, same fingerprint: no re-execution)."""
    if not edition:
        return
    if shared_cache is not None and shared_cache.is_dir():
        config.nb_execution_cache_path = str(shared_cache)
    base = edition_url(config.html_baseurl, config.release)
    config.html_baseurl = base
    if hasattr(config, "ogp_site_url"):
        config.ogp_site_url = base
    options = dict(config.html_theme_options or {})
    options["repository_branch"] = slug(config.release)
    config.html_theme_options = options


def _config_inited(app, config) -> None:
    configure(config, is_edition_build(), Path(app.srcdir) / "_build" / ".jupyter_cache")


def setup(app) -> dict:
    # After tally.sphinx's own config-inited (priority 900), which copies html_baseurl to Open Graph.
    app.connect("config-inited", _config_inited, priority=950)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


# --- command line -------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tally.editions", description="Publish editions side by side.")
    parser.add_argument("--release", help="default: release in _config.yml")
    parser.add_argument("--base-url", help="the site's root URL; default: html_baseurl in _config.yml")
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assemble", help="copy a build into a site folder and rewrite versions.json")
    a.add_argument("--site", type=Path, required=True)
    a.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    a.add_argument("--latest", action="store_true", help="publish the build as the latest (site root)")
    a.add_argument("--edition", action="store_true", help="publish the build at its versioned path vX.Y.Z/")
    sub.add_parser("url", help="print the URL of this edition")
    sub.add_parser("describe", help="print release=... and base_url=... (for the publish workflow)")
    args = parser.parse_args(argv)
    release, base_url = (args.release, args.base_url) if args.release and args.base_url else book_config()
    release, base_url = args.release or release, args.base_url or base_url
    if args.command == "url":
        print(edition_url(base_url, release))
        return 0
    if args.command == "describe":
        print(f"release={release}\nbase_url={site_root(base_url)}")
        return 0
    if not (args.latest or args.edition):
        parser.error("say --latest, --edition or both")
    found = assemble(args.site, args.html, release, base_url, args.latest, args.edition)
    print(f"{args.site}: latest{' (updated)' if args.latest else ''}; editions: {', '.join(found) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
