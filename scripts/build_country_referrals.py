"""Build data/country_referrals.csv: CyberTipline reports by country, split into referrals and
informational reports (NCMEC's annual country table from 2024 on).

load:    Grimm's Diaphanous transcription of NCMEC's 2024 by-country table
         (``diaphanous-later/ocse-reports-per-country_d3f89dcc.csv``, columns ref2024 and info2024)
process: keep every place with a 2024 figure (and the flagged places), codes as the book uses them,
         flag the rows that look wrong, check the columns against the 2019-2023 printed totals and
         against the team's derived helper table
save:    data/country_referrals.csv, sorted by year and country

Run from the repository root: ``.venv/bin/python -m scripts.build_country_referrals``.
The validator checks that each year's rows sum to the year's recipients table (report_recipients),
not to the year's report total: NCMEC counts a report once per jurisdiction it is referred to.
"""

from __future__ import annotations

from scripts.csvio import DATA, ROOT, SOURCES, check, number, provenance, read_rows, write_rows

SOURCE_FILE = SOURCES / "diaphanous-later" / "ocse-reports-per-country_d3f89dcc.csv"
HELPER_FILE = SOURCES.parent / "research" / "country-2024-referrals-informational.csv"
SOURCE_ID = "grimm-diaphanous"
COMMIT = "d3f89dcc"
#: year -> (referrals column, informational column) in Grimm's file
YEAR_COLUMNS = {2024: ("ref2024", "info2024")}
#: codes Grimm uses that are not ISO 3166-1 (the book leaves them empty, as in country_reports)
NOT_ISO = {"XKX", "EEE", "ANT"}
#: rows that look wrong next to the year before (PROVENANCE.md of the copy); kept, flagged, explained
FLAGS = {
    (2024, "Lao People's Democratic Republic"): "2023: 20,337 reports; 2024: 15 referrals + 10 informational. "
    "A fall of 99.9% in one year is implausible; possibly a transcription or table error. Not checked against "
    "NCMEC's PDF.",
    (2024, "Tokelau"): "No 2023 row; 2024: 132 referrals, more than in any earlier year (at most 4). Not checked "
    "against NCMEC's PDF.",
    (2024, "Samoa"): "2023: 366 reports; no 2024 figure in the transcription (absent, not zero). Not checked "
    "against NCMEC's PDF.",
    (2024, "Guadeloupe"): "2023: 809 reports; 2024: 8 referrals + 3 informational. Implausible fall; not "
    "checked against NCMEC's PDF.",
    (2024, "Martinique"): "2023: 748 reports; 2024: 5 referrals + 1 informational. Implausible fall; not "
    "checked against NCMEC's PDF.",
}
FIELDS = ["year", "country", "iso2", "iso3", "referrals", "informational", "flagged", "note", "source_id", "provenance"]


def load() -> tuple[list[dict], list[dict], dict[str, str]]:
    grimm = read_rows(SOURCE_FILE)
    helper = read_rows(HELPER_FILE) if HELPER_FILE.exists() else []
    iso2 = {r["iso3"]: r["iso2"] for r in read_rows(ROOT / "scripts" / "country_iso.csv") if r["iso3"]}
    return grimm, helper, iso2


def process(grimm: list[dict], helper: list[dict], iso2: dict[str, str]) -> list[dict]:
    printed = {
        int(r["year"]): int(r["total"])
        for r in read_rows(DATA / "printed_totals.csv")
        if r["table"] == "country_reports"
    }
    for year, total in printed.items():  # the transcription's earlier columns agree with NCMEC's PDFs
        check(sum(number(r[str(year)]) or 0 for r in grimm) == total, f"Grimm's {year} column != printed {total}")
    names = {r["country"] for r in grimm}
    for key in FLAGS:
        check(key[1] in names, f"flagged place {key[1]!r} not in {SOURCE_FILE.name}")
    prov = provenance(SOURCE_ID)
    out = []
    for year, (ref_col, info_col) in YEAR_COLUMNS.items():
        for r in grimm:
            ref, info = number(r[ref_col]), number(r[info_col])
            flag = FLAGS.get((year, r["country"]))
            if ref is None and info is None and flag is None:
                continue  # no figure for this place in this year: not published, not zero
            iso3 = "" if r["iso3"] in NOT_ISO else r["iso3"]
            note = [
                f"Diaphanous data/ocse-reports-per-country.csv @{COMMIT}, columns {ref_col}/{info_col}; "
                "name as Grimm normalises it"
            ]
            if flag:
                note.append(flag)
            if r["iso3"] in NOT_ISO:
                note.append(f"Grimm's code {r['iso3']} is not an ISO 3166-1 code")
            out.append(
                {
                    "year": year,
                    "country": r["country"],
                    "iso2": iso2.get(iso3, ""),
                    "iso3": iso3,
                    "referrals": ref,
                    "informational": info,
                    "flagged": "true" if flag else "false",
                    "note": "; ".join(note),
                    "source_id": SOURCE_ID,
                    "provenance": prov,
                }
            )
    if helper:  # the team's derived helper table must say the same (it is a check, never the source)
        mine = {(r["country"], r["referrals"], r["informational"]) for r in out if r["year"] == 2024}
        theirs = {(h["country"], number(h["referrals"]), number(h["informational"])) for h in helper}
        check(
            {m for m in mine if m[1] is not None or m[2] is not None} <= theirs,
            f"helper table disagrees: {sorted(m for m in mine if m not in theirs)[:5]}",
        )
    return sorted(out, key=lambda r: (r["year"], r["country"]))


def save(rows: list[dict]) -> None:
    write_rows(DATA / "country_referrals.csv", FIELDS, rows)
    for year in sorted({r["year"] for r in rows}):
        ref = sum(r["referrals"] or 0 for r in rows if r["year"] == year)
        info = sum(r["informational"] or 0 for r in rows if r["year"] == year)
        print(
            f"country_referrals {year}: {sum(r['year'] == year for r in rows)} rows, referrals {ref:,} + "
            f"informational {info:,} = {ref + info:,}"
        )


def main() -> None:
    save(process(*load()))


if __name__ == "__main__":
    main()
