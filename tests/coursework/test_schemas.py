"""The schema helper any room uses: one message naming the file, the JSON path, the value and the fix."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft7Validator

from course.coursework import schemas
from course.settings import ROOT_DIR

SHIPPED = ("selfcheck-bank", "answer-key", "progress")


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_schemas_are_valid_draft_07(name):
    schema = schemas.load_schema(name)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$id" not in json.dumps(schema), "no base URI: nothing may ever be resolved from the web"
    assert schemas.schema_path(name).parent == ROOT_DIR / "course" / "coursework" / "schemas"


@pytest.mark.parametrize(
    "parts, path",
    [
        ([], ""),
        ([3, "answer"], "[3].answer"),
        (["attempts", 0, "correct"], "attempts[0].correct"),
        (["ex08-1-order", "solution"], "ex08-1-order.solution"),
        (["odd key", "x"], '["odd key"].x'),
        (["lessons", 2, "due date"], 'lessons[2]["due date"]'),
    ],
)
def test_json_paths_read_as_an_author_writes_them(parts, path):
    assert schemas.json_path(parts) == path


PERSON = {
    "type": "object",
    "required": ["name", "born"],
    "properties": {
        "name": {"type": "string", "x-fix": "write the name in quotation marks."},
        "born": {"type": "integer", "minimum": 1800},
        "role": {"enum": ["leader", "envoy"]},
        "aliases": {"type": "array", "uniqueItems": True, "maxItems": 2},
    },
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    "instance, message",
    [
        (
            {"born": 1893},
            'people.json, key name: the key "name" is missing. Fix: add it: this entry needs the keys name, born.',
        ),
        (
            {"name": 7, "born": 1893},
            "people.json, key name: the value 7 is not text in quotation marks. "
            "Fix: write the name in quotation marks.",
        ),
        (
            {"name": "Mao", "born": 1700},
            "people.json, key born: the value 1700 is less than 1800, the smallest allowed. "
            "Fix: use a value within the allowed range.",
        ),
        (
            {"name": "Mao", "born": "1893"},
            'people.json, key born: the value "1893" is not a whole number. Fix: write a whole number here.',
        ),
        (
            {"name": "Mao", "born": 1893, "role": "king"},
            'people.json, key role: the value "king" is not allowed here. Fix: use one of: leader, envoy.',
        ),
        (
            {"name": "Mao", "born": 1893, "aliases": ["a", "a"]},
            'people.json, key aliases: the list ["a", "a"] has the same entry twice (no repeats). Fix: write each entry once.',
        ),
        (
            {"name": "Mao", "born": 1893, "aliases": ["a", "b", "c"]},
            "people.json, key aliases: the list may have at most 2 entries. Fix: remove the extra entries.",
        ),
        (
            {"name": "Mao", "born": 1893, "bron": 1},
            'people.json, key bron: the key "bron" is not known here (a typo?). '
            "Fix: use only these keys here: name, born, role, aliases.",
        ),
        (
            [],
            "people.json: the value [] is not an object in curly brackets. Fix: write an object in curly brackets here.",
        ),
    ],
)
def test_each_failure_gives_one_message_with_place_value_and_fix(instance, message):
    with pytest.raises(schemas.InvalidFile) as caught:
        schemas.validate(instance, PERSON, "people.json")
    assert str(caught.value) == message
    assert "\n" not in message


def test_the_error_carries_its_parts_for_callers_that_add_context():
    with pytest.raises(schemas.InvalidFile) as caught:
        schemas.validate({"name": "Mao", "born": 1893, "role": "king"}, PERSON, "people.json")
    error = caught.value
    assert (error.file, error.key, error.value) == ("people.json", "role", "king")
    assert error.located() == 'people.json, key role: the value "king" is not allowed here.'
    assert error.fix == "use one of: leader, envoy."


def test_of_several_failures_the_one_highest_in_the_file_is_reported():
    """best_match: a missing key of the object beats a bad value deeper inside it."""
    with pytest.raises(schemas.InvalidFile) as caught:
        schemas.validate({"name": 7}, PERSON, "people.json")
    assert caught.value.key == "born" and "missing" in caught.value.problem


def test_a_valid_instance_passes_and_a_schema_file_may_be_given_by_path(tmp_path):
    schemas.validate({"name": "Mao", "born": 1893}, PERSON, "people.json")
    path = tmp_path / "person.schema.json"
    path.write_text(json.dumps(PERSON), encoding="utf-8")
    with pytest.raises(schemas.InvalidFile, match="key born: the value 1700 is less than 1800"):
        schemas.validate({"name": "Mao", "born": 1700}, path, "people.json")


def test_a_fix_may_be_given_per_keyword():
    schema = {
        "type": "string",
        "pattern": "^[a-z]+$",
        "x-fix": {"pattern": "use lower-case letters only.", "type": "write it in quotation marks."},
    }
    with pytest.raises(schemas.InvalidFile, match=r'the value "A1" does not have the right form\. Fix: use lower-case'):
        schemas.validate("A1", schema, "f.json")
    with pytest.raises(schemas.InvalidFile, match=r"Fix: write it in quotation marks\.$"):
        schemas.validate(1, schema, "f.json")


def test_long_values_are_cut_short():
    with pytest.raises(schemas.InvalidFile) as caught:
        schemas.validate({"name": "x" * 500, "born": 1893, "role": "y" * 500}, PERSON, "people.json")
    assert len(str(caught.value)) < 200 and "…" in str(caught.value)


def test_every_fix_in_the_shipped_schemas_is_extracted_for_translation():
    """babel.cfg runs `extract_fixes` over the schemas, so the x-fix sentences reach the catalogue."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT_DIR / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT_DIR), method_map, options_map)
    }
    wanted = {fix for name in SHIPPED for fix in schemas.fixes(schemas.load_schema(name))}
    assert len(wanted) >= 10
    assert wanted <= found, sorted(wanted - found)
    assert "the list needs at least {n} entry." in {m[0] if isinstance(m, tuple) else m for m in found}


def test_a_valid_file_is_confirmed_without_importing_jsonschema():
    """jsonschema costs a kernel seconds and ~27 MB at import; a lesson whose files are valid never pays it."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom course.coursework import selfchecks, progress, answer_keys\n"
        "selfchecks.load_all()\nanswer_keys.load_key(answer_keys.bundled_key('08-one-voice-different-intentions'))\n"
        "print('jsonschema' in sys.modules)\n"
        "selfchecks.schemas.validate([], 'progress', 'p.json')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout.strip() == "False", result.stderr
    assert "p.json: the value [] is not an object in curly brackets." in result.stderr  # then it explains


def test_jsonschema_has_the_last_word(monkeypatch):
    """If the fast check ever rejects what jsonschema accepts, the file is valid (no empty message)."""
    monkeypatch.setattr(schemas, "_quickly_valid", lambda instance, schema: False)
    schemas.validate({"name": "Mao", "born": 1893}, PERSON, "people.json")
    with pytest.raises(schemas.InvalidFile, match="key born"):
        schemas.validate({"name": "Mao", "born": 1700}, PERSON, "people.json")
