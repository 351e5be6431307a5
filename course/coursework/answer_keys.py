"""Answer keys (`course/coursework/keys/<lesson>.json`) checked against the nbgrader cells of their lessons.

The keys live outside the notebooks so that the student edition can never leak an answer; the
instructor edition merges them back. A key and its notebook must match exactly, or the merge would
silently grade against nothing, so every mismatch stops the build with the file, id and fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from course.i18n import t

TEXT_STUB = "YOUR ANSWER HERE"
FIELDS = ("solution", "hidden_tests", "rubric")


class AnswerKeyError(ValueError):
    """A key and its notebook disagree; the message names the file, the grade id and the fix."""


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
        raise AnswerKeyError(t("editions.key_not_json", file=path, detail=error)) from None
    if not isinstance(key, dict) or not all(isinstance(v, dict) for v in key.values()):
        raise AnswerKeyError(t("editions.key_wrong_shape", file=path))
    return key


def checked_key(nb, notebook: Path, key_file: Path) -> dict[str, dict[str, str]]:
    """The lesson's key, after checking that it and the notebook's nbgrader cells match one to one."""
    key = load_key(key_file)
    cells = {cell.grade_id: cell for cell in graded_cells(nb)}
    for grade_id, entry in key.items():
        if grade_id not in cells:
            raise AnswerKeyError(t("editions.key_unknown_id", file=key_file, grade_id=grade_id, notebook=notebook,
                                   ids=", ".join(cells) or "-"))
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise AnswerKeyError(t("editions.key_unknown_field", file=key_file, grade_id=grade_id,
                                   field=unknown[0], allowed=", ".join(FIELDS)))
    for grade_id, cell in cells.items():
        entry = key.get(grade_id)
        for field in cell.required:
            if entry is None or not isinstance(entry.get(field), str) or not entry[field].strip():
                raise AnswerKeyError(t("editions.key_missing", notebook=notebook, grade_id=grade_id, file=key_file,
                                       kind=t(f"editions.kind_{cell.kind}"), field=field))
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "markdown" and cell.source.strip() != TEXT_STUB:
            raise AnswerKeyError(t("editions.written_not_stub", notebook=notebook, grade_id=meta["grade_id"],
                                   stub=TEXT_STUB))
    return key


def orphan_keys(notebooks: Path) -> list[Path]:
    """Bundled key files whose lesson notebook does not exist."""
    return [path for path in sorted(keys_dir().glob("*.json")) if not (notebooks / f"{path.stem}.ipynb").exists()]
