"""The README's two commands, the Binder environment, and the README's course map."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from course.catalog import MAP_END, MAP_START, lessons, replace_course_map
from tests import imagekit
from tests.helpers import free_port, root_flag, wait_for_json

REPO = Path(__file__).resolve().parents[1]


def test_readme_course_map_matches_the_notebooks():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = lessons()
    assert found and found[0].slug == "00-start-here"
    assert replace_course_map(readme, found) == readme, "run: .venv/bin/one-voice course-map --write README.md"
    block = readme.split(MAP_START)[1].split(MAP_END)[0]
    for lesson in found:
        assert f"notebooks/{lesson.filename}" in block and lesson.question in block


def test_chinese_readme_course_map_matches_the_chinese_lessons(monkeypatch):
    folder = REPO / "notebooks" / "zh"
    if not any(folder.glob("[0-9][0-9]-*.ipynb")):
        pytest.skip("notebooks/zh is not built in this checkout: `one-voice translate build` writes it")
    # the map's headings in Chinese, as `one-voice course-map --notebooks notebooks/zh` writes them
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    readme = (REPO / "README.zh.md").read_text(encoding="utf-8")
    found = lessons(folder)
    assert [lesson.slug for lesson in found] == [lesson.slug for lesson in lessons()], "a lesson is missing in Chinese"
    assert replace_course_map(readme, found, "notebooks/zh") == readme, (
        "run: .venv/bin/one-voice course-map --notebooks notebooks/zh --write README.zh.md"
    )
    block = readme.split(MAP_START)[1].split(MAP_END)[0]
    assert "核心问题" in block
    for lesson in found:
        assert f"](notebooks/zh/{lesson.filename})" in block and lesson.title in block and lesson.question in block


def test_make_lab_serves_the_start_notebook():
    """Run the real `make lab` target on a free loopback port with a token, fetch the lesson, stop it."""
    port, token = free_port(), secrets.token_hex(16)
    args = " ".join(
        [
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            "--ServerApp.open_browser=False",
            *root_flag(),
        ]
    )
    server = subprocess.Popen(
        ["make", "-s", "lab", f"LAB_ARGS={args}", f"VENV={Path(sys.prefix)}"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        body = wait_for_json(f"http://127.0.0.1:{port}/api/contents/notebooks/00-start-here.ipynb?token={token}")
        model = json.loads(body)
        assert model["type"] == "notebook"
        assert model["content"]["metadata"]["one_voice"]["slug"] == "00-start-here"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> imagekit.Image:
    """The hub image's files (tests/imagekit.py): repository at <root>/srv/one-voice-1958, env from binder/ alone."""
    return imagekit.shared_image(tmp_path_factory)


@pytest.mark.slow
def test_hub_image_runs_every_lesson_with_an_empty_separate_home(image):
    """The image layout of the guide (repo2docker --target-repo-dir /srv/one-voice-1958), a home volume mounted
    over HOME, the lessons cloned into it: every lesson passes strict nbval from the student's copy."""
    assert image.home not in image.repo_dir.parents and image.repo_dir != image.home
    # The extension the widgets need must be there and enabled.
    listing = image.run([str(image.bin / "jupyter"), "labextension", "list"], cwd=image.repo_dir, timeout=120)
    text = listing.stdout + listing.stderr
    line = next((row for row in text.splitlines() if "@jupyter-widgets/jupyterlab-manager" in row), "")
    assert "enabled" in line and "OK" in line, text
    clone = imagekit.student_home(image)
    assert sorted(p.name for p in image.home.iterdir()) == [imagekit.FOLDER]  # nothing else in the volume
    # A lesson's kernel (cwd = the lesson's folder) imports the package and reads data/ from the image, not HOME.
    where = imagekit.course_location(image, clone / "notebooks")
    assert where.returncode == 0, where.stderr[-2000:]
    module, data = where.stdout.split()
    assert Path(module).is_relative_to(image.repo_dir) and Path(data) == image.repo_dir / "data", where.stdout
    run = imagekit.run_lessons(image, clone)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
    summary = run.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
    print(f"{len(list((clone / 'notebooks').glob('[0-9][0-9]-*.ipynb')))} lessons: {summary}")


@pytest.mark.slow
def test_old_layout_with_the_package_in_home_fails_under_a_home_volume(image, tmp_path):
    """repo2docker's default REPO_DIR=${HOME}: fine without a volume (mybinder.org), ModuleNotFoundError with one."""
    old = imagekit.build(tmp_path, "home", env=image.env)  # same environment, `-e .` reinstalled from HOME
    try:
        assert old.repo_dir == old.home
        without_volume = imagekit.run_lessons(old, old.repo_dir, ["00-start-here"], timeout=600)
        assert without_volume.returncode == 0, without_volume.stdout[-3000:]
        clone = imagekit.student_home(old)
        with_volume = imagekit.run_lessons(old, clone, ["00-start-here"], timeout=600)
        assert with_volume.returncode != 0, with_volume.stdout[-3000:]
        shown = re.sub(r"\x1b\[[0-9;]*m", "", with_volume.stdout)  # nbval colours the tracebacks
        assert "ModuleNotFoundError: No module named 'course'" in shown, shown[-3000:]
        print("old layout under a home volume:", shown.strip().splitlines()[-1])
    finally:
        imagekit.reinstall(image)
    assert Path(imagekit.course_location(image, image.root).stdout.split()[0]).is_relative_to(image.repo_dir)


def test_binder_pins_the_jupyterhub_the_tests_run():
    """The image's jupyterhub-singleuser is the version the hub tests ran (and must match the hub's major version)."""
    pins = dict(
        line.split("==", 1)
        for line in (REPO / "binder" / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert pins.get("jupyterhub") == metadata.version("jupyterhub"), (
        f"binder/requirements.txt pins jupyterhub=={pins.get('jupyterhub')}; the tests run {metadata.version('jupyterhub')}"
    )


@pytest.mark.slow
def test_repo2docker_accepts_the_repository():
    """The guide's build command parses, and its Dockerfile has the steps tests/imagekit.py reproduces."""
    repo2docker = Path(sys.executable).with_name("repo2docker")
    result = subprocess.run(
        [
            str(repo2docker),
            "--no-build",
            "--debug",
            "--target-repo-dir",
            "/srv/one-voice-1958",
            "--user-name",
            "jovyan",
            "--user-id",
            "1000",
            ".",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "FROM " in output
    for step in (
        "ARG REPO_DIR=${HOME}",
        "WORKDIR ${REPO_DIR}",
        "COPY --chown=1000:1000 src/ ${REPO_DIR}/",
        'pip install --no-cache-dir -r "binder/requirements.txt"',
        "RUN ./binder/postBuild",
        "ENV NB_PYTHON_PREFIX=${CONDA_DIR}/envs/notebook",
    ):
        assert step in output, f"repo2docker's Dockerfile no longer has {step!r}: update tests/imagekit.py"
    guide = (REPO / "docs" / "deploying-on-a-hub.md").read_text(encoding="utf-8")
    assert "--target-repo-dir /srv/one-voice-1958" in guide
