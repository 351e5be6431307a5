"""The student collection a course config describes: renumbered lessons beside a copy of the package and data.

The copy mirrors the repository's layout (README.md, notebooks/, course/, data/, binder/,
pyproject.toml), so it launches the way the collection does: `pip install -e .` or Binder, and
`import course` resolves its data relative to itself. Answer keys are never copied.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.editions import lesson_edits as edits
from course.catalog import MAP_END, MAP_START, Lesson, course_map_markdown
from course.editions.config import CourseConfig, LessonChoice
from course.i18n import t
from course.settings import PACKAGE_DIR, ROOT_DIR

COPIED = ("data", "binder", "pyproject.toml", "LICENSE", "LICENSE-CONTENT", "CITATION.cff")
NOT_FOR_STUDENTS = shutil.ignore_patterns("keys", "reader_assets", "__pycache__", "*.pyc")


@dataclass
class BuiltLesson:
    choice: LessonChoice
    lesson: Lesson
    nb: nbformat.NotebookNode


def prepare(config: CourseConfig) -> list[BuiltLesson]:
    """Every chosen lesson, renumbered by position, with navigation, points, due dates and cuts applied."""
    built = []
    for index, choice in enumerate(config.lessons):
        nb = nbformat.read(choice.notebook, as_version=4)
        meta = nb.metadata["one_voice"]
        number = f"{index:02d}"
        lesson = Lesson(slug=f"{number}-{choice.slug}", number=number, title=meta["title"],
                        question=meta["question"], minutes=meta["minutes"], difficulty=meta["difficulty"])
        built.append(BuiltLesson(choice, lesson, nb))
    if config.source is None:  # the collection as published: its lessons exactly as they are
        return built
    for index, item in enumerate(built):
        nb, choice = item.nb, item.choice
        edits.renumber(nb, item.lesson)
        if not choice.selfchecks:
            edits.drop(nb, edits.is_selfcheck)
        if not choice.exercises:
            edits.drop(nb, edits.is_exercise)
        edits.renumber_sections(nb)
        edits.set_points(nb, choice.points)
        edits.set_navigation(nb, built[index - 1].lesson if index else None,
                             built[index + 1].lesson if index + 1 < len(built) else None)
        if choice.due:
            edits.add_due_date(nb, choice.due)
    return built


def readme(config: CourseConfig, built: list[BuiltLesson]) -> str:
    dates = [t("editions.readme_due_row", number=b.lesson.number, title=b.lesson.title,
               date=f"{b.choice.due.day} {b.choice.due:%B %Y}") for b in built if b.choice.due]
    due = t("editions.readme_due", rows="\n".join(dates)) if dates else ""
    course_map = course_map_markdown([b.lesson for b in built])
    return t("editions.readme", title=config.title, introduction=config.introduction,
             course_map=f"{MAP_START}\n{course_map}\n{MAP_END}", due=due)


def write_collection(config: CourseConfig, built: list[BuiltLesson], folder: Path, execute: bool) -> None:
    """Write the collection into an empty folder; execute the lessons so their outputs match the new course."""
    shutil.copytree(PACKAGE_DIR, folder / "course", ignore=NOT_FOR_STUDENTS)
    for name in COPIED:
        source = ROOT_DIR / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, folder / name)
    (folder / "README.md").write_text(readme(config, built), encoding="utf-8")
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    save_lessons(built, notebooks)
    if execute:  # after the first save: the course-map cell reads the other lessons from disk
        run_lessons(built, folder)
        save_lessons(built, notebooks)


def save_lessons(built: list[BuiltLesson], notebooks: Path) -> None:
    for item in built:
        nbformat.write(item.nb, notebooks / item.lesson.filename)


def run_lessons(built: list[BuiltLesson], folder: Path) -> None:
    """Execute each lesson from folder/notebooks against the copied package and data (not the repository's)."""
    from nbclient import NotebookClient

    env = {name: value for name, value in os.environ.items() if not name.startswith("ONE_VOICE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(folder), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    with tempfile.TemporaryDirectory() as scratch:
        env["ONE_VOICE_PROGRESS"] = str(Path(scratch) / "progress.json")
        for item in built:
            client = NotebookClient(item.nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(folder / "notebooks")}})
            client.execute(env=env)
