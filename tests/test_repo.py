"""The repository launches anywhere (issue 12 §1).

1. Binder: an environment built exactly as Binder (repo2docker) builds it from this repository —
   a fresh venv of the Python in ``binder/runtime.txt``, then ``pip install -r binder/requirements.txt``
   run in the repository's root (scripts/binder_env.py) — runs every chapter, each from its own
   folder, with nothing of the project's ``.venv`` on its path. ``make test`` runs nbval in that
   environment's kernel, which executes every chapter there and compares every output; run alone
   (without ``--nbval-kernel-name counting-the-reports-binder``), this test executes every chapter itself.
2. Colab: every chapter's first cell is the Colab set-up cell of this edition (scripts/colab_cell.py),
   hidden from readers and silent outside Colab.

The environment is cached outside the repository (see scripts/binder_env.py): the first run after a
change of pins installs it (a few minutes). ``BINDER=0 make test`` leaves it out (marker ``slow``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"

sys.path.insert(0, str(ROOT / "scripts"))
import binder_env  # noqa: E402
import colab_cell  # noqa: E402

CHAPTERS = colab_cell.chapters()  # every notebook in _toc.yml


@pytest.fixture(scope="module")
def binder_venv() -> Path:
    return binder_env.build()


RUNNER = textwrap.dedent(
    """
    import json, sys
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient

    PROBE = "import json, os, sys, tally; print(json.dumps([sys.prefix, os.getcwd(), tally.__file__]))"

    def run(path):
        path = Path(path)
        nb = nbformat.read(path, as_version=4) if path.suffix == ".ipynb" else nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
        try:
            client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            client.execute()
        except Exception as e:
            return {"notebook": path.name, "error": f"{type(e).__name__}: {str(e)[-1500:]}"}
        probe = json.loads(nb.cells[-1].outputs[0]["text"])
        return {"notebook": path.name, "error": None, "prefix": probe[0], "cwd": probe[1], "tally": probe[2]}

    with ThreadPoolExecutor(max_workers=2) as pool:
        print(json.dumps(list(pool.map(run, sys.argv[1:]))))
    """
)


@pytest.mark.slow
def test_binder_environment_runs_every_chapter_from_its_folder(binder_venv, tmp_path, request):
    venv = binder_venv
    nbval_here = request.config.getoption("nbval_kernel_name", None) == binder_env.KERNEL
    if nbval_here:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec(binder_env.KERNEL).argv
        assert Path(argv[0]).parent.parent == venv, f"nbval's kernel runs {argv[0]}, not the Binder venv"
    # With nbval running every chapter in this environment's kernel, a probe from chapters/ suffices.
    targets = [ROOT / "chapters" / "probe"] if nbval_here else CHAPTERS
    script = tmp_path / "run_chapters.py"
    script.write_text(RUNNER, encoding="utf-8")
    env = binder_env.clean_env(venv)
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter")  # no kernels from the user's own folders
    # Run from outside the repository, so nothing is importable from the working directory.
    out = subprocess.run(
        [str(venv / "bin" / "python"), str(script), *map(str, targets)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    results = json.loads(out.stdout.strip().splitlines()[-1])
    assert [r["notebook"] for r in results] == [p.name for p in targets]
    failed = [f"{r['notebook']}: {r['error']}" for r in results if r["error"]]
    assert not failed, "\n".join(failed)
    for r in results:
        name = r["notebook"]
        assert Path(r["prefix"]).resolve() == venv.resolve(), f"{name} ran in {r['prefix']}, not the Binder venv"
        assert Path(r["cwd"]).resolve() == (ROOT / "chapters").resolve(), f"{name} ran in {r['cwd']}"
        assert Path(r["tally"]).resolve().is_relative_to(ROOT), f"tally imported from {r['tally']}"


def test_binder_reads_the_pinned_requirements_and_the_package():
    text = (BINDER / "requirements.txt").read_text(encoding="utf-8")
    lines = {ln.split("#")[0].strip() for ln in text.splitlines()}
    assert {"-r ../requirements.txt", "-c ../constraints.txt", "-e ."} <= lines
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert requires == ">=3.11"
    assert tuple(int(x) for x in binder_env.runtime_version().split(".")) >= (3, 11)


# --- Colab ---------------------------------------------------------------------------------------

RELEASE = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["release"]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_first_cell_sets_up_colab_for_this_edition(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert colab_cell.is_colab_cell(first), f"{path.name}: no Colab cell first: run scripts/colab_cell.py"
    assert first.source == colab_cell.cell_source(RELEASE), (
        f"{path.name}: the Colab cell is not this edition's ({RELEASE}): run scripts/colab_cell.py"
    )
    assert "remove-cell" in first.metadata.get("tags", []), "readers must not see the Colab cell"
    assert not first.get("outputs"), "the Colab cell must print nothing outside Colab"
    assert sum(colab_cell.is_colab_cell(c) for c in nb.cells) == 1


@pytest.mark.parametrize("changed", ["data/esp_reports.csv", "data/metadata.yaml", "tally/rules.py"])
def test_the_book_validates_the_data_again_after_a_change(changed):
    """make book skips the data check only while nothing it reads has changed since it last passed."""
    out = subprocess.run(
        ["make", "--no-print-directory", "-n", "-W", changed, "book"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "-m tally\n" in out.stdout, f"a change to {changed} does not re-run the data check:\n{out.stdout}"
