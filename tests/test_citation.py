"""CITATION.cff is valid CFF 1.2.0, .zenodo.json is well formed, and both agree with the book's
configuration: one version, one date, one edition URL (tally.editions)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from tally import editions

ROOT = Path(__file__).resolve().parent.parent
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SPHINX = CONFIG["sphinx"]["config"]
ZENODO = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))


def test_citation_cff_validates_against_the_cff_schema():
    cff = dict(CFF)
    # YAML reads the release date as a date; CFF's schema expects the string form.
    cff["date-released"] = str(cff["date-released"])
    schema = json.loads((ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema)


def test_version_date_and_url_agree_with_the_book():
    assert CFF["version"] == SPHINX["release"]
    assert SPHINX["version"] == ".".join(SPHINX["release"].split(".")[:2])
    # The citation names this edition's stable address, beside the latest at the site's root.
    assert CFF["url"] == editions.edition_url(SPHINX["html_baseurl"], SPHINX["release"])
    assert CFF["repository-code"] == CONFIG["repository"]["url"]
    assert str(CFF["date-released"]) == str(SPHINX["tally_updated"])


def test_zenodo_metadata_agrees_with_the_citation():
    assert ZENODO["title"] == CFF["title"]
    assert ZENODO["version"] == CFF["version"]
    assert [c["name"] for c in ZENODO["creators"]] == [a["name"] for a in CFF["authors"]]
    assert ZENODO["license"].lower() == CFF["license"].lower()
    assert ZENODO["upload_type"] in {"publication", "dataset", "software"}
    urls = {r["identifier"] for r in ZENODO["related_identifiers"]}
    assert CFF["url"] in urls and CFF["repository-code"] in urls
    assert ZENODO["description"] == " ".join(CFF["abstract"].split())
