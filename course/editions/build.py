"""`one-voice build`: the student, instructor, reader and packet editions, whole or customised by `course.yml`.

A build either succeeds completely or leaves nothing: everything is checked first, written into a
hidden folder beside the target, and moved into place only at the end, so a half-built edition
can never be handed to students.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from course import settings
from course.editions.config import CourseConfig, default_config, load_config
from course.editions.instructor import checked_keys, write_instructor
from course.editions.reader import write_reader
from course.editions.simulation import write_simulation
from course.editions.steps import SILENT, Steps
from course.editions.student import (
    DueDateWarning,
    EditionWarning,
    PrerequisiteWarning,
    ReferenceWarning,
    prepare,
    write_collection,
)
from course.i18n import _

__all__ = [
    "EDITIONS",
    "BuildError",
    "DueDateWarning",
    "EditionWarning",
    "PrerequisiteWarning",
    "ReferenceWarning",
    "build",
    "in_language",
    "language_folder",
]

EDITIONS = ("student", "instructor", "reader", "packet", "simulation")


class BuildError(ValueError):
    """The build cannot start (bad edition or target folder); nothing was written."""


def language_folder(language: str) -> str | None:
    """The lessons' folder below notebooks/ for `language` ("zh" for zh_Hans); None for English, the source."""
    if language == settings.DEFAULT_LANGUAGE:
        return None
    folders = {lang: folder for folder, lang in settings.FOLDER_LANGUAGES.items()}
    if language not in folders:
        raise BuildError(
            _(
                'There are no lessons in "{language}". Languages: {allowed}.',
                language=language,
                allowed=", ".join([settings.DEFAULT_LANGUAGE, *folders]),
            )
        )
    return folders[language]


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Build in `language`: the lessons come from notebooks/<folder> (`one-voice translate build` writes them),
    and every message, date, course map and answer key the edition writes is in that language."""
    folder = language_folder(language)
    if folder is None:
        yield
        return
    lessons = settings.notebooks_dir() / folder
    if not any(lessons.glob("[0-9][0-9]-*.ipynb")):
        raise BuildError(
            _(
                "There are no translated lessons in {folder}. Fix: run `one-voice translate build --lang {language}` "
                "(or `make notebooks`), then build again.",
                folder=lessons,
                language=language,
            )
        )
    saved = {name: os.environ.get(name) for name in ("ONE_VOICE_LANG", "ONE_VOICE_NOTEBOOKS")}
    os.environ["ONE_VOICE_LANG"] = language
    os.environ["ONE_VOICE_NOTEBOOKS"] = str(lessons)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build(
    edition: str,
    out: Path,
    config_file: Path | None = None,
    force: bool = False,
    strict: bool = False,
    steps: Steps = SILENT,
    language: str = settings.DEFAULT_LANGUAGE,
) -> CourseConfig:
    """Build one edition into `out`; raises ConfigError, AnswerKeyError or BuildError before writing anything.

    What deserves the instructor's attention but does not stop the build (a reference to a lesson the
    edition leaves out, a lesson whose prerequisite is dropped, due dates out of order) is issued as an
    EditionWarning; with `strict` (or `strict: on` in the config) a dropped prerequisite or due dates out of
    order stop the build instead (a reference is rewritten to say the lesson is left out, so it never does).
    `steps` hears of each lesson as the build works through it (for a progress bar). `language` other than
    English builds the edition from the translated lessons (notebooks/zh for zh_Hans) with the interface in
    that language; the simulation exists in English only."""
    if edition == "simulation" or language_folder(language) is None:
        return _build(edition, out, config_file, force, strict, steps)
    with in_language(language):
        return _build(edition, out, config_file, force, strict, steps)


def _build(edition: str, out: Path, config_file: Path | None, force: bool, strict: bool, steps: Steps) -> CourseConfig:
    if edition not in EDITIONS:
        raise BuildError(
            _('Unknown edition "{edition}". Allowed: {allowed}.', edition=edition, allowed=", ".join(EDITIONS))
        )
    out = Path(out).absolute()
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise BuildError(
            _(
                "The output folder {out} exists and is not empty. Fix: choose a new folder, or add --force "
                "to replace it once the new build has succeeded.",
                out=out,
            )
        )
    config = load_config(config_file) if config_file else default_config()
    built = _prepared(config, strict or config.strict)
    keys = checked_keys(built) if edition == "instructor" else {}
    if edition == "packet":
        from course.editions.packet import printer_problem

        problem = printer_problem()
        if problem:
            raise BuildError(problem)
    executes = config.source is not None and edition in ("student", "reader")
    steps.begin(0 if edition == "simulation" else len(built) * (2 if executes and edition == "reader" else 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    stage.chmod(0o777 & ~umask)  # mkdtemp makes it private; the edition is meant to be shared
    try:
        if edition == "student":
            write_collection(config, built, stage, execute=executes, steps=steps)
        elif edition == "instructor":
            write_instructor(config, built, keys, stage, steps)
        elif edition == "simulation":  # the three-capitals classroom simulation: no lessons involved
            write_simulation(stage)
        elif edition == "packet":
            from course.editions.packet import write_packets

            write_packets(config, built, stage, steps)
        else:
            if executes:  # a customised course: run it so the outputs match it
                with tempfile.TemporaryDirectory() as scratch:
                    write_collection(config, built, Path(scratch), execute=True, steps=steps)
            write_reader(config, built, stage, steps)
        _move_into_place(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return config


def _prepared(config: CourseConfig, strict: bool):
    """`prepare(config)`, its EditionWarnings passed on, or, when strict, turned into one BuildError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EditionWarning)
        built = prepare(config)
    problems = [str(w.message) for w in caught if issubclass(w.category, (PrerequisiteWarning, DueDateWarning))]
    if strict and problems:
        raise BuildError(
            _(
                "The course is built strictly (--strict, or strict: on in {config}), so these problems "
                "stop it. Fix them in {config}, or build without --strict and with strict: off:\n{problems}",
                config=config.source,
                problems="\n".join(f"- {p}" for p in problems),
            )
        )
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return built


def _move_into_place(stage: Path, out: Path) -> None:
    """Replace `out` by the finished build; an old `out` (allowed by --force) is removed only afterwards."""
    old = None
    if out.exists() or out.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent)) / "old"
        os.replace(out, old)
    os.replace(stage, out)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)
