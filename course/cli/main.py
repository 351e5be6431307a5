"""`one-voice`: the instructors' command line (check the data, and later build editions, links, progress)."""

from __future__ import annotations

import argparse
import importlib
import sys

from course import __version__
from course.i18n import _, ngettext


def _validate(args: argparse.Namespace) -> int:
    from course.evidence.package import DataError, load, summary

    try:
        evidence = load(args.data)
    except DataError as error:
        print(_("The evidence base has a problem.\n{error}\nNothing was changed.", error=error), file=sys.stderr)
        return 1
    counts = summary(evidence)
    print(
        _(
            "The evidence base is valid: {sources} sources, {people} people, {events} events, {claims} argument "
            "nodes, {plans} plan cells, {forces} force figures.",
            **counts,
        )
    )
    return 0


# Modules that add a subcommand: each has `add_parser(commands)`, which sets `run`.
SUBCOMMAND_MODULES = (
    "course.cli.progress",
    "course.cli.links",
    "course.cli.editions",
    "course.cli.alignment",
    "course.cli.grades",
    "course.cli.translate",
)


def _course_map(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from course.catalog import course_map_markdown, lessons, replace_course_map
    from course.settings import FOLDER_LANGUAGES

    folder = Path(args.notebooks) if args.notebooks else None
    if folder is not None and folder.name in FOLDER_LANGUAGES:  # notebooks/zh: the map speaks Chinese
        os.environ.setdefault("ONE_VOICE_LANG", FOLDER_LANGUAGES[folder.name])
    link_folder = folder.as_posix() if folder is not None else "notebooks"
    items = lessons(folder)
    if args.load:
        from course.editions.load import lesson_load, load_table
        from course.settings import notebooks_dir

        print(load_table([lesson_load((folder or notebooks_dir()) / item.filename) for item in items]))
        return 0
    if not args.write:
        print(course_map_markdown(items, link_folder))
        return 0
    readme = Path(args.write)
    readme.write_text(replace_course_map(readme.read_text(encoding="utf-8"), items, link_folder), encoding="utf-8")
    print(
        ngettext(
            "Course map in {file} updated ({n} lesson).",
            "Course map in {file} updated ({n} lessons).",
            len(items),
            file=readme,
        )
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="one-voice", description=_("One Voice, 1958: tools for instructors."))
    parser.add_argument("--version", action="version", version=f"one-voice {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help=_("validate the evidence base (data/) and print a report"))
    validate.add_argument(
        "--data", default=None, help=_("folder holding datapackage.json (default: the collection's data/)")
    )
    validate.set_defaults(run=_validate)
    course_map = commands.add_parser(
        "course-map",
        help=_("print the course map (lesson, title, central question, time) from the notebooks' metadata"),
    )
    course_map.add_argument(
        "--write", metavar="README", help=_("rewrite the course map between the markers in this README")
    )
    course_map.add_argument(
        "--notebooks", default=None, help=_("folder of lesson notebooks (default: the collection's notebooks/)")
    )
    course_map.add_argument(
        "--load",
        action="store_true",
        help=_("print each lesson's reading load (our prose, other text, primary text, tasks) and the time it models"),
    )
    course_map.set_defaults(run=_course_map)
    for module in SUBCOMMAND_MODULES:
        importlib.import_module(module).add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
