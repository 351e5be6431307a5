"""JSON Schemas of the course's hand-edited files, and one clear message when a file breaks one.

The schemas ship here as `<name>.schema.json` (draft-07): `selfcheck-bank` (a lesson's
self-check questions), `answer-key` (a lesson's nbgrader answer key) and `progress` (a student's
saved self-check answers). `validate(instance, schema, file)` raises `InvalidFile` with ONE
message that names the file, the place as a JSON path (`[3].answer`, `attempts[0].correct`), the
value and the fix, chosen with `jsonschema.exceptions.best_match`. Any room can use it with its
own schema: pass a name from this folder, a path to a schema file, or the schema itself.

A valid file is confirmed by `fastjsonschema` (installed with nbformat), which imports in
milliseconds; `jsonschema` is imported only to explain a failure. Importing jsonschema costs a
lesson kernel several seconds and about 27 MB (its format checkers build grammars at import), too
much for every `self_check(...)` cell. Draft-07 is the newest draft both libraries implement.

A schema may say how to fix a failure of one of its subschemas with an `"x-fix"` annotation: a
sentence, or an object mapping a keyword (`"type"`, `"pattern"`, ...) to a sentence. Fixes are
English source messages, translated with `_()` when shown; `extract_fixes` lets `pybabel extract`
collect them (see babel.cfg). Without one, a general fix for the failed keyword is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from course.i18n import N_, _, ngettext

SCHEMA_DIR = Path(__file__).resolve().parent
_MISSING = object()

# Names of JSON types as an author reads them; translated when shown.
TYPE_NAMES = {
    "string": N_("text in quotation marks"),
    "array": N_("a list in square brackets"),
    "object": N_("an object in curly brackets"),
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "boolean": N_("true or false"),
    "null": N_("null"),
}


class InvalidFile(ValueError):
    """A file that breaks its schema (or a check after it): the file, the JSON path, the problem, the fix."""

    def __init__(self, file: Path | str, problem: str, fix: str, key: str | None = None, value: Any = _MISSING):
        self.file, self.problem, self.fix, self.key = str(file), problem, fix, key
        self.value = None if value is _MISSING else value
        super().__init__(self.message())

    def located(self) -> str:
        """The file, the place and the problem, without the fix."""
        if self.key:
            return _("{file}, key {key}: {problem}", file=self.file, key=self.key, problem=self.problem)
        return _("{file}: {problem}", file=self.file, problem=self.problem)

    def message(self) -> str:
        return _("{place} Fix: {fix}", place=self.located(), fix=self.fix)


def json_path(parts) -> str:
    """`[3].answer`, `attempts[0].correct`, `["odd key"].x`: the place in a JSON document, as an author reads it."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def shown(value: Any, limit: int = 60) -> str:
    """A value as it is written in the JSON file, cut short if long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cache
def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def schema_path(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.schema.json"


def load_schema(schema: str | Path | Mapping) -> Mapping:
    """A schema given by name (a file in this folder), by path, or as itself."""
    if isinstance(schema, Mapping):
        return schema
    return _load(Path(schema) if isinstance(schema, Path) else schema_path(schema))


@cache
def _validator(path: Path):
    from jsonschema import Draft7Validator

    schema = _load(path)
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def validator(schema: str | Path | Mapping):
    """The jsonschema validator (draft-07) that explains what is wrong."""
    from jsonschema import Draft7Validator

    if isinstance(schema, Mapping):
        return Draft7Validator(schema)
    return _validator(Path(schema) if isinstance(schema, Path) else schema_path(schema))


def validate(instance: Any, schema: str | Path | Mapping, file: Path | str) -> None:
    """Raise `InvalidFile` with one message (the best match among the schema's errors) if `instance` breaks `schema`.

    `schema` is a name in this folder ("selfcheck-bank"), a path to a schema file, or the schema itself;
    `file` is the path to name in the message. Catch `InvalidFile` to re-raise as your own error class
    with its parts (`file`, `key`, `value`, `problem`, `fix`; `located()` is the message without the fix).
    """
    if _quickly_valid(instance, schema):
        return
    from jsonschema.exceptions import best_match

    error = best_match(validator(schema).iter_errors(instance))
    if error is not None:
        raise invalid_file(error, file) from None


def _quickly_valid(instance: Any, schema: str | Path | Mapping) -> bool:
    """True if fastjsonschema accepts `instance`; False if it rejects it (or is not installed): then ask jsonschema."""
    try:
        import fastjsonschema
    except ImportError:
        return False
    if isinstance(schema, Mapping):
        check = _compiled_text(json.dumps(schema, sort_keys=True))
    else:
        check = _compiled_file(Path(schema) if isinstance(schema, Path) else schema_path(schema))
    try:
        check(instance)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@cache
def _compiled_file(path: Path):
    import fastjsonschema

    return fastjsonschema.compile(_load(path))


@lru_cache(maxsize=16)
def _compiled_text(schema_text: str):
    import fastjsonschema

    return fastjsonschema.compile(json.loads(schema_text))


def invalid_file(error, file: Path | str) -> InvalidFile:
    """The `InvalidFile` (file, JSON path, value, problem, fix) that explains a jsonschema `ValidationError`."""
    keyword, limit, value, path = error.validator, error.validator_value, error.instance, list(error.absolute_path)
    subschema = error.schema if isinstance(error.schema, Mapping) else {}
    in_names = "propertyNames" in error.absolute_schema_path
    if keyword == "required":
        name = next((n for n in limit if isinstance(value, dict) and n not in value), limit[0])
        problem = _('the key "{name}" is missing.', name=name)
        fix = _("add it: this entry needs the keys {keys}.", keys=", ".join(limit))
        return InvalidFile(file, problem, _fix(subschema, keyword) or fix, json_path([*path, name]))
    if in_names or keyword in ("additionalProperties", "unevaluatedProperties"):
        names = [value] if in_names else _extra_keys(value, error.schema)
        allowed = limit if in_names and keyword == "enum" else list(subschema.get("properties", {}))
        name = names[0] if names else "?"
        problem = (
            _('the key "{name}" does not have the right form.', name=name)
            if in_names and keyword != "enum"
            else _('the key "{name}" is not known here (a typo?).', name=name)
        )
        fix = (
            _("use only these keys here: {keys}.", keys=", ".join(allowed))
            if allowed
            else _("rename the key, or remove it.")
        )
        fix = _fix(subschema, keyword) or fix
        return InvalidFile(file, problem, fix, json_path([*path, name]), name)
    key = json_path(path) or None
    given = shown(value)
    if keyword == "type":
        wanted = [limit] if isinstance(limit, str) else list(limit)
        expected = _(TYPE_NAMES.get(wanted[0], wanted[0]))
        problem = _("the value {value} is not {expected}.", value=given, expected=expected)
        fix = _("write {expected} here.", expected=expected)
    elif keyword in ("enum", "const"):
        options = limit if keyword == "enum" else [limit]
        problem = _("the value {value} is not allowed here.", value=given)
        fix = _("use one of: {values}.", values=", ".join(str(o) for o in options))
    elif keyword == "minItems":
        problem = ngettext("the list needs at least {n} entry.", "the list needs at least {n} entries.", limit)
        fix = ngettext("add entries until there is at least {n}.", "add entries until there are at least {n}.", limit)
    elif keyword == "maxItems":
        problem = ngettext("the list may have at most {n} entry.", "the list may have at most {n} entries.", limit)
        fix = _("remove the extra entries.")
    elif keyword == "uniqueItems":
        problem = _("the list {value} has the same entry twice (no repeats).", value=given)
        fix = _("write each entry once.")
    elif keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        problem = {
            "minimum": _("the value {value} is less than {limit}, the smallest allowed.", value=given, limit=limit),
            "exclusiveMinimum": _("the value {value} is not more than {limit}.", value=given, limit=limit),
            "maximum": _("the value {value} is more than {limit}, the largest allowed.", value=given, limit=limit),
            "exclusiveMaximum": _("the value {value} is not less than {limit}.", value=given, limit=limit),
        }[keyword]
        fix = _("use a value within the allowed range.")
    elif keyword in ("pattern", "minLength", "maxLength", "format"):
        problem = _("the value {value} does not have the right form.", value=given)
        fix = _("write it in the form the schema asks for ({keyword} {limit}).", keyword=keyword, limit=limit)
    else:  # a keyword this helper has no sentence for: jsonschema's own (English) message
        problem = error.message
        fix = _("compare the file with its schema and correct this value.")
    return InvalidFile(file, problem, _fix(subschema, keyword) or fix, key, value)


def _fix(subschema: Mapping, keyword: str) -> str | None:
    """The schema's own `x-fix` for this keyword, translated; None if it has none."""
    fix = subschema.get("x-fix") if isinstance(subschema, Mapping) else None
    if isinstance(fix, Mapping):
        fix = fix.get(keyword)
    return _(fix) if isinstance(fix, str) else None


def _extra_keys(instance: Any, schema: Mapping) -> list[str]:
    if not isinstance(instance, dict):
        return []
    known = set(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]


# --- message extraction --------------------------------------------------------------------------


def fixes(schema: Any) -> Iterator[str]:
    """Every `x-fix` sentence in a schema."""
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            if key == "x-fix":
                yield from ([value] if isinstance(value, str) else value.values())
            else:
                yield from fixes(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from fixes(value)


def extract_fixes(fileobj, keywords, comment_tags, options):
    """A Babel extractor (babel.cfg `[extractors]`): the `x-fix` sentences of a schema file are messages."""
    schema = json.loads(fileobj.read().decode("utf-8"))
    for message in dict.fromkeys(fixes(schema)):
        yield 0, "_", message, []
