"""`one-voice links`: the formats BinderHub and nbgitpuller document, and the README's badge.

Formats checked here (see course/links.py for the sources):
- BinderHub: /v2/gh/<owner>/<repo>/<ref>, /v2/git/<url-escaped url>/<ref>; `urlpath=lab/tree/<path>`.
- nbgitpuller: /hub/user-redirect/git-pull with `repo`, optional `branch`, `urlpath` (relative to the
  server root, so it starts with the clone folder), optional `targetPath` (the clone folder).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from course.catalog import lessons
from course.cli.main import main
from course.editions import links
from course.editions.links import LinkError
from tests.helpers import REPO

PLACEHOLDER = "https://github.com/OWNER/REPO"


def query(url: str) -> dict[str, str]:
    """Each query parameter once, unquoted (parse_qs unquotes)."""
    parsed = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(v) == 1 for v in parsed.values()), parsed
    return {k: v[0] for k, v in parsed.items()}


def cli_lines(capsys, *argv: str) -> list[str]:
    assert main(["links", *argv]) == 0
    return [line.strip() for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    "repo",
    [
        "https://github.com/OWNER/REPO",
        "https://github.com/OWNER/REPO.git",
        "https://github.com/OWNER/REPO/",
        "git@github.com:OWNER/REPO.git",
        "https://www.github.com/OWNER/REPO",
    ],
)
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


@pytest.mark.parametrize(
    "repo,folder",
    [
        ("https://github.com/OWNER/one-voice", "one-voice"),
        ("https://github.com/OWNER/one-voice.git", "one-voice"),
        ("file:///srv/git/one-voice-1958.git/", "one-voice-1958"),
        ("git@gitlab.com:grp/one-voice.git", "one-voice"),
    ],
)
def test_nbgitpuller_link_parameters(repo, folder):
    url = links.nbgitpuller_url("https://hub.example.edu/", repo, "00-start-here", branch="main")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    assert query(url) == {
        "repo": repo,
        "branch": "main",
        "targetPath": folder,
        "urlpath": f"lab/tree/{folder}/notebooks/00-start-here.ipynb",
    }
    # Every reserved character inside a value is escaped: the query splits into exactly these four.
    assert parts.query.count("&") == 3 and "/" not in parts.query and ":" not in parts.query


def test_nbgitpuller_without_branch_leaves_it_to_the_default_branch_and_keeps_the_hub_prefix():
    url = links.nbgitpuller_url("https://uni.example.edu/jupyter", PLACEHOLDER, "00-start-here")
    assert urlsplit(url).path == "/jupyter/hub/user-redirect/git-pull"
    assert "branch" not in query(url)


def test_cli_prints_binder_badge_and_hub_link(capsys):
    slug = lessons()[-1].slug
    lines = cli_lines(
        capsys, "--repo", PLACEHOLDER, "--branch", "main", "--hub", "https://hub.example.edu", "--lesson", slug
    )
    printed = [line for line in lines if line.startswith(("https://", "[!["))]
    assert printed == [
        links.binder_url(PLACEHOLDER, slug, "main"),
        links.binder_badge(links.binder_url(PLACEHOLDER, slug, "main")),
        links.nbgitpuller_url("https://hub.example.edu", PLACEHOLDER, slug, "main"),
    ]
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


# -- hub links need a branch (issue 16) ------------------------------------------------------------


def _git(cwd, *args: str) -> str:
    return subprocess.run(
        [
            "git",
            "-c",
            "user.name=Instructor",
            "-c",
            "user.email=instructor@example.edu",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


@pytest.fixture
def course_clone(tmp_path, monkeypatch):
    """An instructor's clone (the folder `one-voice links` runs from): branch main, tag v2026.1, branch both-1."""
    repo = tmp_path / "clone"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "README.md").write_text("course\n")
    _git(repo, "add", "README.md")
    _git(repo, "commit", "-q", "-m", "first")
    _git(repo, "tag", "v2026.1")
    _git(repo, "tag", "both-1")
    _git(repo, "branch", "both-1")
    monkeypatch.chdir(repo)
    return repo


HUB = "https://hub.example.edu"


def test_a_tag_is_refused_for_the_hub_link_with_the_fix(course_clone, capsys):
    assert main(["links", "--repo", PLACEHOLDER, "--hub", HUB, "--branch", "v2026.1"]) == 2
    captured = capsys.readouterr()
    assert "git-pull" not in captured.out
    err = captured.err
    assert "'v2026.1' is a tag" in err and str(course_clone) in err and "needs a branch" in err
    assert "#361" in err and "git branch term-v2026.1 v2026.1 && git push origin term-v2026.1" in err


def test_the_same_tag_is_fine_for_binder_and_a_branch_is_fine_for_the_hub(course_clone, capsys):
    lines = cli_lines(capsys, "--repo", PLACEHOLDER, "--branch", "v2026.1")
    assert any(line.startswith("https://mybinder.org/v2/gh/OWNER/REPO/v2026.1?") for line in lines)
    for branch in ("main", "both-1", "term-2026-autumn"):  # a branch, a branch that is also a tag, one not fetched
        hub_link = [
            line
            for line in cli_lines(capsys, "--repo", PLACEHOLDER, "--hub", HUB, "--branch", branch)
            if "git-pull" in line
        ]
        assert len(hub_link) == 1 and query(hub_link[0])["branch"] == branch


@pytest.mark.parametrize(
    "ref,words",
    [
        ("refs/tags/v2026.1", "full ref name"),
        ("refs/heads/main", "--branch main"),
        ("3f2c1e9", "looks like a commit id"),
    ],
)
def test_ref_names_and_commit_ids_are_refused_for_the_hub_link(course_clone, capsys, ref, words):
    assert main(["links", "--repo", PLACEHOLDER, "--hub", HUB, "--branch", ref]) == 2
    assert words in capsys.readouterr().err


def test_tags_of_a_local_remote_are_seen_too(tmp_path, capsys, monkeypatch):
    """--repo given as a file:// URL of a bare repository: its tags count, even run from elsewhere."""
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "a.txt").write_text("a\n")
    _git(work, "add", "a.txt")
    _git(work, "commit", "-q", "-m", "a")
    _git(work, "tag", "spring")
    _git(tmp_path, "clone", "-q", "--bare", str(work), "remote.git")
    monkeypatch.chdir(tmp_path)  # not a repository
    remote = (tmp_path / "remote.git").as_uri()
    assert main(["links", "--repo", remote, "--hub", HUB, "--branch", "spring"]) == 2
    assert "'spring' is a tag" in capsys.readouterr().err
    assert links.hub_branch_problem("spring", [links.local_refs(tmp_path / "remote.git")])
    assert links.hub_branch_problem("main", [links.local_refs(tmp_path / "remote.git")]) is None
    assert links.local_refs(tmp_path) is None


# -- LMS launch (LTI 1.1, ltiauthenticator) --------------------------------------------------------


def test_lti_prints_the_launch_url_wrapping_the_hub_link(capsys):
    slug = lessons()[1].slug
    lines = cli_lines(
        capsys, "--repo", PLACEHOLDER, "--branch", "main", "--hub", f"{HUB}/jupyter/", "--lesson", slug, "--lti"
    )
    hub_link = links.nbgitpuller_url(f"{HUB}/jupyter/", PLACEHOLDER, slug, "main")
    assert hub_link in lines
    launch = next(line for line in lines if "/lti/launch?" in line)
    parts = urlsplit(launch)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/jupyter/hub/lti/launch")
    target = urlsplit(hub_link)
    assert query(launch) == {"next": f"{target.path}?{target.query}"}  # hub-relative, as JupyterHub requires
    assert f"next={target.path}?{target.query}" in lines  # the custom-parameter form


def test_lti_needs_a_hub(capsys):
    assert main(["links", "--repo", PLACEHOLDER, "--lti"]) == 2
    assert "--lti needs --hub" in capsys.readouterr().err


def test_nbgitpuller_itself_fails_on_a_tags_second_pull(tmp_path):
    """Why the hub link refuses tags: with the installed nbgitpuller, pulling a tag works once, then fails
    (`git diff ..origin/<tag>`), while a branch pulls again cleanly. Uses nbgitpuller's own `gitpuller` command."""
    gitpuller = Path(sys.executable).with_name("gitpuller")
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "a.txt").write_text("a\n")
    _git(work, "add", "a.txt")
    _git(work, "commit", "-q", "-m", "a")
    _git(work, "tag", "v2026.1")
    _git(tmp_path, "clone", "-q", "--bare", str(work), "remote.git")
    remote = (tmp_path / "remote.git").as_uri()

    def pull(ref: str, folder: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(gitpuller), remote, ref, folder], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    assert pull("v2026.1", "by-tag").returncode == 0 and (tmp_path / "by-tag" / "a.txt").is_file()
    second = pull("v2026.1", "by-tag")
    assert second.returncode != 0 and "..origin/v2026.1" in second.stderr, second.stderr[-1500:]
    assert pull("main", "by-branch").returncode == 0
    assert pull("main", "by-branch").returncode == 0
