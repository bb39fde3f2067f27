"""Generate everything that describes the data package from one file, data/metadata.yaml.

data/metadata.yaml holds every table's name, title, description, coverage and every field's type,
constraints, unit and description. From it this script writes

* data/datapackage.json -- the Frictionless descriptor (``frictionless validate data/datapackage.json``
  checks the package without this project's code);
* the generated parts of data/README.md (the codebook): the list of tables, each table's
  "field | type | unit | meaning" table, and the counts of sources and timeline events;
* the generated part of data.md (the Data page): the list of tables with their downloads.

A generated part sits between ``<!-- generated: KEY ... -->`` and ``<!-- end generated: KEY -->``;
everything outside those markers is written by hand. tests/test_data.py and tests/test_extraction.py
read their lists of tables and build scripts from data/metadata.yaml too.

Run from the repository root after editing data/metadata.yaml, sources.csv or timeline.csv:
``.venv/bin/python -m scripts.build_datapackage``. With ``--check`` nothing is written and the
exit status says whether every generated file is current (``make test`` runs it).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
METADATA = DATA / "metadata.yaml"
DESCRIPTOR = DATA / "datapackage.json"
CODEBOOK = DATA / "README.md"
DATA_PAGE = ROOT / "data.md"

COMMAND = "python -m scripts.build_datapackage"
MARKER = re.compile(
    r"<!-- generated: (?P<key>\S+)(?P<rest>[^>]*)-->\n(?P<body>.*?)<!-- end generated: (?P=key) -->", re.DOTALL
)


# --- reading the metadata ------------------------------------------------------------------------


def load_metadata(path: Path = METADATA) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def package_tables(meta: dict) -> list[dict]:
    """The tables that are resources of the data package, in the descriptor's order."""
    return [t for t in meta["tables"] if t.get("package", True)]


def table_names(meta: dict | None = None) -> list[str]:
    """Names of the data package's tables (tests read them from here)."""
    return [t["name"] for t in package_tables(meta or load_metadata())]


def builders(meta: dict | None = None) -> list[dict]:
    """The build scripts, in the order they must run: ``{"module": ..., "writes": [...]}``."""
    return (meta or load_metadata())["builders"]


def built_tables(meta: dict | None = None) -> list[str]:
    """Tables written by a build script (so the extraction test can rebuild them), in first-written order."""
    names: list[str] = []
    for b in builders(meta):
        names += [n for n in b["writes"] if n not in names]
    return names


# --- the descriptor ------------------------------------------------------------------------------


def _field(f: dict) -> dict:
    out = {"name": f["name"], "type": f["type"], "description": f["description"]}
    if f.get("unit", "—") != "—":
        out["unit"] = f["unit"]
    if f["type"] == "boolean":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    out["constraints"] = f.get("constraints", {})
    return out


def _resource(t: dict) -> dict:
    return {
        "name": t["name"],
        "path": f"{t['name']}.csv",
        "title": t["title"],
        "description": t["description"],
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [_field(f) for f in t["fields"]],
            "primaryKey": t["primary_key"],
            "foreignKeys": [
                {"fields": k["fields"], "reference": {"resource": k["resource"], "fields": k["reference_fields"]}}
                for k in t.get("foreign_keys", [])
            ],
            "missingValues": [""],
        },
    }


def render_descriptor(meta: dict) -> str:
    package = {**meta["package"], "resources": [_resource(t) for t in package_tables(meta)]}
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


# --- the codebook and the Data page ---------------------------------------------------------------


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(f: dict) -> str:
    required = f.get("constraints", {}).get("required", False)
    return f["type"] if required else f"{f['type']} or empty"


def fields_table(t: dict) -> str:
    """The codebook's "field | type | unit | meaning" table; consecutive fields with the same type, unit
    and description share one row."""
    groups: list[tuple[list[str], str, str, str]] = []
    for f in t["fields"]:
        key = (_type(f), f.get("unit", "—"), f["description"])
        if groups and groups[-1][1:] == key:
            groups[-1][0].append(f["name"])
        else:
            groups.append(([f["name"]], *key))
    lines = ["| field | type | unit | meaning |", "|---|---|---|---|"]
    lines += [
        f"| {', '.join(f'`{n}`' for n in names)} | {ftype} | {_cell(unit)} | {_cell(desc)} |"
        for names, ftype, unit, desc in groups
    ]
    return "\n".join(lines) + "\n"


def _written_by(meta: dict, t: dict) -> str:
    modules = [b["module"] for b in builders(meta) if t["name"] in b["writes"]]
    if modules:
        return ", ".join(f"`python -m {m}`" for m in modules)
    return t.get("written_by", "by hand")


def tables_table(meta: dict) -> str:
    lines = ["| file | one row per | unit | coverage | written by |", "|---|---|---|---|---|"]
    for t in meta["tables"]:
        lines.append(
            f"| `{t['name']}.csv` | {_cell(t['row'])} | {_cell(t['unit'])} | {_cell(t['coverage'])} "
            f"| {_cell(_written_by(meta, t))} |"
        )
    return "\n".join(lines) + "\n"


def data_page_table(meta: dict) -> str:
    lines = ["| table | one row per | coverage | download |", "|---|---|---|---|"]
    for t in meta["tables"]:
        name = t["name"]
        lines.append(
            f"| {_cell(t['title'])} | {_cell(t['row'])} | {_cell(t['coverage'])} "
            f"| {{download}}`{name}.csv <data/{name}.csv>` |"
        )
    return "\n".join(lines) + "\n"


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


KINDS = {
    "report": ("report", "reports"),
    "dataset": ("dataset", "datasets"),
    "webpage": ("web page", "web pages"),
    "article": ("article", "articles"),
    "legislation": ("legislative text", "legislative texts"),
    "statement": ("statement", "statements"),
    "blog": ("blog post", "blog posts"),
}


def _n(count: int, kind: str) -> str:
    one, many = KINDS.get(kind, (kind, kind + "s"))
    return f"{count:,} {one if count == 1 else many}"


def sources_count(folder: Path = DATA) -> str:
    rows = _read(folder / "sources.csv")
    primary = sum(r["primary"] == "true" for r in rows)
    kinds = [_n(sum(r["kind"] == k for r in rows), k) for k in KINDS if any(r["kind"] == k for r in rows)]
    return (
        f"{len(rows):,} sources, {primary:,} of them primary (the publisher's own document) and "
        f"{len(rows) - primary:,} secondary: {', '.join(kinds)}.\n"
    )


def timeline_count(folder: Path = DATA) -> str:
    dates = sorted(dt.date.fromisoformat(r["date"]) for r in _read(folder / "timeline.csv"))

    def day(d: dt.date) -> str:
        return f"{d.day} {d:%b %Y}"

    return f"{len(dates):,} events, {day(dates[0])} to {day(dates[-1])}.\n"


def generated_parts(meta: dict, folder: Path = DATA) -> dict[str, str]:
    parts = {
        "tables": tables_table(meta),
        "sources-count": sources_count(folder),
        "timeline-count": timeline_count(folder),
        "data-page-tables": data_page_table(meta),
    }
    parts.update({f"fields:{t['name']}": fields_table(t) for t in meta["tables"]})
    return parts


def fill(text: str, parts: dict[str, str], where: str) -> str:
    """Replace the body of every generated part in ``text``; fail on an unknown key."""

    def body(m: re.Match) -> str:
        key = m["key"]
        if key not in parts:
            raise SystemExit(f"{where}: unknown generated part {key!r}")
        return (
            f"<!-- generated: {key} (from data/metadata.yaml by {COMMAND}; edit there, not here) -->\n"
            f"{parts[key]}<!-- end generated: {key} -->"
        )

    return MARKER.sub(body, text)


def render_pages(meta: dict) -> dict[Path, str]:
    parts = generated_parts(meta)
    out = {
        CODEBOOK: fill(CODEBOOK.read_text(encoding="utf-8"), parts, "data/README.md"),
        DATA_PAGE: fill(DATA_PAGE.read_text(encoding="utf-8"), parts, "data.md"),
    }
    found = {m["key"] for text in out.values() for m in MARKER.finditer(text)}
    missing = sorted(set(parts) - found)
    if missing:
        raise SystemExit(
            f"no place for the generated part(s) {missing} in data/README.md or data.md: "
            "add '<!-- generated: KEY -->' / '<!-- end generated: KEY -->' markers"
        )
    return out


def render_all(meta: dict | None = None) -> dict[Path, str]:
    meta = meta or load_metadata()
    return {DESCRIPTOR: render_descriptor(meta), **render_pages(meta)}


def stale(meta: dict | None = None) -> list[str]:
    """Generated files that differ from what data/metadata.yaml gives."""
    return [
        str(path.relative_to(ROOT))
        for path, text in render_all(meta).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        old = stale()
        if old:
            print(
                f"out of date with data/metadata.yaml (or sources.csv, timeline.csv): {', '.join(old)}; run {COMMAND}",
                file=sys.stderr,
            )
            return 1
        return 0
    for path, text in render_all().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
