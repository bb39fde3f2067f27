"""Load the book's data package, validating it first.

Every notebook reads data through :func:`load`, never through a bare ``read_csv``:
the whole package in ``data/`` is validated once per process (the Frictionless
descriptor ``data/datapackage.json`` for types, constraints and keys, then the
cross-table rules below), and nothing is returned from invalid data.

A problem raises :class:`DataError` with one message naming the file, the line,
the column and the rule, e.g.::

    data/esp_reports.csv, line 12, column 'reports': constraint 'minimum' -- the cell "-5" ...

Run ``python -m tally`` to validate from the shell (the build does this first).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import pandas as pd

from . import rules
from .errors import DataError, Problem

__all__ = ["DataError", "Problem", "load", "validate", "yearly", "esp_mapped", "data_dir"]

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The data folder: ``$TALLY_DATA_DIR`` if set (tests use broken copies), else ``data/``."""
    return Path(os.environ.get("TALLY_DATA_DIR", ROOT / "data"))


def _descriptor(folder: Path) -> dict:
    path = folder / "datapackage.json"
    if not path.exists():
        raise DataError([Problem(_rel(path), "missing file", "the data package descriptor is missing")])
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError([Problem(_rel(path), "malformed JSON", str(exc), line=exc.lineno)]) from None


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _schema_problems(folder: Path, descriptor: dict) -> list[Problem]:
    """Types, constraints, primary and foreign keys, via Frictionless."""
    from frictionless import Package

    problems: list[Problem] = []
    for res in descriptor["resources"]:
        path = folder / res["path"]
        if not path.exists():
            problems.append(Problem(_rel(path), "missing file", f"table '{res['name']}' has no file"))
            continue
        with path.open(encoding="utf-8") as fh:
            header = fh.readline().rstrip("\r\n").split(",")
        expected = [f["name"] for f in res["schema"]["fields"]]
        if header != expected:
            missing = [c for c in expected if c not in header]
            extra = [c for c in header if c not in expected]
            detail = f"header is {header}, the schema expects {expected}"
            if missing:
                detail = f"missing column(s) {missing}; " + detail
            if extra:
                detail = f"unexpected column(s) {extra}; " + detail
            problems.append(Problem(_rel(path), "header", detail, line=1, column=(missing or extra or [None])[0]))
    if problems:
        return problems
    report = Package(descriptor, basepath=str(folder)).validate()
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for task in report.tasks:
        path = folder / by_name[task.name]["path"] if task.name in by_name else Path(task.name)
        for err in task.errors:
            column = getattr(err, "field_name", None)
            if column is None and err.type in {"foreign-key", "primary-key"}:
                keys = by_name.get(task.name, {}).get("schema", {})
                if err.type == "primary-key":
                    column = ",".join(keys.get("primaryKey", [])) or None
                else:
                    note = err.note or ""
                    for fk in keys.get("foreignKeys", []):
                        if f'for "{",".join(fk["fields"])}"' in note:
                            column = ",".join(fk["fields"])
            problems.append(
                Problem(
                    _rel(path),
                    err.type.replace("-", " "),
                    err.message,
                    line=getattr(err, "row_number", None),
                    column=column,
                )
            )
    return problems


def _read(folder: Path, descriptor: dict, name: str) -> pd.DataFrame:
    res = next(r for r in descriptor["resources"] if r["name"] == name)
    dtypes = {}
    for f in res["schema"]["fields"]:
        dtypes[f["name"]] = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}.get(f["type"], "string")
    bools = [k for k, v in dtypes.items() if v == "boolean"]
    # Booleans are read as text and mapped explicitly (the schema allows only "true"/"false").
    df = pd.read_csv(
        folder / res["path"],
        dtype={k: ("string" if v == "boolean" else v) for k, v in dtypes.items()},
        keep_default_na=False,
        na_values=[""],
    )
    for col in bools:
        df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
    for f in res["schema"]["fields"]:
        if f["type"] == "date":
            df[f["name"]] = pd.to_datetime(df[f["name"]], format="%Y-%m-%d")
    # Remember the CSV line of each row, so rules can point at it (header = line 1).
    df.attrs["file"] = _rel(folder / res["path"])
    df.index = pd.RangeIndex(2, len(df) + 2, name="line")
    return df


def _cross_table_problems(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rules that span rows or tables; see data/README.md, "Validation rules"."""
    return rules.check(tables)


def _fingerprint(folder: Path) -> str:
    """Hash of every data file, of the validation code and of the validator's version."""
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha256(f"frictionless {version('frictionless')}; pandas {pd.__version__}".encode())
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    files += [Path(__file__), Path(__file__).with_name("rules.py"), Path(__file__).with_name("errors.py")]
    for p in files:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _cache_dir() -> Path:
    return Path(os.environ.get("TALLY_CACHE_DIR", ROOT / "_build" / ".tally-cache"))


@functools.lru_cache(maxsize=4)
def _validated(folder: str) -> dict[str, pd.DataFrame]:
    path = Path(folder)
    if not path.is_dir():
        raise DataError([Problem(_rel(path), "missing folder", "the data folder does not exist")])
    descriptor = _descriptor(path)
    # The schema check (Frictionless) is the slow part. Its success is remembered per exact
    # content of the package, so the notebooks of one build do not repeat it; any change to a
    # data file, to the rules or to the validator's version means a full check again.
    marker = _cache_dir() / f"schema-valid-{_fingerprint(path)}"
    if not marker.exists():
        problems = _schema_problems(path, descriptor)
        if problems:
            raise DataError(problems)
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass  # a read-only checkout just validates every time
    tables = {r["name"]: _read(path, descriptor, r["name"]) for r in descriptor["resources"]}
    problems = _cross_table_problems(tables)
    if problems:
        raise DataError(problems)
    return tables


def validate(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Validate the whole package; return every table. Raises :class:`DataError`."""
    return _validated(str(folder or data_dir()))


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Return table ``name`` (e.g. ``"esp_reports"``) from the validated package.

    The index is the table's CSV line number, so any row can be traced back to its file.
    """
    tables = validate(folder)
    if name not in tables:
        raise KeyError(f"no table '{name}' in the data package; tables: {sorted(tables)}")
    return tables[name].copy()


def main(argv: list[str] | None = None) -> int:
    folder = Path(argv[0]) if argv else data_dir()
    try:
        tables = validate(folder)
    except DataError as exc:
        print(f"data error: {exc.problems[0]}", file=sys.stderr)
        for p in exc.problems[1:20]:
            print(f"data error: {p}", file=sys.stderr)
        if len(exc.problems) > 20:
            print(f"... and {len(exc.problems) - 20} more", file=sys.stderr)
        return 1
    rows = sum(len(t) for t in tables.values())
    print(f"data package valid: {len(tables)} tables, {rows} rows ({_rel(folder)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


def yearly(folder: Path | None = None) -> pd.DataFrame:
    """The preferred yearly values, one row per year and one column per measure.

    ``cybertipline_annual`` keeps every source's value; exactly one per year and
    measure is marked ``preferred`` (the validator enforces it), and that is the
    one returned here. Missing values are ``<NA>``.
    """
    annual = load("cybertipline_annual", folder)
    pref = annual[annual["preferred"]]
    wide = pref.pivot(index="year", columns="measure", values="value")
    wide.columns.name = None
    return wide


def esp_mapped(folder: Path | None = None) -> pd.DataFrame:
    """``esp_reports`` with each row's company, service type, reporter kind and private-messages flag
    (from ``esp_companies``) alongside. The printed names are left as they are."""
    esp = load("esp_reports", folder)
    mapping = load("esp_companies", folder).set_index("esp")
    out = esp.join(mapping[["company", "service_type", "reporter_kind", "private_messages"]], on="esp")
    assert out["company"].notna().all(), "every ESP name is mapped (a foreign key guarantees it)"
    return out
