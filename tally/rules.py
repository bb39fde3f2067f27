"""Cross-table validation rules for the data package.

The Frictionless descriptor (``data/datapackage.json``) checks each table on its own:
types, allowed values, ranges, primary keys and foreign keys. The rules here span
rows or tables. Each returns :class:`tally.errors.Problem` objects that name the file,
the CSV line and the column where the rule fails. ``data/README.md`` lists them.
"""

from __future__ import annotations

import pandas as pd

from .errors import Problem


def _p(df: pd.DataFrame, line: int | None, column: str | None, rule: str, detail: str) -> Problem:
    return Problem(df.attrs["file"], rule, detail, line=line, column=column)


def _one_flag_per_key(df: pd.DataFrame, keys: list[str], flag: str, rule: str) -> list[Problem]:
    out = []
    for key, group in df.groupby(keys, sort=True):
        n = int(group[flag].fillna(False).sum())
        if n != 1:
            desc = ", ".join(f"{k}={v}" for k, v in zip(keys, key))
            out.append(
                _p(
                    df,
                    int(group.index[0]),
                    flag,
                    rule,
                    f"{n} rows marked {flag}=true for {desc}; exactly one is required",
                )
            )
    return out


def printed_totals_match(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each complete year's rows sum exactly to the total NCMEC printed for that year."""
    totals = tables["printed_totals"]
    out = []
    for table in ("esp_reports", "country_reports"):
        rows = tables[table]
        complete = rows if table == "country_reports" else rows[rows["coverage"] == "complete"]
        sums = complete.groupby("year")["reports"].sum()
        printed = totals[totals["table"] == table].set_index("year")
        for year, total in sums.items():
            if year not in printed.index:
                first = int(complete.index[complete["year"] == year][0])
                out.append(
                    _p(
                        rows,
                        first,
                        "year",
                        "printed total exists",
                        f"{table} has complete rows for {year} but printed_totals has no total for it",
                    )
                )
                continue
            line = int(totals.index[(totals["table"] == table) & (totals["year"] == year)][0])
            if int(total) != int(printed.loc[year, "total"]):
                out.append(
                    _p(
                        totals,
                        line,
                        "total",
                        "rows sum to printed total",
                        f"{table} rows for {year} sum to {int(total):,}, "
                        f"but the printed total is {int(printed.loc[year, 'total']):,}",
                    )
                )
        if table == "esp_reports":
            partial = rows[rows["coverage"] == "partial"].groupby("year")["reports"].sum()
            for year, total in partial.items():
                if year in printed.index and int(total) > int(printed.loc[year, "total"]):
                    line = int(totals.index[(totals["table"] == table) & (totals["year"] == year)][0])
                    out.append(
                        _p(
                            totals,
                            line,
                            "total",
                            "partial rows within printed total",
                            f"partial esp_reports rows for {year} sum to {int(total):,}, "
                            f"more than the printed total {int(printed.loc[year, 'total']):,}",
                        )
                    )
    return out


def annual_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """One preferred value per year and measure; ESP + public = total; files add up;
    the yearly totals agree with the printed totals of the per-ESP and per-country tables."""
    df = tables["cybertipline_annual"]
    out = _one_flag_per_key(df, ["year", "measure"], "preferred", "one preferred value")
    if out:
        return out
    pref = df[df["preferred"]]
    wide = pref.pivot(index="year", columns="measure", values="value")
    line_of = {(r.year, r.measure): int(i) for i, r in pref.iterrows()}
    rounding = {(r.year, r.measure): r.rounding for _, r in pref.iterrows()}

    def has(year, *measures):
        return all(m in wide.columns and pd.notna(wide.loc[year, m]) for m in measures)

    for year in wide.index:
        if has(year, "total_reports", "esp_reports", "public_reports"):
            esp, pub, tot = (int(wide.loc[year, m]) for m in ("esp_reports", "public_reports", "total_reports"))
            if esp + pub != tot:
                out.append(
                    _p(
                        df,
                        line_of[(year, "total_reports")],
                        "value",
                        "ESP + public = total",
                        f"{year}: {esp:,} + {pub:,} = {esp + pub:,}, not the total {tot:,}",
                    )
                )
        if has(year, "files_total", "images", "videos", "other_files"):
            parts = sum(int(wide.loc[year, m]) for m in ("images", "videos", "other_files"))
            files = int(wide.loc[year, "files_total"])
            tolerance = int(rounding[(year, "files_total")])
            if abs(parts - files) >= tolerance:
                out.append(
                    _p(
                        df,
                        line_of[(year, "files_total")],
                        "value",
                        "images + videos + other = files",
                        f"{year}: parts sum to {parts:,}, files_total is {files:,}"
                        + (f" (rounded to {tolerance:,})" if tolerance > 1 else ""),
                    )
                )
    # A rounded figure from another source must agree with the preferred value within its rounding.
    for i, r in df[(~df["preferred"]) & (df["rounding"] > 1)].iterrows():
        if has(r.year, r.measure):
            preferred = int(wide.loc[r.year, r.measure])
            if abs(preferred - int(r.value)) >= int(r.rounding):
                out.append(
                    _p(
                        df,
                        int(i),
                        "value",
                        "rounded value agrees",
                        f"{r.year} {r.measure}: {int(r.value):,} (rounded to {int(r.rounding):,}) "
                        f"does not agree with the preferred {preferred:,}",
                    )
                )
    totals = tables["printed_totals"]
    for _, row in totals.iterrows():
        measure = {"esp_reports": "esp_reports", "country_reports": "total_reports"}[row["table"]]
        year = row["year"]
        esp_rows = tables["esp_reports"]
        if row["table"] == "esp_reports" and not (esp_rows[esp_rows["year"] == year]["coverage"] == "complete").any():
            continue
        if has(year, measure) and int(wide.loc[year, measure]) != int(row["total"]):
            out.append(
                _p(
                    totals,
                    int(row.name),
                    "total",
                    "agrees with yearly totals",
                    f"{row['table']} {year}: printed total {int(row['total']):,} differs from "
                    f"cybertipline_annual {measure} {int(wide.loc[year, measure]):,}",
                )
            )
    return out


def mapping_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every mapped ESP name occurs in esp_reports (the reverse is a foreign key)."""
    used = set(tables["esp_reports"]["esp"])
    m = tables["esp_companies"]
    return [
        _p(m, int(i), "esp", "mapping entry used", f"'{r.esp}' does not occur in esp_reports")
        for i, r in m.iterrows()
        if r.esp not in used
    ]


def recipient_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Where NCMEC printed a cell total, actionable + informational equals it."""
    df = tables["report_recipients"]
    out = []
    for (year, recipient), g in df.groupby(["year", "recipient"], sort=True):
        parts = g.set_index("level_of_detail")["reports"]
        complete = "total" in parts.index and {"actionable", "informational"} <= set(parts.index)
        if complete and int(parts["actionable"]) + int(parts["informational"]) != int(parts["total"]):
            line = int(g.index[g["level_of_detail"] == "total"][0])
            out.append(
                _p(
                    df,
                    line,
                    "reports",
                    "actionable + informational = total",
                    f"{year}, {recipient}: {int(parts['actionable']):,} + {int(parts['informational']):,}"
                    f" != {int(parts['total']):,}",
                )
            )
    return out


def meta_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Exactly one current value per app, quarter, policy area and metric."""
    return _one_flag_per_key(
        tables["meta_enforcement"], ["app", "year", "quarter", "policy_area", "metric"], "current", "one current value"
    )


def provenance_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every row's ``provenance`` says what sources.csv says of its source (primary or secondary)."""
    primary = tables["sources"].set_index("source_id")["primary"]
    out = []
    for df in tables.values():
        if "provenance" not in df.columns or "source_id" not in df.columns:
            continue
        for i, r in df.iterrows():
            if r.source_id in primary.index:
                expected = "primary" if bool(primary[r.source_id]) else "secondary"
                if r.provenance != expected:
                    out.append(
                        _p(
                            df,
                            int(i),
                            "provenance",
                            "provenance agrees with sources",
                            f"'{r.provenance}' but sources.csv marks {r.source_id} as {expected}",
                        )
                    )
    return out


def country_referral_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each year's country rows sum to that year's recipients table (actionable = referrals,
    informational = informational), not to the year's report total: NCMEC counts a report once per
    jurisdiction it is made available to."""
    df = tables["country_referrals"]
    rec = tables["report_recipients"]
    out = []
    for year, g in df.groupby("year", sort=True):
        first = int(g.index[0])
        r = rec[rec["year"] == year]
        if r.empty:
            out.append(
                _p(
                    df,
                    first,
                    "year",
                    "country rows sum to recipients total",
                    f"no report_recipients rows for {year} to check the country rows against",
                )
            )
            continue
        for col, level in (("referrals", "actionable"), ("informational", "informational")):
            rows_sum = int(g[col].fillna(0).sum())
            target = int(r[r["level_of_detail"] == level]["reports"].sum())
            if rows_sum != target:
                out.append(
                    _p(
                        df,
                        first,
                        col,
                        "country rows sum to recipients total",
                        f"{year}: country {col} sum to {rows_sum:,}, but the {level} report-recipient "
                        f"pairs in report_recipients sum to {target:,}",
                    )
                )
    return out


def after_report_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Parts add up to their printed total (``parts='sum'``) or at least to it (``'overlap'``); every
    ``part_of`` names a total row of the same year, topic and measure."""
    df = tables["after_report"]
    out = []
    keyed = {(r.year, r.topic, r.measure, r.label): (int(i), r) for i, r in df.iterrows()}
    parts = df[df["part_of"].notna()]
    for (year, topic, measure, total_label), g in parts.groupby(["year", "topic", "measure", "part_of"], sort=True):
        key = (year, topic, measure, total_label)
        if key not in keyed or pd.isna(keyed[key][1].parts):
            out.append(
                _p(
                    df,
                    int(g.index[0]),
                    "part_of",
                    "part of a printed total",
                    f"{year} {topic} {measure}: no total row '{total_label}' with parts set",
                )
            )
            continue
        line, total = keyed[key]
        s, v = int(g["value"].sum()), int(total.value)
        if (total.parts == "sum" and s != v) or (total.parts == "overlap" and s < v):
            relation = "equal" if total.parts == "sum" else "at least equal"
            out.append(
                _p(
                    df,
                    line,
                    "value",
                    "parts add up to the printed total",
                    f"{year} {topic} {measure}: the parts of '{total_label}' sum to {s:,}, which should "
                    f"{relation} the printed {v:,}",
                )
            )
    return out


def other_new_table_rules(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """context_series: one preferred value; cybertipline_periods: start before end, values of one
    figure agree within their rounding; meta_cybertips: values are multiples of their rounding."""
    out = _one_flag_per_key(
        tables["context_series"], ["organisation", "year", "measure"], "preferred", "one preferred value"
    )
    per = tables["cybertipline_periods"]
    for i, r in per.iterrows():
        if r.start >= r.end:
            out.append(_p(per, int(i), "end", "period ends after it starts", f"{r.period}: {r.start} to {r.end}"))
    for key, g in per.groupby(["period", "subject", "measure"], sort=True):
        if len(g) > 1 and int(g["value"].max() - g["value"].min()) >= int(g["rounding"].max()):
            out.append(
                _p(
                    per,
                    int(g.index[1]),
                    "value",
                    "values of one figure agree",
                    f"{', '.join(map(str, key))}: {', '.join(f'{int(v):,}' for v in g['value'])} differ by "
                    f"more than the rounding {int(g['rounding'].max()):,}",
                )
            )
    annual = tables["cybertipline_annual"]
    pref = annual[annual["preferred"].fillna(False)].set_index(["year", "measure"])["value"]
    for i, r in per[(per["subject"] == "all reports") & per["period"].str.fullmatch(r"\d{4}")].iterrows():
        key = (int(r.period), r.measure)
        if key in pref.index and abs(int(pref[key]) - int(r.value)) >= max(int(r.rounding), 1):
            out.append(
                _p(
                    per,
                    int(i),
                    "value",
                    "agrees with yearly totals",
                    f"{r.period} {r.measure}: {int(r.value):,} (rounded to {int(r.rounding):,}) does not agree "
                    f"with cybertipline_annual's {int(pref[key]):,}",
                )
            )
    meta = tables["meta_cybertips"]
    for i, r in meta.iterrows():
        if int(r.reports) % int(r.rounding):
            out.append(
                _p(
                    meta,
                    int(i),
                    "reports",
                    "rounded as printed",
                    f"{r.year} Q{r.quarter}: {int(r.reports):,} is not a multiple of {int(r.rounding):,}",
                )
            )
    return out


RULES = (
    printed_totals_match,
    annual_rules,
    mapping_rules,
    recipient_rules,
    meta_rules,
    provenance_rules,
    country_referral_rules,
    after_report_rules,
    other_new_table_rules,
)


def check(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    out: list[Problem] = []
    for rule in RULES:
        out.extend(rule(tables))
    return out
