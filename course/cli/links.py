"""`one-voice links`: the Binder link and badge for a lesson, with --hub the nbgitpuller link, with --lti its LMS launch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.catalog import lessons
from course.editions.links import (MYBINDER, LinkError, Refs, check_lesson, clone_folder, hub_branch_problem, local_refs,
                                   lti_custom_parameter, lti_launch_url, make_links)
from course.i18n import t
from course.settings import ROOT_DIR


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("links", help=t("links.cli_help"))
    parser.add_argument("--repo", required=True, metavar="URL", help=t("links.repo_help"))
    parser.add_argument("--branch", default=None, help=t("links.branch_help"))
    parser.add_argument("--hub", default=None, metavar="URL", help=t("links.hub_help"))
    parser.add_argument("--lesson", default=None, metavar="SLUG", help=t("links.lesson_help"))
    parser.add_argument("--binderhub", default=MYBINDER, metavar="URL", help=t("links.binderhub_help"))
    parser.add_argument("--lti", action="store_true", help=t("links.lti_help"))
    parser.set_defaults(run=run)


def known_refs(repo_url: str) -> list[Refs]:
    """Refs already on disk: the repository you run from, the collection's own clone, and --repo if it is local."""
    places = [Path.cwd(), ROOT_DIR]
    local = repo_url[len("file://"):] if repo_url.startswith("file://") else repo_url
    if "://" not in local and ":" not in local.split("/", 1)[0] and Path(local).exists():
        places.append(Path(local))
    found: dict[str, Refs] = {}
    for place in places:
        refs = local_refs(place)
        if refs is not None:
            found.setdefault(refs.where, refs)
    return list(found.values())


def run(args: argparse.Namespace) -> int:
    known = [lesson.slug for lesson in lessons()]
    try:
        if args.lti and not args.hub:
            raise LinkError(t("links.lti_needs_hub"))
        slug = check_lesson(args.lesson or (known[0] if known else ""), known)
        if args.hub and args.branch:
            problem = hub_branch_problem(args.branch, known_refs(args.repo))
            if problem:
                raise LinkError(problem)
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
    if args.lti and links.hub:
        print(t("links.lti_heading"))
        print(f"  {lti_launch_url(args.hub, links.hub)}")
        print(t("links.lti_custom_heading", launch=args.hub.strip().rstrip("/") + "/hub/lti/launch"))
        print(f"  {lti_custom_parameter(links.hub)}")
    return 0
