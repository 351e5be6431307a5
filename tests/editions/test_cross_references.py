"""Cross-references between lessons follow the edition's numbering: a customised course never points students
at the wrong lesson, never cites a lesson as itself, and says so in plain text (with a warning to the instructor)
when it refers to a lesson the course leaves out. Lessons' `requires` are checked the same way."""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path

import nbformat
import pytest

from course.catalog import Lesson
from course.catalog import lessons as collection_lessons
from course.editions import lesson_edits
from course.editions.build import EditionWarning
from course.editions.config import default_config, load_config
from course.editions.student import prepare
from course.settings import ROOT_DIR, notebooks_dir

EXAMPLE = ROOT_DIR / "examples" / "course.yml"
MENTION = re.compile(r"\bLesson (\d{2})\b")  # one lesson, by number ("Lessons 02 and 03" is counted apart)
LEFT_OUT = re.compile(r"\b[Tt]he lesson “([^”]+)”")
TITLE_LINE = re.compile(r"^# \S+ \d{2} · ")
NAV = "](../README.md)"


def quietly_prepare(config):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EditionWarning)
        return prepare(config)


def cited(nb, number_to_slug: dict[str, str], title_to_slug: dict[str, str]) -> dict[tuple[str, int], list[str]]:
    """For each (cell id, line) of a lesson's prose: the lessons it cites by number or as left out, by slug.
    Title and navigation lines, and lines citing several lessons at once, are not counted."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for at, line in enumerate(cell.source.split("\n")):
            if NAV in line or TITLE_LINE.match(line) or "Lessons " in line:
                continue
            slugs = [number_to_slug.get(n, f"?{n}") for n in MENTION.findall(line)]
            slugs += [title_to_slug.get(title, f"?{title}") for title in LEFT_OUT.findall(line)]
            if slugs:
                found[(cell.id, at)] = sorted(slugs)
    return found


def misdirected(config) -> list[str]:
    """Every line of the built edition whose lesson references differ from what the lesson's author meant
    (read in the collection's numbering, in the source notebook)."""
    collection = collection_lessons(notebooks_dir())
    by_number = {lesson.number: lesson.slug.split("-", 1)[1] for lesson in collection}
    titles = {lesson.title: lesson.slug.split("-", 1)[1] for lesson in collection}
    built = quietly_prepare(config)
    edition_numbers = {item.lesson.number: item.choice.slug for item in built}
    problems = []
    for item in built:
        meant = cited(nbformat.read(item.choice.notebook, as_version=4), by_number, titles)
        for where, slugs in cited(item.nb, edition_numbers, titles).items():
            if where in meant and meant[where] != slugs:
                problems.append(f"{item.lesson.filename} {where}: meant {meant[where]}, says {slugs}")
    return problems


@pytest.fixture(scope="module")
def example():
    return load_config(EXAMPLE)


@pytest.fixture(scope="module")
def built(example):
    return {item.lesson.filename: item for item in quietly_prepare(example)}


def prose(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


# --- the example edition (examples/course.yml drops Lesson 04 and swaps 05 and 06) -----------------------------


def test_the_renumbered_lesson_05_no_longer_sends_students_to_a_dropped_lesson(built):
    title = built["05-china-chooses.ipynb"].nb.cells[0].source
    assert "Lesson 04 (Kim's two plans)" not in title  # the bug: 04 is "Moscow first" in this edition
    assert "**You need:** the lesson “Kim's two plans” (not part of this course) helps, but is not required" in title


def test_the_renumbered_lesson_06_no_longer_cites_itself(built):
    where = built["06-where-the-troops-went.ipynb"].nb
    assert where.cells[0].source.startswith("# Lesson 06 · Where the troops went")
    assert "**You need:** Lesson 04 (Moscow first) helps" in where.cells[0].source  # Moscow first is 04 here
    assert [n for n in MENTION.findall(prose(where)) if n == "06"] == ["06"]  # only its own title


def test_every_reference_in_the_example_edition_points_where_the_author_meant(example):
    assert misdirected(example) == []


def test_the_reference_check_catches_the_old_renumbering(example, monkeypatch):
    """Control: without the rewriting (as before), the check above finds the two reported defects."""
    monkeypatch.setattr(lesson_edits, "link_lessons", lambda nb, edition, collection: [])
    found = misdirected(example)
    assert any(
        p.startswith("05-china-chooses.ipynb") and "'kims-two-plans'" in p and "'moscow-first'" in p for p in found
    ), found
    assert any(
        p.startswith("06-where-the-troops-went.ipynb") and "meant ['moscow-first'], says ['where-the-troops-went']" in p
        for p in found
    ), found


def test_lesson_links_in_the_example_edition_all_lead_to_its_own_files(built):
    files = set(built)
    for name, item in built.items():
        targets = re.findall(r"\]\(([^)#\s]+\.ipynb)", prose(item.nb))
        assert targets, name
        assert set(targets) <= files, (name, set(targets) - files)


def test_plural_mentions_follow_the_edition(built):
    start = prose(built["00-start-here.ipynb"].nb)
    assert "Lessons 02–06 follow Tian's **argument**" in start  # "02–07" without the dropped 04
    # ("Lessons 03 and 04" with 04 dropped is one of the unit cases below; no lesson's prose says it any more.)
    final = built["08-one-voice-different-intentions.ipynb"].nb.cells[0].source
    assert "**You need:** Lessons 01–06, which this lesson draws together" in final  # was 01–07


def test_building_the_example_warns_about_each_lesson_citing_the_dropped_one(example):
    with pytest.warns(EditionWarning) as record:
        prepare(example)
    messages = [
        str(w.message) for w in record if issubclass(w.category, EditionWarning) and " refers to " in str(w.message)
    ]
    citing = sorted(m.split(" ", 1)[0] for m in messages)
    assert citing == [
        "04-moscow-first.ipynb",
        "05-china-chooses.ipynb",
        "06-where-the-troops-went.ipynb",
        "08-one-voice-different-intentions.ipynb",
    ]  # one warning per lesson, however often it cites
    assert all(str(EXAMPLE) in m and "“Kim's two plans” (kims-two-plans)" in m for m in messages)


def test_the_command_line_prints_the_warnings_and_still_builds(tmp_path: Path, capsys):
    from course.cli.main import main

    assert main(["build", "--edition", "instructor", "--config", str(EXAMPLE), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert (
        "Warning: 05-china-chooses.ipynb refers to lesson 04 of the collection, “Kim's two plans” "
        "(kims-two-plans), which this course leaves out" in err
    )
    assert (tmp_path / "out" / "nbgrader_config.py").is_file()


def test_the_published_collection_is_left_exactly_as_written():
    for item in prepare(default_config()):
        assert item.nb == nbformat.read(item.choice.notebook, as_version=4), item.lesson.filename


# --- the rewriting itself, on every form the lessons use -------------------------------------------------------


def lesson(number: str, slug: str, title: str) -> Lesson:
    return Lesson(slug=f"{number}-{slug}", number=number, title=title, question="?", minutes=1, difficulty="x")


COLLECTION = {
    "02": lesson("02", "mao-proposes", "Mao proposes"),
    "03": lesson("03", "why-kim-agreed", "Why Kim agreed"),
    "04": lesson("04", "kims-two-plans", "Kim's two plans"),
    "05": lesson("05", "china-chooses", "China chooses"),
    "06": lesson("06", "moscow-first", "Moscow first"),
}
EDITION = {
    "mao-proposes": lesson("01", "mao-proposes", "Mao proposes"),
    "moscow-first": lesson("02", "moscow-first", "Moscow first"),
    "china-chooses": lesson("03", "china-chooses", "China chooses"),
    "why-kim-agreed": lesson("04", "why-kim-agreed", "Why Kim agreed"),
}


def rewritten(*lines: str) -> tuple[list[str], list[str]]:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Lesson 05 · China chooses"),
            nbformat.v4.new_markdown_cell("\n".join(lines)),
            nbformat.v4.new_code_cell('print("Lesson 04")'),
        ]
    )
    gone = lesson_edits.link_lessons(nb, EDITION, COLLECTION)
    assert nb.cells[0].source == "# Lesson 05 · China chooses"  # the title is renumber()'s job
    assert nb.cells[2].source == 'print("Lesson 04")'  # code is never touched
    return nb.cells[1].source.split("\n"), [item.slug for item in gone]


@pytest.mark.parametrize(
    "before, after",
    [
        (
            "See [Lesson 06 · Moscow first](06-moscow-first.ipynb).",
            "See [Lesson 02 · Moscow first](02-moscow-first.ipynb).",
        ),
        (
            "As [Lesson 06](06-moscow-first.ipynb#the-order) shows",
            "As [Lesson 02 · Moscow first](02-moscow-first.ipynb#the-order) shows",
        ),
        ("the [order of events](06-moscow-first.ipynb)", "the [order of events](02-moscow-first.ipynb)"),
        ("[as in Lesson 06](06-moscow-first.ipynb)", "[as in Lesson 02](02-moscow-first.ipynb)"),
        (
            "by slug alone: [Lesson 06](moscow-first.ipynb)",
            "by slug alone: [Lesson 02 · Moscow first](02-moscow-first.ipynb)",
        ),
        (
            "Read [Lesson 04 · Kim's two plans](04-kims-two-plans.ipynb) first.",
            "Read the lesson “Kim's two plans” (not part of this course) first.",
        ),
        (
            "[Lesson 04](04-kims-two-plans.ipynb) shows it.",
            "The lesson “Kim's two plans” (not part of this course) shows it.",
        ),
        (
            "A [notebook of yours](my-notes.ipynb), [the data](../data/FORCES.md).",
            "A [notebook of yours](my-notes.ipynb), [the data](../data/FORCES.md).",
        ),
        (
            "**You need:** Lesson 04 (Kim's two plans) helps",
            "**You need:** the lesson “Kim's two plans” (not part of this course) helps",
        ),
        ("**You need:** Lesson 06 (Moscow first) helps", "**You need:** Lesson 02 (Moscow first) helps"),
        ("two letters (Lesson 04):", "two letters (the lesson “Kim's two plans”, not part of this course):"),
        ("Moscow. Lesson 04 follows it.", "Moscow. The lesson “Kim's two plans” (not part of this course) follows it."),
        ("(Lessons 05 and 06)", "(Lessons 02 and 03)"),
        ("(Lessons 03 and 04)", "(Lesson 04 and the lesson “Kim's two plans”, not part of this course)"),
        ("Lessons 02 to 06 follow", "Lessons 01–04 follow"),
        ("Lessons 02–05 and more", "Lessons 01, 03 and 04 and more"),
        ("Lesson 03 and Lesson 05", "Lesson 04 and Lesson 03"),
        (
            "It is so. Lessons 02 and 04 show it.",
            "It is so. Lesson 01 and the lesson “Kim's two plans” (not part of this course) show it.",
        ),
        (
            "It is so. Lessons 04 and 06 show it.",
            "It is so. Lesson 02 and the lesson “Kim's two plans” (not part of this course) show it.",
        ),  # kept ones first
        ("It is so. Lesson 04 and more.", "It is so. The lesson “Kim's two plans” (not part of this course) and more."),
        (
            "Lesson 12 and Exercise 04.1 and (04)",
            "Lesson 12 and Exercise 04.1 and (04)",
        ),  # not lessons of the collection
        (
            "Lesson 02 on, Lessons 02 and 04",
            "Lesson 01 on, Lesson 01 and the lesson “Kim's two plans” (not part of this course)",
        ),
    ],
    ids=lambda text: text[:40],
)
def test_each_reference_form(before: str, after: str):
    lines, _ = rewritten(before)
    assert lines == [after]


def test_navigation_lines_are_left_for_set_navigation_and_dropped_lessons_are_listed_once():
    nav = "[← Lesson 04 · Kim's two plans](04-kims-two-plans.ipynb) · [Contents](../README.md)"
    lines, gone = rewritten(nav, "Lesson 04, again Lesson 04, and Lesson 06.")
    assert lines[0] == nav
    assert gone == ["04-kims-two-plans"]


# --- what lessons build on -------------------------------------------------------------------------------------


def test_the_catalog_reads_requires_by_slug_and_defaults_to_none(tmp_path: Path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for number, requires in (("00", None), ("01", ["00-start-here", "mao-proposes"])):
        nb = nbformat.v4.new_notebook()
        nb.metadata["one_voice"] = {
            "slug": f"{number}-x",
            "number": number,
            "title": "T",
            "question": "Q",
            "minutes": 5,
            "difficulty": "d",
        }
        if requires is not None:
            nb.metadata["one_voice"]["requires"] = requires
        nbformat.write(nb, str(folder / f"{number}-x.ipynb"))
    assert [lesson.requires for lesson in collection_lessons(folder)] == [(), ("start-here", "mao-proposes")]


def test_a_dropped_or_later_prerequisite_is_warned_about(tmp_path: Path, monkeypatch):
    copy = tmp_path / "notebooks"
    shutil.copytree(notebooks_dir(), copy, ignore=shutil.ignore_patterns(".*"))
    for name, requires in (
        ("08-one-voice-different-intentions", ["kims-two-plans", "moscow-first"]),
        ("06-moscow-first", ["china-chooses"]),
    ):
        path = copy / f"{name}.ipynb"
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["metadata"]["one_voice"]["requires"] = requires
        path.write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("ONE_VOICE_NOTEBOOKS", str(copy))
    with pytest.warns(EditionWarning) as record:
        prepare(load_config(EXAMPLE))
    builds_on = sorted(str(w.message) for w in record if " builds on " in str(w.message))
    assert len(builds_on) == 2, builds_on
    assert builds_on[0].startswith(
        "04-moscow-first.ipynb builds on china-chooses, which this course puts after it, as 05-china-chooses.ipynb."
    )
    assert builds_on[1].startswith(
        "08-one-voice-different-intentions.ipynb builds on kims-two-plans, which this course leaves out."
    )
    with warnings.catch_warnings():  # control: the same lessons in the published collection warn about nothing
        warnings.simplefilter("error", EditionWarning)
        prepare(load_config(ROOT_DIR / "course.yml"))


def test_a_lesson_due_before_an_earlier_one_is_warned_about(tmp_path: Path):
    config = tmp_path / "course.yml"
    config.write_text(
        "lessons: [start-here, {slug: mao-proposes, due: 2026-03-10}, balance-of-forces]\n"
        "due_dates: {balance-of-forces: 2026-03-03}\n",
        encoding="utf-8",
    )
    with pytest.warns(EditionWarning) as record:
        prepare(load_config(config))
    due = [str(w.message) for w in record if " is due on " in str(w.message)]
    assert due == [
        "02-balance-of-forces.ipynb is due on 3 March 2026, before 01-mao-proposes.ipynb, which comes "
        f"earlier in the course and is due on 10 March 2026. Check the due dates in {config}."
    ]
    with warnings.catch_warnings():  # control: the example's dates follow its order
        warnings.simplefilter("error", EditionWarning)
        warnings.filterwarnings("ignore", message=".* (refers to|builds on) ")  # only due dates count here
        prepare(load_config(EXAMPLE))
