"""Extract data/after_report.csv: what NCMEC's transparency reports to OJJDP print about what happens
after a report - feedback from law enforcement, the Child Victim Identification Program (CVIP): files
reviewed by series category, identified child victims added, new series of unidentified victims, files
law enforcement submitted - and CVIP's running totals.

load:    the text layer of ``ncmec/ncmec-ojjdp-2022.pdf`` and ``ncmec-ojjdp-2023.pdf`` (``pdftotext -layout``)
process: parse each table by its heading; check every printed total; where both reports print a year,
         check they agree and keep the later report's row
save:    data/after_report.csv, sorted by year, topic, label, measure

Not extracted: the CVIP table of relationships between offender and child (the book holds no
descriptions of abuse) and the hash-sharing tables (about ESPs' detection, not about reports' outcomes).

Run from the repository root: ``.venv/bin/python -m scripts.extract_after_report``.
"""

from __future__ import annotations

import re

from scripts.csvio import DATA, SOURCES, check, provenance, write_rows
from scripts.pdftext import parse_count, pdf_pages

OJJDP = {  # source_id -> (pdf, the three calendar years its tables print)
    "ncmec-ojjdp-2022": (SOURCES / "ncmec" / "ncmec-ojjdp-2022.pdf", (2020, 2021, 2022)),
    "ncmec-ojjdp-2023": (SOURCES / "ncmec" / "ncmec-ojjdp-2023.pdf", (2021, 2022, 2023)),
}
FIELDS = [
    "year",
    "topic",
    "label",
    "measure",
    "value",
    "unit",
    "rounding",
    "part_of",
    "parts",
    "source_id",
    "page",
    "provenance",
    "note",
]
COUNT = re.compile(r"(?<![\w,.])(\d{1,3}(?:,\d{3})+|\d+)(?![\w,.%])")
RECIPIENTS = [
    "Internet Crimes Against Children (ICACs) Units",
    "Local Law Enforcement",
    "Federal Law Enforcement",
    "International Law Enforcement",
]
SERIES = [
    "Images/videos in identified series",
    "Images/videos that NCMEC is tracking, but where child victim is not yet identified by law enforcement",
    "Images/videos where age/identity of child victim or exploitative act cannot yet be determined",
    "Images/videos for which a series has not yet been created",
    "Total",
]
AGES = ["Pubescent", "Prepubescent", "Infant/Toddler", "Grand Total"]
FEDERAL = ["DHS Immigration and Customs Enforcement", "Federal Bureau of Investigation", "Other Federal Agencies"]
MILITARY = [
    "Coast Guard Investigative Service",
    "Department of the Army CID",
    "Naval Criminal Investigative Service",
    "U.S. Air Force OSI",
    "U.S. Marine Corps CID",
    "Department of Defense",
]
TOTALS = [
    "Total Federal Agencies",
    "Total Local/State/ICAC Agencies",
    "Total Military Agencies",
    "Total International Agencies",
]
GRAND = "Total Law Enforcement Submissions"


def flat(text: str) -> str:
    return " ".join(text.split())


def counts(line: str) -> list[int]:
    return [parse_count(m) for m in COUNT.findall(re.sub(r"CY ?\d{4}", " ", line))]


def find_page(pages: list[str], *needles: str) -> int:
    hits = [i + 1 for i, p in enumerate(pages) if all(n in flat(p) for n in needles)]
    check(len(hits) == 1, f"expected one page with {needles}, got {hits}")
    return hits[0]


def lines_between(page: str, start: str, *ends: str) -> list[str]:
    lines = page.splitlines()
    i = next(k for k, ln in enumerate(lines) if start in ln)
    j = next((k for k, ln in enumerate(lines[i + 1 :], i + 1) if any(e in ln for e in ends)), len(lines))
    return lines[i:j]


def rows_with(lines: list[str], n: int) -> list[list[int]]:
    """The count rows of a table: every line holding at least ``n`` counts (the last ``n`` are kept)."""
    return [c[-n:] for c in (counts(ln) for ln in lines) if len(c) >= n]


def row(year, topic, label, measure, value, unit, sid, page, part_of="", parts="", rounding=1, note=""):
    return {
        "year": year,
        "topic": topic,
        "label": label,
        "measure": measure,
        "value": value,
        "unit": unit,
        "rounding": rounding,
        "part_of": part_of,
        "parts": parts,
        "source_id": sid,
        "page": page,
        "note": note,
    }


# ---- one parser per table (each returns rows for the report's three years) --------------------------
def feedback(pages, sid, years):
    p = find_page(pages, "Instances of Law Enforcement")
    t = rows_with(lines_between(pages[p - 1], "Instances of Law", "Copyright", "F. NCMEC"), 3)
    check(len(t) == 4, f"{sid}: feedback table has {len(t)} rows, expected 4")
    return [
        row(
            y,
            "law_enforcement_feedback",
            rec,
            "instances of feedback",
            t[i][k],
            "instances of feedback",
            sid,
            p,
            note="feedback on CyberTipline reports made available to this group; most agencies give little or "
            "none (NCMEC)",
        )
        for k, y in enumerate(years)
        for i, rec in enumerate(RECIPIENTS)
    ]


def cvip_series(pages, sid, years):
    p = find_page(pages, "Series", "Categories", "identified series", "for which a series")
    t = rows_with(lines_between(pages[p - 1], "Reviewed", "Copyright", "B. NCMEC"), 6)
    check(len(t) == 5, f"{sid}: CVIP series table has {len(t)} rows, expected 5")
    out = []
    for k, y in enumerate(years):
        for i, label in enumerate(SERIES):
            total, unique = t[i][2 * k], t[i][2 * k + 1]
            check(unique <= total, f"{sid} {y} {label}: unique > total")
            is_total = label == "Total"
            for measure, v, unit in (("files reviewed", total, "files"), ("unique files reviewed", unique, "files")):
                out.append(
                    row(
                        y,
                        "cvip_files_reviewed",
                        label,
                        measure,
                        v,
                        unit,
                        sid,
                        p,
                        part_of="" if is_total else "Total",
                        parts="overlap" if is_total else "",
                        note=(
                            "printed total; a file can show several children from several series, so the "
                            "categories add up to more than it"
                            if is_total
                            else "unique = distinct by MD5 hash"
                        ),
                    )
                )
        parts = [t[i][2 * k] for i in range(4)]
        check(sum(parts) >= t[4][2 * k], f"{sid} {y}: series categories sum below the printed total")
    return out


def cvip_victims(pages, sid, years):
    out = []
    for y in years:
        p = find_page(
            pages, f"Identified Victims Added to NCMEC’s CVIP Database of Victims Separated by Age and Gender in CY {y}"
        )
        # the table's heading ends "... in CY YYYY" on a line of its own (the prose above names all years)
        start = next(i for i, ln in enumerate(pages[p - 1].splitlines()) if re.search(rf"in CY {y}\s*$", ln))
        block = pages[p - 1].splitlines()[start : start + 6]
        grid = {}
        for gender in ("Male", "Female", "Total"):
            ln = next(x for x in block if x.strip().startswith(gender + " "))
            grid[gender] = counts(ln)
            check(
                len(grid[gender]) == 4 and sum(grid[gender][:3]) == grid[gender][3],
                f"{sid} {y} {gender}: ages do not add up",
            )
        for j in range(4):
            check(grid["Male"][j] + grid["Female"][j] == grid["Total"][j], f"{sid} {y}: male + female != total")
        for gender, name in (("Male", "Male"), ("Female", "Female"), ("Total", "All")):
            for j, age in enumerate(AGES):
                label = f"{name}, {'all ages' if age == 'Grand Total' else age}"
                if age == "Grand Total":  # Male + Female = All is checked above, by age and in all
                    part_of, parts = "", "sum"
                else:
                    part_of, parts = f"{name}, all ages", ""
                out.append(
                    row(
                        y,
                        "cvip_identified_victims",
                        label,
                        "identified victims added",
                        grid[gender][j],
                        "identified victims",
                        sid,
                        p,
                        part_of=part_of,
                        parts=parts,
                        note="children identified by law enforcement and added to CVIP's database for the "
                        "first time in the year",
                    )
                )
    return out


def cvip_new_series(pages, sid, years):
    p = find_page(pages, "New Series of Unidentified Child Victims Added")
    t = rows_with(lines_between(pages[p - 1], "New Series of Unidentified", "Copyright", "D. Law"), 3)
    check(len(t) == 1, f"{sid}: new-series table has {len(t)} count rows")
    return [
        row(
            y,
            "cvip_new_series",
            "New series of unidentified child victims",
            "series added",
            t[0][k],
            "series",
            sid,
            p,
            note="series NCMEC created before law enforcement identified the child",
        )
        for k, y in enumerate(years)
    ]


def cvip_submissions(pages, sid, years):
    p = find_page(pages, "Reviews Submitted", "Total Military Agencies")
    lines = lines_between(pages[p - 1], "Image/Video", "Copyright")
    text = flat("\n".join(lines))
    labels = [
        lab
        for lab in FEDERAL + [TOTALS[0], TOTALS[1]] + MILITARY + [TOTALS[2], TOTALS[3], GRAND]
        if flat(lab).replace("/ ", "/") in text.replace("/ ", "/")
    ]
    t = rows_with(lines, 6)
    check(len(t) == len(labels), f"{sid}: submissions table has {len(t)} rows for {len(labels)} labels")
    part_of = {
        **dict.fromkeys(FEDERAL, TOTALS[0]),
        **dict.fromkeys(MILITARY, TOTALS[2]),
        **dict.fromkeys(TOTALS, GRAND),
    }
    out = []
    for k, y in enumerate(years):
        vals = {lab: (t[i][2 * k], t[i][2 * k + 1]) for i, lab in enumerate(labels)}
        for j, (measure, unit) in enumerate((("reviews submitted", "reviews"), ("files submitted", "files"))):
            for total in (TOTALS[0], TOTALS[2], GRAND):
                parts = sum(v[j] for lab, v in vals.items() if part_of.get(lab) == total)
                check(parts == vals[total][j], f"{sid} {y} {total} {measure}: parts {parts} != {vals[total][j]}")
            for lab, v in vals.items():
                out.append(
                    row(
                        y,
                        "cvip_submissions",
                        lab,
                        measure,
                        v[j],
                        unit,
                        sid,
                        p,
                        part_of=part_of.get(lab, ""),
                        parts="sum" if lab in (TOTALS[0], TOTALS[2], GRAND) else "",
                        note="files seized by law enforcement and submitted to CVIP for review; submission is "
                        "voluntary",
                    )
                )
    return out


def cvip_running_totals(pages, sid, years):
    text = flat("\n".join(pages))
    m = re.search(
        r"As of (\w+ \d+, \d{4}), NCMEC has reviewed over ([\d,]+) million images and videos submitted "
        r"to CVIP and has processed information relating to more than ([\d,]+) identified child victims",
        text,
    )
    check(m is not None, f"{sid}: CVIP running totals not found")
    p = find_page(pages, "has processed information relating to")
    as_of = m.group(1)
    return [
        row(
            years[-1],
            "cvip_running_total",
            "Images and videos reviewed by CVIP since it began",
            "files reviewed",
            parse_count(m.group(2)) * 1_000_000,
            "files",
            sid,
            p,
            rounding=1_000_000,
            note=f"printed as 'over {m.group(2)} million', as of {as_of} (a lower bound)",
        ),
        row(
            years[-1],
            "cvip_running_total",
            "Identified child victims whose information CVIP has processed",
            "identified victims",
            parse_count(m.group(3)),
            "identified victims",
            sid,
            p,
            note=f"printed as 'more than {m.group(3)}', as of {as_of} (a lower bound)",
        ),
    ]


PARSERS = (feedback, cvip_series, cvip_victims, cvip_new_series, cvip_submissions, cvip_running_totals)


def load() -> dict[str, list[str]]:
    return {sid: pdf_pages(pdf) for sid, (pdf, _years) in OJJDP.items()}


def process(pages: dict[str, list[str]]) -> list[dict]:
    by_key: dict[tuple, dict] = {}
    for sid in ("ncmec-ojjdp-2022", "ncmec-ojjdp-2023"):  # the later report's row replaces the earlier one
        years = OJJDP[sid][1]
        for parse in PARSERS:
            for r in parse(pages[sid], sid, years):
                key = (r["year"], r["topic"], r["label"], r["measure"])
                if key in by_key:
                    check(
                        by_key[key]["value"] == r["value"],
                        f"{key}: CY 2022 report {by_key[key]['value']} vs CY 2023 report {r['value']}",
                    )
                    r["note"] = (r["note"] + "; " if r["note"] else "") + "identical in the CY 2022 report"
                by_key[key] = r
    prov = {sid: provenance(sid) for sid in OJJDP}
    for r in by_key.values():
        r["provenance"] = prov[r["source_id"]]
    return sorted(by_key.values(), key=lambda r: (r["year"], r["topic"], r["label"], r["measure"]))


def save(rows: list[dict]) -> None:
    write_rows(DATA / "after_report.csv", FIELDS, rows)
    topics = sorted({r["topic"] for r in rows})
    print(
        f"after_report: {len(rows)} rows, {min(r['year'] for r in rows)}-{max(r['year'] for r in rows)}, "
        f"topics {topics}"
    )


def main() -> None:
    save(process(load()))


if __name__ == "__main__":
    main()
