"""`one-voice build`: the command-line face of `course.editions`."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from course.coursework.answer_keys import AnswerKeyError
from course.editions.build import EDITIONS, BuildError, EditionWarning, build
from course.editions.config import ConfigError
from course.i18n import N_, _
from course.settings import DEFAULT_LANGUAGE, LANGUAGES

DONE = {
    "student": N_(
        "Wrote the student collection ({count} lessons) to {out}. Students open notebooks/ after "
        "`pip install -e .` there, or launch it on Binder."
    ),
    "instructor": N_(
        "Wrote the instructor edition ({count} lessons chosen) to {out}: nbgrader_config.py, source/ and "
        "rubrics.md. Run `nbgrader generate_assignment <lesson>` there."
    ),
    "reader": N_(
        "Wrote the reader edition ({count} lessons) to {out}. Open {out}/index.html in a browser; it works offline."
    ),
    "simulation": N_(
        "Wrote the three-capitals simulation to {out}: instructor-sheet.md and .pdf, and one handout per "
        "round and team in handouts/. Start with the instructor sheet."
    ),
    "packet": N_("Wrote the document packets ({count} lessons) to {out}: one PDF per lesson, ready to print."),
}


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "build",
        help=_(
            "build an edition: student (a customised collection), instructor (nbgrader source course), reader "
            "(offline HTML), packet (printable PDFs) or simulation (three-capitals classroom simulation: instructor sheet "
            "and team handouts, Markdown and PDF)"
        ),
    )
    parser.add_argument(
        "--edition",
        choices=EDITIONS,
        default="student",
        help=_(
            "student: notebooks, package and data to hand out; instructor: nbgrader source course with model answers, "
            "hidden tests and rubrics; reader: static HTML that works offline; packet: one printable PDF per lesson with its "
            "documents, prompts and sources; simulation: the three-capitals classroom simulation (default: student)"
        ),
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="course.yml",
        help=_(
            "course config (see course.yml): which lessons, in what order, exercises, self-checks, points, due dates "
            "(default: the whole collection)"
        ),
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help=_("folder to write; it must not exist or be empty")
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=_("replace a non-empty output folder (only once the new build has succeeded)"),
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help=_(
            "refuse to build, instead of warning, when a lesson you keep builds on or refers to a lesson you leave out "
            "(the same as strict: on in course.yml)"
        ),
    )
    parser.add_argument(
        "--lang",
        default=DEFAULT_LANGUAGE,
        choices=LANGUAGES,
        help=_(
            "the edition's language: en, or zh_Hans for the Chinese lessons (notebooks/zh, built by `one-voice "
            "translate build`) with the Chinese interface; the simulation is in English only (default: en)"
        ),
    )
    parser.set_defaults(run=run)


class Bar:
    """One progress bar over the build's lessons on the terminal (stderr); nothing when stderr is not a terminal."""

    def __init__(self, console=None):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self.task = None

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()

    def begin(self, total: int) -> None:
        self.task = self.progress.add_task(_("Building"), total=total)

    def lesson(self, name: str) -> None:
        self.progress.update(self.task, description=name)

    def advance(self) -> None:
        self.progress.advance(self.task)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """The command's own messages in the edition's language, as the build's warnings are."""
    saved = os.environ.get("ONE_VOICE_LANG")
    if language != DEFAULT_LANGUAGE:
        os.environ["ONE_VOICE_LANG"] = language
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("ONE_VOICE_LANG", None)
        else:
            os.environ["ONE_VOICE_LANG"] = saved


def run(args: argparse.Namespace) -> int:
    with speaking(args.lang if args.edition != "simulation" else DEFAULT_LANGUAGE):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EditionWarning)
        try:
            with Bar() as bar:
                config = build(
                    args.edition,
                    args.out,
                    args.config,
                    force=args.force,
                    strict=args.strict,
                    steps=bar,
                    language=args.lang,
                )
        except (ConfigError, AnswerKeyError, BuildError) as error:
            print(_("The build stopped; nothing was written.\n{error}", error=error), file=sys.stderr)
            return 1
    for warning in caught:
        if issubclass(warning.category, EditionWarning):
            print(_("Warning: {message}", message=warning.message), file=sys.stderr)
        else:
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
    print(_(DONE[args.edition], out=args.out, count=len(config.lessons)))
    return 0
