#!/usr/bin/env python3
"""Make ONE print-ready PDF of the whole book: _build/pdf/counting-the-reports.pdf.

Steps:
1. build the book as a single HTML page with Jupyter Book's ``singlehtml`` builder, warnings as
   errors, into a private folder (default ``_build/pdf/site``; output in ``<that>/_build/singlehtml``);
2. serve that folder on 127.0.0.1 and open it in Debian's chromium (driven by Playwright), with
   every request to any other host blocked;
3. wait until every chart (``.tally-chart``) has drawn (``data-rendered="true"``), so each prints
   as its rendered SVG;
4. fit any chart drawing that runs past its box (e.g. a wide bottom legend) to the text width;
5. print to A4 with margins, a footer with the book title and "Page X of Y", a PDF outline
   (bookmarks) from the headings, and tagged (accessible) PDF structure.

Usage (from the repository root):
    .venv/bin/python scripts/make_pdf.py                 # build, then print
    .venv/bin/python scripts/make_pdf.py --no-build      # print the last singlehtml build again
    .venv/bin/python scripts/make_pdf.py --out /tmp/x.pdf --path-output /tmp/pdf-build

Needs /usr/bin/chromium (apt-get install chromium); never downloads a browser.
"""

from __future__ import annotations

import argparse
import html
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from tally.browser import ARGS, CHROMIUM, serve

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "_build" / "pdf" / "counting-the-reports.pdf"
DEFAULT_BUILD = ROOT / "_build" / "pdf" / "site"
#: A known quirk of Jupyter Book's singlehtml output, harmless for print: the theme asks for a search
#: index that singlehtml does not write. (JB 1 also adds MathJax from a CDN to singlehtml pages;
#: tally.sphinx drops it, so any request to another host fails the PDF.)
TOLERATED_MISSING = re.compile(r"/searchindex\.js$")

#: Print-only rules for the PDF: drop what only works on screen (theme chrome, chart export menu,
#: copy buttons, in-page CSV links that a PDF cannot download, and the collapsed toggles "Show code
#: cell source" and "Data table", whose content stays hidden in print anyway) and keep
#: charts within the page width. tally.css may carry the chart rules too (for the browser's own
#: print); repeating them here is harmless.
PRINT_CSS = """
@media print {
  html { font-size: 9.5pt; }
  body { line-height: 1.4; }
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer-article,
  .prev-next-area, .skip-link, .search-button-field, .theme-switch-button, .copybtn,
  .tally-chart details, .vega-actions, .tally-download, #vg-tooltip-element, #jb-print-docs-body,
  .cell_input, details.hide.above-input, details.tally-data, details.tally-describe, .tally-controls,
  .tally-cite details, .bd-footer, .bd-footer-content, footer { display: none !important; }
  .tally-title-page { display: flex !important; }
  .bd-main .bd-content .bd-article-container .bd-article { padding: 0 !important; }
  .tally-figure { margin: 0.8rem 0 !important; }
  .tally-chart, .tally-embed, .tally-chart .vega-embed { width: 100% !important; }
  .tally-chart svg { width: 100% !important; }
  p { orphans: 3; widows: 3; }
  .bd-main .bd-content .bd-article-container { max-width: 100% !important; padding: 0 !important; }
  .bd-container, .bd-container__inner, .bd-page-width { max-width: 100% !important; }
  .tally-figure { break-inside: avoid; }
  .tally-chart { overflow: visible !important; }
  .tally-chart svg { max-width: 100% !important; height: auto !important; }
  .tally-table-wrap { overflow: visible !important; }
  .tally-table { font-size: 8.5pt; }
  /* Reference pages (codebook, data, references) are long tables: set them compactly. */
  .bd-article table td, .bd-article table th { padding: 0.12rem 0.4rem !important; font-size: 8.5pt; line-height: 1.3; }
  .bd-article table p { margin: 0 !important; }
  .bd-article h2 { font-size: 1.35rem; margin: 1.1rem 0 0.5rem; }
  .bd-article h3 { font-size: 1.12rem; margin: 0.9rem 0 0.4rem; }
  .bd-article h4 { font-size: 1rem; margin: 0.7rem 0 0.3rem; }
  .bd-article code.literal { padding: 0 0.1em !important; border: 0 !important; font-size: 0.88em; }
  .bd-article li > p { margin-bottom: 0.2rem; }
  div.citation, .footnote-list, dl.citation > dd, dl.citation > dt { margin-bottom: 0.15rem !important; }
  h1, h2, h3 { break-after: avoid; }
  /* Each page of the book starts a new sheet; the title page's own heading must not (a break
     before it left page 1 blank). */
  section:not(.tally-title-page) > h1 { break-before: page; }
  .tally-title-page > h1 { break-before: avoid !important; }
  /* The landing page's three number cards side by side (on paper the column is narrower than the
     screen breakpoint, so they stacked one per row and pushed the lead chart to the next page). */
  .tally-stats .sd-row { flex-wrap: nowrap !important; }
  .tally-stats .sd-row > .sd-col { flex: 1 1 0 !important; width: auto !important; max-width: none !important; }
  .tally-stats .sd-card { break-inside: avoid; }
  .tally-stats { margin-bottom: 0.6rem !important; }
  /* The claims ledger on paper: no sort buttons ("Sort by: Who When Verdict" do nothing there), and
     the long table starts right after the text before it instead of on a fresh page. */
  .tally-ledger-table thead { display: none !important; }
  .tally-ledger-wrap, .tally-ledger-table, .tally-ledger-table tbody { break-inside: auto !important; break-before: auto !important; }
  pre { white-space: pre-wrap !important; word-break: break-word; }
}
"""

#: A chart whose drawing runs past its SVG box (a bottom legend laid out in more columns than fit,
#: a long label) would print cut off at the box's edge. Widen each such SVG's viewBox to the whole
#: drawing, so it prints scaled down a little to the text width instead of cut.
FIT_DRAWINGS = """() => {
  const cut = [];
  for (const svg of document.querySelectorAll('.tally-chart svg.marks')) {
    let bb;
    try { bb = svg.getBBox(); } catch (e) { continue; }
    const w = svg.width.baseVal.value, h = svg.height.baseVal.value;
    const vb = svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal : {x: 0, y: 0, width: w, height: h};
    const x0 = Math.min(vb.x, bb.x), y0 = Math.min(vb.y, bb.y);
    const x1 = Math.max(vb.x + vb.width, bb.x + bb.width), y1 = Math.max(vb.y + vb.height, bb.y + bb.height);
    if (x1 - x0 > vb.width + 1 || y1 - y0 > vb.height + 1) {
      svg.setAttribute('viewBox', `${x0} ${y0} ${x1 - x0} ${y1 - y0}`);
      svg.setAttribute('preserveAspectRatio', 'xMinYMin meet');
      svg.style.height = 'auto';
      cut.push(svg.closest('.tally-chart').id || '(chart)');
    }
  }
  return cut;
}"""


def _config() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def title_page_html() -> str:
    """A title page: the book's title, subtitle, edition, date and how to cite it."""
    cfg = _config()
    sc = cfg.get("sphinx", {}).get("config", {})
    title, author = cfg.get("title", "Book"), cfg.get("author", "")
    release, updated = str(sc.get("release", "")), str(sc.get("tally_updated", ""))
    base = str(sc.get("html_baseurl", ""))
    year = updated[:4]
    e = html.escape
    date = updated
    try:
        import datetime as dt

        d = dt.date.fromisoformat(updated)
        date = f"{d.day} {d.strftime('%B')} {d.year}"
    except ValueError:
        pass
    cite = f"{e(author)} ({e(year)}). <em>{e(title)}</em>, version {e(release)}, {e(date)}. {e(base)}"
    return (
        '<section class="tally-title-page" style="display:none; flex-direction:column; justify-content:center;'
        ' min-height:240mm; break-after:page; page-break-after:always;">'
        f'<h1 style="font-size:28pt; margin:0 0 0.5rem; border:0;">{e(title)}</h1>'
        '<p style="font-size:14pt; margin:0 0 2rem;">What the CyberTipline numbers say about platforms, '
        "detection and end-to-end encryption</p>"
        f'<p style="font-size:11pt; margin:0;">{e(author)}</p>'
        f'<p style="font-size:11pt; margin:0 0 2.5rem;">Edition {e(release)}, {e(date)}</p>'
        '<p style="font-size:10pt; margin:0 0 0.25rem;"><strong>How to cite</strong></p>'
        f'<p style="font-size:10pt; margin:0 0 1.5rem;">{cite}</p>'
        '<p style="font-size:9pt; margin:0;">Text and figures: CC BY 4.0. Code: MIT. Every number is computed in '
        "an executed notebook from the data package; the notebooks and data are in the book's repository.</p>"
        "</section>"
    )


def book_title() -> str:
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    m = re.search(r'^title:\s*["\']?(.*?)["\']?\s*$', text, re.M)
    return m.group(1) if m else "Book"


def root_page(folder: Path) -> Path:
    """The single page: the table of contents' root document (index.html only redirects to it)."""
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    m = re.search(r"^root:\s*(\S+)", toc, re.M)
    page = folder / f"{m.group(1) if m else 'index'}.html"
    if not page.exists():
        raise SystemExit(f"{page} not found: did the singlehtml build run?")
    return page


def build(path_output: Path, toc: Path | None) -> Path:
    cmd = [
        str(ROOT / ".venv" / "bin" / "jupyter-book"),
        "build",
        str(ROOT),
        "--builder",
        "singlehtml",
        "--path-output",
        str(path_output),
        "--warningiserror",
        "--nitpick",
        "--keep-going",
    ]
    if toc:
        cmd += ["--toc", str(toc)]
    print("building:", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True)
    log = result.stdout + result.stderr
    warnings = [
        line for line in log.splitlines() if re.search(r"\bWARNING\b|\bERROR\b", line) and "[IPKernelApp]" not in line
    ]
    if result.returncode != 0 or "build succeeded" not in log:
        sys.stderr.write(log[-6000:])
        raise SystemExit(f"singlehtml build failed (exit {result.returncode})")
    for line in warnings:
        print("build:", line)
    return path_output / "_build" / "singlehtml"


def print_pdf(
    folder: Path,
    out: Path,
    title: str,
    timeout_ms: int = 60_000,
    page_file: Path | None = None,
    title_page: bool | None = None,
) -> int:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit("Debian's chromium is required: apt-get install chromium")
    if title_page is None:
        title_page = page_file is None  # the whole book gets a title page; a single chapter does not
    page_file = page_file or root_page(folder)
    server = serve(folder)
    foreign: list[str] = []
    errors: list[str] = []
    missing: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith("data:") or urlparse(url).hostname == "127.0.0.1":
            r.continue_()
        else:
            foreign.append(url)
            r.abort()

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            # The printable width of A4 with 15 mm margins (180 mm = 680 CSS px): charts are drawn at the size they print.
            context = browser.new_context(viewport={"width": 680, "height": 1400})
            page = context.new_page()
            page.route("**/*", route)
            page.on(
                "console",
                lambda m: (
                    m.type == "error" and not m.text.startswith("Failed to load resource") and errors.append(m.text)
                ),
            )
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(
                "response",
                lambda r: (
                    r.status >= 400 and not TOLERATED_MISSING.search(r.url) and missing.append(f"{r.status} {r.url}")
                ),
            )
            url = f"http://127.0.0.1:{server.server_address[1]}/{page_file.relative_to(folder).as_posix()}"
            page.goto(url, wait_until="load")
            n = page.locator(".tally-chart").count()
            drawn = """() => [...document.querySelectorAll('.tally-chart')]
                         .every(el => el.getAttribute('data-rendered') === 'true' && el.querySelector('svg'))"""
            page.wait_for_function(drawn, timeout=timeout_ms)
            page.wait_for_load_state("networkidle")
            page.add_style_tag(content=PRINT_CSS)
            if title_page:
                page.evaluate(
                    "html => document.querySelector('article, main, body').insertAdjacentHTML('afterbegin', html)",
                    title_page_html(),
                )
            # Lay the page out as it prints, let every chart redraw to the printed text width, then print.
            page.emulate_media(media="print")
            page.wait_for_timeout(400)
            page.wait_for_function(drawn, timeout=timeout_ms)
            page.evaluate("document.fonts.ready")
            cut = page.evaluate(FIT_DRAWINGS)
            if cut:
                print("drawings widened to fit (a legend or label ran past the chart's edge):", ", ".join(cut))
            if page.locator(".math, mjx-container, script[type^='math/']").count():
                raise SystemExit(
                    "the book now has math, which needs MathJax: serve MathJax locally "
                    "(mathjax_path in _config.yml) before making the PDF"
                )
            if errors or missing or foreign:
                raise SystemExit(
                    f"the page logged errors: {errors}; missing files: {missing}; "
                    f"blocked requests to other hosts: {foreign}"
                )
            out.parent.mkdir(parents=True, exist_ok=True)
            t = html.escape(title)
            footer = (
                "<div style=\"font-family: system-ui, 'DejaVu Sans', sans-serif; font-size: 8pt; color: #444;"
                ' width: 100%; margin: 0 15mm; display: flex; justify-content: space-between;">'
                f'<span>{t}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span>'
                "</span></div>"
            )
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                prefer_css_page_size=False,
                margin={"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer,
                outline=True,
                tagged=True,
            )
            browser.close()
    finally:
        server.shutdown()
    print(f"charts rendered: {n}")
    return n


def page_count(pdf: Path) -> int:
    """Pages in a PDF that chromium wrote (its page tree lists every /Type /Page object)."""
    data = pdf.read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PDF to write (default: %(default)s)")
    ap.add_argument(
        "--path-output", type=Path, default=DEFAULT_BUILD, help="folder for the singlehtml build (default: %(default)s)"
    )
    ap.add_argument("--toc", type=Path, help="table of contents to build with (default: _toc.yml)")
    ap.add_argument("--no-build", action="store_true", help="print the existing singlehtml build")
    args = ap.parse_args(argv)
    folder = args.path_output / "_build" / "singlehtml"
    if not args.no_build:
        folder = build(args.path_output.resolve(), args.toc)
    print_pdf(folder, args.out, book_title())
    print(f"{args.out} ({page_count(args.out)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
