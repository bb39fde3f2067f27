"""Write data/datapackage.json, the Frictionless descriptor of the book's data package.

The schemas are defined here, in one readable place, and written out as JSON so that
any Frictionless tool (``frictionless validate data/datapackage.json``) can check the
package without this project's code. ``tests/test_data.py`` checks the JSON is current.
Run: ``.venv/bin/python scripts/build_datapackage.py``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "datapackage.json"

LAST_YEAR = 2026  # years beyond this are data errors


def year(desc="Calendar year.", first=1998):
    return {"name": "year", "type": "integer", "description": desc,
            "constraints": {"required": True, "minimum": first, "maximum": LAST_YEAR}}


def count(name, desc, required=True):
    f = {"name": name, "type": "integer", "description": desc, "constraints": {"minimum": 0}}
    if required:
        f["constraints"]["required"] = True
    return f


def string(name, desc, required=True, enum=None, pattern=None):
    f = {"name": name, "type": "string", "description": desc, "constraints": {}}
    if required:
        f["constraints"]["required"] = True
    if enum:
        f["constraints"]["enum"] = enum
    if pattern:
        f["constraints"]["pattern"] = pattern
    return f


def boolean(name, desc):
    return {"name": name, "type": "boolean", "description": desc, "trueValues": ["true"],
            "falseValues": ["false"], "constraints": {"required": True}}


PAGE = {"name": "page", "type": "integer", "description": "1-based page of the source PDF where the figure is printed; empty where the source is not a PDF we hold.",
        "constraints": {"minimum": 1}}
ROW = {"name": "row", "type": "integer", "description": "1-based position of the row in the printed table (reading order); empty for rows not transcribed from a PDF.",
       "constraints": {"minimum": 1}}
SOURCE = string("source_id", "Identifier of the source in sources.csv.", pattern=r"[a-z0-9]+(-[a-z0-9]+)*")
PROVENANCE = string("provenance", "'primary' if the row's source is the publisher of the figure itself, 'secondary' otherwise (as sources.csv records it).", enum=["primary", "secondary"])
QUARTER = {"name": "quarter", "type": "integer", "description": "Calendar quarter 1-4.", "constraints": {"required": True, "minimum": 1, "maximum": 4}}
SOURCE_FK = {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}


def resource(name, title, description, fields, primary_key, foreign_keys=(SOURCE_FK,)):
    return {
        "name": name, "path": f"{name}.csv", "title": title, "description": description,
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": primary_key, "foreignKeys": list(foreign_keys),
                   "missingValues": [""]},
    }


RESOURCES = [
    resource("cybertipline_annual", "CyberTipline reports, files and incidents by year",
             "Yearly totals, 1998 onwards, in long form: one row per year, measure and source. Where sources disagree, every value is kept and exactly one per year and measure is preferred.",
             [year(), string("measure", "What is counted.", enum=["total_reports", "esp_reports", "public_reports", "files_total", "images", "videos", "other_files", "incidents"]),
              count("value", "The count, in `unit`."),
              string("unit", "Reports, files and incidents are different units.", enum=["reports", "files", "incidents"]),
              {"name": "rounding", "type": "integer", "description": "The unit to which the source rounded the figure (100000 for '69.1 million'); 1 for an exact count.",
               "constraints": {"required": True, "enum": [1, 1000, 10000, 100000, 1000000]}},
              boolean("derived", "true if computed from other published figures (see note), not printed."),
              boolean("preferred", "true for the one value per year and measure that the book uses."),
              SOURCE, PAGE, string("note", "How the value was read or derived; caveats.", required=False)],
             ["year", "measure", "source_id"]),
    resource("esp_reports", "CyberTipline reports by electronic service provider",
             "Every row of NCMEC's per-ESP tables 2019-2023 (coverage complete), names exactly as printed; 2024-2025 only the companies transcribed by Grimm (coverage partial).",
             [year(first=2019), string("esp", "ESP name exactly as printed, footnote marker included."),
              count("reports", "CyberTipline reports made by this ESP in the year.", required=False),
              string("coverage", "complete: every row of that year's table; partial: only some companies.", enum=["complete", "partial"]),
              PAGE, ROW, SOURCE],
             ["year", "esp"],
             [SOURCE_FK, {"fields": ["esp"], "reference": {"resource": "esp_companies", "fields": ["esp"]}}]),
    resource("printed_totals", "Totals printed under NCMEC's tables",
             "The total printed under each year's per-ESP and per-country table; complete years must sum to it exactly.",
             [string("table", "Which table the total belongs to.", enum=["esp_reports", "country_reports"]),
              year(first=2019), count("total", "The printed total, in CyberTipline reports."), PAGE, SOURCE],
             ["table", "year"]),
    resource("country_reports", "CyberTipline reports by country of the reported user",
             "Every row of NCMEC's per-country tables 2019-2023, names as printed, with ISO 3166-1 codes where a name maps to one.",
             [year(first=2019), string("country", "Country or area exactly as printed."),
              string("iso2", "ISO 3166-1 alpha-2 code; empty if none.", required=False, pattern=r"[A-Z]{2}"),
              string("iso3", "ISO 3166-1 alpha-3 code; empty if none.", required=False, pattern=r"[A-Z]{3}"),
              count("reports", "CyberTipline reports located in this country (empty where NCMEC printed '-').", required=False),
              PAGE, ROW, SOURCE],
             ["year", "country"]),
    resource("esp_companies", "ESP names mapped to companies and service types",
             "One row per ESP name as printed; maps it to a parent company and a service type. Names in esp_reports are never altered.",
             [string("esp", "ESP name exactly as in esp_reports."), string("company", "Parent company (a label chosen by this book)."),
              string("service_type", "Main kind of service.", enum=["social network", "messaging", "cloud storage", "search", "video", "adult", "gaming", "other"]),
              string("reporter_kind", "Whether the reporter is an online service for users, or not (hotlines, non-profits, research groups, safety vendors, NCMEC's Take It Down).", enum=["online service", "not an online service"]),
              {"name": "private_messages", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"],
               "description": "true if the service as listed carries private user-to-user messages; false if not; empty where it could not be established.",
               "constraints": {"required": False}},
              string("note", "Reasoning, judgement calls.", required=False)],
             ["esp"], []),
    resource("meta_enforcement", "Meta Community Standards Enforcement Report: child safety",
             "Quarterly content actioned and proactive rate on Facebook and Instagram; restated values kept as data (current=false).",
             [string("app", "Meta app.", enum=["Facebook", "Instagram"]), year(first=2017),
              {"name": "quarter", "type": "integer", "description": "Calendar quarter 1-4.", "constraints": {"required": True, "minimum": 1, "maximum": 4}},
              string("policy_area", "Meta's policy area, as Meta names it."),
              string("metric", "What is measured.", enum=["content_actioned", "proactive_rate"]),
              {"name": "value", "type": "number", "description": "Pieces of content (Meta rounds) or percent.", "constraints": {"required": True, "minimum": 0}},
              string("unit", "Unit of value.", enum=["pieces of content", "percent"]),
              string("edition", "Which publication the value comes from."),
              boolean("current", "true for the value of the latest edition (the one the book uses)."),
              SOURCE, string("note", "Restatements and caveats.", required=False)],
             ["app", "year", "quarter", "policy_area", "metric", "edition"]),
    resource("meta_active_people", "Meta's family daily and monthly active people",
             "People who used at least one of Meta's apps (Facebook, Instagram, Messenger, WhatsApp) on a day or in a month, as Meta published them each quarter; the only user counts the book uses.",
             [year(first=2018), {"name": "quarter", "type": "integer", "description": "Calendar quarter 1-4.", "constraints": {"required": True, "minimum": 1, "maximum": 4}},
              string("metric", "Daily or monthly active people.", enum=["daily_active_people", "monthly_active_people"]),
              {"name": "value", "type": "number", "description": "Billions of people, as Meta publishes them (two decimals).", "constraints": {"required": True, "minimum": 0}},
              string("unit", "Unit of value.", enum=["billion people"]), SOURCE],
             ["year", "quarter", "metric"]),
    resource("report_contents", "What CyberTipline reports contain",
             "Report types, files by type, unique vs visually similar files, user location; from NCMEC's transparency reports to OJJDP.",
             [year(first=2019), string("category", "Group of labels (snake_case)."), string("label", "Label as NCMEC prints it."),
              count("value", "The count, in `unit`."), string("unit", "Unit of value.", enum=["reports", "files"]),
              SOURCE, PAGE, string("note", "Caveats.", required=False)],
             ["year", "category", "label"]),
    resource("report_recipients", "Who received CyberTipline reports",
             "Reports made available to each group of recipients, by NCMEC's level of detail; sums can exceed the year's total.",
             [year(first=2019), string("recipient", "Recipient group."),
              string("level_of_detail", "NCMEC's assessment of the report's detail; 'total' is the cell total NCMEC printed.", enum=["actionable", "informational", "total"]),
              count("reports", "CyberTipline reports."), SOURCE, PAGE],
             ["year", "recipient", "level_of_detail"]),
    resource("country_referrals", "CyberTipline referrals and informational reports by country (2024 on)",
             "NCMEC's country table from 2024 on, split into referrals and informational reports, as transcribed by Grimm (secondary). Each year's rows sum to the year's recipients table, not to its report total.",
             [year(first=2024), string("country", "Country or area as Grimm names it (normalised, not NCMEC's printed name)."),
              string("iso2", "ISO 3166-1 alpha-2 code; empty if none.", required=False, pattern=r"[A-Z]{2}"),
              string("iso3", "ISO 3166-1 alpha-3 code; empty if none.", required=False, pattern=r"[A-Z]{3}"),
              count("referrals", "Reports referred to law enforcement for this location (empty: not published).", required=False),
              count("informational", "Informational reports for this location (empty: not published).", required=False),
              boolean("flagged", "true if the row looks wrong next to the year before (see note)."),
              string("note", "Source detail; why a row is flagged.", required=False), SOURCE, PROVENANCE],
             ["year", "country"]),
    resource("meta_cybertips", "Meta's own quarterly counts of CyberTipline reports",
             "Reports Meta says it sent to NCMEC each quarter (Facebook and Instagram, later Threads), rounded as Meta prints them.",
             [year(first=2023), QUARTER,
              count("reports", "CyberTipline reports, rounded by Meta to 0.1 million."),
              {"name": "rounding", "type": "integer", "description": "The unit to which Meta rounded the figure.",
               "constraints": {"required": True, "enum": [100000]}},
              string("scope", "Which apps Meta says the count covers."),
              string("meta_page", "Meta's page for the quarter.", required=False),
              SOURCE, PROVENANCE, string("note", "How the figure is known.", required=False)],
             ["year", "quarter"]),
    resource("cybertipline_periods", "CyberTipline figures for half-years and first releases",
             "NCMEC's half-year comparisons and the first published figures for 2025 (including Amazon's AI-related reports), each with its source.",
             [string("period", "Calendar year (YYYY) or half-year (YYYY-H1, YYYY-H2).", pattern=r"\d{4}(-H[12])?"),
              {"name": "start", "type": "date", "description": "First day of the period.", "constraints": {"required": True}},
              {"name": "end", "type": "date", "description": "Last day of the period.", "constraints": {"required": True}},
              string("subject", "Whose reports: 'all reports' or a reporting service."),
              string("measure", "What is counted (snake_case)."),
              count("value", "The count, in `unit` (rounded figures expanded; see `rounding`)."),
              string("unit", "Unit of value.", enum=["reports", "files"]),
              {"name": "rounding", "type": "integer", "description": "The unit to which the source rounded the figure; 1 for an exact count.",
               "constraints": {"required": True, "enum": [1, 1000, 10000, 100000, 1000000]}},
              SOURCE, PROVENANCE, string("note", "Wording, caveats.", required=False)],
             ["period", "subject", "measure", "source_id"]),
    resource("after_report", "What happens after a report: feedback and victim identification",
             "From NCMEC's transparency reports to OJJDP: feedback from law enforcement by recipient group, files reviewed by the Child Victim Identification Program (CVIP) by series category, identified child victims added, new series, files submitted by law enforcement, CVIP's running totals.",
             [year(first=2020),
              string("topic", "Which printed table.", enum=["law_enforcement_feedback", "cvip_files_reviewed", "cvip_identified_victims", "cvip_new_series", "cvip_submissions", "cvip_running_total"]),
              string("label", "Row label as NCMEC prints it (joined where wrapped)."),
              string("measure", "What is counted."),
              count("value", "The count, in `unit`."),
              string("unit", "Unit of value.", enum=["instances of feedback", "files", "identified victims", "series", "reviews"]),
              {"name": "rounding", "type": "integer", "description": "The unit to which NCMEC rounded the figure; 1 for an exact count.",
               "constraints": {"required": True, "enum": [1, 1000000]}},
              string("part_of", "Label of the printed total this row is part of (same year, topic and measure); empty if none.", required=False),
              string("parts", "On a total row: 'sum' if its parts add up to it exactly, 'overlap' if they may add up to more.", required=False, enum=["sum", "overlap"]),
              SOURCE, PAGE, PROVENANCE, string("note", "Caveats.", required=False)],
             ["year", "topic", "label", "measure"]),
    resource("context_series", "Other hotlines: IWF and INHOPE yearly figures",
             "Yearly figures of the Internet Watch Foundation and INHOPE, as context for NCMEC's; units as each organisation used them (INHOPE: content URLs to 2023, records from 2024).",
             [string("organisation", "Who published the figure.", enum=["IWF", "INHOPE"]), year(first=2011),
              string("measure", "What is counted (snake_case)."),
              count("value", "The count, in `unit`."),
              string("unit", "Unit of value; changes between years are real changes of unit.", enum=["reports", "content URLs", "records"]),
              string("edition", "'as first published' or 'restated in YYYY'."),
              boolean("preferred", "true for the one value per organisation, year and measure that the book uses."),
              SOURCE, PROVENANCE, string("note", "What is counted; source detail.", required=False)],
             ["organisation", "year", "measure", "edition", "source_id"]),
    resource("timeline", "Encryption, detection and policy timeline",
             "Dated events: end-to-end encryption rollouts, government statements, laws and proposals, company policies, data releases.",
             [{"name": "date", "type": "date", "description": "ISO date (first of month or year where precision is coarser).", "constraints": {"required": True}},
              string("precision", "How precise the date is.", enum=["day", "month", "year"]),
              string("event", "What happened, in the book's words."),
              string("jurisdiction", "Where it applies."),
              string("kind", "Kind of event.", enum=["e2ee rollout", "government statement", "law or regulation", "proposal", "company policy", "data release"]),
              SOURCE],
             ["date", "event"]),
    resource("claims", "The October 2020 claims, as published",
             "The figures the book checks in its first chapter, each with the words in which it was published and its source.",
             [string("claim_id", "Identifier (kebab-case).", pattern=r"[a-z0-9]+(-[a-z0-9]+)*"),
              {"name": "date", "type": "date", "description": "Date of publication.", "constraints": {"required": True}},
              string("claimant", "Who made the claim, and through whom it is known."),
              string("quote", "The published words, verbatim."),
              {"name": "value", "type": "number", "description": "The figure claimed, in `unit`.", "constraints": {"required": True, "minimum": 0}},
              string("unit", "The unit the claimant used (not necessarily the right one)."),
              SOURCE, string("note", "Context.", required=False)],
             ["claim_id"]),
    resource("predictions", "Predictions about encryption and reporting, made in advance",
             "Published estimates of how many reports end-to-end encryption would remove, each with its words, its basis and its source; chapter 7 sets them against what happened.",
             [string("prediction_id", "Identifier (kebab-case).", pattern=r"[a-z0-9]+(-[a-z0-9]+)*"),
              {"name": "date", "type": "date", "description": "Date of publication.", "constraints": {"required": True}},
              string("precision", "How precise the date is (the date is the first day of the month or year where coarser).", enum=["day", "month", "year"]),
              string("who", "Who made the estimate, and through whom it is known."),
              string("service", "Service or scope the estimate is about (e.g. Facebook Messenger)."),
              string("quote", "The published words, verbatim."),
              {"name": "share", "type": "number", "description": "Share (0-1) of reports the estimate concerns, where stated.", "constraints": {"minimum": 0, "maximum": 1}},
              count("reports", "Number of reports the estimate concerns, where stated.", required=False),
              {"name": "basis_year", "type": "integer", "description": "Year whose reports the estimate refers to, where stated.", "constraints": {"minimum": 1998, "maximum": LAST_YEAR}},
              SOURCE, string("note", "Context; confidence.", required=False)],
             ["prediction_id"]),
    resource("positions", "Positions in the encryption debate",
             "Long form: one row per actor and topic (a policy question, an empirical question, or a disclosed interest), summarised in the book's words and quoted in the holder's own where the words could be checked, with the source.",
             [string("position_id", "Identifier (kebab-case).", pattern=r"[a-z0-9]+(-[a-z0-9]+)*"),
              string("actor", "Who (organisation or person, with role)."),
              string("actor_group", "The book's grouping of actors.", enum=["governments, regulators and police", "child-safety and children's-rights organisations", "survivors", "researchers", "civil-liberties organisations", "platforms", "EU institutions", "data-protection and human-rights bodies"]),
              string("topic", "What the row answers: one of four policy questions, one of three empirical questions, or the actor's interests.", enum=["default end-to-end encryption", "client-side scanning", "mandatory detection orders", "law-enforcement access", "how much encryption removes", "accuracy of detection", "what reports are worth", "interests"]),
              string("stance", "For a policy question: for, against, or conditional (acceptable only on conditions the summary names); empty for the other topics.", required=False, enum=["for", "against", "conditional"]),
              {"name": "date", "type": "date", "description": "Date the position was published.", "constraints": {"required": True}},
              string("precision", "How precise the date is (the date is the first day of the month or year where coarser).", enum=["day", "month", "year"]),
              string("summary", "The position in its strongest form, in the book's words; 'Paraphrase:' where the book could not check the holder's exact words."),
              string("quote", "A short verbatim quote, if any.", required=False),
              string("evidence", "Status of the empirical claim the row makes, where it makes one.", required=False, enum=["peer-reviewed", "preprint", "official statistic", "official statement", "official assessment", "company research", "interview study", "press report", "advocacy"]),
              count("value", "A figure the source states, where the text uses one (see summary for its unit).", required=False),
              count("base", "The total that value is out of, where there is one.", required=False),
              SOURCE],
             ["position_id"]),
    resource("sources", "Sources",
             "Every source_id used in the package, with a full bibliographic record; references.bib is generated from it.",
             [string("source_id", "Identifier (kebab-case).", pattern=r"[a-z0-9]+(-[a-z0-9]+)*"),
              string("kind", "Kind of document.", enum=["report", "dataset", "webpage", "article", "legislation", "statement", "blog"]),
              string("author", "Author(s), if named.", required=False), string("publisher", "Publisher or organisation."),
              string("title", "Title."), string("date", "Publication date, as precise as known.", pattern=r"\d{4}(-\d{2}(-\d{2})?)?"),
              string("url", "Where it is published.", required=False),
              {"name": "accessed", "type": "date", "description": "When it was consulted.", "constraints": {"required": False}},
              boolean("primary", "true if the publisher of the figures itself; false for transcriptions, press and other secondary sources."),
              string("note", "What the book takes from it; confidence.", required=False)],
             ["source_id"], []),
]

PACKAGE = {
    "profile": "tabular-data-package",
    "name": "counting-the-reports",
    "title": "Counting the Reports: CyberTipline, Meta enforcement and encryption-policy data",
    "description": "Transcribed from primary sources (NCMEC PDFs, Meta's enforcement-report CSV) with a citation on every row. Codebook: README.md in this folder.",
    "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                  "title": "Creative Commons Attribution 4.0 (the transcription and structure; the figures are facts published by their sources)"}],
    "resources": RESOURCES,
}


def render() -> str:
    return json.dumps(PACKAGE, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == render() else 1)
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
