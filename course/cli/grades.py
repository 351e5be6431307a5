"""`one-voice grades`: nbgrader's grades.csv as a gradebook CSV for Canvas or Moodle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.editions.grades import LAYOUTS, GradesError, write_gradebook
from course.i18n import _, ngettext


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "grades", help=_("turn nbgrader's export (grades.csv) into a gradebook CSV that Canvas or Moodle imports")
    )
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar="grades.csv",
        help=_("the file `nbgrader export` wrote in your course folder"),
    )
    parser.add_argument(
        "--to",
        dest="target",
        type=Path,
        required=True,
        metavar="FILE.csv",
        help=_("the gradebook CSV to write (an existing file is kept unless you add --force)"),
    )
    parser.add_argument("--lms", choices=sorted(LAYOUTS), required=True, help=_("the LMS that will import it"))
    parser.add_argument(
        "--student-id-column",
        default=None,
        metavar="COLUMN",
        help=_(
            "the LMS column that holds nbgrader's student id (Canvas: SIS Login ID (default), SIS User ID or ID; "
            "Moodle: Username (default), ID number or Email address)"
        ),
    )
    parser.add_argument("--force", action="store_true", help=_("replace the file given with --to"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.target.exists() and not args.force:
            raise GradesError(
                _("{file} exists. Fix: choose another file with --to, or add --force to replace it.", file=args.target)
            )
        students, assignments = write_gradebook(args.source, args.target, args.lms, args.student_id_column)
    except GradesError as error:
        print(_("Nothing was written.\n{error}", error=error), file=sys.stderr)
        return 1
    print(
        ngettext(
            "Wrote {file} for {lms}: one row per student ({n} student), one column per assignment ({count} in all).",
            "Wrote {file} for {lms}: one row per student ({n} students), one column per assignment ({count} in all).",
            students,
            file=args.target,
            lms=LAYOUTS[args.lms].name,
            count=assignments,
        )
    )
    return 0
