"""`one-voice links`: the formats BinderHub and nbgitpuller document, and the README's badge.

Formats checked here (see course/links.py for the sources):
- BinderHub: /v2/gh/<owner>/<repo>/<ref>, /v2/git/<url-escaped url>/<ref>; `urlpath=lab/tree/<path>`.
- nbgitpuller: /hub/user-redirect/git-pull with `repo`, optional `branch`, `urlpath` (relative to the
  server root, so it starts with the clone folder), optional `targetPath` (the clone folder).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from course.editions import links
from course.catalog import lessons
from course.cli.main import main
from course.editions.links import LinkError
from tests.conftest import REPO

PLACEHOLDER = "https://github.com/OWNER/REPO"


def query(url: str) -> dict[str, str]:
    """Each query parameter once, unquoted (parse_qs unquotes)."""
    parsed = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(v) == 1 for v in parsed.values()), parsed
    return {k: v[0] for k, v in parsed.items()}


def cli_lines(capsys, *argv: str) -> list[str]:
    assert main(["links", *argv]) == 0
    return [line.strip() for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("repo", ["https://github.com/OWNER/REPO", "https://github.com/OWNER/REPO.git",
                                  "https://github.com/OWNER/REPO/", "git@github.com:OWNER/REPO.git",
                                  "https://www.github.com/OWNER/REPO"])
def test_github_urls_use_the_gh_provider(repo):
    url = links.binder_url(repo, "00-start-here", ref="main")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "mybinder.org", "/v2/gh/OWNER/REPO/main")
    assert query(url) == {"urlpath": "lab/tree/notebooks/00-start-here.ipynb"}


def test_other_git_urls_use_the_git_provider_with_the_url_escaped():
    repo = "https://gitlab.example.edu/history/one-voice.git"
    url = links.binder_url(repo, "00-start-here", ref="v1.0", binderhub="https://binder.example.edu/")
    parts = urlsplit(url)
    assert parts.netloc == "binder.example.edu"
    provider, escaped, ref = parts.path.removeprefix("/v2/").split("/")  # the URL's own slashes are escaped
    assert (provider, unquote(escaped), ref) == ("git", repo, "v1.0")
    assert query(url)["urlpath"] == "lab/tree/notebooks/00-start-here.ipynb"


def test_binder_default_ref_is_head():
    assert links.binder_url(PLACEHOLDER, "00-start-here").split("?")[0].endswith("/gh/OWNER/REPO/HEAD")


@pytest.mark.parametrize("repo,folder", [("https://github.com/OWNER/one-voice", "one-voice"),
                                         ("https://github.com/OWNER/one-voice.git", "one-voice"),
                                         ("file:///srv/git/one-voice-1958.git/", "one-voice-1958"),
                                         ("git@gitlab.com:grp/one-voice.git", "one-voice")])
def test_nbgitpuller_link_parameters(repo, folder):
    url = links.nbgitpuller_url("https://hub.example.edu/", repo, "00-start-here", branch="main")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    assert query(url) == {"repo": repo, "branch": "main", "targetPath": folder,
                          "urlpath": f"lab/tree/{folder}/notebooks/00-start-here.ipynb"}
    # Every reserved character inside a value is escaped: the query splits into exactly these four.
    assert parts.query.count("&") == 3 and "/" not in parts.query and ":" not in parts.query


def test_nbgitpuller_without_branch_leaves_it_to_the_default_branch_and_keeps_the_hub_prefix():
    url = links.nbgitpuller_url("https://uni.example.edu/jupyter", PLACEHOLDER, "00-start-here")
    assert urlsplit(url).path == "/jupyter/hub/user-redirect/git-pull"
    assert "branch" not in query(url)


def test_cli_prints_binder_badge_and_hub_link(capsys):
    slug = lessons()[-1].slug
    lines = cli_lines(capsys, "--repo", PLACEHOLDER, "--branch", "main", "--hub", "https://hub.example.edu",
                      "--lesson", slug)
    printed = [line for line in lines if line.startswith(("https://", "[!["))]
    assert printed == [links.binder_url(PLACEHOLDER, slug, "main"),
                       links.binder_badge(links.binder_url(PLACEHOLDER, slug, "main")),
                       links.nbgitpuller_url("https://hub.example.edu", PLACEHOLDER, slug, "main")]
    assert query(printed[2])["urlpath"] == f"lab/tree/REPO/notebooks/{slug}.ipynb"
    assert (REPO / "notebooks" / f"{slug}.ipynb").exists()


def test_cli_without_hub_prints_no_hub_link_and_defaults_to_the_first_lesson(capsys):
    lines = cli_lines(capsys, "--repo", PLACEHOLDER)
    assert not any("git-pull" in line for line in lines)
    assert any(line.endswith(f"urlpath=lab/tree/notebooks/{lessons()[0].slug}.ipynb") for line in lines)


def test_unknown_lesson_is_a_clear_error_listing_the_slugs(capsys):
    assert main(["links", "--repo", PLACEHOLDER, "--lesson", "99-no-such-lesson"]) == 2
    err = capsys.readouterr().err
    assert "99-no-such-lesson" in err
    for lesson in lessons():
        assert lesson.slug in err
    with pytest.raises(LinkError):
        links.nbgitpuller_url("hub.example.edu", PLACEHOLDER, "00-start-here")


def test_lesson_may_be_given_as_a_file_name():
    assert links.check_lesson("notebooks/00-start-here.ipynb", ["00-start-here"]) == "00-start-here"


def test_readme_binder_badge_is_what_one_voice_links_prints(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\([^)]*\)", readme)
    assert len(badges) == 1, badges
    lines = cli_lines(capsys, "--repo", PLACEHOLDER, "--lesson", "00-start-here")
    assert badges[0] in lines
