"""tally.notebooks: the build's notebook cache is filled in parallel, reused while nothing changes,
and emptied when anything a notebook's outputs depend on changes (data, tally, pins)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tally import notebooks

pytestmark = pytest.mark.build  # starts kernels: not in the quick tier
# The cache's logic, in fresh kernels (cheaper for these two-line notebooks than a warm process that
# imports pandas and Altair). The warm kernels: tests/test_warmkernel.py.
QUIET = {"log": lambda m: None, "warm": False}


def _book(root: Path) -> list[Path]:
    (root / "data").mkdir(parents=True)
    (root / "data" / "t.csv").write_text("n\n1\n", encoding="utf-8")
    (root / "tally").mkdir()
    (root / "tally" / "x.py").write_text("X = 1\n", encoding="utf-8")
    for name in ("requirements.txt", "constraints.txt", "pyproject.toml"):
        (root / name).write_text("", encoding="utf-8")
    paths = []
    for i in (1, 2):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(f"print(open('../data/t.csv').read().split()[-1], {i})")]
        (root / "chapters").mkdir(exist_ok=True)
        path = root / "chapters" / f"0{i}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def test_fingerprint_covers_data_code_and_pins(tmp_path):
    _book(tmp_path)
    first = notebooks.fingerprint(tmp_path)
    for f in ("data/t.csv", "tally/x.py", "constraints.txt"):
        before = notebooks.fingerprint(tmp_path)
        (tmp_path / f).write_text((tmp_path / f).read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert notebooks.fingerprint(tmp_path) != before, f"{f} does not change the fingerprint"
    assert notebooks.fingerprint(tmp_path) != first


def test_cache_is_filled_reused_and_emptied_when_data_change(tmp_path):
    from jupyter_cache import get_cache

    paths = _book(tmp_path)
    cache_dir = tmp_path / "_build" / ".jupyter_cache"
    assert notebooks.fill_cache(cache_dir, paths, root=tmp_path, **QUIET) == paths
    # Executed in their own folder: the output read ../data/t.csv.
    _, nb = get_cache(str(cache_dir)).merge_match_into_notebook(nbformat.read(paths[0], as_version=4))
    assert nb.cells[0].outputs[0]["text"] == "1 1\n"
    assert notebooks.fill_cache(cache_dir, paths, root=tmp_path, **QUIET) == []
    (tmp_path / "data" / "t.csv").write_text("n\n2\n", encoding="utf-8")
    assert notebooks.fill_cache(cache_dir, paths, root=tmp_path, **QUIET) == paths
    _, nb = get_cache(str(cache_dir)).merge_match_into_notebook(nbformat.read(paths[0], as_version=4))
    assert nb.cells[0].outputs[0]["text"] == "2 1\n"


def test_a_failing_notebook_is_left_to_myst_nb(tmp_path):
    paths = _book(tmp_path)
    nb = nbformat.read(paths[1], as_version=4)
    nb.cells[0].source = "raise ValueError('broken')"
    nbformat.write(nb, paths[1])
    cache_dir = tmp_path / "cache"
    notebooks.fill_cache(cache_dir, paths, root=tmp_path, **QUIET)
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    cache.match_cache_notebook(nbformat.read(paths[0], as_version=4))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(paths[1], as_version=4))


def test_up_to_date_only_when_nothing_changed_since_everything_was_stored(tmp_path):
    import os
    import time

    paths = _book(tmp_path)
    cache_dir = tmp_path / "cache"
    assert not notebooks.up_to_date(cache_dir, paths, root=tmp_path)  # nothing cached yet
    notebooks.fill_cache(cache_dir, paths, root=tmp_path, **QUIET)
    assert notebooks.up_to_date(cache_dir, paths, root=tmp_path)
    later = time.time() + 5
    os.utime(paths[1], (later, later))  # a notebook edited after the last build
    assert not notebooks.up_to_date(cache_dir, paths, root=tmp_path)
    notebooks.fill_cache(cache_dir, paths, root=tmp_path, **QUIET)
    os.utime(paths[1], (time.time() - 60, time.time() - 60))
    assert notebooks.up_to_date(cache_dir, paths, root=tmp_path)
    (tmp_path / "data" / "t.csv").write_text("n\n3\n", encoding="utf-8")  # the data changed
    assert not notebooks.up_to_date(cache_dir, paths, root=tmp_path)
    notebooks.plan(cache_dir, paths, root=tmp_path)  # a plan that has not been stored yet
    assert not notebooks.up_to_date(cache_dir, paths, root=tmp_path)
