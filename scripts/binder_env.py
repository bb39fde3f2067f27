"""Build the environment Binder builds from this repository, and register it as a Jupyter kernel.

Binder (repo2docker) reads ``binder/``: it creates an environment with the Python named in
``binder/runtime.txt`` and runs ``pip install --no-cache-dir -r binder/requirements.txt`` in the
repository's root folder (which installs the pinned dependencies and, editable, the ``tally``
package). This script does the same in a fresh venv, cached outside the repository
(``$TALLY_BINDER_CACHE``, default ``~/.cache/counting-the-reports``) under a key made of the files
that define it, so only a change of pins pays for a new install (a few minutes); another checkout
with the same pins re-runs the same ``pip install``, which then only re-points the editable package.

``make test`` runs nbval in this environment's kernel (``counting-the-reports-binder``), so every
chapter is executed, from its own folder, in what Binder would build, and its outputs compared.

    python scripts/binder_env.py --kernel-dir _build/binder-kernel   # prints the venv's path
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNEL = "counting-the-reports-binder"
DEFINING = ("binder/requirements.txt", "binder/runtime.txt", "requirements.txt", "constraints.txt", "pyproject.toml")


def runtime_version(root: Path = ROOT) -> str:
    """The Python version Binder uses (``binder/runtime.txt``: ``python-3.11`` -> ``3.11``)."""
    return (root / "binder" / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")


def runtime_python(root: Path = ROOT) -> str:
    wanted = runtime_version(root)
    if f"{sys.version_info.major}.{sys.version_info.minor}" == wanted:
        return sys.executable
    found = shutil.which(f"python{wanted}")
    if not found:
        raise SystemExit(f"binder/runtime.txt asks for Python {wanted}: install python{wanted}")
    return found


def key(root: Path = ROOT) -> str:
    """Hash of what defines the environment (of pyproject.toml, only the package's own tables:
    a change of linter or test settings does not call for a new environment)."""
    import tomllib

    h = hashlib.sha256()
    for name in DEFINING:
        data = (root / name).read_bytes()
        if name == "pyproject.toml":
            toml = tomllib.loads(data.decode("utf-8"))
            data = json.dumps({k: toml.get(k) for k in ("build-system", "project", "tool.setuptools")}, sort_keys=True)
            data = (data + json.dumps(toml.get("tool", {}).get("setuptools"), sort_keys=True)).encode()
        h.update(b"\0" + name.encode() + b"\0" + data)
    return h.hexdigest()[:16]


def venv_dir(root: Path = ROOT) -> Path:
    base = Path(os.environ.get("TALLY_BINDER_CACHE") or Path.home() / ".cache" / "counting-the-reports")
    return base / f"binder-venv-{key(root)}"


def clean_env(venv: Path) -> dict:
    """The environment a Binder user has: this venv first on PATH, nothing of the project's .venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JUPYTER_PATH"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def build(root: Path = ROOT, log=print) -> Path:
    """The Binder-style venv for ``root``, built (or completed) if needed."""
    venv = venv_dir(root)
    stamp = venv / ".complete"
    here = str(root.resolve())
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == here:
        return venv
    if not stamp.exists():
        shutil.rmtree(venv, ignore_errors=True)
        venv.parent.mkdir(parents=True, exist_ok=True)
        log(f"building the Binder-style environment in {venv} (once per change of pins)")
        subprocess.run([runtime_python(root), "-m", "venv", str(venv)], check=True)
    # repo2docker's assemble step, verbatim, in the repository's root (its working directory). For a
    # venv built from another checkout with the same pins, it only re-points the editable `tally` here.
    cmd = [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-cache-dir", "-r", "binder/requirements.txt"]
    result = subprocess.run(cmd, cwd=root, env=clean_env(venv), capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    stamp.write_text(here + "\n", encoding="utf-8")
    return venv


def register_kernel(venv: Path, kernel_dir: Path) -> Path:
    """Write a kernelspec named :data:`KERNEL` that runs the venv's Python (use with JUPYTER_PATH=kernel_dir)."""
    folder = kernel_dir / "kernels" / KERNEL
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Binder-style environment)",
        "language": "python",
        "env": {"VIRTUAL_ENV": str(venv), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kernel-dir", type=Path, help=f"also register the kernel {KERNEL!r} under this folder")
    args = parser.parse_args(argv)
    venv = build(log=lambda m: print(m, file=sys.stderr))
    if args.kernel_dir:
        register_kernel(venv, args.kernel_dir.resolve())
    print(venv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
