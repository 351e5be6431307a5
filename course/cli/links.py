"""`one-voice links`: the Binder link and badge for a lesson, and with --hub the nbgitpuller link."""

from __future__ import annotations

import argparse
import sys

from course.catalog import lessons
from course.editions.links import MYBINDER, LinkError, check_lesson, clone_folder, make_links
from course.i18n import t


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("links", help=t("links.cli_help"))
    parser.add_argument("--repo", required=True, metavar="URL", help=t("links.repo_help"))
    parser.add_argument("--branch", default=None, help=t("links.branch_help"))
    parser.add_argument("--hub", default=None, metavar="URL", help=t("links.hub_help"))
    parser.add_argument("--lesson", default=None, metavar="SLUG", help=t("links.lesson_help"))
    parser.add_argument("--binderhub", default=MYBINDER, metavar="URL", help=t("links.binderhub_help"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    known = [lesson.slug for lesson in lessons()]
    try:
        slug = check_lesson(args.lesson or (known[0] if known else ""), known)
        links = make_links(args.repo, slug, branch=args.branch, hub=args.hub, binderhub=args.binderhub)
    except LinkError as error:
        print(error, file=sys.stderr)
        return 2
    print(t("links.binder_heading", path=links.lesson_path))
    print(f"  {links.binder}")
    print(t("links.badge_heading"))
    print(f"  {links.badge}")
    if links.hub:
        print(t("links.hub_heading", folder=clone_folder(args.repo), path=links.lesson_path))
        print(f"  {links.hub}")
    return 0
