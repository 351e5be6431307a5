"""`one-voice links`: the Binder link and badge for a lesson, with --hub the nbgitpuller link, with --lti its LMS launch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.catalog import lessons
from course.editions.links import (
    MYBINDER,
    LinkError,
    Refs,
    check_lesson,
    clone_folder,
    hub_branch_problem,
    local_refs,
    lti_custom_parameter,
    lti_launch_url,
    make_links,
)
from course.editions.translation import FOLDERS
from course.i18n import _
from course.settings import DEFAULT_LANGUAGE, LANGUAGES, ROOT_DIR, notebooks_dir


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "links",
        help=_(
            "print the links that open a lesson: Binder (with its Markdown badge) and, with --hub, a JupyterHub nbgitpuller link"
        ),
    )
    parser.add_argument(
        "--repo",
        required=True,
        metavar="URL",
        help=_("the repository's public address, e.g. https://github.com/OWNER/REPO (any git URL works)"),
    )
    parser.add_argument(
        "--branch",
        default=None,
        help=_(
            "branch to launch (default: the repository's default branch); Binder also takes a tag or commit, the hub link only a branch"
        ),
    )
    parser.add_argument(
        "--hub",
        default=None,
        metavar="URL",
        help=_("your JupyterHub's address, e.g. https://hub.example.edu: adds an nbgitpuller link"),
    )
    parser.add_argument(
        "--lesson", default=None, metavar="SLUG", help=_("the lesson to open, by its slug (default: the first lesson)")
    )
    parser.add_argument(
        "--lang",
        default=DEFAULT_LANGUAGE,
        choices=[language for language in LANGUAGES if language == DEFAULT_LANGUAGE or language in FOLDERS],
        help=_(
            "the language of the lesson to open: en (notebooks/) or zh_Hans (the Chinese lessons in notebooks/zh/) "
            "(default: en)"
        ),
    )
    parser.add_argument(
        "--binderhub",
        default=MYBINDER,
        metavar="URL",
        help=_("the BinderHub to launch on (default: https://mybinder.org)"),
    )
    parser.add_argument(
        "--lti",
        action="store_true",
        help=_(
            "with --hub: also print the LTI 1.1 launch URL for your LMS (hub with ltiauthenticator), which logs the student in and follows the hub link"
        ),
    )
    parser.set_defaults(run=run)


def known_refs(repo_url: str) -> list[Refs]:
    """Refs already on disk: the repository you run from, the collection's own clone, and --repo if it is local."""
    places = [Path.cwd(), ROOT_DIR]
    local = repo_url[len("file://") :] if repo_url.startswith("file://") else repo_url
    if "://" not in local and ":" not in local.split("/", 1)[0] and Path(local).exists():
        places.append(Path(local))
    found: dict[str, Refs] = {}
    for place in places:
        refs = local_refs(place)
        if refs is not None:
            found.setdefault(refs.where, refs)
    return list(found.values())


def run(args: argparse.Namespace) -> int:
    translated = notebooks_dir() / FOLDERS[args.lang] if args.lang in FOLDERS else None
    # the Chinese lessons carry the English lessons' file names: the English list serves until they are built
    known = [lesson.slug for lesson in (lessons(translated) if translated and translated.is_dir() else [])] or [
        lesson.slug for lesson in lessons()
    ]
    try:
        if args.lti and not args.hub:
            raise LinkError(
                _("--lti needs --hub: the LMS launch goes through your hub, e.g. --hub https://hub.example.edu --lti.")
            )
        slug = check_lesson(args.lesson or (known[0] if known else ""), known)
        if args.hub and args.branch:
            problem = hub_branch_problem(args.branch, known_refs(args.repo))
            if problem:
                raise LinkError(problem)
        links = make_links(
            args.repo, slug, branch=args.branch, hub=args.hub, binderhub=args.binderhub, language=args.lang
        )
    except LinkError as error:
        print(error, file=sys.stderr)
        return 2
    print(_("Binder (opens JupyterLab at {path}):", path=links.lesson_path))
    print(f"  {links.binder}")
    print(_("Markdown badge:"))
    print(f"  {links.badge}")
    if links.hub:
        print(
            _(
                "JupyterHub with nbgitpuller (copies the repository to ~/{folder}, keeps students' edits, opens {path}):",
                folder=clone_folder(args.repo),
                path=links.lesson_path,
            )
        )
        print(f"  {links.hub}")
    if args.lti and links.hub:
        print(
            _(
                "LMS launch URL (LTI 1.1, ltiauthenticator): logs the student in through the LMS, then follows the hub link:"
            )
        )
        print(f"  {lti_launch_url(args.hub, links.hub)}")
        print(
            _(
                "Or, if your LMS keeps one launch URL for the tool ({launch}), give each lesson this custom parameter (the LMS sends it as custom_next):",
                launch=args.hub.strip().rstrip("/") + "/hub/lti/launch",
            )
        )
        print(f"  {lti_custom_parameter(links.hub)}")
    return 0
