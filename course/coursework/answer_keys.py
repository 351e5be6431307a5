"""Answer keys (`course/coursework/keys/<lesson>.json`) checked against the nbgrader cells of their lessons.

The keys live outside the notebooks so that the student edition can never leak an answer; the
instructor edition merges them back. A key and its notebook must match exactly, or the merge would
silently grade against nothing, so every mismatch stops the build with the file, id and fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from course.coursework import catalogue, schemas
from course.i18n import N_, _, ngettext

TEXT_STUB = "YOUR ANSWER HERE"
SCHEMA = "answer-key"  # course/coursework/schemas/answer-key.schema.json: the form of a key file
FIELDS = tuple(schemas.load_schema(SCHEMA)["additionalProperties"]["properties"])
KIND_NAMES = {"written": N_("written-answer"), "code": N_("autograded answer"), "test": N_("autograder test")}


class AnswerKeyError(ValueError):
    """A key and its notebook disagree; the message names the file, the grade id and the fix."""


class AnswerKeyFileError(AnswerKeyError, schemas.InvalidFile):
    """A key file that is not valid JSON or breaks the answer-key schema: the file, the JSON path, the problem, the fix."""


@dataclass(frozen=True)
class GradedCell:
    """One nbgrader cell of a lesson, as the key must describe it."""

    grade_id: str
    kind: str  # "written" (markdown answer), "code" (autograded answer) or "test"
    points: float

    @property
    def required(self) -> tuple[str, ...]:
        return {"written": ("solution", "rubric"), "code": ("solution",), "test": ("hidden_tests",)}[self.kind]


def keys_dir() -> Path:
    return Path(__file__).resolve().parent / "keys"


def bundled_key(slug: str) -> Path:
    """A collection lesson's key; an instructor's extra lesson keeps its key in <name>.key.json beside it."""
    return keys_dir() / f"{slug}.json"


def graded_cells(nb) -> list[GradedCell]:
    """The cells a key must cover: answers (solution cells) and autograder tests (graded code cells)."""
    found = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            kind = "code" if cell.cell_type == "code" else "written"
        elif meta.get("grade") and cell.cell_type == "code":
            kind = "test"
        else:
            continue
        found.append(GradedCell(meta["grade_id"], kind, meta.get("points", 0)))
    return found


def load_key(path: Path) -> dict[str, dict[str, str]]:
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as error:
        raise AnswerKeyFileError(
            path, _("the answer key is not valid JSON ({detail}).", detail=error), _("correct the JSON syntax.")
        ) from None
    try:
        schemas.validate(key, SCHEMA, path)
    except schemas.InvalidFile as error:
        raise AnswerKeyFileError(error.file, error.problem, error.fix, error.key, error.value) from None
    return catalogue.key(path.stem, key)  # model answers and rubrics in the instructor's language


def checked_key(nb, notebook: Path, key_file: Path) -> dict[str, dict[str, str]]:
    """The lesson's key, after checking that it and the notebook's nbgrader cells match one to one."""
    key = load_key(key_file)
    cells = {cell.grade_id: cell for cell in graded_cells(nb)}
    for grade_id in key:
        if grade_id not in cells:
            raise AnswerKeyError(
                _(
                    '{file}: the answer key has an entry for grade id "{grade_id}", but {notebook} has no '
                    "nbgrader cell with that id (its ids: {ids}). Fix: correct the id, or remove the "
                    "entry if the exercise was removed.",
                    file=key_file,
                    grade_id=grade_id,
                    notebook=notebook,
                    ids=", ".join(cells) or "-",
                )
            )
    for grade_id, cell in cells.items():
        entry = key.get(grade_id)
        for field in cell.required:
            if entry is None or not isinstance(entry.get(field), str) or not entry[field].strip():
                raise AnswerKeyError(
                    _(
                        '{notebook}: the {kind} cell "{grade_id}" has no "{field}" in {file}. Fix: add '
                        '"{grade_id}": {{"{field}": "..."}} to {file} (solution cells need "solution", '
                        'written answers also "rubric", autograder test cells "hidden_tests").',
                        notebook=notebook,
                        grade_id=grade_id,
                        file=key_file,
                        kind=_(KIND_NAMES[cell.kind]),
                        field=field,
                    )
                )
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "markdown" and cell.source.strip() != TEXT_STUB:
            raise AnswerKeyError(
                _(
                    '{notebook}: the written-answer cell "{grade_id}" must read exactly "{stub}" in the '
                    "student notebook (nbgrader puts that text back when it releases the assignment). "
                    "Fix: set the cell's text to {stub} and put the model answer in the key's "
                    '"solution".',
                    notebook=notebook,
                    grade_id=meta["grade_id"],
                    stub=TEXT_STUB,
                )
            )
    return key


def points_label(points: float) -> str:
    """'1 point', '2 points', '1.5 points' in the student's language (for the editions' exercise headings)."""
    count = int(points) if float(points).is_integer() else 2  # a fraction takes the plural form
    return ngettext("{points} point", "{points} points", count, points=format(points, "g"))


def orphan_keys(notebooks: Path) -> list[Path]:
    """Bundled key files whose lesson notebook does not exist."""
    return [path for path in sorted(keys_dir().glob("*.json")) if not (notebooks / f"{path.stem}.ipynb").exists()]
