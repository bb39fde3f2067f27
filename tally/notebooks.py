"""Execute the chapter notebooks, two at a time.

1. ``make notebooks`` (``python -m tally.notebooks [-j N] chapters/*.ipynb``) re-executes notebooks
   in place and saves their outputs without timing metadata, so a re-run that computes the same
   numbers leaves the file unchanged and ``git diff`` shows only real changes.
2. During a build (a Sphinx extension, set up by ``tally.sphinx``): the book is built with
   ``execute_notebooks: cache``. Just before Sphinx reads the documents it has to (re)read, the
   notebooks among them that have no valid cached execution are executed in parallel into
   myst-nb's jupyter-cache; Sphinx then reads every output from the cache. A notebook's cache
   entry is keyed by its code (jupyter-cache's hash), and the whole cache is dropped when
   anything a notebook's outputs can depend on changes: the data, the ``tally`` package, the
   pinned dependencies or the Python version (:func:`fingerprint`). So a data or ``tally``
   change re-executes every notebook, and no cache serves stale outputs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT_FILE = "tally-fingerprint.txt"


def jobs() -> int:
    """Notebooks executed at once: ``$TALLY_JOBS``, else the number of cores (at most 4)."""
    env = os.environ.get("TALLY_JOBS")
    return max(1, int(env)) if env else max(1, min(4, os.cpu_count() or 1))


def _clean(nb) -> None:
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    # Keep the notebook metadata free of machine-specific details.
    nb.metadata.get("language_info", {}).pop("version", None)


def execute(path: Path, timeout: int = 300) -> None:
    """Execute ``path`` in its own folder and save it with its outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    _clean(nb)
    nbformat.write(nb, path)


def execute_all(paths: Iterable[Path], timeout: int = 300, workers: int | None = None) -> None:
    """Execute and save every notebook, ``workers`` at a time (each in its own kernel)."""
    paths = list(paths)
    with ThreadPoolExecutor(max_workers=workers or jobs()) as pool:
        futures = {pool.submit(execute, p, timeout): p for p in paths}
        for future, path in futures.items():
            future.result()  # re-raises the first failure, naming its cell
            print(f"executed {path}", flush=True)


# --- build: parallel execution into myst-nb's jupyter-cache ------------------------------------


def dependencies(root: Path = ROOT) -> list[Path]:
    """Every file a notebook's outputs may depend on besides its own code."""
    files = [p for p in sorted((root / "data").rglob("*")) if p.is_file() and not p.name.startswith(".")]
    files += sorted((root / "tally").rglob("*.py"))
    # The book's configuration and contents (a chapter may glue the release or read the table of contents).
    files += [root / "_config.yml", root / "_toc.yml"]
    files += [root / "requirements.txt", root / "constraints.txt", root / "pyproject.toml"]
    return [f for f in files if f.exists()]


def fingerprint(root: Path = ROOT) -> str:
    """SHA-256 over the dependencies' names and bytes and the Python version."""
    h = hashlib.sha256(sys.version.encode())
    for f in dependencies(root):
        h.update(str(f.relative_to(root)).encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


def _execute_for_cache(path: Path, timeout: int):
    """(notebook, execution time) or (notebook, None) if it failed in any way."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(path, as_version=4)
    try:
        result = single_nb_execution(nb, cwd=str(path.parent), timeout=timeout, allow_errors=False)
    except Exception:  # a dead kernel, say: myst-nb re-runs it and reports
        return nb, None
    return nb, None if result.err is not None else result.time


def fill_cache(
    cache_path: Path, notebooks: Iterable[Path], timeout: int = 180, root: Path = ROOT, log=print
) -> list[Path]:
    """Execute, in parallel, each notebook without a valid entry in the jupyter-cache at ``cache_path``.

    Drops the whole cache first if :func:`fingerprint` changed. A notebook that fails is left out
    of the cache, so myst-nb executes it itself and reports the error. Returns the notebooks executed.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_path))
    stamp = Path(cache_path) / FINGERPRINT_FILE
    current = fingerprint(root)
    if not stamp.exists() or stamp.read_text(encoding="utf-8").strip() != current:
        cache.clear_cache()
        stamp.parent.mkdir(parents=True, exist_ok=True)
    todo = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            todo.append(Path(path))
    if todo:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=jobs()) as pool:
            results = list(pool.map(lambda p: (p, *_execute_for_cache(p, timeout)), todo))
        for path, nb, seconds in results:
            if seconds is not None:
                cache.cache_notebook_bundle(
                    CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                    check_validity=False,
                    overwrite=True,
                )
        log(
            f"tally.notebooks: executed {len(todo)} notebook(s), {jobs()} at a time, in {time.perf_counter() - start:.1f} s"
        )
    stamp.write_text(current + "\n", encoding="utf-8")
    return todo


def _env_before_read_docs(app, env, docnames) -> None:
    if getattr(app.config, "nb_execution_mode", None) != "cache" or not docnames:
        return
    notebooks = [Path(env.doc2path(d)) for d in docnames]
    notebooks = [p for p in notebooks if p.suffix == ".ipynb"]
    if not notebooks:
        return
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    cache_path = Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    fill_cache(
        cache_path, notebooks, timeout=app.config.nb_execution_timeout or 180, root=Path(app.srcdir), log=logger.info
    )


def setup(app) -> dict:
    app.connect("env-before-read-docs", _env_before_read_docs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tally.notebooks", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "-j", "--jobs", type=int, default=None, help="notebooks at once (default: $TALLY_JOBS or cores)"
    )
    args = parser.parse_args(argv)
    execute_all(args.notebooks, workers=args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
