"""The instructor edition: an nbgrader source course with the answer keys merged into the lessons.

The merge is arranged so that `nbgrader generate_assignment` gives back exactly the students'
cells: a code answer keeps its placeholder line (`name = ...`) above the solution block and the
code stub is empty; a written answer holds the model answer, which nbgrader replaces with the
text stub `YOUR ANSWER HERE`; hidden tests follow the visible check and are cut out whole.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from course.coursework.answer_keys import TEXT_STUB, AnswerKeyError, checked_key, graded_cells, orphan_keys
from course.editions.student import BuiltLesson
from course.editions.config import CourseConfig
from course.i18n import t
from course.settings import notebooks_dir


def checked_keys(built: list[BuiltLesson]) -> dict[str, dict]:
    """Each assignment's key, by new lesson slug, after checking keys and notebooks match."""
    orphans = orphan_keys(notebooks_dir())
    if orphans:
        raise AnswerKeyError(t("editions.key_orphan", file=orphans[0], notebooks=notebooks_dir()))
    return {item.lesson.slug: checked_key(item.nb, item.choice.notebook, item.choice.key)
            for item in built if graded_cells(item.nb)}


def merged(nb, key: dict) -> nbformat.NotebookNode:
    """The lesson with model answers and hidden tests in nbgrader's delimiters, outputs cleared."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        meta = cell.metadata.get("nbgrader", {})
        entry = key.get(meta.get("grade_id"), {})
        if meta.get("solution") and cell.cell_type == "code":
            cell.source = f"{cell.source}\n### BEGIN SOLUTION\n{entry['solution']}\n### END SOLUTION"
        elif meta.get("solution"):
            cell.source = entry["solution"]
        elif meta.get("grade") and cell.cell_type == "code":
            cell.source = f"{cell.source}\n### BEGIN HIDDEN TESTS\n{entry['hidden_tests']}\n### END HIDDEN TESTS"
    return nb


def nbgrader_config(config: CourseConfig, built: list[BuiltLesson]) -> str:
    dates = "".join(t("editions.nbgrader_due_command", slug=b.lesson.slug, date=b.choice.due.isoformat())
                    for b in built if b.choice.due and graded_cells(b.nb)) or t("editions.nbgrader_no_dates")
    return t("editions.nbgrader_config", title=config.title, due=dates, text_stub=TEXT_STUB)


def rubrics(config: CourseConfig, built: list[BuiltLesson], keys: dict[str, dict]) -> str:
    parts = [t("editions.rubrics_title", title=config.title)]
    for item in built:
        key = keys.get(item.lesson.slug)
        if not key:
            continue
        parts.append(t("editions.rubrics_lesson", number=item.lesson.number, title=item.lesson.title,
                       slug=item.lesson.slug))
        for cell in graded_cells(item.nb):
            entry = key[cell.grade_id]
            if cell.kind == "written":
                parts.append(t("editions.rubrics_written", grade_id=cell.grade_id, points=f"{cell.points:g}",
                               solution=entry["solution"], rubric=entry["rubric"]))
            elif cell.kind == "code":
                parts.append(t("editions.rubrics_code", grade_id=cell.grade_id, solution=entry["solution"]))
    return "\n".join(parts)


def write_instructor(config: CourseConfig, built: list[BuiltLesson], keys: dict[str, dict], folder: Path) -> None:
    (folder / "nbgrader_config.py").write_text(nbgrader_config(config, built), encoding="utf-8")
    (folder / "rubrics.md").write_text(rubrics(config, built, keys), encoding="utf-8")
    for item in built:
        if item.lesson.slug in keys:
            target = folder / "source" / item.lesson.slug
            target.mkdir(parents=True)
            nbformat.write(merged(item.nb, keys[item.lesson.slug]), target / item.lesson.filename)
