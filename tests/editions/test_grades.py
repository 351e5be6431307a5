"""`one-voice grades`: nbgrader's grades.csv into a Canvas or Moodle gradebook CSV (the autograded round trip's real
export is converted in test_editions.py; these use small exports written here)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from course.cli.main import main
from course.editions.grades import GradesError, gradebook

HEADER = "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score\n"
EXPORT = HEADER + (
    "02-mao-proposes,None,2026-03-01 10:00:00,jdoe,Doe,Jane,jdoe@example.edu,6.0,0.0,6.0,6.0\n"
    "02-mao-proposes,None,,asmith,Smith,Al,None,0.0,0.0,0.0,6.0\n"
    "03-why-kim-agreed,2026-03-06 23:59:00,2026-03-07 09:00:00,jdoe,Doe,Jane,jdoe@example.edu,7.0,1.0,6.0,8.0\n"
    "03-why-kim-agreed,2026-03-06 23:59:00,2026-03-05 09:00:00,asmith,Smith,Al,None,2.5,0.0,2.5,8.0\n"
)


def export(tmp_path: Path, text: str = EXPORT) -> Path:
    path = tmp_path / "grades.csv"
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_canvas_gets_one_row_per_student_and_the_score_after_the_late_penalty(tmp_path: Path, capsys):
    target = tmp_path / "canvas.csv"
    assert main(["grades", "--from", str(export(tmp_path)), "--to", str(target), "--lms", "canvas"]) == 0
    assert read(target) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "02-mao-proposes", "03-why-kim-agreed"],
        ["Doe, Jane", "", "", "jdoe", "", "6", "6"],
        ["Smith, Al", "", "", "asmith", "", "0", "2.5"],
    ]
    assert capsys.readouterr().out == (
        f"Wrote {target} for Canvas: one row per student (2 students), one column per assignment (2 in all).\n"
    )


def test_moodle_gets_names_the_id_column_chosen_and_no_none(tmp_path: Path):
    header, rows, count = gradebook(export(tmp_path), "moodle", "ID number")
    assert header == [
        "First name",
        "Last name",
        "Username",
        "ID number",
        "Email address",
        "02-mao-proposes",
        "03-why-kim-agreed",
    ]
    assert rows == [
        ["Jane", "Doe", "", "jdoe", "jdoe@example.edu", "6", "6"],
        ["Al", "Smith", "", "asmith", "", "0", "2.5"],
    ]
    assert count == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,score\nx,1\n", "grades.csv: this is not nbgrader's export; the columns assignment, student_id"),
        (
            HEADER + "02-mao-proposes,None,,jdoe,Doe, Jr.,Jane,j@x,1,0,1,6\n",
            "grades.csv, line 2: this row does not have one value per column",
        ),
        (
            HEADER + "02-mao-proposes,None,,jdoe,Doe,Jane,j@x,1,0,six,6\n",
            'grades.csv, line 2, column score: "six" is not a number',
        ),
        (
            HEADER
            + "02-mao-proposes,None,,jdoe,Doe,Jane,j@x,1,0,1,6\n02-mao-proposes,None,,jdoe,Doe,Jane,j@x,2,0,2,6\n",
            "grades.csv, line 3: a second score for jdoe in 02-mao-proposes",
        ),
        (HEADER, "grades.csv: the export holds no grades"),
    ],
)
def test_a_bad_export_is_refused_naming_the_line_and_nothing_is_written(tmp_path: Path, capsys, text, message):
    target = tmp_path / "canvas.csv"
    assert main(["grades", "--from", str(export(tmp_path, text)), "--to", str(target), "--lms", "canvas"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Nothing was written.") and message in err and "Fix:" in err
    assert not target.exists()


def test_an_unknown_id_column_and_an_existing_target_are_refused(tmp_path: Path, capsys):
    with pytest.raises(GradesError, match='Canvas has no student id column "Username". Allowed: SIS Login ID'):
        gradebook(export(tmp_path), "canvas", "Username")
    target = tmp_path / "moodle.csv"
    target.write_text("keep me", encoding="utf-8")
    assert main(["grades", "--from", str(export(tmp_path)), "--to", str(target), "--lms", "moodle"]) == 1
    assert "add --force" in capsys.readouterr().err and target.read_text(encoding="utf-8") == "keep me"
    assert main(["grades", "--from", str(export(tmp_path)), "--to", str(target), "--lms", "moodle", "--force"]) == 0
    assert read(target)[1][:3] == ["Jane", "Doe", "jdoe"]
