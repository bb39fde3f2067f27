"""Build data/context_series.csv: yearly figures of two other hotlines, as context for NCMEC's -
the Internet Watch Foundation (UK) and INHOPE (the international association of hotlines).

load:    Grimm's transcriptions ``diaphanous-later/iwf_5768e19.csv`` and ``inhope_5768e19.csv`` and the
         hand-checked figures from the organisations' own pages (``scripts/context_series_primary.csv``)
process: one row per organisation, year, measure, edition and source, with the unit the organisation used
         that year (INHOPE counted content URLs until 2023 and "records" from 2024); where the
         organisation's own page gives the figure, that row is preferred and must equal Grimm's
save:    data/context_series.csv

Run from the repository root: ``.venv/bin/python -m scripts.build_context_series``.
"""

from __future__ import annotations

from scripts.csvio import DATA, ROOT, SOURCES, check, number, provenance, read_rows, write_rows

LATER = SOURCES / "diaphanous-later"
PRIMARY_FILE = ROOT / "scripts" / "context_series_primary.csv"
FIELDS = ["organisation", "year", "measure", "value", "unit", "edition", "preferred", "source_id", "provenance", "note"]
#: Grimm's column -> (our measure, what it counts)
IWF_COLUMNS = {
    "reports": ("reports_assessed", "reports assessed by IWF analysts (from the public and IWF's own searches)"),
    "confirmed_reports": ("reports_confirmed", "reports confirmed as containing child sexual abuse imagery"),
    "newsgroup_reports": ("newsgroup_reports", "reports about newsgroups"),
    "confirmed_newsgroups": ("newsgroups_confirmed", "newsgroups confirmed"),
}
INHOPE_COLUMNS = {
    "reports": ("reports", "reports received by member hotlines"),
    "pieces": ("content_exchanged", "content exchanged through ICCAM"),
    "known_pieces": (
        "content_known",
        "content Grimm labels 'known' (presumably already known to ICCAM; INHOPE's definition not checked)",
    ),
    "unknown_pieces": (
        "content_unknown",
        "content Grimm labels 'unknown' (presumably not previously known; INHOPE's definition not checked)",
    ),
    "illegal_pieces": ("content_illegal", "content assessed as illegal"),
}


def inhope_unit(year: int, column: str) -> str:
    if column == "reports":
        return "reports"
    return "records" if year >= 2024 else "content URLs"


def load() -> tuple[list[dict], list[dict], list[dict]]:
    return read_rows(LATER / "iwf_5768e19.csv"), read_rows(LATER / "inhope_5768e19.csv"), read_rows(PRIMARY_FILE)


def process(iwf: list[dict], inhope: list[dict], primary: list[dict]) -> list[dict]:
    prov = provenance("grimm-diaphanous")
    out = []
    for r in iwf:
        for col, (measure, what) in IWF_COLUMNS.items():
            v = number(r[col])
            if v is not None:
                out.append(
                    {
                        "organisation": "IWF",
                        "year": int(r["year"]),
                        "measure": measure,
                        "value": v,
                        "unit": "reports",
                        "edition": "as first published",
                        "source_id": "grimm-diaphanous",
                        "provenance": prov,
                        "note": f"{what}; Diaphanous data/iwf.csv @5768e19, column {col}",
                    }
                )
    for r in inhope:
        year = int(r["year"])
        edition = f"restated in {r['reporting_year']}" if r["reporting_year"] else "as first published"
        for col, (measure, what) in INHOPE_COLUMNS.items():
            v = number(r[col])
            if v is not None:
                unit = inhope_unit(year, col)
                out.append(
                    {
                        "organisation": "INHOPE",
                        "year": year,
                        "measure": measure,
                        "value": v,
                        "unit": unit,
                        "edition": edition,
                        "source_id": "grimm-diaphanous",
                        "provenance": prov,
                        "note": f"{what} ({unit}); Diaphanous data/inhope.csv @5768e19, column {col}"
                        + (
                            "; INHOPE changed its unit from content URLs to records in 2024"
                            if year >= 2024 and unit == "records"
                            else ""
                        ),
                    }
                )
    grimm = {(r["organisation"], r["year"], r["measure"], r["edition"]): r for r in out}
    for p in primary:
        key = (p["organisation"], int(p["year"]), p["measure"], "as first published")
        check(key in grimm, f"primary figure {key} has no transcribed counterpart")
        check(
            grimm[key]["value"] == number(p["value"]) and grimm[key]["unit"] == p["unit"],
            f"{key}: the organisation prints {p['value']} {p['unit']}, Grimm has {grimm[key]['value']}",
        )
        out.append(
            {
                "organisation": p["organisation"],
                "year": int(p["year"]),
                "measure": p["measure"],
                "value": number(p["value"]),
                "unit": p["unit"],
                "edition": "as first published",
                "source_id": p["source_id"],
                "provenance": provenance(p["source_id"]),
                "note": p["note"],
            }
        )
    seen_primary = {(p["organisation"], int(p["year"]), p["measure"]) for p in primary}
    latest_edition: dict[tuple, str] = {}
    for r in out:  # a restated figure replaces the first published one
        k = (r["organisation"], r["year"], r["measure"])
        if r["edition"] != "as first published":
            latest_edition[k] = r["edition"]
    for r in out:
        k = (r["organisation"], r["year"], r["measure"])
        if k in latest_edition:
            pref = r["edition"] == latest_edition[k]
        elif k in seen_primary:
            pref = r["provenance"] == "primary"
        else:
            pref = True
        r["preferred"] = "true" if pref else "false"
    return sorted(out, key=lambda r: (r["organisation"], r["year"], r["measure"], r["edition"], r["source_id"]))


def save(rows: list[dict]) -> None:
    write_rows(DATA / "context_series.csv", FIELDS, rows)
    for org in sorted({r["organisation"] for r in rows}):
        years = sorted({r["year"] for r in rows if r["organisation"] == org})
        print(f"context_series {org}: {sum(r['organisation'] == org for r in rows)} rows, {years[0]}-{years[-1]}")


def main() -> None:
    save(process(*load()))


if __name__ == "__main__":
    main()
