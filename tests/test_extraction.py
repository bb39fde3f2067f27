"""The transcription is reproducible: re-running the extraction scripts on the original
documents (NCMEC's PDFs, Meta's CSV, in ../shared/sources) rebuilds every committed table
byte for byte. The documents are not part of this repository; where they are absent
(e.g. a reader's clone), the test is skipped with the reason."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("TALLY_SOURCES", ROOT.parent / "shared" / "sources"))
MODULES = ["scripts.extract_esp", "scripts.extract_country", "scripts.extract_ojjdp", "scripts.build_esp_companies",
           "scripts.build_meta_enforcement", "scripts.build_meta_active_people", "scripts.build_country_referrals", "scripts.build_meta_cybertips", "scripts.build_cybertipline_periods",
           "scripts.extract_after_report", "scripts.build_context_series"]
TABLES = ["esp_reports", "printed_totals", "country_reports", "cybertipline_annual", "report_contents",
          "report_recipients", "esp_companies", "meta_enforcement", "meta_active_people", "country_referrals",
          "meta_cybertips", "cybertipline_periods", "after_report", "context_series"]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    if not (SOURCES / "ncmec" / "ncmec-by-esp-2019.pdf").exists():
        pytest.skip(f"original documents not found in {SOURCES} (they are not part of the repository)")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is needed to re-run the extraction: apt-get install poppler-utils")
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "scripts", repo / "scripts")
    shutil.copytree(ROOT / "data", repo / "data")
    for name in TABLES:  # start from nothing, so every file is really rewritten
        (repo / "data" / f"{name}.csv").unlink()
    env = {**os.environ, "TALLY_SOURCES": str(SOURCES)}
    for command in (["-m", module] for module in MODULES):
        out = subprocess.run([sys.executable, *command], cwd=repo, env=env, capture_output=True, text=True)
        assert out.returncode == 0, f"{command} failed:\n{out.stdout}\n{out.stderr}"
    return repo / "data"


@pytest.mark.parametrize("table", TABLES)
def test_table_is_reproduced_exactly(rebuilt, table):
    new = (rebuilt / f"{table}.csv").read_bytes()
    old = (ROOT / "data" / f"{table}.csv").read_bytes()
    assert new == old, f"data/{table}.csv differs from what the scripts produce from the sources"
