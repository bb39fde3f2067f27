"""Sphinx extension for the book (listed in ``_config.yml`` under ``extra_extensions``).

0. No foreign code: drops sphinx-thebe's scripts (Thebe would load from a CDN).
1. Offline charts: writes the Vega / Vega-Lite / vega-embed bundle that ships inside
   vl-convert-python into the book's ``_static`` (file name carries the versions) and
   adds it, with ``tally-charts.js``, only to pages that contain a chart.
2. No stale numbers: every notebook page depends on the data files and on this
   package, so a change there makes Sphinx re-read (and myst-nb re-execute) it.
"""
from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

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
    app.config.html_static_path.extend([str(STATIC), str(generated)])
    app.add_css_file("tally.css")


def _is_thebe(script) -> bool:
    name = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE_JS_URL" in body


def _page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # Jupyter Book always loads sphinx-thebe, whose live-code button would fetch Thebe from
    # unpkg.com (and whose config script is added twice, a console error). The book offers no
    # live code, so both scripts are dropped: no page refers to another host's code.
    scripts = context.get("script_files")
    if scripts is not None:
        scripts[:] = [s for s in scripts if not _is_thebe(s)]
    if doctree is not None and "tally-chart" in context.get("body", ""):
        app.add_js_file(bundle_name())
        app.add_js_file("tally-charts.js")


def _dependencies() -> list[Path]:
    files = sorted((ROOT / "data").glob("*.csv")) + [ROOT / "data" / "datapackage.json"]
    files += sorted(HERE.glob("*.py"))
    return [f for f in files if f.exists()]


def _doctree_read(app: Sphinx, doctree) -> None:
    docname = app.env.docname
    if app.env.doc2path(docname).endswith(".ipynb"):
        for path in _dependencies():
            app.env.note_dependency(str(path))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_context)
    app.connect("doctree-read", _doctree_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
