"""The student collection a course config describes: renumbered lessons beside a copy of the package and data.

The copy mirrors the repository's layout (README.md, notebooks/, course/, data/, binder/,
pyproject.toml), so it launches the way the collection does: `pip install -e .` or Binder, and
`import course` resolves its data relative to itself. Answer keys are never copied.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.catalog import MAP_END, MAP_START, Lesson, course_map_markdown, short_slug
from course.catalog import lessons as collection_lessons
from course.display.templating import render
from course.editions import lesson_edits as edits
from course.editions.config import CourseConfig, LessonChoice
from course.editions.steps import SILENT, Steps, each
from course.i18n import _, format_date
from course.settings import DEFAULT_LANGUAGE, FOLDER_LANGUAGES, PACKAGE_DIR, ROOT_DIR, language, notebooks_dir

COPIED = ("data", "binder", "pyproject.toml", "LICENSE", "LICENSE-CONTENT", "CITATION.cff")
NOT_FOR_STUDENTS = shutil.ignore_patterns("keys", "reader_assets", "__pycache__", "*.pyc")


class EditionWarning(UserWarning):
    """The edition builds, but something in it deserves the instructor's attention (a lesson it leaves out
    is referred to, or needed, by a lesson it keeps). `one-voice build` prints each one."""


class ReferenceWarning(EditionWarning):
    """A kept lesson refers to a left-out one; the reference already says so in plain text (never fatal,
    and silent with `left_out_references: quiet`)."""


class PrerequisiteWarning(EditionWarning):
    """A kept lesson builds on (`requires`) a lesson the course leaves out or puts after it."""


class DueDateWarning(EditionWarning):
    """A lesson is due before a lesson that comes earlier in the course."""


@dataclass
class BuiltLesson:
    choice: LessonChoice
    lesson: Lesson
    nb: nbformat.NotebookNode


def edition_language(built: list[BuiltLesson]) -> str:
    """The language the lessons are written in: a translated lesson says so in its metadata (an instructor's own
    extra lesson, which says nothing, goes where the translated lessons go)."""
    languages = (item.nb.metadata["one_voice"].get("language") for item in built)
    return next((language for language in languages if language), DEFAULT_LANGUAGE)


def lessons_folder(built: list[BuiltLesson]) -> str:
    """Where the edition keeps its lessons, relative to its root: notebooks, or notebooks/zh for the Chinese
    lessons (the folder a kernel speaks Chinese in, as in the collection; their links climb one level more)."""
    folders = {language: folder for folder, language in FOLDER_LANGUAGES.items()}
    folder = folders.get(edition_language(built))
    return f"notebooks/{folder}" if folder else "notebooks"


def source_notebooks() -> Path:
    """The English lessons, the source (notebooks/, also while an edition is built from notebooks/zh)."""
    folder = notebooks_dir()
    return folder.parent if FOLDER_LANGUAGES.get(folder.name) == language() else folder


def collection_by_number() -> dict[str, Lesson]:
    """The collection's lessons by number, as the lessons refer to them; in a translated edition the translated
    lessons, with the English one standing in for any lesson not translated yet."""
    found = {lesson.number: lesson for lesson in collection_lessons(notebooks_dir())}
    for lesson in collection_lessons(source_notebooks()):
        found.setdefault(lesson.number, lesson)
    return found


def prepare(config: CourseConfig) -> list[BuiltLesson]:
    """Every chosen lesson, renumbered by position, with navigation, points, due dates and cuts applied."""
    built = []
    for index, choice in enumerate(config.lessons):
        nb = nbformat.read(choice.notebook, as_version=4)
        number = f"{index:02d}"
        lesson = Lesson.from_metadata(nb.metadata["one_voice"], slug=f"{number}-{choice.slug}", number=number)
        built.append(BuiltLesson(choice, lesson, nb))
    if config.source is None:  # the collection as published: its lessons exactly as they are
        return built
    _check_due_dates(config, built)
    up = "../" * len(lessons_folder(built).split("/"))  # from a lesson to the edition's README
    edition = {item.choice.slug: item.lesson for item in built}
    collection = collection_by_number()
    for index, item in enumerate(built):
        nb, choice = item.nb, item.choice
        for gone in edits.link_lessons(nb, edition, collection):
            if config.left_out_references == "quiet":
                continue
            _warn(
                ReferenceWarning,
                _(
                    "{lesson} refers to lesson {number} of the collection, “{title}” ({slug}), which this course "
                    "leaves out: the reference now says so in plain text. To keep it, add {slug} to lessons: in "
                    "{config}.",
                    lesson=item.lesson.filename,
                    number=gone.number,
                    title=gone.title,
                    slug=short_slug(gone.slug),
                    config=config.source,
                ),
            )
        _check_requires(config, item, edition)
        edits.renumber(nb, item.lesson)
        if not choice.selfchecks:
            edits.drop(nb, edits.is_selfcheck)
        if not choice.exercises:
            edits.drop(nb, edits.is_exercise)
        edits.renumber_sections(nb)
        edits.set_points(nb, choice.points)
        edits.set_navigation(
            nb,
            built[index - 1].lesson if index else None,
            built[index + 1].lesson if index + 1 < len(built) else None,
            up,
        )
        if choice.due:
            edits.add_due_date(nb, choice.due)
    return built


def _warn(kind: type[EditionWarning], message: str) -> None:
    warnings.warn(kind(message), stacklevel=3)


def _check_due_dates(config: CourseConfig, built: list[BuiltLesson]) -> None:
    """Warn when a lesson is due before a lesson that comes earlier in the course."""
    latest: BuiltLesson | None = None
    for item in built:
        if item.choice.due is None:
            continue
        if latest is not None and item.choice.due < latest.choice.due:
            _warn(
                DueDateWarning,
                _(
                    "{lesson} is due on {date}, before {earlier}, which comes earlier in the course and is due on "
                    "{earlier_date}. Check the due dates in {config}.",
                    lesson=item.lesson.filename,
                    date=format_date(item.choice.due.isoformat()),
                    earlier=latest.lesson.filename,
                    earlier_date=format_date(latest.choice.due.isoformat()),
                    config=config.source,
                ),
            )
        else:
            latest = item


def _check_requires(config: CourseConfig, item: BuiltLesson, edition: dict[str, Lesson]) -> None:
    """Warn when a lesson the edition keeps builds on one it leaves out, or on one it puts later."""
    for slug in item.lesson.requires:
        needed = edition.get(slug)
        if needed is None:
            _warn(
                PrerequisiteWarning,
                _(
                    "{lesson} builds on {slug}, which this course leaves out. Add {slug} to lessons: in {config}, "
                    "or tell your students where to catch up.",
                    lesson=item.lesson.filename,
                    slug=slug,
                    config=config.source,
                ),
            )
        elif needed.number > item.lesson.number:
            _warn(
                PrerequisiteWarning,
                _(
                    "{lesson} builds on {slug}, which this course puts after it, as {later}. Move {slug} before "
                    "{this} in lessons: in {config}.",
                    lesson=item.lesson.filename,
                    slug=slug,
                    later=needed.filename,
                    this=item.choice.slug,
                    config=config.source,
                ),
            )


def readme(config: CourseConfig, built: list[BuiltLesson]) -> str:
    due = [(b.lesson, format_date(b.choice.due.isoformat())) for b in built if b.choice.due]
    folder = lessons_folder(built)
    course_map = course_map_markdown([b.lesson for b in built], folder)
    return render(
        "editions/README.md.j2",
        folder=folder,
        title=config.title,
        introduction=config.introduction,
        course_map=f"{MAP_START}\n{course_map}\n{MAP_END}",
        due=due,
    )


def write_collection(
    config: CourseConfig, built: list[BuiltLesson], folder: Path, execute: bool, steps: Steps = SILENT
) -> None:
    """Write the collection into an empty folder; execute the lessons so their outputs match the new course.

    `steps` hears of each lesson as it is executed (or, when nothing is executed, as it is saved)."""
    shutil.copytree(PACKAGE_DIR, folder / "course", ignore=NOT_FOR_STUDENTS)
    for name in COPIED:
        source = ROOT_DIR / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, folder / name)
    (folder / "README.md").write_text(readme(config, built), encoding="utf-8")
    notebooks = folder / lessons_folder(built)
    notebooks.mkdir(parents=True)
    save_lessons(built, notebooks, SILENT if execute else steps)
    if execute:  # after the first save: the course-map cell reads the other lessons from disk
        run_lessons(built, folder, steps)
        save_lessons(built, notebooks)


def save_lessons(built: list[BuiltLesson], notebooks: Path, steps: Steps = SILENT) -> None:
    for item in each(built, steps):
        nbformat.write(item.nb, notebooks / item.lesson.filename)


def kernel_config(sockets: Path):
    """Kernels that talk to the build over Unix sockets in a private folder instead of TCP on localhost.

    Nothing then listens on the network, and the kernel has no cause for its warning that TCP traffic is
    unencrypted ("[IPKernelApp] WARNING | Kernel is running over TCP without encryption"), which every
    lesson used to print into the build's output. Windows has no such sockets, so it keeps TCP."""
    from traitlets.config import Config

    if os.name == "nt":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / "kernel")}})


def run_lessons(built: list[BuiltLesson], folder: Path, steps: Steps = SILENT) -> None:
    """Execute each lesson from its folder (notebooks, or notebooks/zh: a kernel there speaks Chinese) against the
    copied package and data (not the repository's)."""
    from nbclient import NotebookClient

    env = {name: value for name, value in os.environ.items() if not name.startswith("ONE_VOICE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(folder), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # no debugger notice about frozen modules in the build's output
    with tempfile.TemporaryDirectory() as scratch:
        env["ONE_VOICE_PROGRESS"] = str(Path(scratch) / "progress.json")
        for item in each(built, steps):
            client = NotebookClient(
                item.nb,
                timeout=600,
                kernel_name="python3",
                config=kernel_config(Path(scratch)),
                resources={"metadata": {"path": str(folder / lessons_folder(built))}},
            )
            client.execute(env=env)
