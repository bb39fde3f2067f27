"""The transcription is reproducible: re-running the build scripts on the original documents
(NCMEC's PDFs, Diaphanous files, Meta's CSVs, in ../shared) rebuilds every committed table byte for byte.

Before anything is re-run, every file the scripts read is checked against data/source_files.csv
(size and SHA-256), so a reproduction is known to have read the same files; while the scripts run,
the files they open are recorded, and each script must read exactly the files the manifest lists for it.
The documents are not part of this repository; where they are absent (e.g. a reader's clone), the
tests are skipped with the reason. The tables and the scripts come from data/metadata.yaml."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("TALLY_SOURCES", ROOT.parent / "shared" / "sources"))
SHARED = SOURCES.parent
META = yaml.safe_load((ROOT / "data" / "metadata.yaml").read_text(encoding="utf-8"))
BUILDERS = [b["module"] for b in META["builders"]]
TABLES = list(dict.fromkeys(t for b in META["builders"] for t in b["writes"]))
with (ROOT / "data" / "source_files.csv").open(encoding="utf-8", newline="") as _fh:
    MANIFEST = list(csv.DictReader(_fh))

# Runs one build script as ``python -m`` would, recording every file it opens under the shared
# folder (Python's own opens, and the paths handed to subprocesses such as pdftotext).
TRACER = """
import json, os, runpy, sys
from pathlib import Path
shared, module, out = Path(sys.argv[1]).resolve(), sys.argv[2], sys.argv[3]
seen = set()
def note(p):
    try:
        rp = Path(os.fsdecode(p)).resolve()
    except (TypeError, ValueError):
        return
    if shared in rp.parents:
        seen.add(rp.relative_to(shared).as_posix())
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        note(args[0])
    elif event == "subprocess.Popen":
        for a in args[1] or []:
            note(a)
sys.addaudithook(hook)
sys.argv = [module]
try:
    runpy.run_module(module, run_name="__main__", alter_sys=True)
finally:
    Path(out).write_text(json.dumps(sorted(seen)))
"""


def _need_sources() -> None:
    if not (SOURCES / "ncmec" / "ncmec-by-esp-2019.pdf").exists():
        pytest.skip(f"original documents not found in {SOURCES} (they are not part of the repository)")


def test_source_files_match_the_manifest():
    """Every file the extraction reads is the file recorded in data/source_files.csv."""
    _need_sources()
    bad = []
    for path in sorted({r["path"] for r in MANIFEST}):
        row = next(r for r in MANIFEST if r["path"] == path)
        file = SHARED / path
        if not file.is_file():
            bad.append(f"{path}: missing from {SHARED}")
            continue
        data = file.read_bytes()
        if len(data) != int(row["bytes"]):
            bad.append(f"{path}: {len(data):,} bytes, the manifest records {int(row['bytes']):,}")
        elif hashlib.sha256(data).hexdigest() != row["sha256"]:
            bad.append(f"{path}: SHA-256 {hashlib.sha256(data).hexdigest()}, the manifest records {row['sha256']}")
    assert not bad, "source files differ from data/source_files.csv:\n" + "\n".join(bad)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    _need_sources()
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is needed to re-run the extraction: apt-get install poppler-utils")
    test_source_files_match_the_manifest()  # never re-run on different files
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "scripts", repo / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", repo / "data")
    for name in TABLES:  # start from nothing, so every file is really rewritten
        (repo / "data" / f"{name}.csv").unlink()
    env = {**os.environ, "TALLY_SOURCES": str(SOURCES)}
    reads = {}
    for module in BUILDERS:
        trace = repo / f".reads-{module}.json"
        out = subprocess.run(
            [sys.executable, "-c", TRACER, str(SHARED), module, str(trace)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, f"python -m {module} failed:\n{out.stdout}\n{out.stderr}"
        reads[module] = json.loads(trace.read_text())
    return repo / "data", reads


@pytest.mark.parametrize("table", TABLES)
def test_table_is_reproduced_exactly(rebuilt, table):
    new = (rebuilt[0] / f"{table}.csv").read_bytes()
    old = (ROOT / "data" / f"{table}.csv").read_bytes()
    assert new == old, f"data/{table}.csv differs from what the scripts produce from the sources"


@pytest.mark.parametrize("module", BUILDERS)
def test_each_script_reads_exactly_the_files_in_the_manifest(rebuilt, module):
    read = set(rebuilt[1][module])
    listed = {r["path"] for r in MANIFEST if r["read_by"] == module}
    assert not read - listed, f"{module} reads files missing from data/source_files.csv: {sorted(read - listed)}"
    assert not listed - read, f"data/source_files.csv lists files {module} does not read: {sorted(listed - read)}"


def test_every_table_a_script_writes_is_in_the_metadata():
    names = {t["name"] for t in META["tables"]}
    assert set(TABLES) <= names
    assert {r["read_by"] for r in MANIFEST} <= set(BUILDERS)


# --- adding a year is routine: remove the latest year from a copy, add it again, get the same files ----------


def _write_csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _drop(path: Path, keep) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    kept = [r for r in rows if keep(r)]
    _write_csv(path, kept, fields)
    return len(rows) - len(kept)


def test_the_latest_year_removed_and_added_again_gives_identical_files(tmp_path):
    _need_sources()
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is needed to re-run the extraction: apt-get install poppler-utils")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "scripts", repo / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", repo / "data")
    shutil.copy(ROOT / "data.md", repo / "data.md")
    with (repo / "scripts" / "ncmec_years.csv").open(encoding="utf-8", newline="") as fh:
        years = {int(r["year"]): int(r["esp_rows"]) for r in csv.DictReader(fh)}
    year = max(years)
    data = repo / "data"

    # Remove the year everywhere the per-year path writes it.
    with (data / "esp_reports.csv").open(encoding="utf-8", newline="") as fh:
        esp = list(csv.DictReader(fh))
    only_this_year = {r["esp"] for r in esp if int(r["year"]) == year} - {
        r["esp"] for r in esp if int(r["year"]) != year
    }
    removed = {
        "scripts/ncmec_years.csv": _drop(repo / "scripts" / "ncmec_years.csv", lambda r: int(r["year"]) != year),
        "esp_reports": _drop(data / "esp_reports.csv", lambda r: int(r["year"]) != year),
        "country_reports": _drop(data / "country_reports.csv", lambda r: int(r["year"]) != year),
        "printed_totals": _drop(data / "printed_totals.csv", lambda r: int(r["year"]) != year),
        "esp_companies": _drop(data / "esp_companies.csv", lambda r: r["esp"] not in only_this_year),
        "source_files": _drop(
            data / "source_files.csv",
            lambda r: (
                not (
                    r["path"]
                    in (f"sources/ncmec/ncmec-by-esp-{year}.pdf", f"sources/ncmec/ncmec-by-country-{year}.pdf")
                    and r["read_by"] in ("scripts.extract_esp", "scripts.extract_country")
                )
            ),
        ),
    }
    assert all(removed.values()), f"nothing removed for {year}: {removed}"

    env = {**os.environ, "TALLY_SOURCES": str(SOURCES)}
    out = subprocess.run(
        [sys.executable, "-m", "scripts.add_year", "--year", str(year), "--esp-rows", str(years[year])],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, f"add_year failed:\n{out.stdout}\n{out.stderr}"

    for table in ("esp_reports", "country_reports", "printed_totals", "esp_companies", "source_files"):
        assert f"  {table}: +{removed[table]:,} rows added, 0 changed, 0 removed" in out.stdout, out.stdout
    differ = [
        p.name
        for p in sorted((ROOT / "data").iterdir())
        if p.is_file() and not p.name.startswith(".") and (data / p.name).read_bytes() != p.read_bytes()
    ]
    assert not differ, f"re-adding {year} did not reproduce: {differ}"
    assert (repo / "scripts" / "ncmec_years.csv").read_bytes() == (ROOT / "scripts" / "ncmec_years.csv").read_bytes()
    assert (repo / "data.md").read_bytes() == (ROOT / "data.md").read_bytes()
