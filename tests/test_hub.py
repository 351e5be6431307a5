"""A classroom on a real JupyterHub: students follow the `one-voice links --hub` link (issue 8).

The hub (tests/hubkit.py) runs on 127.0.0.1 only: JupyterHub and configurable-http-proxy, six
student accounts with a shared password, single-user JupyterLab servers from this venv with their
homes in a temporary folder. The course's remote is a bare clone of this repository (file:// URL).

The lesson is run in the student's own kernel, started by their server through the sessions API and
driven over the kernel websocket through the hub's proxy — what "Run All" in their JupyterLab does,
rather than nbclient on the file from outside the hub — so the test covers the student's real
environment: their server, its kernel, its working folder and its access rules.

Tests share one hub (module scope) and run in file order; student1 is used by the first two.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import nbformat
import pytest

from tests import hubkit

pytestmark = pytest.mark.slow

LESSON = "00-start-here"
FOLDER = hubkit.REMOTE_NAME.removesuffix(".git")
STUDENTS = [f"student{i}" for i in range(1, 7)]
LESSON_PATH = f"{FOLDER}/notebooks/{LESSON}.ipynb"

if hubkit.proxy_command() is None:
    pytest.skip("configurable-http-proxy is not on PATH (npm install -g configurable-http-proxy; .ci/run does it)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A running hub, the course's remote, the printed link, and each student's browser (made on demand)."""
    root = tmp_path_factory.mktemp("classroom")
    remote = hubkit.bare_remote(root / "remote")
    with hubkit.running_hub(root / "hub", STUDENTS) as hub:
        link = hubkit.printed_hub_link(hub.url, remote.as_uri(), LESSON)
        students: dict[str, hubkit.Student] = {}
        yield {"hub": hub, "remote": remote, "link": link, "students": students, "root": root}


def logged_in(classroom, name: str) -> hubkit.Student:
    students = classroom["students"]
    if name not in students:
        student = classroom["hub"].student(name)
        student.login()
        students[name] = student
    return students[name]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.edu", *args],
                          cwd=cwd, check=True, capture_output=True, text=True, timeout=120).stdout


def test_one_student_pulls_and_runs_the_lesson(classroom):
    hub, link = classroom["hub"], classroom["link"]
    assert link.startswith(f"{hub.url}/hub/user-redirect/git-pull?")
    student = logged_in(classroom, "student1")
    result = student.follow_link(link)
    assert result["status"] == 200 and result["landed"].endswith(f"/user/student1/lab/tree/{LESSON_PATH}"), result
    assert any("Cloning into" in e.get("output", "") for e in result["events"]), result["events"]
    # The lesson is in the student's own home, and their JupyterLab serves it.
    assert (hub.home("student1") / LESSON_PATH).is_file()
    model = student.wait_for_file(LESSON_PATH)
    assert model["type"] == "notebook"
    assert model["content"]["metadata"]["one_voice"]["slug"] == LESSON
    # Their JupyterLab has the collection's settings (no news pop-up, no update check): binder/overrides.json,
    # which `make test` copies into the venv.
    settings = student.api("GET", "lab/api/settings/@jupyterlab/apputils-extension:notification").json()
    props = settings["schema"]["properties"]
    assert (props["fetchNews"]["default"], props["checkForUpdates"]["default"]) == ("false", False), \
        f"JupyterLab settings overrides missing from {hubkit.LAB_OVERRIDES}: run `make test`"
    # Opening the lesson starts a kernel in the student's server; Run All raises nothing.
    session = student.open_notebook(LESSON_PATH)
    try:
        errors = student.run_all(session, model["content"])
    finally:
        student.close_notebook(session)
    assert errors == [], errors


def _other_notebook(home: Path) -> tuple[str, bool]:
    """The notebook the student edits: another tracked lesson if the course has one, else a new notebook of theirs."""
    tracked = git("ls-files", "notebooks/*.ipynb", cwd=home / FOLDER).split()
    others = [p for p in tracked if Path(p).stem != LESSON]
    return (f"{FOLDER}/{others[0]}", True) if others else (f"{FOLDER}/notebooks/my-notes.ipynb", False)


def test_update_keeps_the_students_work_and_brings_the_instructors_change(classroom):
    hub, root = classroom["hub"], classroom["root"]
    student = logged_in(classroom, "student1")
    student.follow_link(classroom["link"])  # a no-op if the first test already pulled
    home = hub.home("student1")

    # The student writes in another notebook and saves it (JupyterLab's save is a contents API PUT).
    other, tracked = _other_notebook(home)
    if tracked:
        notebook = student.wait_for_file(other)["content"]
    else:
        notebook = nbformat.v4.new_notebook()
    student_text = f"My answer, written at {time.time():.0f}."
    notebook["cells"].append(nbformat.v4.new_markdown_cell(student_text))
    student.save_notebook(other, notebook)

    # Meanwhile the instructor edits a markdown cell of the lesson and pushes.
    work = root / "instructor"
    subprocess.run(["git", "clone", "--quiet", classroom["remote"].as_uri(), str(work)], check=True,
                   capture_output=True, timeout=120)
    path = work / "notebooks" / f"{LESSON}.ipynb"
    lesson = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(lesson.cells) if c.cell_type == "markdown")
    instructor_text = "Instructor's note for this term: read section 1 before the seminar."
    lesson.cells[index].source += f"\n\n{instructor_text}"
    nbformat.write(lesson, path)
    git("commit", "-q", "-am", "Add a note for this term", cwd=work)
    git("push", "-q", "origin", "HEAD", cwd=work)

    # The student follows the same link again.
    result = student.follow_link(classroom["link"])
    assert result["status"] == 200, result
    lesson_now = student.wait_for_file(LESSON_PATH)["content"]
    assert instructor_text in lesson_now["cells"][index]["source"], "the instructor's change did not arrive"
    mine = student.wait_for_file(other)["content"]
    assert mine["cells"][-1]["source"] == student_text, f"the student's work in {other} was lost"
    print(f"student edited {'a tracked lesson' if tracked else 'a notebook of their own'}: {other}")


def test_five_students_follow_the_link_at_once(classroom):
    hub, link = classroom["hub"], classroom["link"]
    names = STUDENTS[1:6]
    results: dict[str, object] = {}

    def one(name: str) -> None:
        try:
            student = hub.student(name)
            student.login()
            outcome = student.follow_link(link)
            model = student.wait_for_file(LESSON_PATH)
            results[name] = (outcome["status"], model["type"], (hub.home(name) / LESSON_PATH).is_file())
        except Exception as error:  # reported below, per student
            results[name] = error

    threads = [threading.Thread(target=one, args=(name,), name=name) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=420)
    assert not any(t.is_alive() for t in threads), "some students were still waiting after 7 minutes"
    assert results == {name: (200, "notebook", True) for name in names}, results
