"""Execute the chapter notebooks: in place (``make notebooks``), or into the build's cache.

1. ``make notebooks`` (``python -m tally.notebooks [-j N] chapters/*.ipynb``) re-executes notebooks
   in place and saves their outputs without timing metadata, so a re-run that computes the same
   numbers leaves the file unchanged and ``git diff`` shows only real changes.
   Each notebook gets a fresh kernel: the committed outputs are what a reader's kernel gives.
2. During a build (a Sphinx extension, set up by ``tally.sphinx``): the book is built with
   ``execute_notebooks: cache``. As soon as Sphinx knows its builder, the project's notebooks
   that have no valid cached execution start executing in the background, ``jobs()`` at a time,
   while Sphinx loads its environment. Each runs in a kernel forked from one warm process that has
   imported the chapters' libraries once (:mod:`tally.warmkernel`; ``TALLY_WARM=0`` gives fresh
   kernels). Just before Sphinx parses a notebook, its result is stored in myst-nb's jupyter-cache,
   from which Sphinx reads every output; the documents before it are read meanwhile. ``tests/test_warmkernel.py`` checks that those outputs
   are the committed ones.
   A notebook's cache entry is keyed by its code (jupyter-cache's hash), and the whole cache is
   dropped when anything a notebook's outputs can depend on changes: the data, the ``tally`` package, the
   pinned dependencies or the Python version (:func:`fingerprint`). So a data or ``tally``
   change re-executes every notebook, and no cache serves stale outputs.
"""

from __future__ import annotations

import argparse
import contextlib
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
DONE_FILE = "tally-done.txt"  # touched when every planned notebook is stored: see up_to_date()


def jobs(warm: bool = False) -> int:
    """Notebooks executed at once: ``$TALLY_JOBS``, else the number of cores (at most 4), plus one
    for warm kernels (a warm kernel's start is mostly waiting on messages, which another can use)."""
    env = os.environ.get("TALLY_JOBS")
    return max(1, int(env)) if env else max(1, min(4, os.cpu_count() or 1)) + (1 if warm else 0)


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


def warm_enabled() -> bool:
    """Whether the build executes notebooks in warm kernels (:mod:`tally.warmkernel`): on Linux,
    unless ``TALLY_WARM=0`` (then every notebook gets a fresh kernel, as ``make notebooks`` does)."""
    from tally import warmkernel

    return os.environ.get("TALLY_WARM", "1") != "0" and warmkernel.available()


def _execute_for_cache(path: Path, timeout: int, zygote=None):
    """(notebook, execution time or None if it failed in any way, "warm" or "fresh" kernel)."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(path, as_version=4)
    extra = {}
    if zygote is not None:
        # If the warm process did not start, this notebook gets a fresh kernel.
        with contextlib.suppress(RuntimeError):
            extra = {"kernel_manager_class": zygote.kernel_manager_class()}
    kind = "warm" if extra else "fresh"
    try:
        result = single_nb_execution(nb, cwd=str(path.parent), timeout=timeout, allow_errors=False, **extra)
    except Exception:  # a dead kernel, say: myst-nb re-runs it and reports
        return nb, None, kind
    return nb, None if result.err is not None else result.time, kind


class Execution:
    """Notebooks executed in the background, ``jobs()`` at a time: :meth:`start`, then :meth:`wait`.

    With ``warm`` (the default where :func:`warm_enabled`), one :class:`tally.warmkernel.Zygote`
    imports the chapters' libraries once and every notebook's kernel is forked from it.
    """

    def __init__(self, paths: Iterable[Path], timeout: int = 180, warm: bool | None = None):
        self.paths = [Path(p) for p in paths]
        self.timeout = timeout
        self.warm = warm_enabled() if warm is None else warm
        self.zygote = None
        self._pool: ThreadPoolExecutor | None = None
        self._futures: list = []
        self._start = 0.0

    def start(self) -> Execution:
        self._start = time.perf_counter()
        if self.warm and self.paths:
            from tally.warmkernel import Zygote

            self.zygote = Zygote().start()
        self._pool = ThreadPoolExecutor(max_workers=jobs(self.warm))
        self._futures = [self._pool.submit(_execute_for_cache, p, self.timeout, self.zygote) for p in self.paths]
        return self

    def result(self, path: Path) -> tuple[Path, nbformat.NotebookNode, float | None, str]:
        """Wait for one notebook: (path, executed notebook, seconds or None if it failed, kernel)."""
        i = self.paths.index(Path(path))
        return (self.paths[i], *self._futures[i].result())

    def wait(self) -> list[tuple[Path, nbformat.NotebookNode, float | None, str]]:
        """Wait for all: (path, executed notebook, seconds or None if it failed, kernel), in order."""
        try:
            return [(p, *f.result()) for p, f in zip(self.paths, self._futures)]
        finally:
            if self._pool is not None:
                self._pool.shutdown()
            if self.zygote is not None:
                self.warm = self.zygote.ready  # False if the warm process did not start
                self.zygote.close()
                self.zygote = None
            self.seconds = time.perf_counter() - self._start


def plan(cache_path: Path, notebooks: Iterable[Path], root: Path = ROOT) -> list[Path]:
    """The notebooks without a valid entry in the jupyter-cache at ``cache_path``.

    Drops the whole cache first if :func:`fingerprint` changed (and records the new one).
    """
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    stamp = Path(cache_path) / FINGERPRINT_FILE
    current = fingerprint(root)
    if not stamp.exists() or stamp.read_text(encoding="utf-8").strip() != current:
        cache.clear_cache()
        stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n", encoding="utf-8")
    (Path(cache_path) / DONE_FILE).unlink(missing_ok=True)
    todo = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            todo.append(Path(path))
    return todo


def up_to_date(cache_path: Path, notebooks: Iterable[Path], root: Path = ROOT) -> bool:
    """True if the last build stored every notebook, nothing a notebook depends on has changed since
    (:func:`fingerprint`) and no notebook is newer than that: then :func:`plan` would find nothing,
    and a build that changes nothing need not read and hash every notebook to learn it."""
    done, stamp = Path(cache_path) / DONE_FILE, Path(cache_path) / FINGERPRINT_FILE
    if not (done.exists() and stamp.exists()):
        return False
    if stamp.read_text(encoding="utf-8").strip() != fingerprint(root):
        return False
    since = done.stat().st_mtime
    return all(Path(p).stat().st_mtime < since for p in notebooks)


def mark_done(cache_path: Path) -> None:
    (Path(cache_path) / DONE_FILE).write_text(time.strftime("%Y-%m-%dT%H:%M:%S") + "\n", encoding="utf-8")


def store(cache_path: Path, results) -> None:
    """Cache each executed notebook; one that failed is left out, so myst-nb re-runs it and reports."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_path))
    for path, nb, seconds, kernel in results:
        if seconds is not None:
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(path), data={"execution_seconds": seconds, "kernel": kernel}),
                check_validity=False,
                overwrite=True,
            )


def _report(run: Execution, log) -> None:
    how = "warm kernels" if run.warm else "fresh kernels"
    log(
        f"tally.notebooks: executed {len(run.paths)} notebook(s) in {how}, {jobs(run.warm)} at a time, in {run.seconds:.1f} s"
    )


def fill_cache(
    cache_path: Path,
    notebooks: Iterable[Path],
    timeout: int = 180,
    root: Path = ROOT,
    log=print,
    warm=None,
    mark: bool = True,
) -> list[Path]:
    """Execute, in parallel, each notebook without a valid entry in the jupyter-cache at ``cache_path``.

    Drops the whole cache first if :func:`fingerprint` changed. A notebook that fails is left out
    of the cache, so myst-nb executes it itself and reports the error. Returns the notebooks executed.
    """
    todo = plan(cache_path, notebooks, root)
    if todo:
        run = Execution(todo, timeout, warm=warm).start()
        store(cache_path, run.wait())
        _report(run, log)
    if mark:  # (not while other notebooks are still being executed for the same cache)
        mark_done(cache_path)
    return todo


# --- Sphinx: start executing as soon as the project is known; store just before reading -------------


def _cache_path(app) -> Path:
    return Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")


def _builder_inited(app) -> None:
    """Start executing every notebook of the project that has no valid cache entry, in the background,
    while Sphinx loads its environment and reads the documents before it."""
    app._tally_execution = None
    app._tally_stored = set()
    if getattr(app.config, "nb_execution_mode", None) != "cache":
        return
    from sphinx.project import Project

    # The project's documents, found as Sphinx finds them (BuildEnvironment.find_files), which it
    # has not done yet when it loads a saved environment.
    project = Project(app.srcdir, app.config.source_suffix)
    excluded = list(app.config.exclude_patterns) + list(app.config.templates_path) + app.builder.get_asset_paths()
    docnames = sorted(project.discover(excluded, app.config.include_patterns))
    notebooks = [Path(project.doc2path(d, absolute=True)) for d in docnames]
    notebooks = [p for p in notebooks if p.suffix == ".ipynb"]  # in the order Sphinx reads them
    cache, root = _cache_path(app), Path(app.srcdir)
    if up_to_date(cache, notebooks, root=root):
        return
    todo = plan(cache, notebooks, root=root)
    if todo:
        app._tally_execution = Execution(todo, timeout=app.config.nb_execution_timeout or 180).start()
    else:
        mark_done(cache)


def _env_before_read_docs(app, env, docnames) -> None:
    """Execute now any notebook Sphinx is about to read that is neither cached nor under way (none,
    normally: _builder_inited started them all)."""
    if getattr(app.config, "nb_execution_mode", None) != "cache" or not docnames:
        return
    from sphinx.util import logging

    run = getattr(app, "_tally_execution", None)
    if run is not None and getattr(app, "parallel", 1) > 1:
        # Parallel reading (sphinx-build -j) reads in forked processes, which cannot wait on this
        # process's threads: store every result now, before any document is read.
        _finish(app)
        run = None
    started = set(run.paths) if run is not None else set()
    notebooks = [Path(env.doc2path(d)) for d in docnames]
    notebooks = [p for p in notebooks if p.suffix == ".ipynb" and p not in started]
    if notebooks:
        fill_cache(
            _cache_path(app),
            notebooks,
            timeout=app.config.nb_execution_timeout or 180,
            root=Path(app.srcdir),
            log=logging.getLogger(__name__).info,
            mark=run is None,
        )


def _source_read(app, docname, source) -> None:
    """Just before Sphinx parses a notebook (and myst-nb looks it up in the cache), wait for its
    execution and store it; the documents before it were read meanwhile."""
    run = getattr(app, "_tally_execution", None)
    if run is None:
        return
    path = Path(app.env.doc2path(docname))
    if path in run.paths and path not in app._tally_stored:
        store(_cache_path(app), [run.result(path)])
        app._tally_stored.add(path)
    if app._tally_stored >= set(run.paths):
        _finish(app)


def _finish(app) -> None:
    """Store what is left, stop the warm process and report."""
    from sphinx.util import logging

    run = getattr(app, "_tally_execution", None)
    if run is None:
        return
    app._tally_execution = None
    results = run.wait()  # also stops the zygote
    store(_cache_path(app), [r for r in results if r[0] not in app._tally_stored])
    mark_done(_cache_path(app))
    _report(run, logging.getLogger(__name__).info)


def _env_updated(app, env) -> list:
    _finish(app)  # a notebook Sphinx did not read (an orphan, say) is stored for the next build
    return []


def _build_finished(app, exception) -> None:
    run = getattr(app, "_tally_execution", None)
    if run is not None:  # the build stopped before reading everything: leave no kernel behind
        app._tally_execution = None
        run.wait()


def setup(app) -> dict:
    app.connect("builder-inited", _builder_inited)
    app.connect("env-before-read-docs", _env_before_read_docs)
    app.connect("source-read", _source_read, priority=100)  # before anything else reads the source
    app.connect("env-updated", _env_updated)
    app.connect("build-finished", _build_finished)
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
