"""Edits that turn a collection lesson into lesson NN of an instructor's course (pure: notebook in, notebook out).

Lessons follow one anatomy (GUIDE §4): a title cell with navigation, numbered `## N.` sections,
self-checks as one-line `self_check("...")` cells in their own section, exercises in theirs. The
edits rely on that anatomy rather than on cell positions, so they work for lessons written later.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Mapping

from course.catalog import Lesson
from course.i18n import t

SECTION = re.compile(r"^## ")
NUMBERED_HEADING = re.compile(r"^## \d+\. ", re.M)
NAV_LINE = re.compile(r"^.*\]\(\.\./README\.md\).*$", re.M)
TITLE_NUMBER = re.compile(r"^(# \S+ )\d{2}( · )")
SELFCHECK = re.compile(r"""^\s*self_check\((["']).+?\1\)\s*$""")
POINTS = re.compile(r"\((\d+(?:\.\d+)?) points?")


def is_selfcheck(cell) -> bool:
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return cell.cell_type == "code" and bool(lines) and all(SELFCHECK.match(line) for line in lines)


def is_exercise(cell) -> bool:
    return "nbgrader" in cell.metadata


def drop(nb, unwanted: Callable) -> None:
    """Remove the unwanted cells; a `## ` section whose code is all unwanted goes with its prose."""
    starts = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown" and SECTION.match(cell.source)]
    bounds = list(zip(starts, starts[1:] + [len(nb.cells)]))
    gone = {i for i, cell in enumerate(nb.cells) if unwanted(cell)}
    for start, end in bounds:
        span = range(start, end)
        code = [i for i in span if nb.cells[i].cell_type == "code"]
        if gone & set(span) and all(i in gone for i in code):
            gone.update(span)
    nb.cells = [cell for i, cell in enumerate(nb.cells) if i not in gone]


def renumber_sections(nb) -> None:
    """Number the `## N.` headings 1, 2, 3... again after sections were dropped."""
    counter = iter(range(1, len(nb.cells) + 1))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = NUMBERED_HEADING.sub(lambda _: f"## {next(counter)}. ", cell.source)


def renumber(nb, lesson: Lesson) -> None:
    """Give the lesson its new number and slug: metadata, title cell and exercise numbers."""
    meta = nb.metadata["one_voice"]
    old = meta.get("number")
    meta.update(slug=lesson.slug, number=lesson.number)
    title = nb.cells[0]
    title.source = TITLE_NUMBER.sub(rf"\g<1>{lesson.number}\g<2>", title.source, count=1)
    if old and old != lesson.number:
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = cell.source.replace(f"Exercise {old}.", f"Exercise {lesson.number}.")


def navigation(previous: Lesson | None, following: Lesson | None) -> str:
    parts = [t("editions.nav_previous", number=previous.number, title=previous.title, file=previous.filename)
             if previous else None, t("editions.nav_contents"),
             t("editions.nav_next", number=following.number, title=following.title, file=following.filename)
             if following else None]
    return " · ".join(part for part in parts if part)


def set_navigation(nb, previous: Lesson | None, following: Lesson | None) -> None:
    line = navigation(previous, following)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = NAV_LINE.sub(lambda _: line, cell.source)


def set_points(nb, points: Mapping[str, float]) -> None:
    """New points for graded cells, and the same number in the exercise's prompt."""
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in points:
            continue
        cell.metadata["nbgrader"]["points"] = points[grade_id]
        prompt = next((c for c in reversed(nb.cells[:index]) if c.cell_type == "markdown" and "nbgrader" not in c.metadata), None)
        if prompt is not None:
            label = t("editions.points_one" if points[grade_id] == 1 else "editions.points_many", points=f"{points[grade_id]:g}")
            prompt.source = POINTS.sub(f"({label}", prompt.source, count=1)


def add_due_date(nb, due: dt.date) -> None:
    """Show the due date in the title cell, just above its navigation line."""
    title = nb.cells[0]
    line = t("editions.due_line", date=f"{due.day} {due:%B %Y}")
    lines = title.source.split("\n")
    at = next((i for i, text in enumerate(lines) if NAV_LINE.match(text)), len(lines))
    title.source = "\n".join(lines[:at] + [line, ""] + lines[at:])
