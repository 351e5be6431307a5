"""Where the collection's files live, resolved from the package, never from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent


def data_dir() -> Path:
    """The evidence base; ONE_VOICE_DATA overrides it (tests and custom editions use this)."""
    return Path(os.environ.get("ONE_VOICE_DATA", ROOT_DIR / "data"))


def notebooks_dir() -> Path:
    return Path(os.environ.get("ONE_VOICE_NOTEBOOKS", ROOT_DIR / "notebooks"))
