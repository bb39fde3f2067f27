"""CITATION.cff is valid CFF 1.2.0 and agrees with the book's configuration."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_citation_cff_validates_against_the_cff_schema():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # YAML reads the release date as a date; CFF's schema expects the string form.
    cff["date-released"] = str(cff["date-released"])
    schema = json.loads((ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema)


def test_version_and_url_agree_with_the_book():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config["sphinx"]["config"]
    assert cff["version"] == sphinx["release"]
    assert cff["url"] == sphinx["html_baseurl"]
    assert cff["repository-code"] == config["repository"]["url"]
    assert str(cff["date-released"]) == str(sphinx["tally_updated"])
