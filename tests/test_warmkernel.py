"""tally.warmkernel: kernels forked from one warm process behave as fresh kernels do (own folder,
own environment, interrupts, clean exit), and the build's outputs equal the committed ones."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import nbformat
import pytest

from tally import notebooks, warmkernel

pytestmark = [
    pytest.mark.build,  # starts kernels: not in the quick tier
    pytest.mark.skipif(not warmkernel.available(), reason="the warm kernel needs Linux"),
]
ROOT = Path(__file__).resolve().parent.parent


def _run(zygote, cells: list[str], cwd: Path, **kw) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(
        nb, kernel_manager_class=zygote.kernel_manager_class(), resources={"metadata": {"path": str(cwd)}}, **kw
    ).execute()
    return nb


def _text(cell) -> str:
    return "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)


@pytest.fixture(scope="module")
def zygote():
    with warmkernel.Zygote(preload=("json", "tally.fmt")) as z:
        yield z


def test_a_forked_kernel_runs_in_the_notebooks_folder_with_its_environment(zygote, tmp_path, monkeypatch):
    monkeypatch.setenv("TALLY_WARM_PROBE", "from the client")
    (tmp_path / "here.txt").write_text("local file", encoding="utf-8")
    nb = _run(
        zygote,
        [
            "import os, sys; print(os.getcwd()); print(os.environ.get('TALLY_WARM_PROBE'))",
            "print(open('here.txt').read())",
            "print('tally.fmt' in sys.modules, 'tally.charts' in sys.modules)",  # preloaded; not preloaded
            "1 + 1",
        ],
        tmp_path,
    )
    assert _text(nb.cells[0]).splitlines() == [str(tmp_path), "from the client"]
    assert _text(nb.cells[1]).strip() == "local file"
    assert _text(nb.cells[2]).strip() == "True False"
    assert nb.cells[3].execution_count == 4 and _text(nb.cells[3]) == "2"


def _kernels(zygote) -> list[str]:
    pid = zygote.proc.pid
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def test_a_finished_notebook_leaves_no_kernel_behind(zygote, tmp_path):
    _run(zygote, ["x = 1"], tmp_path)
    for _ in range(100):  # the zygote reaps its kernel as soon as it exits
        if not _kernels(zygote):
            break
        time.sleep(0.05)
    assert _kernels(zygote) == []


def test_libraries_see_a_kernel_when_the_zygote_imports_them(tmp_path):
    """pandas sets a display default at import from whether it runs in a kernel (at most 20 columns
    in one); preloaded in the zygote, it must settle the same default as in a fresh kernel."""
    cells = [
        "import sys, pandas as pd; print(pd.get_option('display.max_columns'), pd.get_option('display.width'))",
        "print(sys.path)",
    ]
    with warmkernel.Zygote(preload=("pandas",)) as z:
        warm = _run(z, cells, tmp_path)
    fresh = nbformat.v4.new_notebook()
    fresh.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    from nbclient import NotebookClient

    NotebookClient(fresh, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert _text(warm.cells[0]) == _text(fresh.cells[0]) == "20 80\n"
    assert _text(warm.cells[1]) == _text(fresh.cells[1])  # the same sys.path as a fresh kernel's


def test_kernels_do_not_share_state(zygote, tmp_path):
    _run(zygote, ["import json; json.shared_by_accident = 1; x = 1"], tmp_path)
    nb = _run(zygote, ["import json; print(hasattr(json, 'shared_by_accident'), 'x' in globals())"], tmp_path)
    assert _text(nb.cells[0]).strip() == "False False"


def test_a_cell_that_runs_too_long_is_interrupted(zygote, tmp_path):
    """nbclient interrupts a cell at its timeout (SIGINT to the client, relayed to the kernel)."""
    start = time.monotonic()
    nb = _run(
        zygote,
        ["import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    print('interrupted')\n    raise"],
        tmp_path,
        timeout=1,
        interrupt_on_timeout=True,
        allow_errors=True,
    )
    assert time.monotonic() - start < 30, "the kernel was not interrupted"
    assert "interrupted" in _text(nb.cells[0])
    assert any(o.get("ename") == "KeyboardInterrupt" for o in nb.cells[0].outputs)


def test_a_kernel_has_its_own_session_and_runs_atexit_handlers(zygote, tmp_path):
    marker = tmp_path / "atexit.txt"
    nb = _run(
        zygote,
        [
            "import os; print(os.getsid(0) == os.getpid(), os.getpgid(0) == os.getpid())",
            f"import atexit; atexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))",
        ],
        tmp_path,
    )
    assert _text(nb.cells[0]).strip() == "True True"  # as jupyter_client starts a fresh kernel
    for _ in range(100):  # written as the kernel exits, after the notebook is done
        if marker.exists():
            break
        time.sleep(0.05)
    assert marker.read_text() == "ran"


def test_kernels_draw_different_random_numbers(zygote, tmp_path):
    assert "numpy" in zygote.preload or "tally.fmt" in zygote.preload  # (tally imports pandas, numpy)
    cells = ["import random, numpy as np; print(random.random(), np.random.rand())"]
    first, second = (_text(_run(zygote, cells, tmp_path).cells[0]).split() for _ in range(2))
    assert first[0] != second[0] and first[1] != second[1]


def test_output_before_ready_does_not_stall_and_a_stuck_start_falls_back(tmp_path, monkeypatch):
    with warmkernel.Zygote(preload=("json",), warmup=["builtins:print"]) as z:  # prints a line first
        z.wait_ready(timeout=30)
        assert _text(_run(z, ["print(1)"], tmp_path).cells[0]) == "1\n"
    (tmp_path / "stuck_import.py").write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    z = warmkernel.Zygote(preload=("stuck_import",)).start()
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="did not start"):
        z.wait_ready(timeout=1)
    assert time.monotonic() - start < 10 and z.proc.poll() is not None  # stopped, not left running
    with pytest.raises(RuntimeError):  # and every later caller is told at once
        z.kernel_manager_class()
    z.close()


def test_a_bad_request_leaves_the_zygote_serving(zygote, tmp_path):
    import socket

    for payload in (None, b"not json", b'{"argv": []}'):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        conn.connect(str(zygote.socket))
        if payload is not None:
            conn.send(payload)
        conn.close()
    time.sleep(0.2)
    assert zygote.proc.poll() is None
    assert _text(_run(zygote, ["print('still serving')"], tmp_path).cells[0]) == "still serving\n"


def test_an_error_in_a_cell_is_reported(zygote, tmp_path):
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        _run(zygote, ["1 / 0"], tmp_path)


def test_killing_the_client_kills_its_kernel(zygote):
    import asyncio

    async def start_and_ask_pid():
        km = zygote.kernel_manager()
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=30)
            seen = []
            await kc.execute_interactive("import os; print(os.getpid())", output_hook=seen.append, timeout=30)
        finally:
            kc.stop_channels()
        return km, int(next(m for m in seen if m["msg_type"] == "stream")["content"]["text"])

    km, kernel_pid = asyncio.run(start_and_ask_pid())
    client = km.provisioner.process
    assert kernel_pid != client.pid  # the kernel is the fork, not the client
    os.kill(client.pid, signal.SIGKILL)
    client.wait()
    for _ in range(100):
        try:
            os.kill(kernel_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the forked kernel outlived its client")
    km.cleanup_connection_file()


def test_closing_the_zygote_ends_it(tmp_path):
    z = warmkernel.Zygote(preload=()).start()
    z.wait_ready()
    proc = z.proc
    z.close()
    assert proc.returncode == 0
    assert not z.folder.exists()


def test_the_build_path_caches_what_runs_and_leaves_a_failure_to_myst_nb(tmp_path):
    """tally.notebooks.fill_cache in warm kernels, as the build runs it."""
    from jupyter_cache import get_cache

    (tmp_path / "chapters").mkdir()
    paths = []
    for name, code in (("ok", "import pandas as pd\npd.DataFrame({'a': [1, 2]})"), ("broken", "1 / 0")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(code)]
        paths.append(tmp_path / "chapters" / f"{name}.ipynb")
        nbformat.write(nb, paths[-1])
    cache_dir = tmp_path / "cache"
    assert notebooks.fill_cache(cache_dir, paths, root=tmp_path, log=lambda m: None, warm=True) == paths
    cache = get_cache(str(cache_dir))
    _, ok = cache.merge_match_into_notebook(nbformat.read(paths[0], as_version=4))
    assert "text/html" in ok.cells[0].outputs[0]["data"]
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(paths[1], as_version=4))


def test_if_the_warm_process_cannot_start_notebooks_get_fresh_kernels(tmp_path, monkeypatch):
    from jupyter_cache import get_cache

    monkeypatch.setattr(warmkernel, "PRELOAD", ("a_module_that_does_not_exist",))
    (tmp_path / "chapters").mkdir()
    path = tmp_path / "chapters" / "n.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('ran')")]
    nbformat.write(nb, path)
    zygote = warmkernel.Zygote(preload=("a_module_that_does_not_exist",)).start()
    with pytest.raises(RuntimeError, match="did not start"):
        zygote.wait_ready()
    zygote.close()
    cache_dir = tmp_path / "cache"
    notebooks.fill_cache(cache_dir, [path], root=tmp_path, log=lambda m: None, warm=True)
    _, merged = get_cache(str(cache_dir)).merge_match_into_notebook(nbformat.read(path, as_version=4))
    assert merged.cells[0].outputs[0]["text"] == "ran\n"


def test_the_builds_outputs_equal_the_committed_notebooks():
    """What the build read from its cache (executed in warm kernels) is what the committed notebooks
    hold (executed in fresh kernels, and re-checked by nbval in the Binder-style environment)."""
    from jupyter_cache import get_cache

    cache_dir = ROOT / "_build" / ".jupyter_cache"
    if not cache_dir.exists():
        pytest.fail("no build cache in _build/.jupyter_cache: run 'make book' (make test does)")
    cache = get_cache(str(cache_dir))
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    assert chapters
    for path in chapters:
        committed = nbformat.read(path, as_version=4)
        try:
            record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
            _, built = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            pytest.fail(f"{path.name}: not in the build's cache")
        if notebooks.warm_enabled():  # what is compared is what the warm kernels wrote
            assert record.data.get("kernel") == "warm", f"{path.name}: cached from a {record.data.get('kernel')} kernel"
        for i, (a, b) in enumerate(zip(committed.cells, built.cells)):
            if a.cell_type == "code":
                assert b.outputs == a.outputs, (
                    f"{path.name}, cell {i}: the build's output differs from the committed one"
                )
                assert b.execution_count == a.execution_count, f"{path.name}, cell {i}: execution count"
