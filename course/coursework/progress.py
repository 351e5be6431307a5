"""The student's self-check answers, saved in `.one-voice-progress.json` so they survive a restart.

Binder culls idle kernels after about ten minutes, so every checked answer is written at once.
The file sits in the kernel's working directory (in JupyterLab, the notebook's folder) unless
ONE_VOICE_PROGRESS names another path. Writes are atomic (temp file, fsync, os.replace) and
serialised with a lock file, so two kernels checking answers at once cannot corrupt it. A file
that cannot be read is set aside under a new name, never deleted, and a fresh one is started.

Format version 2 (issue 12) adds, beside "attempts", the written answers to document prompts ("answers"), the
paragraphs a student marked as evidence ("evidence") and lesson 08's essay plan ("plan"). Version 1 files (attempts
only) are still read; the next save writes version 2 and keeps their attempts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from course import settings
from course.coursework import schemas
from course.i18n import _

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; atomic replace still prevents torn files.
    fcntl = None

FORMAT_VERSION = 2
SECTIONS = {"attempts": list, "answers": list, "evidence": list, "plan": dict}  # every key a file may hold


SCHEMA = "progress"  # course/coursework/schemas/progress.schema.json


class ProgressFileError(schemas.InvalidFile):
    """The progress file exists but is not a readable progress file: the file, the place, the problem, the fix."""

    def __init__(self, file: Path | str, problem: str, key: str | None = None, value: Any = None):
        fix = _(
            "the lessons write this file, not people: move it aside (it still holds the saved answers) "
            "and the next checked answer starts a fresh one."
        )
        super().__init__(file, problem, fix, key, value)


class ProgressFileWarning(UserWarning):
    """A damaged progress file was set aside and a fresh one started."""


def progress_path() -> Path:
    return settings.progress_path()


def read(path: Path | str) -> list[dict[str, Any]]:
    """The attempts in a progress file ([] if it does not exist); raises ProgressFileError if damaged."""
    return read_document(path)["attempts"]


def read_document(path: Path | str) -> dict[str, Any]:
    """Everything in a progress file, every section present (empty if the file does not exist or predates it);
    raises ProgressFileError if damaged."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _complete({})
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProgressFileError(path, _("it is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise ProgressFileError(path, _("it is not valid JSON ({detail}).", detail=error)) from None
    try:
        schemas.validate(data, SCHEMA, path)
    except schemas.InvalidFile as error:
        raise ProgressFileError(path, error.problem, error.key, error.value) from None
    return _complete(data)


def empty_document() -> dict[str, Any]:
    """A progress document with nothing saved yet."""
    return _complete({})


def _complete(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data.get(key, kind()) for key, kind in SECTIONS.items()}


def record(question_id: str, answer: Any, correct: bool, path: Path | str | None = None) -> dict[str, Any]:
    """Append one attempt and save at once; returns the attempt as stored."""
    path = Path(path) if path is not None else progress_path()
    attempt = {
        "question": question_id,
        "answer": answer,
        "correct": bool(correct),
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    update(lambda document: document["attempts"].append(attempt), path)
    return attempt


def update(change: Callable[[dict[str, Any]], None], path: Path | str | None = None) -> dict[str, Any]:
    """Read the whole file under the lock (setting a damaged one aside), let `change` edit it, save it at once.
    Returns the document as saved. Every writer goes through here, so no section is ever dropped."""
    path = Path(path) if path is not None else progress_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        document = _read_or_set_aside(path)
        change(document)
        _write_atomically(path, {"version": FORMAT_VERSION, **document})
    return document


def document(path: Path | str | None = None) -> dict[str, Any]:
    """Everything saved (attempts, answers, evidence, plan), every section present even if empty."""
    path = Path(path) if path is not None else progress_path()
    if not path.exists():  # nothing saved yet: leave no lock file behind just for looking
        return _complete({})
    with _locked(path):
        return _read_or_set_aside(path)


def attempts(path: Path | str | None = None) -> list[dict[str, Any]]:
    """Every saved attempt, oldest first."""
    path = Path(path) if path is not None else progress_path()
    return document(path)["attempts"]


def latest(question_id: str, path: Path | str | None = None) -> dict[str, Any] | None:
    """The most recent attempt at a question, or None."""
    mine = [a for a in attempts(path) if a["question"] == question_id]
    return mine[-1] if mine else None


def _read_or_set_aside(path: Path) -> dict[str, Any]:
    try:
        return read_document(path)
    except ProgressFileError as error:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        kept = path.with_name(f"{path.name}.corrupt-{stamp}")
        os.replace(path, kept)
        warnings.warn(
            _(
                "The self-check progress file could not be read. {problem} It was kept as {moved_to} and a "
                "fresh progress file was started; earlier answers are in the kept file.",
                problem=error.located(),
                moved_to=kept,
            ),
            ProgressFileWarning,
            stacklevel=3,
        )
        return _complete({})


def _write_atomically(path: Path, data: dict) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `<file>.lock` (a side file, because os.replace swaps the real one)."""
    try:
        lock = open(path.with_name(path.name + ".lock"), "a") if fcntl else None
    except OSError:  # a missing or read-only folder: nothing can be written there anyway
        lock = None
    if lock is None:
        yield
        return
    with lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
