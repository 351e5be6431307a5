"""JSON Schema validation that ends in one problem: where it is (the key as the author wrote it) and what it is.

The schemas live in `course/editions/schemas/`. Each subschema carries a `title` naming the kind of
value it describes ("switch", "date", "lesson entry"...); the caller turns (kind, validator) into a
sentence in the reader's language, so the schema file holds no English for the student or instructor.

Written for `course.yml`; the coursework room has the same need (self-check banks, answer keys,
progress file) in `course/coursework/schemas/`: the two helpers are meant to become one after merging.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from course.i18n import N_, _

SCHEMAS = Path(__file__).resolve().parent / "schemas"
TOP_LEVEL = N_("(top level)")


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """The validator for `schemas/<name>.schema.json`, with format checks (a date must be a real date)."""
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def as_json(value: Any) -> Any:
    """A YAML document as JSON would hold it: dates as YYYY-MM-DD text (a date with a time is not a date),
    mapping keys as text."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(item) for item in value]
    return value


@dataclass(frozen=True)
class Problem:
    """The first thing wrong with a document."""

    kind: str  # the `title` of the subschema that failed ("switch", "lessons", ...)
    validator: str  # the JSON Schema keyword that failed ("type", "pattern", "additionalProperties", ...)
    path: tuple[str | int, ...]  # where the offending value is; for an unknown key, that key
    allowed_keys: tuple[str, ...] = ()  # for an unknown key: the keys allowed there

    @property
    def key(self) -> str:
        return key_name(self.path)


def key_name(path: tuple[str | int, ...]) -> str:
    """`("lessons", 0, "points", "ex1")` -> `lessons[0].points.ex1`; the root is "(top level)"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _(TOP_LEVEL)


def value_at(document: Any, path: tuple[str | int, ...]) -> Any:
    """The value at `path` in the document as it was read (before `as_json`), so it can be shown as written."""
    for part in path:
        if isinstance(document, dict):
            document = next((value for key, value in document.items() if str(key) == part), None)
        elif isinstance(document, list) and isinstance(part, int) and part < len(document):
            document = document[part]
        else:
            return None
    return document


def first_problem(schema: str, document: Any) -> Problem | None:
    """The most relevant error of `document` (already `as_json`) against the named schema, or None."""
    error = best_match(validator(schema).iter_errors(document))
    if error is None:
        return None
    path = tuple(error.absolute_path)
    kind = error.schema.get("title", "") if isinstance(error.schema, dict) else ""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = tuple(error.schema.get("properties", {}))
        extra = next(key for key in error.instance if key not in known)
        return Problem(kind, "additionalProperties", path + (extra,), known)
    return Problem(kind, str(error.validator), path)
