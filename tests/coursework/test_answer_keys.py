"""Answer key files: the schema's one clear message for a damaged key, and the points label of a graded cell.

The key-against-notebook checks (`checked_key`) and the instructor build are tested in tests/test_editions.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.coursework import schemas
from course.coursework.answer_keys import (
    FIELDS,
    SCHEMA,
    AnswerKeyError,
    AnswerKeyFileError,
    keys_dir,
    load_key,
    points_label,
)


def write(tmp_path: Path, content) -> Path:
    path = tmp_path / "lesson.key.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_every_shipped_key_passes_its_schema():
    keys = sorted(keys_dir().glob("*.json"))
    assert len(keys) >= 9
    for path in keys:
        assert load_key(path), path  # validates, and no key is empty
    assert FIELDS == ("solution", "hidden_tests", "rubric")


def test_a_missing_key_file_is_an_empty_key(tmp_path):
    assert load_key(tmp_path / "none.json") == {}


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"ex01-1": {"solution": "x = 1",}}',
            ": the answer key is not valid JSON (Expecting property name enclosed in double quotes: line 1 column 33 "
            "(char 32)). Fix: correct the JSON syntax.",
        ),
        (
            [{"solution": "x"}],
            ': the value [{"solution": "x"}] is not an object in curly brackets. Fix: write the key as an object mapping each '
            'grade id to an object, e.g. {"ex00-1-days": {"solution": "..."}}, like course/coursework/keys/00-start-here.json.',
        ),
        (
            {"ex01-1": "x = 1"},
            ', key ex01-1: the value "x = 1" is not an object in curly brackets. Fix: write the entry as an object, e.g. '
            '{"solution": "..."}.',
        ),
        (
            {"ex01-1": {"soluton": "x = 1"}},
            ', key ex01-1.soluton: the key "soluton" is not known here (a typo?). Fix: use only these keys here: solution, '
            "hidden_tests, rubric.",
        ),
        (
            {"ex01-1": {"hidden_tests": ["assert x == 1"]}},
            ', key ex01-1.hidden_tests: the value ["assert x == 1"] is not text in quotation marks. Fix: write the hidden '
            "tests as Python code in one text between quotation marks.",
        ),
        (
            {"ex 01.1": {"solution": "x"}},
            ', key ["ex 01.1"]: the key "ex 01.1" does not have the right form. Fix: use the grade id exactly as the '
            "notebook's nbgrader cell has it (letters, digits, hyphens).",
        ),
    ],
    ids=["not-json", "not-an-object", "entry-not-an-object", "unknown-field", "field-not-text", "bad-grade-id"],
)
def test_a_damaged_key_gives_one_message_with_file_place_value_and_fix(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(AnswerKeyFileError) as caught:
        load_key(path)
    assert str(caught.value) == f"{path}{message}"
    assert isinstance(caught.value, AnswerKeyError), "the editions catch AnswerKeyError"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_the_schema_is_the_one_load_key_uses(tmp_path):
    """Control: the same damaged key breaks the shipped schema directly, with the same message."""
    bad = {"ex01-1": {"soluton": "x"}}
    with pytest.raises(schemas.InvalidFile) as direct:
        schemas.validate(bad, SCHEMA, "k.json")
    with pytest.raises(AnswerKeyFileError) as loaded:
        load_key(write(tmp_path, bad))
    assert str(loaded.value).endswith(str(direct.value).removeprefix("k.json"))


@pytest.mark.parametrize(
    "points, label",
    [(1, "1 point"), (1.0, "1 point"), (2, "2 points"), (0, "0 points"), (1.5, "1.5 points"), (10, "10 points")],
)
def test_points_label_uses_the_plural_rules(points, label):
    assert points_label(points) == label


def test_every_name_a_hidden_test_imports_exists():
    """Hidden tests run only at grading time: a name moved in the package must fail here, not in the gradebook."""
    import ast
    import importlib
    import json

    from course.coursework.answer_keys import keys_dir

    checked = 0
    for path in sorted(keys_dir().glob("*.json")):
        for grade_id, entry in json.loads(path.read_text(encoding="utf-8")).items():
            for node in ast.walk(ast.parse(entry.get("hidden_tests", ""))):
                if isinstance(node, ast.ImportFrom):
                    module = importlib.import_module(node.module)
                    for alias in node.names:
                        assert hasattr(module, alias.name) or importlib.util.find_spec(f"{node.module}.{alias.name}"), (
                            f"{path.name} {grade_id}: {node.module} has no {alias.name}"
                        )
                        checked += 1
    assert checked >= 5
