"""course.yml: every mistake stops the build with one message (file, key, value, allowed values) and writes
nothing, whether the JSON Schema (course/editions/schemas/course.schema.json) or a later check finds it; the
documented configs load; the example two-week unit builds, renumbers and runs under nbval."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from course.editions.build import build
from course.editions.config import ConfigError, load_config
from course.settings import ROOT_DIR

EXAMPLE = ROOT_DIR / "examples" / "course.yml"
EXTRA = ROOT_DIR / "examples" / "extra" / "local-archives.ipynb"


def write_config(folder: Path, text: str) -> Path:
    path = folder / "course.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def outside_notebook(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "local-archives.ipynb"
    target.write_bytes(EXTRA.read_bytes())
    return target


BAD = {
    "unknown slug": ("lessons: [start-here, no-such-lesson]", "lessons[1]", "no-such-lesson", "balance-of-forces"),
    "duplicate": ("lessons: [start-here, 00-start-here]", "lessons[1]", "start-here", "each lesson once"),
    "missing file": ("extra_lessons: [extra/missing.ipynb]", "extra_lessons[0]", "extra/missing.ipynb", ".ipynb"),
    "dot-dot path": (
        "extra_lessons: [../outside/local-archives.ipynb]",
        "extra_lessons[0]",
        "../outside/local-archives.ipynb",
        "inside it",
    ),
    "symlink out": ("extra_lessons: [link.ipynb]", "extra_lessons[0]", "link.ipynb", "inside it"),
    "bad yaml": ("lessons: [start-here\ntitle: x\n", "line ", "-", "YAML mapping"),
    "switch type": ("exercises: maybe", "exercises", "maybe", "on, off"),
    "strict type": ("strict: always", "strict", "always", "on, off"),
    "left-out references value": ("left_out_references: hide", "left_out_references", "hide", "warn, quiet"),
    "list type": ("lessons: start-here", "lessons", "start-here", "balance-of-forces"),
    "text type": ("title: 42", "title", "42", "non-empty text"),
    "unknown key": ("titel: My course", "titel", "My course", "title, introduction, lessons"),
    "unknown lesson key": (
        "lessons: [{slug: start-here, excercises: off}]",
        "lessons[0].excercises",
        "off",
        "slug, exercises, selfchecks, points, due",
    ),
    "unknown grade id": (
        "lessons: [{slug: balance-of-forces, points: {ex99-nothing: 2}}]",
        "lessons[0].points.ex99-nothing",
        "ex99-nothing",
        "ex01-3-seven-to-six",
    ),
    "bad points": (
        "lessons: [{slug: balance-of-forces, points: {ex01-3-seven-to-six: lots}}]",
        "lessons[0].points.ex01-3-seven-to-six",
        "lots",
        "a number of 0 or more",
    ),
    "bad date": ("lessons: [{slug: start-here, due: next week}]", "lessons[0].due", "next week", "YYYY-MM-DD"),
    "two due dates": (
        "lessons: [{slug: start-here, due: 2026-03-02}]\ndue_dates: {start-here: 2026-03-03}",
        "due_dates.start-here",
        "2026-03-03",
        "each lesson once",
    ),
    "due for a dropped lesson": (
        "lessons: [start-here]\ndue_dates: {balance-of-forces: 2026-03-03}",
        "due_dates.balance-of-forces",
        "balance-of-forces",
        "start-here",
    ),
    "impossible date": ("lessons: [{slug: start-here, due: 2026-02-30}]", "lessons[0].due", "2026-02-30", "YYYY-MM-DD"),
    "date with a time": (
        "due_dates: {start-here: 2026-03-02 10:00}",
        "due_dates.start-here",
        "2026-03-02",
        "YYYY-MM-DD",
    ),
    "negative points": (
        "lessons: [{slug: balance-of-forces, points: {ex01-3-seven-to-six: -1}}]",
        "lessons[0].points.ex01-3-seven-to-six",
        "-1",
        "a number of 0 or more",
    ),
    "entry without slug": ("lessons: [{exercises: off}]", "lessons[0]", "exercises", "a slug such as"),
    "not a mapping": ("- start-here", "(top level)", "start-here", "YAML mapping"),
    "due dates not a mapping": ("due_dates: [start-here]", "due_dates", "start-here", "to a date written YYYY-MM-DD"),
    "several mistakes": ("titel: x\nexercises: maybe\nlessons: [nothing]", "", "", ""),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_every_mistake_gives_one_message_and_writes_nothing(tmp_path: Path, case: str):
    text, key, value, allowed = BAD[case]
    folder = tmp_path / "instructor"
    folder.mkdir()
    (folder / "link.ipynb").symlink_to(outside_notebook(tmp_path))
    config = write_config(folder, text)
    out = tmp_path / "built"
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(ConfigError) as error:
        build("student", out, config)
    message = str(error.value)
    assert message.startswith(f"{config}: ")
    assert message.count("\n  key: ") == message.count("\n  value: ") == message.count("\n  allowed: ") == 1
    assert f"key: {key}" in message and value in message.split("value: ")[1].split("\n")[0]
    assert allowed in message.split("allowed: ")[1]
    assert "Traceback" not in message and "is not of type" not in message  # ours, not jsonschema's wording
    assert sorted(tmp_path.rglob("*")) == before and not out.exists()


def test_the_schema_is_shipped_and_describes_every_key_the_loader_reads():
    import json

    from course.editions import validation

    schema = json.loads((validation.SCHEMAS / "course.schema.json").read_text(encoding="utf-8"))
    validation.validator("course")  # raises if the schema itself is invalid
    assert list(schema["properties"]) == [
        "title",
        "introduction",
        "lessons",
        "extra_lessons",
        "exercises",
        "selfchecks",
        "strict",
        "left_out_references",
        "due_dates",
    ]
    assert list(schema["$defs"]["lesson"]["properties"]) == ["slug", "exercises", "selfchecks", "points", "due"]
    from course.editions.config import KINDS

    titles = (
        {sub["title"] for sub in schema["$defs"].values()}
        | {schema["title"]}
        | {sub["title"] for sub in schema["properties"].values() if "title" in sub}
    )
    titles |= {"points", "points value"}
    assert titles <= set(KINDS), titles - set(KINDS)  # every kind of value has its own message


def test_the_documented_configs_load():
    assert [lesson.slug for lesson in load_config(ROOT_DIR / "course.yml").lessons][:2] == [
        "start-here",
        "balance-of-forces",
    ]
    example = load_config(EXAMPLE)
    assert "kims-two-plans" not in [lesson.slug for lesson in example.lessons]
    assert "local-archives" in [lesson.slug for lesson in example.lessons]


def test_a_non_empty_output_folder_is_refused(tmp_path: Path):
    from course.editions.build import BuildError

    out = tmp_path / "built"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(BuildError, match="--force"):
        build("student", out, EXAMPLE)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


@pytest.fixture(scope="module")
def unit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unit") / "course"
    build("student", out, EXAMPLE)
    return out


@pytest.mark.slow
def test_example_unit_is_renumbered_and_cut_as_configured(unit: Path):
    names = sorted(p.name for p in (unit / "notebooks").glob("*.ipynb"))
    assert names == [
        "00-start-here.ipynb",
        "01-balance-of-forces.ipynb",
        "02-mao-proposes.ipynb",
        "03-why-kim-agreed.ipynb",
        "04-moscow-first.ipynb",
        "05-china-chooses.ipynb",
        "06-where-the-troops-went.ipynb",
        "07-local-archives.ipynb",
        "08-one-voice-different-intentions.ipynb",
    ]
    assert not (unit / "course" / "keys").exists()
    lessons = {name: nbformat.read(unit / "notebooks" / name, as_version=4) for name in names}
    moscow = lessons["04-moscow-first.ipynb"]
    assert moscow.cells[0].source.startswith("# Lesson 04 · ") and moscow.metadata.one_voice.number == "04"
    assert (
        "(03-why-kim-agreed.ipynb)" in moscow.cells[0].source and "(05-china-chooses.ipynb)" in moscow.cells[0].source
    )
    start = lessons["00-start-here.ipynb"]
    assert not any("nbgrader" in c.metadata for c in start.cells)  # exercises: off
    balance = lessons["01-balance-of-forces.ipynb"]
    assert not any(c.source.startswith("self_check(") for c in balance.cells)  # selfchecks: off
    assert "**Due:** 6 March 2026" in balance.cells[0].source
    china = [c for c in lessons["05-china-chooses.ipynb"].cells if "nbgrader" in c.metadata]
    assert {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in china}["ex05-1-gain-loss"] == 8
    readme = (unit / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Cold War Asia, weeks 7–8") and "| 07 | [Our own archives" in readme
    assert "| 08 | One voice, different intentions | 13 March 2026 |" in readme


@pytest.mark.slow
def test_example_unit_runs_under_nbval_with_its_own_package(unit: Path, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONE_VOICE_")}
    env.update(PYTHONPATH=str(unit), ONE_VOICE_PROGRESS=str(tmp_path / "progress.json"))
    where = subprocess.run(
        [sys.executable, "-c", "import course; print(course.__file__)"],
        cwd=unit / "notebooks",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(unit.resolve())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(ROOT_DIR / "tests" / "sanitize.cfg"),
            "-q",
            "notebooks",
        ],
        cwd=unit,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-6000:]


@pytest.mark.slow
def test_example_instructor_edition_merges_the_extra_lessons_key(tmp_path: Path):
    out = tmp_path / "grading"
    build("instructor", out, EXAMPLE)
    assignments = sorted(p.name for p in (out / "source").iterdir())
    assert "00-start-here" not in assignments and "07-local-archives" in assignments
    extra = nbformat.read(out / "source" / "07-local-archives" / "07-local-archives.ipynb", as_version=4)
    answer = next(c for c in extra.cells if "nbgrader" in c.metadata)
    assert answer.source.startswith("For example: the city archive")
    assert 'nbgrader db assignment add 08-one-voice-different-intentions --duedate="2026-03-13 23:59:00"' in (
        out / "nbgrader_config.py"
    ).read_text(encoding="utf-8")
    assert "exlocal-1-reflection" in (out / "rubrics.md").read_text(encoding="utf-8")
