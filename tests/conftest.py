"""Shared fixtures: a private copy of the evidence base, Tian's paper. (The repository root is
`tests.helpers.REPO`; Chromium is launched by `tests.labkit.chromium_page`.)"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from course.settings import data_dir

PAPER_FILE = "tian-2014-one-voice.zh.txt"


def pytest_addoption(parser):
    parser.addoption(
        "--paper",
        default=None,
        metavar="DIR",
        help="folder holding Tian's paper (tian-2014-one-voice.zh.txt) for the checks that our "
        "text does not copy it; default: $ONE_VOICE_PAPER",
    )


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may break without touching the real one."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


@pytest.fixture(scope="session")
def paper_text(pytestconfig) -> str:
    """The paper's full Chinese text. It is not ours to redistribute, so it is not in the repository:
    the checks that compare our text with it run where a copy is named."""
    folder = pytestconfig.getoption("--paper") or os.environ.get("ONE_VOICE_PAPER")
    how = (
        "name the folder holding tian-2014-one-voice.zh.txt: make test PYTEST_ARGS='--paper ../shared/paper' "
        "or ONE_VOICE_PAPER=../shared/paper make test (.ci/run does this when ../shared/paper exists)"
    )
    if not folder:
        pytest.skip(f"Tian's paper is not named; {how}")
    path = Path(folder) / PAPER_FILE if Path(folder).is_dir() else Path(folder)
    if not path.is_file():
        pytest.fail(f"--paper/ONE_VOICE_PAPER names {folder}, but {path} does not exist; {how}")
    return path.read_text(encoding="utf-8")
