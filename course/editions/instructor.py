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
from course.display.templating import render
from course.editions.config import CourseConfig
from course.editions.steps import SILENT, Steps, each
from course.editions.student import BuiltLesson, source_notebooks
from course.i18n import _


def stubbed(nb):
    """A translated lesson with its written-answer cells reading nbgrader's text stub again.

    A translator may put the stub into words ("在此作答", inside the lesson's `<div lang>`), but nbgrader
    writes its own stub back when it releases the assignment and the instructor edition replaces the cell
    by the model answer, so what the key is checked against is the cell as nbgrader knows it."""
    if nb.metadata.get("one_voice", {}).get("language") is None:
        return nb
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = TEXT_STUB
    return nb


def checked_keys(built: list[BuiltLesson]) -> dict[str, dict]:
    """Each assignment's key, by new lesson slug, after checking keys and notebooks match."""
    orphans = orphan_keys(source_notebooks())
    if orphans:
        raise AnswerKeyError(
            _(
                "{file}: this answer key has no lesson {notebooks}/<same name>.ipynb, so its grade ids "
                "belong to no notebook. Fix: rename it to match its lesson, or remove it.",
                file=orphans[0],
                notebooks=source_notebooks(),
            )
        )
    return {
        item.lesson.slug: checked_key(stubbed(item.nb), item.choice.notebook, item.choice.key)
        for item in built
        if graded_cells(item.nb)
    }


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
    due = [(b.lesson.slug, b.choice.due.isoformat()) for b in built if b.choice.due and graded_cells(b.nb)]
    return render("editions/nbgrader_config.py.j2", title=config.title, due=due, text_stub=TEXT_STUB)


def rubrics(config: CourseConfig, built: list[BuiltLesson], keys: dict[str, dict]) -> str:
    lessons = [
        (item.lesson, [(cell, keys[item.lesson.slug][cell.grade_id]) for cell in graded_cells(item.nb)])
        for item in built
        if keys.get(item.lesson.slug)
    ]
    return render("editions/rubrics.md.j2", title=config.title, lessons=lessons)


def write_instructor(
    config: CourseConfig, built: list[BuiltLesson], keys: dict[str, dict], folder: Path, steps: Steps = SILENT
) -> None:
    (folder / "nbgrader_config.py").write_text(nbgrader_config(config, built), encoding="utf-8")
    (folder / "rubrics.md").write_text(rubrics(config, built, keys), encoding="utf-8")
    for item in each(built, steps):
        if item.lesson.slug in keys:
            target = folder / "source" / item.lesson.slug
            target.mkdir(parents=True)
            nbformat.write(merged(item.nb, keys[item.lesson.slug]), target / item.lesson.filename)
