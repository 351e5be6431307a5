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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from course.i18n import t

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
    lesson_path: str  # notebooks/<slug>.ipynb, relative to the repository root


def github_repo(repo_url: str) -> tuple[str, str] | None:
    """(owner, name) for a GitHub repository URL, else None."""
    match = _GITHUB.match(repo_url.strip())
    return (match.group(1), match.group(2)) if match else None


def clone_folder(repo_url: str) -> str:
    """The folder a clone lands in: the URL's last path part without a trailing `.git`."""
    last = repo_url.strip().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    name = last[: -len(".git")] if last.endswith(".git") else last
    if not name:
        raise LinkError(t("links.bad_repo", repo=repo_url))
    return name


def lesson_path(slug: str) -> str:
    return f"{LESSONS_FOLDER}/{slug}.ipynb"


def check_lesson(slug: str, known: list[str]) -> str:
    """The slug, if the collection has that lesson (`.ipynb` may be given); else a LinkError listing them."""
    slug = slug[: -len(".ipynb")] if slug.endswith(".ipynb") else slug
    slug = slug.rsplit("/", 1)[-1]
    if slug not in known:
        raise LinkError(t("links.unknown_lesson", lesson=slug, known=", ".join(known) or t("links.no_lessons")))
    return slug


def binder_spec(repo_url: str, ref: str = BINDER_DEFAULT_REF) -> str:
    """`gh/OWNER/REPO/REF` for GitHub, `git/<url-escaped URL>/REF` for any other git URL."""
    repo_url = repo_url.strip()
    if not repo_url:
        raise LinkError(t("links.bad_repo", repo=repo_url))
    ref = ref or BINDER_DEFAULT_REF
    found = github_repo(repo_url)
    if found:
        owner, name = found
        return f"gh/{owner}/{name}/{quote(ref, safe='')}"
    return f"git/{quote(repo_url, safe='')}/{quote(ref, safe='')}"


def binder_url(repo_url: str, slug: str, ref: str = BINDER_DEFAULT_REF, binderhub: str = MYBINDER) -> str:
    """A Binder link that opens JupyterLab at the lesson."""
    urlpath = quote(f"lab/tree/{lesson_path(slug)}", safe="/")
    return f"{binderhub.rstrip('/')}/v2/{binder_spec(repo_url, ref)}?urlpath={urlpath}"


def binder_badge(url: str) -> str:
    """The Markdown badge for a Binder link (the README carries one)."""
    return f"[![{t('links.badge_alt')}]({BADGE_IMAGE})]({url})"


def nbgitpuller_url(hub: str, repo_url: str, slug: str, branch: str | None = None) -> str:
    """A JupyterHub link: clone or update the repository in the student's home, then open the lesson in JupyterLab.

    Without a branch, nbgitpuller uses the repository's default branch.
    """
    if not re.match(r"^https?://[^/\s]+", hub.strip()):
        raise LinkError(t("links.bad_hub", hub=hub))
    folder = clone_folder(repo_url)
    query: dict[str, str] = {"repo": repo_url.strip()}
    if branch:
        query["branch"] = branch
    query["urlpath"] = f"lab/tree/{folder}/{lesson_path(slug)}"
    query["targetPath"] = folder
    return f"{hub.strip().rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query, quote_via=quote)}"


def make_links(repo_url: str, slug: str, branch: str | None = None, hub: str | None = None,
               binderhub: str = MYBINDER) -> Links:
    """Every link for one lesson (the hub link only when a hub is given)."""
    binder = binder_url(repo_url, slug, branch or BINDER_DEFAULT_REF, binderhub)
    return Links(binder=binder, badge=binder_badge(binder),
                 hub=nbgitpuller_url(hub, repo_url, slug, branch) if hub else None,
                 lesson_path=lesson_path(slug))
