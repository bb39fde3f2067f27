"""Re-execute notebooks in place and save their outputs (``make notebooks``).

Outputs are saved without timing metadata, so a re-run that computes the same
numbers leaves the file unchanged and ``git diff`` shows only real changes.
Usage: ``python -m tally.notebooks chapters/*.ipynb``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, timeout: int = 300) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    # Keep the notebook metadata free of machine-specific details.
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m tally.notebooks NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    for name in argv:
        print(f"executing {name}", flush=True)
        execute(Path(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
