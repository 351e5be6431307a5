"""Grades out: nbgrader's export (`nbgrader export` writes grades.csv) as a gradebook CSV that Canvas or Moodle imports.

nbgrader's export has one row per student and assignment (assignment, duedate, timestamp, student_id,
last_name, first_name, email, raw_score, late_submission_penalty, score, max_score; an assignment a
student never submitted is scored 0). An LMS gradebook import wants the opposite shape: one row per
student, one column per assignment. The score carried over is nbgrader's `score` (after any late
penalty). Which LMS column holds nbgrader's student id is the instructor's choice, because it depends
on how the hub named its users (the LMS login, an SIS id, an e-mail address).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from course.i18n import _

NBGRADER_COLUMNS = ("assignment", "student_id", "last_name", "first_name", "email", "score", "max_score")


@dataclass(frozen=True)
class Layout:
    """An LMS's gradebook CSV: the columns before the assignments, and which may hold the student id."""

    name: str
    columns: tuple[str, ...]
    id_columns: tuple[str, ...]  # where nbgrader's student_id may go; the first is the default


LAYOUTS = {
    # Canvas: Grades → Import. It matches students by ID, SIS User ID or SIS Login ID; Section may be empty.
    "canvas": Layout(
        "Canvas", ("Student", "ID", "SIS User ID", "SIS Login ID", "Section"), ("SIS Login ID", "SIS User ID", "ID")
    ),
    # Moodle: Grades → Import → CSV file; "Map from" the id column "Map to" the matching user field.
    "moodle": Layout(
        "Moodle",
        ("First name", "Last name", "Username", "ID number", "Email address"),
        ("Username", "ID number", "Email address"),
    ),
}


class GradesError(ValueError):
    """The export cannot be converted; the message names the file, the place and the fix."""


@dataclass(frozen=True)
class Student:
    student_id: str
    first_name: str
    last_name: str
    email: str


def read_export(path: Path) -> tuple[list[str], list[Student], dict[tuple[str, str], float], dict[str, float]]:
    """Assignments (in order of first appearance), students, scores by (assignment, student) and maximum
    scores by assignment, from nbgrader's grades.csv; raises GradesError naming the line and column."""
    try:
        handle = open(path, newline="", encoding="utf-8")
    except FileNotFoundError:
        raise GradesError(
            _(
                "{file}: there is no such file. Fix: run `nbgrader export` in your course folder (it "
                "writes grades.csv there) and give its path.",
                file=path,
            )
        ) from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [name for name in NBGRADER_COLUMNS if name not in (reader.fieldnames or [])]
        if missing:
            raise GradesError(
                _(
                    "{file}: this is not nbgrader's export; the columns {missing} are missing. Fix: give "
                    "the grades.csv that `nbgrader export` writes.",
                    file=path,
                    missing=", ".join(missing),
                )
            )
        assignments: list[str] = []
        students: dict[str, Student] = {}
        scores: dict[tuple[str, str], float] = {}
        maximum: dict[str, float] = {}
        for line, row in enumerate(reader, start=2):
            if None in row or any(value is None for value in row.values()):
                raise GradesError(
                    _(
                        "{file}, line {line}: this row does not have one value per column (a name with "
                        "a comma, perhaps: nbgrader writes names unquoted). Fix: quote the value or "
                        "remove the comma, and convert again.",
                        file=path,
                        line=line,
                    )
                )
            assignment, student_id = row["assignment"].strip(), row["student_id"].strip()
            if not assignment or not student_id:
                raise GradesError(
                    _(
                        "{file}, line {line}: the assignment or the student_id is empty. Fix: export "
                        "again with `nbgrader export`.",
                        file=path,
                        line=line,
                    )
                )
            if (assignment, student_id) in scores:
                raise GradesError(
                    _(
                        "{file}, line {line}: a second score for {student} in {assignment}. Fix: keep one "
                        "row per student and assignment.",
                        file=path,
                        line=line,
                        student=student_id,
                        assignment=assignment,
                    )
                )
            values = {}
            for column in ("score", "max_score"):
                try:
                    values[column] = float(row[column])
                except ValueError:
                    raise GradesError(
                        _(
                            '{file}, line {line}, column {column}: "{value}" is not a number. Fix: '
                            "export again with `nbgrader export`.",
                            file=path,
                            line=line,
                            column=column,
                            value=row[column],
                        )
                    ) from None
            if assignment not in maximum:
                assignments.append(assignment)
                maximum[assignment] = values["max_score"]
            scores[(assignment, student_id)] = values["score"]
            students.setdefault(
                student_id, Student(student_id, _name(row["first_name"]), _name(row["last_name"]), _name(row["email"]))
            )
    if not scores:
        raise GradesError(
            _(
                "{file}: the export holds no grades. Fix: run `nbgrader autograde` and then `nbgrader "
                "export` once students have submitted.",
                file=path,
            )
        )
    return (
        assignments,
        sorted(students.values(), key=lambda s: (s.last_name, s.first_name, s.student_id)),
        scores,
        maximum,
    )


def _name(value: str) -> str:
    """nbgrader writes a missing name or e-mail as "None"."""
    value = value.strip()
    return "" if value == "None" else value


def gradebook(source: Path, lms: str, id_column: str | None = None) -> tuple[list[str], list[list[str]], int]:
    """(header, rows, number of assignments) of the LMS gradebook CSV made from nbgrader's export."""
    layout = LAYOUTS[lms]
    id_column = id_column or layout.id_columns[0]
    if id_column not in layout.id_columns:
        raise GradesError(
            _(
                '{lms} has no student id column "{column}". Allowed: {allowed}.',
                lms=layout.name,
                column=id_column,
                allowed=", ".join(layout.id_columns),
            )
        )
    assignments, students, scores, _maximum = read_export(source)
    header = [*layout.columns, *assignments]
    rows = []
    for student in students:
        fields = dict.fromkeys(layout.columns, "")
        if lms == "canvas":
            named = ", ".join(part for part in (student.last_name, student.first_name) if part)
            fields["Student"] = named or student.student_id
        else:
            fields.update(
                {"First name": student.first_name, "Last name": student.last_name, "Email address": student.email}
            )
        fields[id_column] = student.student_id
        rows.append([*fields.values(), *(_score(scores.get((a, student.student_id))) for a in assignments)])
    return header, rows, len(assignments)


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_gradebook(source: Path, target: Path, lms: str, id_column: str | None = None) -> tuple[int, int]:
    """Write the LMS gradebook CSV; returns (students, assignments)."""
    header, rows, count = gradebook(source, lms, id_column)
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows), count
