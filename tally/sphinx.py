"""Sphinx extension for the book (listed in ``_config.yml`` under ``extra_extensions``).

0. No foreign code: drops sphinx-thebe's scripts (Thebe would load from a CDN) and any other
   script from another host (Jupyter Book's MathJax on single-page builds); math would fail loudly.
1. Offline charts: writes the Vega / Vega-Lite / vega-embed bundle that ships inside
   vl-convert-python into the book's ``_static`` (file name carries the versions) and
   adds it, with ``tally-charts.js``, only to pages that contain a chart.
3. Citation and dating: every page says which version of the book it belongs to and when
   its source last changed (from git); every chapter ends with "Cite this chapter" (a
   suggested citation and a BibTeX entry).
2. No stale numbers: every notebook page depends on the data files and on this
   package, so a change there makes Sphinx re-read (and myst-nb re-execute) it.
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
import shutil
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from tally import editions

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STATIC = HERE / "static"


def bundle_name() -> str:
    import vl_convert as vlc

    vl = vlc.get_vegalite_versions()[-1]
    return f"vega-{vlc.get_vega_version()}-lite-{vl}-embed-{vlc.get_vega_embed_version()}.js"


def write_bundle(folder: Path) -> Path:
    """Write the vendored chart bundle into ``folder`` (once per vl-convert version)."""
    import vl_convert as vlc

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / bundle_name()
    if not path.exists():
        header = (
            f"/* Vega {vlc.get_vega_version()}, Vega-Lite {vlc.get_vegalite_versions()[-1]}, "
            f"vega-embed {vlc.get_vega_embed_version()}: bundled by vl-convert-python "
            f"(BSD-3-Clause licences of the Vega projects apply). Wrapped in a function scope so "
            f"its top-level names do not clash with Sphinx's scripts. */\n"
        )
        tmp = path.with_suffix(".tmp")
        tmp.write_text(header + "(function () {\n" + vlc.javascript_bundle() + "\n})();\n", encoding="utf-8")
        tmp.replace(path)
    return path


def _builder_inited(app: Sphinx) -> None:
    generated = Path(app.outdir).parent / ".tally-static"
    write_bundle(generated)
    app.config.html_static_path.append(str(generated))
    # Our own CSS and JS are copied on every build, overwriting: Sphinx's incremental build
    # does not refresh a changed file in html_static_path, and a stale stylesheet must not
    # survive an edit.
    if app.builder.format == "html":
        static_out = Path(app.outdir) / "_static"
        static_out.mkdir(parents=True, exist_ok=True)
        for f in STATIC.iterdir():
            if f.is_file():
                shutil.copyfile(f, static_out / f.name)
    app.add_css_file("tally.css")


def _is_thebe(script) -> bool:
    name = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE_JS_URL" in body


def _page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # Jupyter Book always loads sphinx-thebe, whose live-code button would fetch Thebe from
    # a public CDN (and whose config script is added twice, a console error). The book offers no
    # live code, so both scripts are dropped: no page refers to another host's code.
    scripts = context.get("script_files")
    if scripts is not None:
        scripts[:] = [s for s in scripts if not _is_thebe(s)]
        # No page may load code from another host. Jupyter Book adds MathJax (from a CDN) to
        # single-page builds even where there is no math; drop it, and stop the build if a page
        # really has math, which would then need a locally served MathJax (mathjax_path).
        remote = [s for s in scripts if str(getattr(s, "filename", s) or "").startswith(("http:", "https:", "//"))]
        if remote:
            if 'class="math' in context.get("body", ""):
                raise ExtensionError(
                    f"{pagename}: this page has math, and MathJax would load from "
                    f"{remote[0].filename}: serve MathJax locally (mathjax_path) first"
                )
            scripts[:] = [s for s in scripts if s not in remote]
        # No script file blocks the first paint (issue 9): every local script is deferred (they keep
        # their order), except documentation_options.js, which inline scripts after it use at once.
        for s in scripts:
            name = str(getattr(s, "filename", "") or "")
            attrs = getattr(s, "attributes", None)
            if (
                name
                and attrs is not None
                and "documentation_options" not in name
                and "async" not in attrs
                and "defer" not in attrs
            ):
                attrs["defer"] = "defer"
    body = context.get("body")
    if body:
        context["body"] = _accessible_body(body)
    # No favicon is configured: say so, or browsers ask for /favicon.ico (a 404 and a console error).
    if not context.get("favicon_url") and 'rel="icon"' not in (context.get("metatags") or ""):
        context["metatags"] = (context.get("metatags") or "") + '\n<link rel="icon" href="data:,">'

    if doctree is not None and "tally-chart" in context.get("body", ""):
        # Deferred; tally-charts.js loads the 0.9 MB bundle itself (async). The preload lets the
        # browser start fetching it at once, at its default priority (measured by make bench: charts
        # drawn about 0.2-0.3 s sooner than with fetchpriority=low, first paint unchanged).
        app.add_js_file("tally-charts.js", loading_method="defer", **{"data-tally-bundle": bundle_name()})
        pathto = context.get("pathto")
        if pathto is not None:
            href = pathto(f"_static/{bundle_name()}", 1)
            context["metatags"] = (context.get("metatags") or "") + (
                f'\n<link rel="preload" as="script" href="{html.escape(href)}">'
            )


#: Markup that other packages write and that fails WCAG checks (axe-core), with its fix:
#: myst-nb's code toggles are named "Toggle hidden content" but show "Show code cell source"
#: (WCAG 2.5.3 label in name: let the visible text name them); docutils marks citations
#: role="doc-biblioentry" (deprecated in DPUB-ARIA 1.1) inside a role="list", which must
#: hold list items.
_BODY_FIXES = (
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    ('role="doc-biblioentry"', 'role="listitem"'),
)


def _accessible_body(body: str) -> str:
    for old, new in _BODY_FIXES:
        body = body.replace(old, new)
    return body


def _dependencies() -> list[Path]:
    files = sorted((ROOT / "data").glob("*.csv")) + [ROOT / "data" / "datapackage.json"]
    files += sorted(HERE.glob("*.py"))
    return [f for f in files if f.exists()]


def _doctree_read(app: Sphinx, doctree) -> None:
    docname = app.env.docname
    if app.env.doc2path(docname).endswith(".ipynb"):
        for path in _dependencies():
            app.env.note_dependency(str(path))
        # Under the chapter's title, once: where the code is (web pages and the single page printed
        # to PDF alike; added here, per document, because singlehtml resolves only the root).
        if app.builder.format == "html":
            first = next(iter(doctree.findall(nodes.section)), None)
            if first is not None and first.children and isinstance(first.children[0], nodes.title):
                first.insert(1, nodes.raw("", _notebook_line(app, docname), format="html"))


@functools.cache
def _git_date(path: str) -> str | None:
    """Date (YYYY-MM-DD) of the last commit that changed ``path``; None outside git or if uncommitted."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", path], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _long_date(iso: str) -> str:
    d = _dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _cite_block(app: Sphinx, docname: str, title: str, updated: str) -> str:
    cfg = app.config
    # The edition's stable URL (<site>/vX.Y.Z/...), not the latest page, which moves on.
    url = editions.page_url(cfg.html_baseurl, cfg.release, docname)
    book = cfg.project
    author = cfg.author
    year = updated[:4]
    key = "countingthereports-" + docname.split("/")[-1]
    e = html.escape
    citation = (
        f"{author} ({year}). \u201c{title}\u201d. In <em>{e(book)}</em>, version {e(cfg.release)}, "
        f'{_long_date(updated)}. <a href="{e(url)}">{e(url)}</a>'
    )
    bibtex = (
        f"@incollection{{{key},\n  author    = {{{{{author}}}}},\n  title     = {{{title}}},\n"
        f"  booktitle = {{{book}}},\n  year      = {{{year}}},\n  edition   = {{version {cfg.release}}},\n"
        f"  url       = {{{url}}},\n  note      = {{Last updated {updated}}}\n}}"
    )
    return (
        '<section class="tally-cite" aria-labelledby="cite-this">\n'
        '<h2 id="cite-this">Cite this chapter</h2>\n'
        f'<p class="tally-citation">{citation}</p>\n'
        "<details><summary>BibTeX</summary>\n"
        f'<pre class="tally-bibtex">{e(bibtex)}</pre>\n</details>\n</section>\n'
    )


def _notebook_line(app: Sphinx, docname: str) -> str:
    """One line under a chapter's title: the code is not shown, and this is where it is."""
    opts = app.config.html_theme_options or {}
    repo = str(opts.get("repository_url") or "").rstrip("/")
    branch = opts.get("repository_branch") or "main"
    launch = opts.get("launch_buttons") or {}
    path = f"{docname}.ipynb"
    e = html.escape
    if app.builder.name == "singlehtml":  # the PDF: links a printed page can follow
        links = [f'<a href="{e(repo)}/blob/{e(branch)}/{e(path)}">the notebook</a>']
    else:
        links = [f'<a href="{"../" * docname.count("/")}_sources/{e(path)}" download>download the notebook</a>']
    slug = repo.removeprefix("https://github.com/")
    if launch.get("binderhub_url") and slug:
        links.append(
            f'<a href="{e(launch["binderhub_url"].rstrip("/"))}/v2/gh/{e(slug)}/{e(branch)}'
            f'?urlpath=tree/{e(path)}">run it on Binder</a>'
        )
    if launch.get("colab_url") and slug:
        links.append(
            f'<a href="{e(launch["colab_url"].rstrip("/"))}/github/{e(slug)}/blob/{e(branch)}/'
            f'{e(path)}">open it in Colab</a>'
        )
    return (
        '<p class="tally-notebook-line">The computations behind this chapter (and every number in it) '
        f"are in its notebook: {', '.join(links[:-1])} or {links[-1]}.</p>\n"
    )


@functools.cache
def _editions_html(base_url: str, release: str, archived: bool) -> str:
    e = html.escape
    links = [f'<a href="{e(editions.site_root(base_url))}">latest</a>']
    links += [
        f'<a href="{e(editions.edition_url(base_url, r))}">{e(r)}</a>'
        for r in editions.editions(release, editions.git_tags())
    ]
    note = ""
    if archived:
        note = (
            f"This is edition {e(release)}, kept unchanged at this address; the latest edition is at "
            f'<a href="{e(editions.site_root(base_url))}">{e(editions.site_root(base_url))}</a>. '
        )
    return f'<p class="tally-editions">{note}Editions: {", ".join(links)}.</p>\n'


def _editions_line(app: Sphinx) -> str:
    """Links to the latest edition and to every edition kept at a versioned path (tally.editions)."""
    return _editions_html(app.config.html_baseurl, app.config.release, editions.is_edition_build())


def _doctree_resolved(app: Sphinx, doctree, docname: str) -> None:
    if app.builder.format != "html":
        return
    source = app.env.doc2path(docname)
    updated = _git_date(str(source)) or app.config.tally_updated
    stamp = (
        f'<p class="tally-version">{html.escape(app.config.project)}, version '
        f"{html.escape(app.config.release)}. This page was last updated on "
        f'<time datetime="{updated}">{_long_date(updated)}</time>.</p>\n'
    ) + _editions_line(app)
    extra = stamp
    if docname.startswith("chapters/") and docname != "chapters/glossary":
        titles = list(doctree.findall(nodes.title))
        title = titles[0].astext() if titles else docname
        extra = _cite_block(app, docname, html.escape(title), updated) + stamp
    sections = list(doctree.findall(nodes.section))
    target = sections[0] if sections else doctree
    target.append(nodes.raw("", extra, format="html"))


def _complete_sitemap(app: Sphinx, exception) -> None:
    """sphinx-sitemap lists only the pages written by this build, so an incremental build would
    publish a sitemap without the unchanged pages. Before it writes, add every document."""
    links = getattr(app, "sitemap_links", None)
    if exception or links is None or app.builder.format != "html":
        return
    seen = {}
    while not links.empty():
        link, updated = links.get_nowait()
        seen[link] = updated
    suffix = app.config.html_file_suffix or ".html"
    for docname in sorted(app.env.found_docs):
        seen.setdefault(docname + suffix, None)
    for link, updated in sorted(seen.items()):
        links.put((link, updated))


#: One header menu for the notebook and the page: what each item says (by the theme's button label).
_MENU_TEXT = {
    "download-source-button": "Download the notebook (.ipynb)",
    "download-pdf-button": "Print this page (PDF)",
    "binder-button": "Run the notebook on Binder",
    "colab-button": "Open the notebook in Colab",
    "repository-button": "Source repository (GitHub)",
}


def _header_menu(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """sphinx-book-theme's header has a download menu, a launch menu, a repository button and a
    full-screen button. Make them one menu (download, launch, repository) and drop full screen."""
    buttons = context.get("header_buttons")
    if not buttons:
        return
    items = []
    for b in buttons:
        kind = b.get("type")
        for item in b.get("buttons", []) if kind == "group" else [b] if kind == "link" else []:
            item = dict(item)
            label = str(item.get("label") or "")
            item["text"] = _MENU_TEXT.get(label) or item.get("text") or item.get("tooltip") or label
            item["tooltip"] = None
            items.append(item)
        # "javascript" buttons other than those in a group: the full-screen toggle, dropped.
    order = list(_MENU_TEXT)
    items.sort(key=lambda i: order.index(i.get("label")) if i.get("label") in order else len(order))
    context["header_buttons"] = (
        [
            {
                "type": "group",
                "tooltip": "Notebook, print and source",
                "label": "tally-menu",
                "icon": "fa-solid fa-download",
                "buttons": items,
            }
        ]
        if items
        else []
    )


def _config_inited(app: Sphinx, config) -> None:
    # Our overrides of two theme components (tally/templates): accessible names that contain
    # the visible text (WCAG 2.5.3). Templates found here win over the theme's own.
    config.templates_path = [str(HERE / "templates")] + list(config.templates_path)
    # Header (issue 9): no full-screen button; one search box (the header's, not also the sidebar's).
    opts = dict(config.html_theme_options or {})
    opts["use_fullscreen_button"] = False
    config.html_theme_options = opts
    if not config.html_sidebars:
        config.html_sidebars = {"**": ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]}
    # The base URL is set once (html_baseurl in _config.yml); Open Graph takes it from there.
    if hasattr(config, "ogp_site_url") and not config.ogp_site_url:
        config.ogp_site_url = config.html_baseurl


def _bibtex_plugins(config) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (group, name) of every pybtex and sphinxcontrib-bibtex plugin this book's citations use."""
    pybtex = [
        ("pybtex.backends", "plaintext"),  # a citation's text (sphinxcontrib.bibtex.domain)
        ("pybtex.backends", "docutils"),  # the bibliography's nodes
        ("pybtex.style.formatting", config.bibtex_default_style),
    ]
    referencing = [
        ("sphinxcontrib.bibtex.style.referencing", config.bibtex_reference_style),
        ("sphinxcontrib.bibtex.style.referencing", config.bibtex_foot_reference_style),
    ]
    return pybtex, referencing


def _register_bibtex_plugins_once(app: Sphinx, *args) -> None:
    """Before the first document is read or the first is written (citations are looked up in both);
    a build that changes nothing looks nothing up and registers nothing."""
    if not getattr(app, "_tally_bibtex_registered", False):
        app._tally_bibtex_registered = True
        _register_bibtex_plugins(app, app.config)


def _register_bibtex_plugins(app: Sphinx, config) -> None:
    """Look up the bibliography plugins once per build, not once per citation.

    pybtex and sphinxcontrib-bibtex find a plugin by scanning the entry points of every installed
    package, on every lookup. With about 170 packages installed and about 330 lookups, that took
    2-4 s of each build. Both libraries check plugins registered at run time before any scan
    (``register_plugin``, public in both). So each plugin used here is registered once, as the very
    class its entry point names: the output does not change, only the time. A plugin not in this list
    is still found the slow way.
    """
    if "sphinxcontrib.bibtex" not in app.extensions:
        return
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin as bibtex_plugin

    pybtex_plugins, referencing = _bibtex_plugins(config)
    # A formatting style looks up its own name, label and sorting styles each time it is made
    # (pybtex.style.formatting.BaseStyle): those are registered too.
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", config.bibtex_default_style)
    fallback = getattr(pybtex.plugin, "_DEFAULT_PLUGINS", {})  # pybtex's own, when a style names none
    for group in ("names", "labels", "sorting"):
        name = getattr(style, f"default_{group.rstrip('s')}_style", None) or fallback.get(f"pybtex.style.{group}")
        if name:
            pybtex_plugins.append((f"pybtex.style.{group}", name))
    for group, name in pybtex_plugins:
        pybtex.plugin.register_plugin(group, name, pybtex.plugin.find_plugin(group, name), force=True)
    for group, name in referencing:
        bibtex_plugin.register_plugin(group, name, bibtex_plugin.find_plugin(group, name), force=True)


def setup(app: Sphinx) -> dict:
    app.add_config_value("tally_updated", "", "html")
    app.connect("source-read", _register_bibtex_plugins_once, priority=100)
    app.connect("write-started", _register_bibtex_plugins_once, priority=100)
    app.setup_extension("tally.notebooks")  # notebooks executed in parallel into the cache (infra)
    app.setup_extension("tally.editions")  # an edition build's base URL and launch branch (infra)
    app.connect("config-inited", _config_inited, priority=900)
    app.connect("build-finished", _complete_sitemap, priority=400)  # before sphinx-sitemap writes
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_context)
    app.connect("html-page-context", _header_menu, priority=900)  # after the theme adds its buttons
    app.connect("doctree-read", _doctree_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
