"""Launch links for a lesson: Binder (and its Markdown badge) and a JupyterHub nbgitpuller link.

Pure functions, no network. The formats follow the tools' own documentation:

- BinderHub: `<binderhub>/v2/<provider>/<spec>?urlpath=...`. GitHub repositories use the `gh`
  provider with spec `<owner>/<repo>/<ref>`; any other git URL uses the `git` provider with spec
  `<url-escaped-url>/<ref>` (BinderHub docs, "Repository Providers"). `urlpath=lab/tree/<path>`
  opens JupyterLab at a file (mybinder.org's JupyterLab example).
- nbgitpuller: `<hub>/hub/user-redirect/git-pull?repo=...&branch=...&urlpath=...&targetPath=...`
  (nbgitpuller docs, "Options in an nbgitpuller URL"). `urlpath` is relative to the server's root
  and so must start with the clone's folder; `targetPath` names that folder. nbgitpuller's own
  default folder is the URL's last part *including* a `.git` suffix, so the link always says
  `targetPath` explicitly: the folder and the path that opens in it cannot disagree.
  nbgitpuller 1.3 needs a *branch*: with a tag the first click clones, but every later click runs
  `git diff ..origin/<tag>`, which fails (nbgitpuller issue #361), so `hub_branch_problem` refuses
  tags, commit ids and `refs/...` names for the hub link, using only refs already on disk.
- LTI 1.1 (ltiauthenticator): the LMS posts a signed launch to `<hub>/hub/lti/launch`; the hub
  logs the student in and redirects to the body's `custom_next` (an LMS sends a custom parameter
  `next=...` as `custom_next`), else to JupyterHub's own `next` query argument. `lti_launch_url`
  puts the git-pull link (hub-relative) in the launch URL's query as `next`, which every LMS keeps
  in the URL it posts to, and `lti_custom_parameter` gives the same link as the custom parameter.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from course.i18n import _
from course.settings import DEFAULT_LANGUAGE, FOLDER_LANGUAGES

MYBINDER = "https://mybinder.org"
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
BINDER_DEFAULT_REF = "HEAD"  # BinderHub resolves HEAD to the repository's default branch
LESSONS_FOLDER = "notebooks"

_GITHUB = re.compile(r"^(?:https?://(?:www\.)?github\.com/|git@github\.com:)([^/\s]+)/([^/\s]+?)(?:\.git)?/?$")


class LinkError(ValueError):
    """A repository URL or lesson that no link can be made for (the message says why)."""


@dataclass(frozen=True)
class Links:
    binder: str
    badge: str
    hub: str | None
    lesson_path: str  # notebooks/<slug>.ipynb (notebooks/zh/<slug>.ipynb in Chinese), relative to the repository root


def github_repo(repo_url: str) -> tuple[str, str] | None:
    """(owner, name) for a GitHub repository URL, else None."""
    match = _GITHUB.match(repo_url.strip())
    return (match.group(1), match.group(2)) if match else None


def clone_folder(repo_url: str) -> str:
    """The folder a clone lands in: the URL's last path part without a trailing `.git`."""
    last = repo_url.strip().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    name = last[: -len(".git")] if last.endswith(".git") else last
    if not name:
        raise LinkError(
            _(
                "Cannot make a link for the repository '{repo}': give its address, e.g. https://github.com/OWNER/REPO.",
                repo=repo_url,
            )
        )
    return name


def lessons_folder(language: str = DEFAULT_LANGUAGE) -> str:
    """The lessons of `language`, relative to the repository root: notebooks, or notebooks/zh for zh_Hans (a
    kernel started there speaks Chinese)."""
    folders = {lang: folder for folder, lang in FOLDER_LANGUAGES.items()}
    return f"{LESSONS_FOLDER}/{folders[language]}" if language in folders else LESSONS_FOLDER


def lesson_path(slug: str, language: str = DEFAULT_LANGUAGE) -> str:
    return f"{lessons_folder(language)}/{slug}.ipynb"


def check_lesson(slug: str, known: list[str]) -> str:
    """The slug, if the collection has that lesson (`.ipynb` may be given); else a LinkError listing them."""
    slug = slug[: -len(".ipynb")] if slug.endswith(".ipynb") else slug
    slug = slug.rsplit("/", 1)[-1]
    if slug not in known:
        raise LinkError(
            _(
                "There is no lesson '{lesson}' in this collection. Lessons: {known}.",
                lesson=slug,
                known=", ".join(known) or _("(none found)"),
            )
        )
    return slug


def binder_spec(repo_url: str, ref: str = BINDER_DEFAULT_REF) -> str:
    """`gh/OWNER/REPO/REF` for GitHub, `git/<url-escaped URL>/REF` for any other git URL."""
    repo_url = repo_url.strip()
    if not repo_url:
        raise LinkError(
            _(
                "Cannot make a link for the repository '{repo}': give its address, e.g. https://github.com/OWNER/REPO.",
                repo=repo_url,
            )
        )
    ref = ref or BINDER_DEFAULT_REF
    found = github_repo(repo_url)
    if found:
        owner, name = found
        return f"gh/{owner}/{name}/{quote(ref, safe='')}"
    return f"git/{quote(repo_url, safe='')}/{quote(ref, safe='')}"


def binder_url(
    repo_url: str, slug: str, ref: str = BINDER_DEFAULT_REF, binderhub: str = MYBINDER, language: str = DEFAULT_LANGUAGE
) -> str:
    """A Binder link that opens JupyterLab at the lesson (in `language`'s folder)."""
    urlpath = quote(f"lab/tree/{lesson_path(slug, language)}", safe="/")
    return f"{binderhub.rstrip('/')}/v2/{binder_spec(repo_url, ref)}?urlpath={urlpath}"


def binder_badge(url: str) -> str:
    """The Markdown badge for a Binder link (the README carries one)."""
    return f"[![{_('Launch on Binder')}]({BADGE_IMAGE})]({url})"


def nbgitpuller_url(
    hub: str, repo_url: str, slug: str, branch: str | None = None, language: str = DEFAULT_LANGUAGE
) -> str:
    """A JupyterHub link: clone or update the repository in the student's home, then open the lesson in JupyterLab.

    Without a branch, nbgitpuller uses the repository's default branch.
    """
    if not re.match(r"^https?://[^/\s]+", hub.strip()):
        raise LinkError(
            _("The hub address '{hub}' must start with http:// or https://, e.g. https://hub.example.edu.", hub=hub)
        )
    folder = clone_folder(repo_url)
    query: dict[str, str] = {"repo": repo_url.strip()}
    if branch:
        query["branch"] = branch
    query["urlpath"] = f"lab/tree/{folder}/{lesson_path(slug, language)}"
    query["targetPath"] = folder
    return f"{hub.strip().rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query, quote_via=quote)}"


def make_links(
    repo_url: str,
    slug: str,
    branch: str | None = None,
    hub: str | None = None,
    binderhub: str = MYBINDER,
    language: str = DEFAULT_LANGUAGE,
) -> Links:
    """Every link for one lesson in `language` (the hub link only when a hub is given)."""
    binder = binder_url(repo_url, slug, branch or BINDER_DEFAULT_REF, binderhub, language)
    return Links(
        binder=binder,
        badge=binder_badge(binder),
        hub=nbgitpuller_url(hub, repo_url, slug, branch, language) if hub else None,
        lesson_path=lesson_path(slug, language),
    )


_COMMIT = re.compile(r"^[0-9a-fA-F]{7,40}$")


@dataclass(frozen=True)
class Refs:
    """Branch and tag names a local git repository knows (its own branches and remote-tracking ones)."""

    where: str
    branches: frozenset[str]
    tags: frozenset[str]


def local_refs(path: Path | str) -> Refs | None:
    """The refs of the git repository at path (read from disk, nothing fetched); None if it is not one."""
    try:
        out = subprocess.run(
            ["git", "-C", str(path), "for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes", "refs/tags"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    branches, tags = set(), set()
    for ref in out.stdout.split():
        if ref.startswith("refs/heads/"):
            branches.add(ref[len("refs/heads/") :])
        elif ref.startswith("refs/remotes/"):
            name = ref[len("refs/remotes/") :].split("/", 1)
            if len(name) == 2 and name[1] != "HEAD":
                branches.add(name[1])
        elif ref.startswith("refs/tags/"):
            tags.add(ref[len("refs/tags/") :])
    return Refs(str(path), frozenset(branches), frozenset(tags))


def hub_branch_problem(branch: str, known: list[Refs]) -> str | None:
    """Why `branch` cannot go in an nbgitpuller link (a message), or None if it can.

    Refused: `refs/...` names, a tag of any repository in `known` that is not also a branch there,
    and what looks like a commit id unless a known repository has a branch of that name.
    """
    suggestion = "term-" + re.sub(r"[^A-Za-z0-9._-]+", "-", branch.rsplit("/", 1)[-1]).strip("-.")
    if branch.startswith("refs/"):
        return _(
            "'{ref}' is a full ref name; the hub link needs a plain branch name: use --branch {name} (a branch, not a tag).",
            ref=branch,
            name=branch.split("/", 2)[-1],
        )
    for refs in known:
        if branch in refs.tags and branch not in refs.branches:
            return _(
                "'{ref}' is a tag in {where}, and the hub link needs a branch: nbgitpuller clones a tag on the first click, but every later click fails (it runs `git diff ..origin/{ref}`, and a tag has no origin/{ref}; tag support is nbgitpuller issue #361). Make a branch for the term at that tag and use it: git branch {branch} {ref} && git push origin {branch}, then --branch {branch}. (Binder links may use the tag: leave out --hub.)",
                ref=branch,
                where=refs.where,
                branch=suggestion,
            )
    if _COMMIT.match(branch) and not any(branch in refs.branches for refs in known):
        return _(
            "'{ref}' looks like a commit id, and the hub link needs a branch (nbgitpuller clones and updates a branch). Make a branch at that commit and use it: git branch {branch} {ref} && git push origin {branch}, then --branch {branch}.",
            ref=branch,
            branch="term-" + branch[:7],
        )
    return None


def lti_next(hub_link: str) -> str:
    """The git-pull link relative to the hub's host (what JupyterHub accepts as a `next` URL)."""
    parts = urlsplit(hub_link)
    return f"{parts.path}?{parts.query}"


def lti_launch_url(hub: str, hub_link: str) -> str:
    """The LTI 1.1 launch URL that logs the student in and then follows the git-pull link."""
    base = hub.strip().rstrip("/")
    return f"{base}/hub/lti/launch?{urlencode({'next': lti_next(hub_link)}, quote_via=quote)}"


def lti_custom_parameter(hub_link: str) -> str:
    """The same link as an LMS custom parameter (sent to the hub as `custom_next`)."""
    return f"next={lti_next(hub_link)}"
