"""`one-voice alignment`: print the alignment matrix, or write it into the instructor guide between its markers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.editions.alignment import AlignmentError, markdown, replace_block, rows
from course.i18n import _, ngettext


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "alignment",
        help=_(
            "print the alignment matrix (objectives and their verbs, prompts and self-checks by skill, graded items and "
            "points), generated from the notebooks and the banks"
        ),
    )
    parser.add_argument(
        "--write",
        metavar="GUIDE",
        type=Path,
        default=None,
        help=_("rewrite the matrix between the alignment markers in this file, e.g. docs/instructor-guide.md"),
    )
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        help=_("folder of lesson notebooks (default: the collection's notebooks/)"),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        items = rows(args.notebooks)
        block = markdown(items)
        if args.write is None:
            print(block)
            return 0
        try:
            text = args.write.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise AlignmentError(
                _(
                    "{file}: there is no such file. Fix: give the path of the instructor guide, e.g. "
                    "docs/instructor-guide.md.",
                    file=args.write,
                )
            ) from None
        args.write.write_text(replace_block(text, block, args.write), encoding="utf-8")
    except AlignmentError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        ngettext(
            "Alignment matrix in {file} updated ({n} lesson).",
            "Alignment matrix in {file} updated ({n} lessons).",
            len(items),
            file=args.write,
        )
    )
    return 0
