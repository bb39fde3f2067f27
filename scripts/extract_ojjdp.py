"""Extract NCMEC's yearly CyberTipline totals and report-content tables.

Writes (deterministically, sorted):

* ``data/cybertipline_annual.csv``  (DATA-SPEC table 1)
* ``data/report_contents.csv``      (DATA-SPEC table 7)
* ``data/report_recipients.csv``    (DATA-SPEC table 7)

Primary inputs are NCMEC's own PDFs in ``shared/sources/ncmec``:

* ``ncmec-ojjdp-2022.pdf`` / ``ncmec-ojjdp-2023.pdf``: NCMEC's transparency reports to OJJDP
  for CY 2022 and CY 2023 (each prints three calendar years, Appendix A prints 1998 onward);
* ``ncmec-by-esp-YYYY.pdf`` (2019-2023): only the printed "Total(s)" row and the 2019 headline text.

Everything that is *not* read from those PDFs (2024-2025 figures from Grimm's Diaphanous
transcription, NBC's 2024 incident count, the 2019 file breakdown from an NCMEC fact page as
mirrored) sits in explicit, commented tables below (SECONDARY_*), so it is visible and reviewable.

The script exits non-zero (AssertionError / SystemExit) if any internal consistency check fails:
  * Appendix A of the 2022 and 2023 reports agree for every overlapping year;
  * where a year is printed in both OJJDP reports, every figure agrees;
  * public + ESP = total; images + videos + other = printed total files;
  * the report-type (categorization) rows sum to the Appendix A total;
  * U.S. + international + unknown user location = printed total = Appendix A total;
  * unique/similar images + videos = printed totals;
  * actionable + informational = printed total for every recipient cell;
  * the ESP PDFs' printed total equals the ESP count printed in the OJJDP reports;
  * the 2020-2023 rows agree with the local copy of Diaphanous (ocse-report-*.csv).

Run from the repository root: ``.venv/bin/python -m scripts.extract_ojjdp``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from scripts.pdftext import SOURCES, parse_count, pdf_pages

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NCMEC = SOURCES / "ncmec"
DIAPH = SOURCES / "diaphanous"
LATER = SOURCES / "diaphanous-later"  # later versions of Grimm's files (2024-2025)

OJJDP = {  # source_id -> (pdf, the three calendar years its tables print)
    "ncmec-ojjdp-2022": (NCMEC / "ncmec-ojjdp-2022.pdf", (2020, 2021, 2022)),
    "ncmec-ojjdp-2023": (NCMEC / "ncmec-ojjdp-2023.pdf", (2021, 2022, 2023)),
}
LATER_FIRST = ("ncmec-ojjdp-2023", "ncmec-ojjdp-2022")  # a year printed twice: later report wins

COUNT = re.compile(r"(?<![\w,.])(\d{1,3}(?:,\d{3})+|\d+)(?![\w,.%])")
CY = re.compile(r"CY ?\d{4}–?")


class CheckFailed(SystemExit):
    pass


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise CheckFailed(f"consistency check failed: {msg}")


# --------------------------------------------------------------------------------------------
# small text-layer helpers
# --------------------------------------------------------------------------------------------
def find_page(pages: list[str], *needles: str) -> int:
    """1-based number of the only page containing all needles (whitespace-normalised)."""
    hits = [i + 1 for i, p in enumerate(pages) if all(n in " ".join(p.split()) for n in needles)]
    check(len(hits) == 1, f"expected one page with {needles}, got {hits}")
    return hits[0]


def block(page: str, start: str, *ends: str) -> list[str]:
    """Lines of `page` from the first line containing `start` up to (excluding) the first later
    line containing any of `ends`."""
    lines = page.splitlines()
    i = next(k for k, ln in enumerate(lines) if start in ln)
    j = next(k for k, ln in enumerate(lines[i + 1 :], i + 1) if any(e in ln for e in ends))
    return lines[i:j]


def counts(line: str) -> list[int]:
    return [parse_count(m) for m in COUNT.findall(CY.sub(" ", line))]


def triples(lines: list[str]) -> list[list[int]]:
    """Every line that ends in exactly three printed counts (one per calendar-year column)."""
    out = []
    for ln in lines:
        if "%" in ln:
            continue
        c = counts(ln)
        if len(c) >= 3:
            out.append(c[-3:])  # a leading footnote marker ("Unknown Location 3") is dropped
    return out


def columns(lines: list[str], header: str, years: tuple[int, int, int]) -> dict[int, list[int]]:
    """Column-aware read of a table whose cells wrap: assign each printed count to the
    calendar-year column whose header span contains the count's centre.

    Column spans are bounded by the mid-points between the centres of the "CY YYYY" header
    labels found on line `header` (the first line containing it)."""
    hdr = next(ln for ln in lines if header in ln)
    centres = []
    for y in years:
        m = re.search(rf"CY {y}", hdr)
        check(m is not None, f"header for CY {y} not found in {hdr!r}")
        centres.append((m.start() + m.end()) / 2)
    step = centres[1] - centres[0]
    bounds = [centres[0] - step / 2] + [(a + b) / 2 for a, b in zip(centres, centres[1:])] + [1e9]
    out: dict[int, list[int]] = {y: [] for y in years}
    for ln in lines:
        if "CY " in ln:
            continue
        for m in COUNT.finditer(ln):
            mid = (m.start() + m.end()) / 2
            for k, y in enumerate(years):
                if bounds[k] <= mid < bounds[k + 1]:
                    out[y].append(parse_count(m.group(1)))
    return out


# --------------------------------------------------------------------------------------------
# vocabularies (labels as NCMEC prints them in the CY 2023 report; see codebook)
# --------------------------------------------------------------------------------------------
REPORT_TYPES = [  # printed order
    "Child Pornography (possession, manufacture, distribution)",
    "Misleading Words or Digital Images on the Internet",
    "Online Enticement of Children for Sexual Acts",
    "Child Sex Trafficking",
    "Unsolicited Obscene Material Sent to a Child",
    "Misleading Domain Name",
    "Child Sexual Molestation",
    "Child Sex Tourism",
]
LOCATIONS = ["U.S.", "International", "Unknown Location", "Total"]
FILES = ["Images", "Videos", "Other Content", "Total"]
REPORTS_WITH = [
    "Total CyberTipline reports",
    "CyberTipline reports disaggregated by reports containing unique images based on MD5 hash values",
    "CyberTipline reports disaggregated by reports containing visually similar images/videos "
    "determined by PhotoDNA and Videntifier technology",
]
RECIPIENTS = [  # printed order; "Internet Crimes Against Children (ICACs) Units" is wrapped in the PDF
    "Internet Crimes Against Children (ICACs) Units",
    "Local Law Enforcement",
    "Federal Law Enforcement",
    "International Law Enforcement",
]
UNIT = {
    "report_type": "reports",
    "user_location": "reports",
    "reports_with_files": "reports",
    "files": "files",
    "unique_files": "files",
    "similar_files": "files",
}


# --------------------------------------------------------------------------------------------
# parsing one OJJDP report
# --------------------------------------------------------------------------------------------
def parse_ojjdp(sid: str) -> dict:
    pdf, years = OJJDP[sid]
    pages = pdf_pages(pdf)
    r: dict = {"appendix": {}, "annual": [], "contents": [], "recipients": [], "text1998": None}

    # Appendix A: total CyberTipline reports per calendar year, 1998 onward
    p = find_page(pages, "Appendix A", "Total Number of CyberTipline")
    for m in re.finditer(r"CY(\d{4}) \(\d+/\d+/\d+-\d+/\d+/\d+\)\s+([\d,]+)", pages[p - 1]):
        r["appendix"][int(m.group(1))] = (parse_count(m.group(2)), p)
    check(
        min(r["appendix"]) == 1998 and max(r["appendix"]) == years[-1] and len(r["appendix"]) == years[-1] - 1997,
        f"{sid}: Appendix A years incomplete",
    )

    # Text: "When the CyberTipline became operational in CY 1998, NCMEC received N reports"
    for i, pg in enumerate(pages):
        m = re.search(r"operational in CY 1998, NCMEC received ([\d,]+) reports", " ".join(pg.split()))
        if m:
            r["text1998"] = (parse_count(m.group(1)), i + 1)

    # Public vs ESP reports
    p = find_page(pages, "Public CyberTipline Reports", "ESP CyberTipline Reports")
    pg = pages[p - 1]
    row = {}
    for label in ("Total CyberTipline Reports", "Public CyberTipline Reports", "ESP CyberTipline Reports"):
        ln = next(x for x in pg.splitlines() if x.strip().startswith(label))
        row[label] = counts(ln)[-3:]
    for k, y in enumerate(years):
        tot, pub, esp = (
            row[lab][k]
            for lab in ("Total CyberTipline Reports", "Public CyberTipline Reports", "ESP CyberTipline Reports")
        )
        check(pub + esp == tot, f"{sid} {y}: public + ESP != total")
        check(tot == r["appendix"][y][0], f"{sid} {y}: public/ESP table total != Appendix A")
        r["annual"] += [(y, "public_reports", pub, p), (y, "esp_reports", esp, p)]

    # User location (U.S. / international / unknown)
    p = find_page(pages, "Relating to U.S. and", "International Users")
    lines = pages[p - 1].splitlines()
    i = next(k for k, ln in enumerate(lines) if "Relating to U.S. and" in ln)
    j = next(k for k, ln in enumerate(lines[i:], i) if ln.strip().startswith("Total"))
    t = triples(lines[i : j + 1])
    check(len(t) == 4, f"{sid}: user-location table has {len(t)} count rows, expected 4")
    for k, y in enumerate(years):
        vals = [row_[k] for row_ in t]
        check(sum(vals[:3]) == vals[3], f"{sid} {y}: user locations do not sum to printed total")
        check(vals[3] == r["appendix"][y][0], f"{sid} {y}: user-location total != Appendix A")
        for label, v in zip(LOCATIONS, vals):
            r["contents"].append((y, "user_location", label, v, p))

    # Categorization of CyberTipline reports (report type)
    p = find_page(pages, "Categorization of CyberTipline")
    lines = block(pages[p - 1], "Categorization of CyberTipline", "B. Details")
    t = triples(lines)
    check(len(t) == 8, f"{sid}: categorization has {len(t)} count rows, expected 8")
    text = " ".join(" ".join(COUNT.sub(" ", CY.sub(" ", ln)).split()) for ln in lines)
    text = " ".join(text.split())
    pos = [text.find(lbl) for lbl in REPORT_TYPES]
    check(all(x >= 0 for x in pos) and pos == sorted(pos), f"{sid}: report-type labels not as expected")
    for k, y in enumerate(years):
        vals = [row_[k] for row_ in t]
        check(sum(vals) == r["appendix"][y][0], f"{sid} {y}: report types do not sum to Appendix A total")
        for label, v in zip(REPORT_TYPES, vals):
            r["contents"].append((y, "report_type", label, v, p))

    # Files uploaded with ESP reports: images, videos, other content, total
    p = find_page(pages, "Files Uploaded with CyberTipline")
    lines = block(pages[p - 1], "Files Uploaded with CyberTipline", "Copyright")
    vals_by_label = {}
    for label in FILES:
        ln = next(x for x in lines if x.strip().startswith(label + " "))
        vals_by_label[label] = counts(ln)[-3:]
    for k, y in enumerate(years):
        v = [vals_by_label[lab][k] for lab in FILES]
        check(sum(v[:3]) == v[3], f"{sid} {y}: images + videos + other != printed total files")
        for label, x in zip(FILES, v):
            r["contents"].append((y, "files", label, x, p))
        r["annual"] += [
            (y, "images", v[0], p),
            (y, "videos", v[1], p),
            (y, "other_files", v[2], p),
            (y, "files_total", v[3], p),
        ]

    # Reports containing unique (MD5) / visually similar (PhotoDNA, Videntifier) images/videos
    p = find_page(pages, "Containing Unique and Visually", "Total CyberTipline reports")
    pg = pages[p - 1]
    lines = block(pg, "Containing Unique and Visually", "can be broken down further", "Copyright")
    hdr_line = next(ln for ln in lines if all(f"CY {y}" in ln for y in years))
    cols = columns(lines, hdr_line, years)
    for y in years:
        check(len(cols[y]) == 3, f"{sid} {y}: reports-with-files column has {cols[y]}")
        check(cols[y][0] == r["appendix"][y][0], f"{sid} {y}: reports-with-files total != Appendix A")
        for label, v in zip(REPORTS_WITH, cols[y]):
            r["contents"].append((y, "reports_with_files", label, v, p))

    # Unique (MD5) and visually similar (PhotoDNA/Videntifier) images and videos
    p = find_page(pages, "Unique and Visually Similar Images/Videos Contained")
    pg = pages[p - 1]
    six = {}
    for label in ("Images", "Videos", "Total"):
        ln = next(x for x in pg.splitlines() if re.match(rf"^{label}\s+[\d,]+(\s+[\d,]+){{5}}\s*$", x))
        six[label] = counts(ln)
    for k, y in enumerate(years):
        for j, cat in enumerate(("unique_files", "similar_files")):
            im, vi, to = (six[lab][2 * k + j] for lab in ("Images", "Videos", "Total"))
            check(im + vi == to, f"{sid} {y} {cat}: images + videos != printed total")
            for label, v in (("Images", im), ("Videos", vi), ("Total", to)):
                r["contents"].append((y, cat, label, v, p))

    # Law-enforcement recipients: actionable / informational / total per recipient and year
    p = find_page(pages, "Law Enforcement", "Recipients of", "CyberTipline Reports", "Actionable:")
    pg = pages[p - 1]
    lines = block(pg, "Recipients of", "As noted in the above chart", "Copyright")
    hdr_line = next(ln for ln in lines if all(f"CY {y}" in ln for y in years))
    cols = columns(lines, hdr_line, years)
    # Sanity on labels: every cell prints "Actionable", then "Informational" (or, in the CY 2021
    # Federal cell of both reports, the misprint "International"), then "Total".
    flat = " ".join(" ".join(lines).split())
    check(
        flat.count("Actionable:") == 12 and flat.count("Total:") == 12,
        f"{sid}: recipients table does not have 12 cells",
    )
    check(
        flat.count("Informational:") + flat.count("International:") == 12,
        f"{sid}: recipients table level labels unexpected",
    )
    for y in years:
        v = cols[y]
        check(len(v) == 12, f"{sid} {y}: recipients column has {len(v)} counts, expected 12")
        for k, rec in enumerate(RECIPIENTS):
            a, i_, tot = v[3 * k : 3 * k + 3]
            check(a + i_ == tot, f"{sid} {y} {rec}: actionable + informational != printed total")
            for lvl, x in (("actionable", a), ("informational", i_), ("total", tot)):
                r["recipients"].append((y, rec, lvl, x, p))
    return r


# --------------------------------------------------------------------------------------------
# ESP PDFs: the printed total of the per-ESP table, and the 2019 headline text
# --------------------------------------------------------------------------------------------
def parse_esp_totals() -> dict[int, tuple[int, int]]:
    out = {}
    for y in range(2019, 2024):
        pages = pdf_pages(NCMEC / f"ncmec-by-esp-{y}.pdf")
        hits = []
        for i, pg in enumerate(pages):
            for ln in pg.splitlines():
                m = re.match(r"^\s*Totals?:?\s+([\d,]+)\s*$", ln)
                if m:
                    hits.append((parse_count(m.group(1)), i + 1))
        check(len(hits) == 1, f"ESP PDF {y}: expected one Total row, got {hits}")
        out[y] = hits[0]
    return out


def parse_esp_2019_headline() -> dict:
    pages = pdf_pages(NCMEC / "ncmec-by-esp-2019.pdf")
    text = " ".join(pages[0].split())
    m1 = re.search(r"In 2019, the CyberTipline received ([\d.]+) million reports", text)
    m2 = re.search(r"These reports contained ([\d.]+) million videos, images and files", text)
    check(bool(m1 and m2), "2019 ESP PDF headline text not found")
    return {"reports": (m1.group(1), 1), "files": (m2.group(1), 1)}


def million(s: str) -> int:
    whole, _, frac = s.partition(".")
    return int(whole) * 1_000_000 + int((frac + "000000")[:6])


# --------------------------------------------------------------------------------------------
# SECONDARY / hand-placed values (not in the PDFs above). Each with its reason.
# --------------------------------------------------------------------------------------------
# Diaphanous versions later than the local copy in shared/sources/diaphanous (which stops at 2023).
# The values are those of apparebit/diaphanous data/ocse-reports-per-year.csv @26d825f (2024-2025
# totals), data.py @26d825f (ESP totals), ocse-report-contents.csv @e68c865 and
# ocse-report-recipients.csv @da0ece0 (2024), as recorded in the team's research notes; they could
# not be re-read from a local file. Grimm transcribed them from NCMEC's 2024 ESP PDF and
# OJJDP-NCMEC-Transparency-CY-2024.pdf (not in shared/sources).
DIAPH_NOTE = "Diaphanous (later version than local copy; transcription of NCMEC's 2024/2025 publications)"
SECONDARY_ANNUAL = [
    # year, measure, value, unit, derived, source_id, page, note
    (
        2024,
        "total_reports",
        20512803,
        "reports",
        False,
        "grimm-diaphanous",
        "",
        DIAPH_NOTE + ": data/ocse-reports-per-year.csv @26d825f (local copy in diaphanous-later)",
    ),
    (
        2025,
        "total_reports",
        21351493,
        "reports",
        False,
        "grimm-diaphanous",
        "",
        DIAPH_NOTE + ": data/ocse-reports-per-year.csv @26d825f (local copy in diaphanous-later)",
    ),
    (
        2024,
        "esp_reports",
        20348306,
        "reports",
        False,
        "grimm-diaphanous",
        "",
        DIAPH_NOTE + ": ESP total in diaphanous/platform/data.py @26d825f",
    ),
    (
        2025,
        "esp_reports",
        21181300,
        "reports",
        False,
        "grimm-diaphanous",
        "",
        DIAPH_NOTE + ": ESP total in diaphanous/platform/data.py @26d825f; not in any local file, so not re-read",
    ),
    (
        2024,
        "images",
        28004236,
        "files",
        False,
        "grimm-diaphanous",
        "",
        DIAPH_NOTE + ": ocse-report-contents.csv @e68c865 'attachments, photos'",
    ),
    (
        2024,
        "videos",
        33130449,
        "files",
        False,
        "grimm-diaphanous",
        "",
        DIAPH_NOTE + ": ocse-report-contents.csv @e68c865 'attachments, videos'",
    ),
    (
        2024,
        "other_files",
        1858174,
        "files",
        False,
        "grimm-diaphanous",
        "",
        DIAPH_NOTE + ": ocse-report-contents.csv @e68c865 'attachments, other'",
    ),
    # NBC News, May 2025: "about 29.2 million reports" in 2024 -- NCMEC's count of incidents: since
    # 2024 ESPs may bundle many reports about one viral item into one report; the 20.5 million
    # (bundled) reports represent about 29.2 million incidents. Rounded. Only value known.
    (
        2024,
        "incidents",
        29200000,
        "incidents",
        False,
        "nbc-2025-05",
        "",
        "printed as '29.2 million' (rounded); NCMEC's 2024 count of incidents, i.e. the 20.5 million "
        "reports with bundled reports counted by the incidents they represent; NBC calls them 'reports'",
    ),
    # 2018 files: the only 2018 file count found is John Carr's quotation of NCMEC (secondary,
    # approximate); chapter 1 uses it to check "up 50% on the previous year".
    (
        2018,
        "files_total",
        45000000,
        "files",
        False,
        "carr-2020-04-16",
        "",
        "approximate: John Carr quotes NCMEC's 2018 figure as about '45 Million images and videos'; "
        "secondary, NCMEC's own 2018 file count not found",
    ),
    # NCMEC fact page on 2019 (machine-translated mirror): exact file breakdown.
    (
        2019,
        "images",
        27788328,
        "files",
        False,
        "ncmec-factpage-2019",
        "",
        "NCMEC 2019 fact page as mirrored (machine translation); only exact 2019 breakdown found",
    ),
    (
        2019,
        "videos",
        41280816,
        "files",
        False,
        "ncmec-factpage-2019",
        "",
        "NCMEC 2019 fact page as mirrored (machine translation); only exact 2019 breakdown found",
    ),
    (
        2019,
        "other_files",
        89053,
        "files",
        False,
        "ncmec-factpage-2019",
        "",
        "NCMEC 2019 fact page as mirrored (machine translation); only exact 2019 breakdown found",
    ),
    (
        2019,
        "public_reports",
        150667,
        "reports",
        False,
        "ncmec-factpage-2019",
        "",
        "printed on NCMEC 2019 fact page as mirrored; equals total - ESP total",
    ),
]
# 2024 on: report contents and recipients are read from the later Diaphanous files
# (diaphanous-later/ocse-report-contents_e68c865.csv, ocse-report-recipients_da0ece0.csv), Grimm's
# transcription of NCMEC's CY 2024 OJJDP report. Labels are mapped to the vocabulary NCMEC printed
# for 2020-2023 (DIAPH_LABEL below); a Diaphanous label without a mapping stops the script.
SECONDARY_CONTENTS_NOTE = (
    "Diaphanous ocse-report-contents.csv @e68c865 (later version than local copy), "
    "transcribing NCMEC's CY 2024 OJJDP report; label mapped from Diaphanous '{}'"
)
DIAPH_LABEL = {  # our label -> Diaphanous (category, label) for the note and the 2020-2023 cross-check
    ("report_type", REPORT_TYPES[0]): ("kind of exploitation", "child pornography"),
    ("report_type", REPORT_TYPES[1]): ("kind of exploitation", "misleading words/images online"),
    ("report_type", REPORT_TYPES[2]): ("kind of exploitation", "online enticement of children"),
    ("report_type", REPORT_TYPES[3]): ("kind of exploitation", "child sex trafficking"),
    ("report_type", REPORT_TYPES[4]): ("kind of exploitation", "obscene material sent to a child"),
    ("report_type", REPORT_TYPES[5]): ("kind of exploitation", "misleading domain name"),
    ("report_type", REPORT_TYPES[6]): ("kind of exploitation", "child sexual molestation"),
    ("report_type", REPORT_TYPES[7]): ("kind of exploitation", "child sex tourism"),
    ("user_location", "U.S."): ("user location", "U.S."),
    ("user_location", "International"): ("user location", "international"),
    ("user_location", "Unknown Location"): ("user location", "unknown"),
    ("files", "Images"): ("attachments", "photos"),
    ("files", "Videos"): ("attachments", "videos"),
    ("files", "Other Content"): ("attachments", "other"),
    ("unique_files", "Images"): ("attachments", "unique photos"),
    ("unique_files", "Videos"): ("attachments", "unique videos"),
    ("similar_files", "Images"): ("attachments", "similar photos"),
    ("similar_files", "Videos"): ("attachments", "similar videos"),
    ("reports_with_files", REPORTS_WITH[0]): ("reports", "total"),
    ("reports_with_files", REPORTS_WITH[1]): ("reports", "with unique photos/videos"),
    ("reports_with_files", REPORTS_WITH[2]): ("reports", "with similar photos/videos"),
}
DIAPH_RECIPIENT = {
    RECIPIENTS[0]: "internet crimes against children units",
    RECIPIENTS[1]: "local law enforcement",
    RECIPIENTS[2]: "federal law enforcement",
    RECIPIENTS[3]: "international law enforcement",
}


def read_diaphanous(name: str, folder: Path = DIAPH) -> list[dict]:
    with open(folder / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def later_contents(first_year: int = 2024) -> list[tuple[int, str, str, int]]:
    """(year, category, label, value) for every year from ``first_year`` in the later Diaphanous file."""
    ours = {d: k for k, d in DIAPH_LABEL.items()}
    out = []
    for r in read_diaphanous("ocse-report-contents_e68c865.csv", LATER):
        if int(r["year"]) >= first_year:
            check((r["category"], r["label"]) in ours, f"unmapped Diaphanous label {r['category']}, {r['label']}")
            cat, label = ours[(r["category"], r["label"])]
            out.append((int(r["year"]), cat, label, parse_count(r["quantity"])))
    return out


def later_recipients(first_year: int = 2024) -> list[tuple[int, str, str, int]]:
    """(year, recipient, level, reports) for every year from ``first_year`` in the later Diaphanous file."""
    ours = {d: k for k, d in DIAPH_RECIPIENT.items()}
    return [
        (int(r["year"]), ours[r["recipients"]], r["level_of_detail"], parse_count(r["reports"]))
        for r in read_diaphanous("ocse-report-recipients_da0ece0.csv", LATER)
        if int(r["year"]) >= first_year
    ]


def esp_partial_sums() -> dict[int, tuple[int, int]]:
    """year -> (sum, number) of the partial per-ESP lines in scripts/esp_partial_2024_2025.csv."""
    out: dict[int, tuple[int, int]] = {}
    with open(ROOT / "scripts" / "esp_partial_2024_2025.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["kind"] == "row":
                s, n = out.get(int(r["year"]), (0, 0))
                out[int(r["year"])] = (s + int(r["reports"]), n + 1)
    return out


def later_totals() -> dict[int, int]:
    return {int(r["year"]): int(r["reports"]) for r in read_diaphanous("ocse-reports-per-year_26d825f.csv", LATER)}


# --------------------------------------------------------------------------------------------
# The steps: load -> check the sources agree -> build each table (with its checks) -> save.

ANNUAL_FIELDS = ["year", "measure", "value", "unit", "rounding", "derived", "preferred", "source_id", "page", "note"]
CONTENTS_FIELDS = ["year", "category", "label", "value", "unit", "source_id", "page", "note"]
RECIPIENTS_FIELDS = ["year", "recipient", "level_of_detail", "reports", "source_id", "page"]
MEASURE_ORDER = [
    "total_reports",
    "esp_reports",
    "public_reports",
    "files_total",
    "images",
    "videos",
    "other_files",
    "incidents",
]


@dataclass
class Inputs:
    """Everything read from the source files."""

    parsed: dict[str, dict]  # source_id -> parse_ojjdp() of that OJJDP report
    esp_totals: dict[int, tuple[int, int]]  # year -> (printed ESP total, page)
    head19: dict  # the 2019 ESP PDF's headline figures
    partial: dict[int, tuple[int, int]]  # 2024-2025: (sum, number) of the partial per-ESP lines
    later_contents: list[tuple[int, str, str, int]]
    later_recipients: list[tuple[int, str, str, int]]
    later_totals: dict[int, int]
    diaph_totals: dict[int, int]  # local Diaphanous ocse-reports-per-year.csv
    diaph_contents: dict[tuple[str, str, int], int | None]
    diaph_recipients: dict[tuple[str, str, int], int | None]


@dataclass
class Annual:
    """The rows of cybertipline_annual, with the preferred totals the other tables check against."""

    rows: list[dict] = field(default_factory=list)
    total: dict[int, int] = field(default_factory=dict)  # Appendix A totals, 1998-2023
    esp: dict[int, int] = field(default_factory=dict)  # ESP PDFs' printed totals, 2019-2023
    secondary: dict[tuple[int, str], int] = field(default_factory=dict)  # (year, measure) -> value

    def add(self, year, measure, value, unit, derived, preferred, sid, page, note="", rounding=1):
        # rounding: the unit to which the source rounded the figure ("69.1 million" -> 100000);
        # 1 for exact counts. The validator compares rounded figures within this tolerance.
        self.rows.append(
            {
                "year": year,
                "measure": measure,
                "value": value,
                "unit": unit,
                "rounding": rounding,
                "derived": "true" if derived else "false",
                "preferred": "true" if preferred else "false",
                "source_id": sid,
                "page": page,
                "note": note,
            }
        )


def load() -> Inputs:
    return Inputs(
        parsed={sid: parse_ojjdp(sid) for sid in OJJDP},
        esp_totals=parse_esp_totals(),
        head19=parse_esp_2019_headline(),
        partial=esp_partial_sums(),
        later_contents=later_contents(),
        later_recipients=later_recipients(),
        later_totals=later_totals(),
        diaph_totals={int(r["year"]): int(r["reports"]) for r in read_diaphanous("ocse-reports-per-year.csv")},
        diaph_contents={
            (r["category"], r["label"], int(r["year"])): parse_count(r["quantity"])
            for r in read_diaphanous("ocse-report-contents.csv")
        },
        diaph_recipients={
            (r["recipients"], r["level_of_detail"], int(r["year"])): parse_count(r["reports"])
            for r in read_diaphanous("ocse-report-recipients.csv")
        },
    )


def check_reports_agree(parsed: dict[str, dict]) -> None:
    """Appendix A of the two reports agree for 1998-2022, and every figure both print agrees."""
    r22, r23 = parsed["ncmec-ojjdp-2022"], parsed["ncmec-ojjdp-2023"]
    for y, (v, _) in r22["appendix"].items():
        check(r23["appendix"][y][0] == v, f"Appendix A disagrees for {y}: {v} vs {r23['appendix'][y][0]}")

    def keyed(rows, n):  # n = number of key fields before the value
        return {row[:n]: row[n] for row in rows}

    for part, n in (("annual", 2), ("contents", 3), ("recipients", 3)):
        a, b = keyed(r22[part], n), keyed(r23[part], n)
        common = set(a) & set(b)
        check(len(common) > 0, f"no overlap in {part}")
        for k in sorted(common):
            check(a[k] == b[k], f"{part} {k}: 2022 report {a[k]} vs 2023 report {b[k]}")


def add_totals(annual: Annual, inputs: Inputs) -> None:
    """Totals 1998-2023 from Appendix A of the CY 2023 report; 1998 and the 2019 headline as printed."""
    r22, r23 = inputs.parsed["ncmec-ojjdp-2022"], inputs.parsed["ncmec-ojjdp-2023"]
    for y, (v, p) in sorted(r23["appendix"].items()):
        annual.total[y] = v
        if y == 1998:
            continue
        annual.add(
            y,
            "total_reports",
            v,
            "reports",
            False,
            True,
            "ncmec-ojjdp-2023",
            p,
            "Appendix A; identical in CY 2022 report Appendix A" if y <= 2022 else "Appendix A",
        )
    # 1998: Appendix A (both reports) and the CY 2022 report's text print 4,560; the CY 2023 report's
    # text prints 2,772. PK (year, measure, source_id) allows one row per source, so the table value
    # is taken from the CY 2022 report and the text value from the CY 2023 report.
    v22, p22 = r22["appendix"][1998]
    t22, tp22 = r22["text1998"]
    t23, tp23 = r23["text1998"]
    check(
        v22 == r23["appendix"][1998][0] == t22 == 4560 and t23 == 2772,
        f"1998 figures changed: {v22}, {r23['appendix'][1998]}, {t22}, {t23}",
    )
    annual.add(
        1998,
        "total_reports",
        v22,
        "reports",
        False,
        True,
        "ncmec-ojjdp-2022",
        p22,
        f"Appendix A (also CY 2023 report Appendix A p.{r23['appendix'][1998][1]}; and this report's "
        f"text p.{tp22}); CyberTipline opened March 1998, so a part year",
    )
    annual.add(
        1998,
        "total_reports",
        t23,
        "reports",
        False,
        False,
        "ncmec-ojjdp-2023",
        tp23,
        f"text of CY 2023 report ('NCMEC received 2,772 reports' in CY 1998) contradicts its own "
        f"Appendix A (4,560, p.{r23['appendix'][1998][1]}); unexplained; not used",
    )
    # 2019 headline of the ESP PDF: rounded all-sources total
    head19 = inputs.head19
    annual.add(
        2019,
        "total_reports",
        million(head19["reports"][0]),
        "reports",
        False,
        False,
        "ncmec-esp-2019",
        head19["reports"][1],
        f"printed as '{head19['reports'][0]} million' (rounded; all reports, public + ESP); exact value in Appendix A",
        rounding=100_000,
    )


def ojjdp_annual(parsed: dict[str, dict]) -> dict[tuple[int, str], tuple[int, int, str]]:
    """(year, measure) -> (value, page, source_id) from the OJJDP reports; the later report wins."""
    out = {}
    for sid in reversed(LATER_FIRST):  # later report overwrites
        for y, m, v, p in parsed[sid]["annual"]:
            out[(y, m)] = (v, p, sid)
    return out


def add_esp_and_public(annual: Annual, inputs: Inputs) -> None:
    """ESP totals 2019-2023 (ESP PDFs), the OJJDP-printed ESP and public counts, derived public counts."""
    for y, (v, p) in sorted(inputs.esp_totals.items()):
        annual.esp[y] = v
        annual.add(
            y, "esp_reports", v, "reports", False, True, f"ncmec-esp-{y}", p, "printed Total row of the per-ESP table"
        )
    printed = ojjdp_annual(inputs.parsed)
    total, esp = annual.total, annual.esp
    for (y, m), (v, p, sid) in sorted(printed.items()):
        if m == "esp_reports":
            check(v == esp[y], f"{y}: ESP PDF total {esp[y]} != OJJDP ESP count {v}")
            annual.add(y, m, v, "reports", False, False, sid, p, "OJJDP report table 'ESP CyberTipline Reports'")
        elif m == "public_reports":
            check(v == total[y] - esp[y], f"{y}: public != total - ESP")
            annual.add(
                y,
                m,
                v,
                "reports",
                False,
                True,
                sid,
                p,
                "OJJDP report table 'Public CyberTipline Reports' (printed; equals total - ESP)",
            )
    for y in range(2019, 2024):
        is_printed = (y, "public_reports") in printed
        annual.add(
            y,
            "public_reports",
            total[y] - esp[y],
            "reports",
            True,
            not is_printed,
            f"ncmec-esp-{y}",
            "",
            f"derived: total_reports (ncmec-ojjdp-2023 Appendix A) - esp_reports (ncmec-esp-{y} Total row)",
        )


def add_files(annual: Annual, inputs: Inputs) -> None:
    """Files 2020-2023 (OJJDP; values printed twice are identical, checked) and 2019's headline."""
    for (y, m), (v, p, sid) in sorted(ojjdp_annual(inputs.parsed).items()):
        if m in ("images", "videos", "other_files", "files_total"):
            annual.add(
                y,
                m,
                v,
                "files",
                False,
                True,
                sid,
                p,
                "OJJDP table 'Files Uploaded with CyberTipline Reports Submitted by ESPs'"
                + ("; identical in CY 2022 report" if sid == "ncmec-ojjdp-2023" and y <= 2022 else ""),
            )
    # 2019 files: headline of the ESP PDF (rounded) is the preferred total (primary, NCMEC's own
    # printed figure); the exact fact-page breakdown is preferred for the parts (only values).
    head19 = inputs.head19
    annual.add(
        2019,
        "files_total",
        million(head19["files"][0]),
        "files",
        False,
        True,
        "ncmec-esp-2019",
        head19["files"][1],
        f"printed as '{head19['files'][0]} million' ('videos, images and files'; rounded down)",
        rounding=100_000,
    )


def add_secondary(annual: Annual, inputs: Inputs) -> None:
    """The SECONDARY_ANNUAL rows, 2019's derived file total, 2024-2025 public and 2024 files (derived)."""
    for y, m, v, unit, der, sid, p, note in SECONDARY_ANNUAL:
        pref = not (m == "public_reports" and sid == "ncmec-factpage-2019")
        if m == "esp_reports" and y in inputs.partial:  # say how much of the total the per-ESP rows cover
            rows_sum, n = inputs.partial[y]
            note += (
                f"; the {n} per-ESP lines transcribed (esp_reports, coverage partial) sum to {rows_sum:,}, "
                f"{100 * rows_sum / v:.1f}% of this total"
            )
        annual.add(
            y,
            m,
            v,
            unit,
            der,
            pref,
            sid,
            p,
            note,
            rounding=1_000_000
            if note.startswith("approximate")
            else 100_000
            if note.startswith("printed as '") and "million" in note
            else 1,
        )
    head19 = inputs.head19
    s19 = sum(v for (y, m, v, *_rest) in SECONDARY_ANNUAL if y == 2019 and m in ("images", "videos", "other_files"))
    check(
        million(head19["files"][0]) <= s19 < million(head19["files"][0]) + 100_000,
        "2019 fact-page breakdown inconsistent with the printed 69.1 million",
    )
    annual.add(
        2019,
        "files_total",
        s19,
        "files",
        True,
        False,
        "ncmec-factpage-2019",
        "",
        "derived: images + videos + other_files from the fact page (69,158,197; NCMEC's own PDF prints '69.1 million')",
    )
    sec = annual.secondary
    sec.update({(y, m): v for (y, m, v, *_r) in SECONDARY_ANNUAL})
    for y in (2024, 2025):
        annual.add(
            y,
            "public_reports",
            sec[(y, "total_reports")] - sec[(y, "esp_reports")],
            "reports",
            True,
            True,
            "grimm-diaphanous",
            "",
            "derived: total_reports - esp_reports (both grimm-diaphanous)",
        )
    annual.add(
        2024,
        "files_total",
        sec[(2024, "images")] + sec[(2024, "videos")] + sec[(2024, "other_files")],
        "files",
        True,
        True,
        "grimm-diaphanous",
        "",
        "derived: images + videos + other_files (grimm-diaphanous)",
    )


def check_annual(annual: Annual, inputs: Inputs) -> None:
    """Unique keys, one preferred value per year and measure, ESP + public = total, files add up,
    Appendix A = the local Diaphanous per-year file."""
    seen, prefs = set(), {}
    for row in annual.rows:
        k = (row["year"], row["measure"], row["source_id"])
        check(k not in seen, f"duplicate key {k}")
        seen.add(k)
        if row["preferred"] == "true":
            pk = (row["year"], row["measure"])
            check(pk not in prefs, f"two preferred rows for {pk}")
            prefs[pk] = row["value"]
    for y in range(1998, 2026):
        check((y, "total_reports") in prefs, f"no preferred total for {y}")
    for y in range(2019, 2026):
        check(
            prefs[(y, "total_reports")] == prefs[(y, "esp_reports")] + prefs[(y, "public_reports")],
            f"{y}: preferred total != esp + public",
        )
    for y in range(2020, 2025):
        check(
            prefs[(y, "files_total")] == prefs[(y, "images")] + prefs[(y, "videos")] + prefs[(y, "other_files")],
            f"{y}: preferred files do not sum",
        )
    for y, v in inputs.diaph_totals.items():
        check(annual.total[y] == v, f"{y}: Appendix A {annual.total[y]} != local Diaphanous {v}")


def build_annual(inputs: Inputs) -> Annual:
    annual = Annual()
    add_totals(annual, inputs)
    add_esp_and_public(annual, inputs)
    add_files(annual, inputs)
    add_secondary(annual, inputs)
    check_annual(annual, inputs)
    return annual


def contents_note(sid: str, year: int, cat: str, label: str) -> str:
    notes = []
    if sid == "ncmec-ojjdp-2023" and year in OJJDP["ncmec-ojjdp-2022"][1]:
        notes.append("identical in CY 2022 report")
    if cat == "user_location" and label == "Unknown Location" and sid == "ncmec-ojjdp-2022":
        notes.append("printed as 'Unknown' in the CY 2022 report")
    if cat == "similar_files":
        notes.append(
            "column printed as 'Visually Similar Images and Videos Determined by PhotoDNA and Videntifier Technology'"
            if year == 2020
            else "column printed as 'Unique Images and Videos Determined by PhotoDNA and "
            "Videntifier Technology' (visually similar files; 2020 column says 'Visually Similar')"
        )
    return "; ".join(notes)


def build_contents(inputs: Inputs, annual: Annual) -> dict[tuple[int, str, str], dict]:
    """report_contents: the OJJDP tables (later report wins), 2024 from the later Diaphanous file; checked
    against the yearly totals and, for 2020-2023, against the local Diaphanous copy."""
    contents = {}
    for sid in reversed(LATER_FIRST):
        for y, cat, label, v, p in inputs.parsed[sid]["contents"]:
            contents[(y, cat, label)] = {
                "year": y,
                "category": cat,
                "label": label,
                "value": v,
                "unit": UNIT[cat],
                "source_id": sid,
                "page": p,
                "note": contents_note(sid, y, cat, label),
            }
    later, sec = inputs.later_contents, annual.secondary
    for y, cat, label, v in later:
        dcat, dlab = DIAPH_LABEL[(cat, label)]
        contents[(y, cat, label)] = {
            "year": y,
            "category": cat,
            "label": label,
            "value": v,
            "unit": UNIT[cat],
            "source_id": "grimm-diaphanous",
            "page": "",
            "note": SECONDARY_CONTENTS_NOTE.format(f"{dcat}, {dlab}"),
        }
    for y in sorted({x[0] for x in later}):
        for cat in ("report_type", "user_location"):
            check(
                sum(v for yy, c, _l, v in later if yy == y and c == cat) == sec[(y, "total_reports")],
                f"{y} {cat} rows do not sum to the {y} total",
            )
        files = {label: v for yy, c, label, v in later if yy == y and c == "files"}
        for label, m in (("Images", "images"), ("Videos", "videos"), ("Other Content", "other_files")):
            check(files[label] == sec[(y, m)], f"{y} {label}: contents {files[label]} vs annual {sec[(y, m)]}")
    for y, v in inputs.later_totals.items():
        check(annual.total.get(y, sec.get((y, "total_reports"))) == v, f"{y}: total differs from diaphanous-later {v}")
    dia = inputs.diaph_contents
    n = 0
    for (y, cat, label), row in contents.items():
        if y <= 2023 and (cat, label) in DIAPH_LABEL:
            dcat, dlab = DIAPH_LABEL[(cat, label)]
            check(
                dia.get((dcat, dlab, y)) == row["value"],
                f"contents {y} {cat} {label}: PDF {row['value']} vs Diaphanous {dia.get((dcat, dlab, y))}",
            )
            n += 1
    check(n == len(dia), f"only {n} of {len(dia)} local Diaphanous contents rows cross-checked")
    return contents


def build_recipients(inputs: Inputs) -> dict[tuple[int, str, str], dict]:
    """report_recipients: the OJJDP tables (later report wins), 2024 from the later Diaphanous file;
    2020-2023 checked against the local Diaphanous copy."""
    recips = {}
    for sid in reversed(LATER_FIRST):
        for y, rec, lvl, v, p in inputs.parsed[sid]["recipients"]:
            recips[(y, rec, lvl)] = {
                "year": y,
                "recipient": rec,
                "level_of_detail": lvl,
                "reports": v,
                "source_id": sid,
                "page": p,
            }
    for y, rec, lvl, v in inputs.later_recipients:
        recips[(y, rec, lvl)] = {
            "year": y,
            "recipient": rec,
            "level_of_detail": lvl,
            "reports": v,
            "source_id": "grimm-diaphanous",
            "page": "",
        }
    for (rec, lvl, y), v in inputs.diaph_recipients.items():
        mine = recips[(y, next(k for k, d in DIAPH_RECIPIENT.items() if d == rec), lvl)]["reports"]
        check(mine == v, f"recipients {y} {rec} {lvl}: PDF {mine} vs Diaphanous {v}")
    return recips


def save(annual: Annual, contents: dict, recips: dict) -> None:
    DATA.mkdir(exist_ok=True)
    order = {m: i for i, m in enumerate(MEASURE_ORDER)}
    write(
        DATA / "cybertipline_annual.csv",
        ANNUAL_FIELDS,
        sorted(annual.rows, key=lambda r: (r["year"], order[r["measure"]], r["preferred"] != "true", r["source_id"])),
    )
    write(
        DATA / "report_contents.csv",
        CONTENTS_FIELDS,
        sorted(contents.values(), key=lambda r: (r["year"], r["category"], r["label"])),
    )
    write(
        DATA / "report_recipients.csv",
        RECIPIENTS_FIELDS,
        sorted(recips.values(), key=lambda r: (r["year"], r["recipient"], r["level_of_detail"])),
    )
    print(f"wrote {len(annual.rows)} annual rows, {len(contents)} content rows, {len(recips)} recipient rows")


def main() -> None:
    inputs = load()
    check_reports_agree(inputs.parsed)
    annual = build_annual(inputs)
    contents = build_contents(inputs, annual)
    recips = build_recipients(inputs)
    save(annual, contents, recips)


def write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)


if __name__ == "__main__":
    main()
