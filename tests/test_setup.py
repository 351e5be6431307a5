"""The README's two commands, the Binder environment, and the README's course map."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from course.catalog import MAP_END, MAP_START, lessons, replace_course_map
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


def test_make_lab_serves_the_start_notebook():
    """Run the real `make lab` target on a free loopback port with a token, fetch the lesson, stop it."""
    port, token = free_port(), secrets.token_hex(16)
    args = " ".join(["--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
                     "--ServerApp.open_browser=False", *root_flag()])
    server = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}", f"VENV={Path(sys.prefix)}"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        body = wait_for_json(f"http://127.0.0.1:{port}/api/contents/notebooks/00-start-here.ipynb?token={token}")
        model = json.loads(body)
        assert model["type"] == "notebook"
        assert model["content"]["metadata"]["one_voice"]["slug"] == "00-start-here"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.slow
def test_binder_environment_runs_the_notebooks(tmp_path):
    """A brand-new venv from binder/requirements.txt alone runs every notebook under strict nbval."""
    env_dir = tmp_path / "binder-venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
                             cwd=REPO, capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]
    # The extension the widgets need must be there and enabled.
    listing = subprocess.run([str(env_dir / "bin" / "jupyter"), "labextension", "list"],
                             capture_output=True, text=True, timeout=120)
    text = listing.stdout + listing.stderr
    line = next((l for l in text.splitlines() if "@jupyter-widgets/jupyterlab-manager" in l), "")
    assert "enabled" in line and "OK" in line, text
    # nbval is the test harness, not part of what Binder installs.
    subprocess.run([str(python), "-m", "pip", "install", "-q", "pytest", "nbval"], check=True, timeout=600,
                   capture_output=True)
    run = subprocess.run([str(python), "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "--nbval",
                          "--nbval-sanitize-with", "tests/sanitize.cfg", "notebooks/"],
                         cwd=REPO, capture_output=True, text=True, timeout=1200,
                         env={**os.environ, "ONE_VOICE_PROGRESS": str(tmp_path / "progress.json")})
    assert run.returncode == 0, run.stdout[-5000:]
    assert " passed" in run.stdout.splitlines()[-1]


@pytest.mark.slow
def test_repo2docker_accepts_the_repository():
    repo2docker = Path(sys.executable).with_name("repo2docker")
    result = subprocess.run([str(repo2docker), "--no-build", "--debug", "."], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "FROM " in output and "binder/requirements.txt" in output
    assert "binder/postBuild" in output or "postBuild" in output
