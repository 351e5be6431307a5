"""Every `ONE_VOICE_*` setting, read in one place, and where the collection's files live.

Paths resolve from the package, never from the working directory, so a lesson opened from any
folder finds the same evidence. Tests and custom editions override them through the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
PROGRESS_FILE_NAME = ".one-voice-progress.json"
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "zh_Hans")
# A kernel started in one of these lesson folders speaks its language (notebooks/zh: Chinese), so the
# translated lessons can share the English lessons' code cells exactly.
FOLDER_LANGUAGES = {"zh": "zh_Hans"}
# The suffix of the data columns that hold a language's text (`event` → `event_zh`).
DATA_SUFFIXES = {"zh_Hans": "zh"}


def data_dir() -> Path:
    """The evidence base (ONE_VOICE_DATA; default: data/ beside the package)."""
    return Path(os.environ.get("ONE_VOICE_DATA", ROOT_DIR / "data"))


def notebooks_dir() -> Path:
    """The lessons (ONE_VOICE_NOTEBOOKS; default: notebooks/ beside the package)."""
    return Path(os.environ.get("ONE_VOICE_NOTEBOOKS", ROOT_DIR / "notebooks"))


def lessons_dir() -> Path:
    """The lessons in the current language: notebooks/zh in Chinese (where it exists), else notebooks/."""
    folder = notebooks_dir()
    for name, lang in FOLDER_LANGUAGES.items():
        if lang == language() and (folder / name).is_dir():
            return folder / name
    return folder


def selfchecks_dir() -> Path:
    """The self-check banks (ONE_VOICE_SELFCHECKS; default: the banks shipped in the package)."""
    return Path(os.environ.get("ONE_VOICE_SELFCHECKS", PACKAGE_DIR / "coursework" / "banks"))


def progress_path() -> Path:
    """The student's progress file (ONE_VOICE_PROGRESS; default: in the folder the kernel runs in)."""
    return Path(os.environ.get("ONE_VOICE_PROGRESS") or Path.cwd() / PROGRESS_FILE_NAME)


def progress_override() -> Path | None:
    """The progress file named by ONE_VOICE_PROGRESS, if any (the command line looks elsewhere otherwise)."""
    value = os.environ.get("ONE_VOICE_PROGRESS")
    return Path(value) if value else None


def language() -> str:
    """The interface language: ONE_VOICE_LANG (`en` or `zh_Hans`) if set, else that of the lesson folder."""
    return os.environ.get("ONE_VOICE_LANG") or FOLDER_LANGUAGES.get(Path.cwd().name, DEFAULT_LANGUAGE)


def data_suffix() -> str | None:
    """The suffix of the current language's data columns (`zh` for Chinese), or None for English."""
    return DATA_SUFFIXES.get(language())


def paper_dir() -> Path | None:
    """The folder holding Tian's paper (ONE_VOICE_PAPER), for the checks that compare our text with it."""
    value = os.environ.get("ONE_VOICE_PAPER")
    return Path(value) if value else None
