"""Shared fixtures: a scratch copy of the data package that a test may break."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
HTML = ROOT / "_build" / "html"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of data/ in a temporary folder."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest
