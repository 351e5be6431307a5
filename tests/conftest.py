"""Shared fixtures: a private copy of the evidence base that a test may damage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.settings import ROOT_DIR, data_dir

REPO = ROOT_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may break without touching the real one."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target
