"""Build data/esp_companies.csv: one row per distinct `esp` string in data/esp_reports.csv.

The mapping is a data file, scripts/esp_company_rules.csv: one row per judgement, in order,
with the columns

* pattern          a regular expression that must match a printed name in full (case-sensitive)
* company          parent company / corporate group; ``\\g<0>`` means "the printed name itself",
                   unless scripts/esp_company_labels.csv gives one label for its spelling variants
* service_type     one of SERVICE_TYPES
* private_messages ``true`` / ``false``; empty where we could not establish it (the note then
                   says "not established"; the script adds that sentence if it is missing)
* note             why; marks judgement calls ("judgement call: ...") and ownership changes

The first matching rule wins. The script exits non-zero if any name in esp_reports.csv
has no rule (so a new year's names cannot slip through unmapped) or if a rule matches no
name (so stale rules are noticed).

Company labels: the parent company as of the LATEST year in which the printed name
appears; earlier owners are given in the note. A company that was only renamed keeps one
label (e.g. "Meta" for Facebook, Inc.; "X Corp. (Twitter)"; "Aylo (MindGeek)").
Ownership facts are general knowledge checked against the companies' own announcements
where it mattered (e.g. Imgur's blog, 2021-09-27, for MediaLab owning Imgur, Kik,
Whisper and Amino); the lesser ones are marked "ownership not verified".

Run from the repository root: .venv/bin/python -m scripts.build_esp_companies
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "esp_reports.csv"
OUT = ROOT / "data" / "esp_companies.csv"
COLUMNS = ["esp", "company", "service_type", "reporter_kind", "private_messages", "note"]
SERVICE_TYPES = {"social network", "messaging", "cloud storage", "search", "video", "adult", "gaming", "other"}

RULES_FILE = Path(__file__).resolve().parent / "esp_company_rules.csv"
LABELS_FILE = Path(__file__).resolve().parent / "esp_company_labels.csv"


#: Reporters that are not online services for users: hotlines, non-profits, research groups,
#: safety and monitoring vendors, and NCMEC's own Take It Down. Their reports are part of
#: NCMEC's printed totals, so they stay in every table; `reporter_kind` lets chapters set
#: them apart. Each label's mapping note must say so (checked below), and no other note may.
NOT_ONLINE_SERVICES = {
    "Absolute Software Corporation",
    "ActiveFence",
    "Arctic Wolf Networks, Inc.",
    "Bark Technologies",
    "Center for International Cyber Intelligence",
    "Checkstep",
    "Cloudmark, Inc.",
    "Gaggle",
    "GoGuardian",
    "Hacker Factor",
    "INHOPE",
    "LegitScript",
    "Lightspeed Systems",
    "MMGuardian",
    "Marinus Analytics",
    "NCMEC",
    "National Center on Sexual Exploitation",
    "Securly",
    "Stanford University",
    "Sykes",
    "Thorn",
    "Uncharted Software",
    "ZeroFox",
    "Zvelo",
}
NOT_A_SERVICE_NOTE = re.compile(
    r"not an online service|not a user service|not a company service|"
    r"not a host of user communication"
)


class Rule(NamedTuple):
    pattern: str
    company: str
    service_type: str
    private_messages: str  # "true", "false" or "" (not established)
    note: str


def load_rules(path: Path = RULES_FILE) -> list[Rule]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    bad = [r["pattern"] for r in rows if r["private_messages"] not in {"true", "false", ""}]
    if bad:
        raise SystemExit(f"{path.name}: private_messages must be true, false or empty: {bad}")
    return [Rule(**r) for r in rows]


def load_labels(path: Path = LABELS_FILE) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return [(r["pattern"], r["company"]) for r in csv.DictReader(f)]


RULES = load_rules()
CANONICAL = load_labels()


def map_name(name: str, used: list[int]) -> dict | None:
    for i, rule in enumerate(RULES):
        m = re.fullmatch(rule.pattern, name)
        if m:
            used[i] += 1
            company, note = rule.company, rule.note
            comp = m.expand(company) if "\\g<" in company else company
            for cpat, label in CANONICAL:
                if "\\g<" in company and re.fullmatch(cpat, name):
                    comp = label
                    break
            if rule.private_messages == "" and "not established" not in note:
                note = (note + " " if note else "") + "Private messaging not established."
            kind = "not an online service" if comp in NOT_ONLINE_SERVICES else "online service"
            return {
                "esp": name,
                "company": comp,
                "service_type": rule.service_type,
                "reporter_kind": kind,
                "private_messages": rule.private_messages,
                "note": note,
            }
    return None


def main() -> None:
    with REPORTS.open(newline="", encoding="utf-8") as f:
        names = sorted({r["esp"] for r in csv.DictReader(f)})
    used = [0] * len(RULES)
    out, missing = [], []
    for name in names:
        row = map_name(name, used)
        (out.append(row) if row else missing.append(name))
    errors = []
    if missing:
        errors.append(f"{len(missing)} esp name(s) without a rule: {missing}")
    for row in out:
        says = bool(NOT_A_SERVICE_NOTE.search(row["note"]))
        if says != (row["reporter_kind"] == "not an online service"):
            errors.append(f"{row['esp']!r}: reporter_kind {row['reporter_kind']!r} disagrees with its note")
    unused = NOT_ONLINE_SERVICES - {row["company"] for row in out}
    if unused:
        errors.append(f"NOT_ONLINE_SERVICES labels not used by any name: {sorted(unused)}")
    stale = [RULES[i].pattern for i, n in enumerate(used) if n == 0]
    if stale:
        errors.append(f"rule(s) matching no name: {stale}")
    bad = sorted({r["service_type"] for r in out} - SERVICE_TYPES)
    if bad:
        errors.append(f"service_type outside the fixed list: {bad}")
    if errors:
        raise SystemExit("build_esp_companies.py: " + "; ".join(errors))
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(out)} rows)", file=sys.stderr)


if __name__ == "__main__":
    main()
