"""Insert (or update) the Colab set-up cell at the top of every chapter notebook.

Colab opens a chapter's notebook alone: without the book's package (``tally``) or its data. The
first cell of every chapter fixes that, inside Colab only: it clones this edition of the
repository (the tag ``vX.Y.Z`` of the ``release`` in ``_config.yml``), installs the edition's pins
of what the chapters import (leaving Colab's own kernel packages alone), makes ``tally`` importable
and moves into ``chapters/``. Anywhere else it does nothing and prints nothing, so nbval stays
strict; it is tagged ``remove-cell``, so readers of the book never see it.

Idempotent: run it again after changing the release and only the cell's edition changes.

    python scripts/colab_cell.py            # update every notebook in _toc.yml
    python scripts/colab_cell.py --check    # exit 1 if any chapter's cell is missing or stale
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
TAG = "colab-setup"
CELL_ID = "colab-setup"

TEMPLATE = """\
# Google Colab only (does nothing anywhere else): fetch edition {edition} of the book's package and data.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess

    EDITION = "{edition}"
    REPO = "{repo}"
    HOME = "/content/counting-the-reports"
    if not os.path.isdir(HOME):
        subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", EDITION, REPO, HOME], check=True)
    stale = [m for m in ("numpy", "pandas", "altair") if m in sys.modules]
    # The edition's exact pins of what the chapters import; Colab's own kernel packages are left alone.
    keep = ("ipykernel", "ipython", "jupyter", "tornado", "pyzmq", "traitlets", "debugpy", "prompt")
    with open(f"{{HOME}}/constraints.txt") as f:
        pins = [line for line in f.read().split() if not line.lower().startswith(keep)]
    with open("/tmp/counting-the-reports-constraints.txt", "w") as f:
        f.write("\\n".join(pins))
    packages = ["pandas", "altair", "vl-convert-python", "frictionless", "myst-nb"]
    pip = [sys.executable, "-m", "pip", "install", "-q", "-c", "/tmp/counting-the-reports-constraints.txt"]
    subprocess.run(pip + packages, check=True)
    if stale:
        loaded = ", ".join(stale)
        raise RuntimeError(f"Colab had already loaded {{loaded}}: choose Runtime > Restart session, then run all.")
    sys.path.insert(0, HOME)
    os.chdir(f"{{HOME}}/chapters")"""


def book() -> tuple[str, str]:
    """(release, repository URL) from _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["sphinx"]["config"]["release"], config["repository"]["url"]


def cell_source(release: str, repo: str | None = None) -> str:
    if not re.fullmatch(r"\d+\.\d+\.\d+", release):
        raise ValueError(f"not a release number: {release!r}")
    return TEMPLATE.format(edition=f"v{release}", repo=repo or book()[1])


def is_colab_cell(cell) -> bool:
    return cell.get("cell_type") == "code" and TAG in cell.get("metadata", {}).get("tags", [])


def new_cell(release: str, repo: str | None = None):
    cell = nbformat.v4.new_code_cell(cell_source(release, repo))
    cell.id = CELL_ID
    cell.metadata = {"tags": ["remove-cell", TAG]}
    return cell


def update(nb, release: str, repo: str | None = None) -> bool:
    """Make ``nb``'s first cell this edition's Colab cell (and the only one); True if ``nb`` changed."""
    wanted = new_cell(release, repo)
    others = [c for c in nb.cells if not is_colab_cell(c)]
    current = [c for c in nb.cells if is_colab_cell(c)]
    if len(current) == 1 and nb.cells[0] is current[0]:
        cell = current[0]
        same = cell.source == wanted.source and set(wanted.metadata["tags"]) <= set(cell.metadata.get("tags", []))
        if same and not cell.get("outputs") and cell.get("execution_count") is None:
            return False
    if any(c.get("id") == CELL_ID for c in others):
        raise ValueError(f"another cell already has the id {CELL_ID!r}")
    nb.cells = [wanted, *others]
    return True


def chapters(root: Path = ROOT) -> list[Path]:
    """Every notebook in the table of contents (a notebook outside it is no page of the book)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return [root / f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs updating")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in _toc.yml")
    args = parser.parse_args(argv)
    release, repo = book()
    stale = []
    for path in args.notebooks or chapters():
        nb = nbformat.read(path, as_version=4)
        if update(nb, release, repo):
            stale.append(path)
            if not args.check:
                nbformat.write(nb, path)
                print(f"{path.relative_to(ROOT) if path.is_absolute() else path}: Colab cell for v{release}")
    if args.check and stale:
        print("Colab cell missing or stale in: " + ", ".join(p.name for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
