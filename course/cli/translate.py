"""`one-voice translate`: keep the translated lessons in step with the English ones (gettext)."""

from __future__ import annotations

import argparse
import sys

from course.editions import translation
from course.i18n import _, ngettext
from course.settings import LANGUAGES


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "translate",
        help=_("extract the lessons' prose for translators (update) or write the translated lessons (build)"),
    )
    parser.add_argument("action", choices=("update", "build"), help=_("update the catalogues, or build the lessons"))
    parser.add_argument(
        "--lang",
        default="zh_Hans",
        choices=[language for language in LANGUAGES if language in translation.FOLDERS],
        help=_("the language (default: zh_Hans)"),
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.action == "update":
        counts = translation.update(args.lang)
        print(
            _(
                "{template} and {catalogue} updated: {translated} translated, {fuzzy} fuzzy, {untranslated} "
                "untranslated messages.",
                template=translation.TEMPLATE.name,
                catalogue=translation.po_path(args.lang),
                **counts,
            )
        )
        return 0
    outcomes = translation.build(args.lang)
    waiting = [outcome for outcome in outcomes if not outcome.written]
    for outcome in outcomes:
        if outcome.written:
            print(_("{slug}: written to {file}", slug=outcome.slug, file=outcome.written))
    for outcome in waiting:
        print(
            ngettext(
                "{slug}: not written, {n} message needs a translator:",
                "{slug}: not written, {n} messages need a translator:",
                len(outcome.missing),
                slug=outcome.slug,
            ),
            file=sys.stderr,
        )
        for line in outcome.missing[:10]:
            print(f"  {line}", file=sys.stderr)
    if waiting:
        print(
            _(
                "Translate them in {catalogue} (remove the fuzzy flag once reviewed), then run the build again.",
                catalogue=translation.po_path(args.lang),
            ),
            file=sys.stderr,
        )
        return 1
    return 0
