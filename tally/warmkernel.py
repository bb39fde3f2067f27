"""A warm kernel for the build: the chapters' libraries are imported once, and each notebook runs
in a real IPython kernel forked from that warm process.

Why: a fresh kernel spends about 2 s of CPU starting Python and importing pandas, Altair and
jsonschema before a chapter's first line runs. The build executes every chapter, so most of a clean
build was these imports, repeated eleven times. The warm kernel pays for them once.

How:

1. :class:`Zygote` starts ``python tally/warmkernel.py SOCKET MODULES``. That process imports
   :data:`PRELOAD`, prints ``ready``, and then waits on a Unix socket.
2. A kernel is started exactly as Jupyter starts any kernel, by a kernel spec. Here the spec's command
   is the small script ``_warmkernel_client.py``, not ``python -m ipykernel_launcher``. The script
   sends its standard input, output and error (as file descriptors), its working folder, its
   environment and its arguments (``-f CONNECTION_FILE``) to the zygote. It then relays interrupt
   and termination signals to the kernel, and exits with the kernel's exit status.
3. For each request the zygote forks. The child takes the client's descriptors, folder and
   environment and runs ipykernel's ``IPKernelApp`` with the client's arguments. This is the same
   kernel that ``ipykernel_launcher`` starts, in a process whose imports are already done. If the
   client dies, the zygote kills the kernel. When the build is done (:meth:`Zygote.close` sends
   SIGTERM) or the build's process has gone, the zygote kills any kernel left and exits.

Fidelity: each notebook still runs in its own process, in a fresh IPython shell, in its own folder.
It shares nothing with other notebooks except modules that have been imported and not changed. The
committed notebooks are still executed in fresh kernels (``make notebooks``), and nbval re-executes
them in fresh kernels of the Binder-style environment. ``tests/test_notebooks.py`` checks that what
the warm kernels wrote into the build's cache is identical to those committed outputs.

Linux only (``os.pidfd_open``, ``SOCK_SEQPACKET``). Elsewhere :func:`available` is false, and the
build falls back to fresh kernels.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

#: Imported once by the zygote: what every chapter imports before its first computation.
PRELOAD = (
    "numpy",
    "pandas",
    "altair",
    "jsonschema",
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "myst_nb",
    "tally",
    "tally.charts",
    "tally.tables",
    "tally.scenario",
    "tally.rules",
    "tally.data",
)
#: Called once by the zygote after the imports: every chapter's first call (``tally.setup()``
#: validates the data package), whose result tally.data keeps, so the kernels share it. If it fails,
#: nothing is kept and each notebook reports the error itself.
WARMUP = ("tally.data:validate",)
CLIENT = Path(__file__).with_name("_warmkernel_client.py")
STARTUP_TIMEOUT = 120  # seconds for the zygote's imports and warm-up
KERNEL_NAME = "python3"  # nbclient treats "python3" as an IPython kernel (in-memory history), as for a fresh one


def available() -> bool:
    """Linux with pidfd_open (kernel 5.3 or later) and descriptor passing; elsewhere, fresh kernels."""
    if not (sys.platform.startswith("linux") and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        return False
    return True


# --- the zygote (runs in its own process) --------------------------------------------------------


def _child(request: dict, fds: list[int], close: list, pidfds: list[int]) -> None:
    """In the forked child: become the client's kernel. Never returns."""
    code = 1
    try:
        os.setsid()  # its own session and process group, as a fresh kernel has (jupyter_client starts one so)
        for obj in close:
            obj.close()
        for pidfd in pidfds:
            os.close(pidfd)
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL if sig != signal.SIGINT else signal.default_int_handler)
        # As ipykernel_launcher: the folder is not on sys.path while ipykernel loads; IPython adds ''.
        sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]
        sys.argv = [str(Path(importlib.import_module("ipykernel").__file__).parent.parent / "ipykernel_launcher.py")]
        sys.argv += request["argv"]
        import random

        # The zygote's random state is shared by every fork; a fresh kernel would seed itself. (The
        # string hash seed is the zygote's in every kernel: it cannot be changed after start.)
        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        from ipykernel.kernelapp import IPKernelApp

        # The zygote is this kernel's parent: ipykernel exits if it goes (as a fresh kernel does if
        # its manager goes), and does not print the note meant for kernels started by hand.
        IPKernelApp.launch_instance(argv=request["argv"], parent_handle=os.getppid())
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        # As a fresh kernel's interpreter does on exit: run the atexit handlers (they may close
        # files a notebook left open), then flush. os._exit, so the zygote's own code does not run.
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _kill(pid: int, sig: int) -> None:
    """Signal a kernel and the processes it started (its process group), or the kernel alone if it
    has not yet made its own group."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


class _SeenFromAKernel:
    """What ``get_ipython()`` shows a library imported inside a Jupyter kernel: a shell with a kernel."""

    kernel = None


def _warm_up(calls) -> None:
    for call in calls:
        module, _, name = call.partition(":")
        # If it fails, the notebook that makes the same call reports the error.
        with contextlib.suppress(Exception):
            getattr(importlib.import_module(module), name)()


def _import_as_in_a_kernel(modules) -> None:
    """Import ``modules`` as they would be imported inside a Jupyter kernel.

    A library may settle a default at import from where it runs. pandas does: it shows at most 20
    columns when ``get_ipython()`` has a kernel, and sizes tables to the terminal otherwise. So while
    the zygote imports, ``get_ipython`` says "a kernel", as it would in a fresh kernel; it is removed
    afterwards (the forked kernel's IPython shell installs the real one).
    """
    import builtins

    builtins.get_ipython = lambda: _SeenFromAKernel
    try:
        for name in modules:
            importlib.import_module(name)
    finally:
        del builtins.get_ipython


def serve(sock_path: str, preload=PRELOAD, warmup=WARMUP, ready_fd: int | None = None) -> None:
    """Import ``preload``, make the ``warmup`` calls, write ``ready`` to ``ready_fd``, then fork a
    kernel per request on ``sock_path``, until SIGTERM or until the parent process ends. (Not until
    standard input closes: a library in the build may fork the build's process, and the copy would
    hold the pipe open.) A request that goes wrong is dropped; the zygote and the other kernels go on."""
    parent = os.pidfd_open(os.getppid())
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    _import_as_in_a_kernel(preload)
    _warm_up(warmup)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(sock_path)
    listener.listen(16)
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, ("accept",))
    sel.register(parent, selectors.EVENT_READ, ("parent",))
    kernels: dict[int, tuple[socket.socket, int]] = {}  # pid -> (client connection, pidfd)
    if ready_fd is not None:  # a pipe of its own: whatever a library prints cannot be mistaken for it
        os.write(ready_fd, b"ready\n")
        os.close(ready_fd)

    def forget(pid: int) -> None:
        conn, pidfd = kernels.pop(pid)
        for obj in (conn, pidfd):
            with contextlib.suppress(KeyError, ValueError):
                sel.unregister(obj)
        conn.close()
        os.close(pidfd)

    def accept() -> None:
        conn, _ = listener.accept()
        fds: list[int] = []
        try:
            msg, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
            request = json.loads(msg)
            if len(fds) != 3 or not isinstance(request, dict) or not {"argv", "cwd", "env"} <= request.keys():
                raise ValueError("not a kernel request")
        except (OSError, ValueError):  # a client that closed, died or sent something else
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            others = [c for c, _ in kernels.values()]
            _child(request, fds, [sel, listener, conn, *others], [parent, *(p for _, p in kernels.values())])
        for fd in fds:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        kernels[pid] = (conn, pidfd)
        sel.register(pidfd, selectors.EVENT_READ, ("exit", pid))
        sel.register(conn, selectors.EVENT_READ, ("client", pid))
        try:
            conn.send(json.dumps({"pid": pid}).encode())
        except OSError:  # the client is gone already: so is its kernel
            _kill(pid, signal.SIGKILL)

    def ended(pid: int) -> None:  # a kernel ended: tell its client how
        _, status = os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            kernels[pid][0].send(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode())
        forget(pid)

    def client_event(pid: int) -> None:  # the client sent nothing more, or went away (killed)
        conn = kernels[pid][0]
        try:
            data = conn.recv(64)
        except OSError:
            data = b""
        if not data:  # gone: its kernel goes too (reaped when its pidfd fires)
            _kill(pid, signal.SIGKILL)
            sel.unregister(conn)

    try:
        while True:
            for key, _ in sel.select():
                what = key.data[0]
                if what == "parent":  # the build is gone: stop
                    return
                try:
                    if what == "accept":
                        accept()
                    elif key.data[1] in kernels:  # (an exit and a client event can come together)
                        (ended if what == "exit" else client_event)(key.data[1])
                except Exception:
                    traceback.print_exc()  # one request went wrong; the others go on
    finally:
        for pid in list(kernels):
            _kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        listener.close()
        os.close(parent)


# --- the build's side ------------------------------------------------------------------------------


class Zygote:
    """Start the warm process and give kernel managers whose kernels it forks.

    ``with Zygote() as z: nbclient.execute(nb, kernel_manager_class=z.kernel_manager_class())``. :meth:`start` returns at once
    (the imports happen in the background); :meth:`wait_ready` blocks until they are done.
    """

    def __init__(self, preload=None, warmup=None):
        self.preload = PRELOAD if preload is None else tuple(preload)
        # By default, the warm-up calls are made when their module is preloaded.
        self.warmup = [c for c in WARMUP if c.split(":")[0] in self.preload] if warmup is None else list(warmup)
        self.folder = Path(tempfile.mkdtemp(prefix="tally-warm-"))
        self.socket = self.folder / "zygote.sock"
        self.proc: subprocess.Popen | None = None
        self._ready = False
        self._failed = ""
        self._lock = threading.Lock()  # kernel managers are asked for from several threads at once

    def start(self) -> Zygote:
        # Run as a file, not as tally.warmkernel: importing the tally package would import pandas
        # before _import_as_in_a_kernel can show it a kernel.
        self._ready_r, ready_w = os.pipe()
        self.proc = subprocess.Popen(
            [sys.executable, __file__, str(self.socket), json.dumps(list(self.preload)), json.dumps(self.warmup)]
            + [str(ready_w)],
            stdin=subprocess.DEVNULL,
            pass_fds=(ready_w,),
        )
        os.close(ready_w)
        spec = self.folder / "kernels" / KERNEL_NAME
        spec.mkdir(parents=True)
        argv = [sys.executable, str(CLIENT), str(self.socket), "-f", "{connection_file}"]
        (spec / "kernel.json").write_text(
            json.dumps({"argv": argv, "display_name": "Python 3 (warm)", "language": "python"}), encoding="utf-8"
        )
        return self

    @property
    def ready(self) -> bool:
        """Whether the warm process started and has answered ``ready``."""
        return self._ready

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Block until the zygote is ready; raise RuntimeError (callers fall back to fresh kernels) if
        it ended or did not get ready within ``timeout`` seconds (then it is stopped)."""
        with self._lock:
            if self._ready:
                return
            if self._failed:
                raise RuntimeError(self._failed)
            assert self.proc is not None, "start() first"
            line = b""
            with selectors.DefaultSelector() as sel:
                sel.register(self._ready_r, selectors.EVENT_READ)
                if sel.select(timeout):
                    line = os.read(self._ready_r, 64)
            os.close(self._ready_r)
            self._ready_r = None
            if line.strip() != b"ready":
                self.proc.kill()
                self.proc.wait()
                self._failed = f"tally.warmkernel: the zygote did not start (exit {self.proc.returncode})"
                raise RuntimeError(self._failed)
            self._ready = True

    def kernel_manager_class(self):
        """A kernel manager class (for ``NotebookClient(kernel_manager_class=...)``) whose kernels are
        forked from this zygote. nbclient then owns each kernel and shuts it down as it would a fresh one."""
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager

        self.wait_ready()
        kernels = str(self.folder / "kernels")

        class WarmKernelManager(AsyncKernelManager):
            def _kernel_spec_manager_default(self):
                return KernelSpecManager(kernel_dirs=[kernels], ensure_native_kernel=False)

        return WarmKernelManager

    def kernel_manager(self):
        """A new (not started) kernel manager whose kernel is forked from this zygote."""
        return self.kernel_manager_class()(kernel_name=KERNEL_NAME)

    def close(self) -> None:
        if getattr(self, "_ready_r", None) is not None:
            os.close(self._ready_r)
            self._ready_r = None
        if self.proc is not None:
            self.proc.terminate()  # the zygote's signal to stop: it kills any kernel left and exits
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        for path in (self.socket, self.folder / "kernels" / KERNEL_NAME / "kernel.json"):
            path.unlink(missing_ok=True)
        for folder in (self.folder / "kernels" / KERNEL_NAME, self.folder / "kernels", self.folder):
            if folder.exists():
                folder.rmdir()

    def __enter__(self) -> Zygote:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":  # the zygote: python tally/warmkernel.py SOCKET PRELOAD WARMUP READY_FD
    # Python put this file's folder first on sys.path; tally/sphinx.py would then shadow Sphinx.
    if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
        del sys.path[0]
    serve(sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]))
