"""`one-voice build`: the command-line face of `course.editions`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.coursework.answer_keys import AnswerKeyError
from course.editions.config import ConfigError
from course.editions.build import EDITIONS, BuildError, build
from course.i18n import t


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("build", help=t("editions.cli_help"))
    parser.add_argument("--edition", choices=EDITIONS, default="student", help=t("editions.edition_help"))
    parser.add_argument("--config", type=Path, default=None, metavar="course.yml", help=t("editions.config_help"))
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help=t("editions.out_help"))
    parser.add_argument("--force", action="store_true", help=t("editions.force_help"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = build(args.edition, args.out, args.config, force=args.force)
    except (ConfigError, AnswerKeyError, BuildError) as error:
        print(t("editions.failed", error=error), file=sys.stderr)
        return 1
    print(t(f"editions.done_{args.edition}", out=args.out, count=len(config.lessons)))
    return 0
