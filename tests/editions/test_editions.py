"""The instructor edition round trip: keys merged for nbgrader, released back to exactly the student notebooks,
and graded with the scores the keys' points predict. Plus fast checks that the student edition leaks no answer."""

from __future__ import annotations

import ast
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.coursework.answer_keys import AnswerKeyError, bundled_key, checked_key, graded_cells, load_key, orphan_keys
from course.editions.build import build
from course.settings import ROOT_DIR, notebooks_dir

VENV_BIN = Path(sys.executable).parent
STUDENTS = ("correct", "wrong", "blank")
WRITTEN = {
    "correct": "A considered answer that names its documents and says what they can and cannot show.",
    "wrong": "I do not know.",
}


def lesson_paths() -> list[Path]:
    return sorted(notebooks_dir().glob("[0-9][0-9]-*.ipynb"))


def read(path: Path):
    return nbformat.read(path, as_version=4)


# --- fast: the student edition (notebooks/) and the keys -------------------------------------------------


@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: p.stem)
def test_student_notebooks_hold_no_answers(path: Path):
    raw = path.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in raw and "BEGIN HIDDEN TESTS" not in raw
    sources = "\n".join(cell.source for cell in read(path).cells)
    for grade_id, entry in load_key(bundled_key(path.stem)).items():
        for field in ("solution", "hidden_tests"):
            text = entry.get(field, "").strip()
            if text:
                assert text not in sources, f"{path.name}: the key's {field} for {grade_id} is in the notebook"
                assert json.dumps(text)[1:-1] not in raw, (
                    f"{path.name}: the key's {field} for {grade_id} is in an output"
                )


@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: p.stem)
def test_every_graded_cell_has_a_key_entry_and_every_entry_a_cell(path: Path):
    nb = read(path)
    key = checked_key(nb, path, bundled_key(path.stem))  # raises AnswerKeyError on any mismatch
    assert set(key) == {cell.grade_id for cell in graded_cells(nb)}


def test_no_key_without_a_lesson():
    assert orphan_keys(notebooks_dir()) == []


def test_a_key_entry_for_a_missing_cell_names_file_id_and_fix(tmp_path: Path):
    path = lesson_paths()[0]
    key = dict(load_key(bundled_key(path.stem)), **{"ex99-ghost": {"solution": "x = 1"}})
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key), encoding="utf-8")
    with pytest.raises(AnswerKeyError) as error:
        checked_key(read(path), path, key_file)
    assert str(key_file) in str(error.value) and "ex99-ghost" in str(error.value) and "Fix:" in str(error.value)


def test_a_graded_cell_without_a_key_entry_names_notebook_id_and_fix(tmp_path: Path):
    path = next(p for p in lesson_paths() if graded_cells(read(p)))
    key = load_key(bundled_key(path.stem))
    missing = next(iter(key))
    del key[missing]
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key), encoding="utf-8")
    with pytest.raises(AnswerKeyError) as error:
        checked_key(read(path), path, key_file)
    assert path.name in str(error.value) and missing in str(error.value) and "Fix:" in str(error.value)


def test_a_bad_key_stops_the_instructor_build_before_anything_is_written(tmp_path: Path):
    extra = ROOT_DIR / "examples" / "extra" / "local-archives.ipynb"
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(extra, folder / "local-archives.ipynb")
    (folder / "local-archives.key.json").write_text(
        json.dumps({"exlocal-9-ghost": {"solution": "x"}}), encoding="utf-8"
    )
    config = folder / "course.yml"
    config.write_text(
        "lessons: [start-here, local-archives]\nextra_lessons: [local-archives.ipynb]\n", encoding="utf-8"
    )
    with pytest.raises(AnswerKeyError, match="exlocal-9-ghost.*Fix:"):
        build("instructor", tmp_path / "out", config)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


# --- slow: nbgrader on the built instructor edition ---------------------------------------------------


def nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")  # nbgrader runs alembic
    result = subprocess.run(
        [str(VENV_BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True, timeout=3600
    )
    assert result.returncode == 0, (
        f"nbgrader {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    )


def wrong_answer(solution: str) -> str:
    """The same variables, set to values of the right form but wrong (so only the hidden tests can tell)."""
    lines = []
    for node in ast.parse(solution).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                value = None
            if isinstance(value, bool) or value is None:
                wrong = None
            elif isinstance(value, (int, float)):
                wrong = value + 1000
            elif isinstance(value, str):
                wrong = "1900-01-01" if value != "1900-01-01" else "1901-01-01"
            else:
                wrong = type(value)()
            lines.append(f"{node.targets[0].id} = {wrong!r}")
    assert lines, f"cannot make a wrong answer from {solution!r}"
    return "\n".join(lines)


def submission(released, key: dict, student: str):
    nb = read(released)
    if student == "blank":
        return nb
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        if cell.cell_type == "markdown":
            cell.source = WRITTEN[student]
        else:
            solution = key[meta["grade_id"]]["solution"]
            cell.source = solution if student == "correct" else wrong_answer(solution)
    return nb


def normalised(nb) -> list[tuple[str, str]]:
    return [
        (cell.cell_type, "\n".join(line.rstrip() for line in cell.source.rstrip().split("\n"))) for cell in nb.cells
    ]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build, release, submit three students, autograde and export, from a snapshot of notebooks/
    (lessons may be edited while this runs; the comparison must be with what was built)."""
    root = tmp_path_factory.mktemp("instructor")
    snapshot = root / "notebooks"
    shutil.copytree(notebooks_dir(), snapshot, ignore=shutil.ignore_patterns(".*"))
    course = root / "course"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ONE_VOICE_NOTEBOOKS", str(snapshot))
        build("instructor", course)
        assignments = sorted(p.name for p in (course / "source").iterdir())
        nbgrader(course, "generate_assignment", "*")
        keys = {slug: load_key(bundled_key(slug)) for slug in assignments}
        for student in STUDENTS:
            for slug in assignments:
                target = course / "submitted" / student / slug
                target.mkdir(parents=True)
                nbformat.write(
                    submission(course / "release" / slug / f"{slug}.ipynb", keys[slug], student),
                    target / f"{slug}.ipynb",
                )
        nbgrader(course, "autograde", "*")
        nbgrader(course, "export")
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        scores = {(row["assignment"], row["student_id"]): row for row in csv.DictReader(handle)}
    return course, assignments, scores, snapshot


def expected_points(snapshot: Path, slug: str) -> tuple[float, float]:
    """(autograded points, all points) from the lesson's graded cells."""
    cells = [
        c.metadata["nbgrader"]
        for c in read(snapshot / f"{slug}.ipynb").cells
        if c.metadata.get("nbgrader", {}).get("grade")
    ]
    return sum(c["points"] for c in cells if not c["solution"]), sum(c["points"] for c in cells)


@pytest.mark.slow
def test_every_lesson_with_exercises_is_an_assignment(graded):
    _, assignments, _, snapshot = graded
    expected = [p.stem for p in sorted(snapshot.glob("*.ipynb")) if graded_cells(read(p))]
    assert assignments == expected and assignments


@pytest.mark.slow
def test_released_notebooks_are_the_student_notebooks(graded):
    course, assignments, _, snapshot = graded
    for slug in assignments:
        released = read(course / "release" / slug / f"{slug}.ipynb")
        assert normalised(released) == normalised(read(snapshot / f"{slug}.ipynb")), slug


@pytest.mark.slow
@pytest.mark.parametrize("student", STUDENTS)
def test_autograded_scores(graded, student: str):
    _, assignments, scores, snapshot = graded
    for slug in assignments:
        autograded, total = expected_points(snapshot, slug)
        row = scores[(slug, student)]
        assert float(row["max_score"]) == total, slug
        assert float(row["score"]) == (autograded if student == "correct" else 0), (slug, student, row)


@pytest.mark.slow
def test_written_answers_wait_for_manual_grading_unless_blank(graded):
    from nbgrader.api import Gradebook

    course, assignments, _, snapshot = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for slug in assignments:
            written = [c.grade_id for c in graded_cells(read(snapshot / f"{slug}.ipynb")) if c.kind == "written"]
            for student in STUDENTS:
                for grade_id in written:
                    grade = gradebook.find_grade(grade_id, slug, slug, student)
                    if student == "blank":  # nbgrader scores an untouched answer 0 by itself
                        assert (grade.auto_score, grade.needs_manual_grade) == (0, False), (slug, student, grade_id)
                    else:
                        assert grade.auto_score is None and grade.needs_manual_grade, (slug, student, grade_id)
                        assert grade.score == 0  # until the instructor grades it


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lms", "id_column", "first_columns"),
    [
        ("canvas", "SIS Login ID", ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]),
        ("moodle", "Username", ["First name", "Last name", "Username", "ID number", "Email address"]),
    ],
)
def test_the_export_becomes_an_lms_gradebook_with_the_same_scores(
    graded, tmp_path: Path, lms, id_column, first_columns
):
    """nbgrader's own grades.csv from the round trip, through `one-voice grades`, into one row per student."""
    from course.cli.main import main

    course, assignments, scores, snapshot = graded
    target = tmp_path / f"{lms}.csv"
    assert main(["grades", "--from", str(course / "grades.csv"), "--to", str(target), "--lms", lms]) == 0
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        handle.seek(0)
        header = next(csv.reader(handle))
    assert header == first_columns + assignments
    assert sorted(row[id_column] for row in rows) == sorted(STUDENTS)
    for row in rows:
        student = row[id_column]
        for slug in assignments:
            assert float(row[slug]) == float(scores[(slug, student)]["score"]), (lms, student, slug)
        if student == "correct":  # the autograded points, from the lessons themselves, reach the LMS
            assert [float(row[slug]) for slug in assignments] == [expected_points(snapshot, s)[0] for s in assignments]
            assert sum(float(row[slug]) for slug in assignments) > 0
