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
             "Who holds which position, summarised in the book's words and quoted in the holder's own, with the source.",
             [string("position_id", "Identifier (kebab-case).", pattern=r"[a-z0-9]+(-[a-z0-9]+)*"),
              string("actor", "Who (organisation or person, with role)."),
              string("actor_group", "The book's grouping of actors.", enum=["governments and police", "child-safety organisations", "privacy and security researchers", "civil-liberties organisations", "platforms", "EU institutions", "data-protection authorities", "international organisations"]),
              {"name": "date", "type": "date", "description": "Date the position was published.", "constraints": {"required": True}},
              string("precision", "How precise the date is (the date is the first day of the month or year where coarser).", enum=["day", "month", "year"]),
              string("summary", "The position in its strongest form, in the book's words."),
              string("quote", "A short verbatim quote, if any.", required=False),
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
