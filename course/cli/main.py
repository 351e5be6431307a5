"""`one-voice`: the instructors' command line (check the data, and later build editions, links, progress)."""

from __future__ import annotations

import argparse
import importlib
import sys

from course import __version__
from course.i18n import t


def _validate(args: argparse.Namespace) -> int:
    from course.evidence.package import DataError, load, summary

    try:
        evidence = load(args.data)
    except DataError as error:
        print(t("cli.check_failed", error=error), file=sys.stderr)
        return 1
    counts = summary(evidence)
    print(t("cli.check_ok", **counts))
    return 0


# Modules that add a subcommand: each has `add_parser(commands)`, which sets `run`.
SUBCOMMAND_MODULES = ("course.cli.progress", "course.cli.links", "course.cli.editions")


def _course_map(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course.catalog import course_map_markdown, lessons, replace_course_map

    items = lessons(Path(args.notebooks) if args.notebooks else None)
    if not args.write:
        print(course_map_markdown(items))
        return 0
    readme = Path(args.write)
    readme.write_text(replace_course_map(readme.read_text(encoding="utf-8"), items), encoding="utf-8")
    print(t("cli.course_map_written", file=readme, count=len(items)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="one-voice", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"one-voice {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help=t("cli.check_help"))
    validate.add_argument("--data", default=None, help=t("cli.data_help"))
    validate.set_defaults(run=_validate)
    course_map = commands.add_parser("course-map", help=t("cli.course_map_help"))
    course_map.add_argument("--write", metavar="README", help=t("cli.course_map_write_help"))
    course_map.add_argument("--notebooks", default=None, help=t("cli.notebooks_help"))
    course_map.set_defaults(run=_course_map)
    for module in SUBCOMMAND_MODULES:
        importlib.import_module(module).add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
