"""A classroom on a real JupyterHub: students follow the `one-voice links --hub` link (issue 8).

The hub (tests/hubkit.py) runs on 127.0.0.1 only: JupyterHub and configurable-http-proxy, six
student accounts with a shared password, single-user JupyterLab servers run from the hub image's
environment (tests/imagekit.py: built from binder/ alone, the package at <root>/srv/one-voice-1958)
with each student's home a separate, initially empty folder, as a cluster's home volume is (issue 16).
The course's remote is a bare clone of this repository (file:// URL). A second hub logs students in
through ltiauthenticator (LTI 1.1): the test signs the launch as an LMS does.

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
from urllib.parse import urlencode, urlsplit

import nbformat
import pytest

from tests import hubkit, imagekit

pytestmark = pytest.mark.slow

LESSON = "00-start-here"
FOLDER = hubkit.REMOTE_NAME.removesuffix(".git")
STUDENTS = [f"student{i}" for i in range(1, 7)]
LESSON_PATH = f"{FOLDER}/notebooks/{LESSON}.ipynb"

if hubkit.proxy_command() is None:
    pytest.skip(
        "configurable-http-proxy is not on PATH (npm install -g configurable-http-proxy; .ci/run does it)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> imagekit.Image:
    return imagekit.shared_image(tmp_path_factory)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory, image):
    """A running hub, the course's remote, the printed link, and each student's browser (made on demand)."""
    root = tmp_path_factory.mktemp("classroom")
    remote = hubkit.bare_remote(root / "remote")
    with hubkit.running_hub(root / "hub", STUDENTS, server_env=image.env) as hub:
        assert not hub.state.is_relative_to(image.root) and not image.repo_dir.is_relative_to(hub.state)
        link = hubkit.printed_hub_link(hub.url, remote.as_uri(), LESSON)
        students: dict[str, hubkit.Student] = {}
        yield {"hub": hub, "remote": remote, "link": link, "students": students, "root": root, "image": image}


def logged_in(classroom, name: str) -> hubkit.Student:
    students = classroom["students"]
    if name not in students:
        student = classroom["hub"].student(name)
        student.login()
        students[name] = student
    return students[name]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.edu", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


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
    # The home holds only what the student's link put there (the image's files are elsewhere).
    assert sorted(p.name for p in hub.home("student1").iterdir() if not p.name.startswith(".")) == [FOLDER]
    # Their JupyterLab has the collection's settings from the image (binder/postBuild): no news pop-up, no update
    # check, and closing a lesson's tab shuts its kernel down.
    settings = student.api("GET", "lab/api/settings/@jupyterlab/apputils-extension:notification").json()
    props = settings["schema"]["properties"]
    assert (props["fetchNews"]["default"], props["checkForUpdates"]["default"]) == ("false", False)
    tracker = student.api("GET", "lab/api/settings/@jupyterlab/notebook-extension:tracker").json()
    assert tracker["schema"]["properties"]["kernelShutdown"]["default"] is True
    # Opening the lesson starts a kernel in the student's server; Run All raises nothing.
    session = student.open_notebook(LESSON_PATH)
    try:
        errors = student.run_all(session, model["content"])
        # The kernel runs in the lesson's folder in the student's home, and imports the package from the image.
        where = student.run_code(
            session,
            "import os, course, course.settings as p\nprint(os.getcwd()); print(course.__file__); print(p.data_dir())",
        )
    finally:
        student.close_notebook(session)
    assert errors == [], errors
    # The image's Jupyter Server settings (binder/postBuild) took effect: the server culls idle kernels.
    assert "Culling kernels with idle durations > 1200 seconds" in hub.log_path.read_text(errors="replace")
    cwd, module, data = where.split()
    image = classroom["image"]
    assert Path(cwd) == hub.home("student1") / FOLDER / "notebooks", where
    assert Path(module).is_relative_to(image.repo_dir) and Path(data) == image.repo_dir / "data", where


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
    subprocess.run(
        ["git", "clone", "--quiet", classroom["remote"].as_uri(), str(work)],
        check=True,
        capture_output=True,
        timeout=120,
    )
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


# -- LMS launch: ltiauthenticator (LTI 1.1) ---------------------------------------------------------


@pytest.fixture(scope="module")
def lti_classroom(tmp_path_factory, image):
    root = tmp_path_factory.mktemp("lti-classroom")
    remote = hubkit.bare_remote(root / "remote")
    with hubkit.running_hub(
        root / "hub", ["lms-1001", "lms-1002", "lms-1003", "lms-1004"], server_env=image.env, lti=True
    ) as hub:
        launch, custom = hubkit.printed_lti_links(hub.url, remote.as_uri(), LESSON)
        yield {"hub": hub, "launch": launch, "custom": custom}


def _lands_in_the_lesson(hub, student, page) -> None:
    result = student.follow_link("", page=page)
    assert result["status"] == 200 and result["landed"].endswith(f"/user/{student.name}/lab/tree/{LESSON_PATH}"), result
    assert (hub.home(student.name) / LESSON_PATH).is_file()
    assert student.wait_for_file(LESSON_PATH)["content"]["metadata"]["one_voice"]["slug"] == LESSON


def test_a_signed_lti_launch_lands_the_student_in_the_lesson(lti_classroom):
    """The launch URL `one-voice links --lti` prints, posted as an LMS posts it: login, spawn, pull, lesson."""
    hub = lti_classroom["hub"]
    student = hub.student("lms-1001")
    page = student.lti_launch(lti_classroom["launch"])
    _lands_in_the_lesson(hub, student, page)


def test_the_custom_parameter_form_lands_in_the_lesson_too(lti_classroom):
    """One tool launch URL and a per-lesson custom parameter `next=...` (the LMS sends it as custom_next)."""
    hub = lti_classroom["hub"]
    name, value = lti_classroom["custom"].split("=", 1)
    assert name == "next"
    student = hub.student("lms-1002")
    page = student.lti_launch(f"{hub.url}/hub/lti/launch", custom_next=value)
    _lands_in_the_lesson(hub, student, page)


def test_custom_next_in_the_launch_url_query_is_ignored_by_ltiauthenticator(lti_classroom):
    """Why --lti prints `?next=`: ltiauthenticator reads custom_next from the form body only, so a launch URL
    `.../hub/lti/launch?custom_next=<link>` logs the student in but does not open the lesson."""
    hub = lti_classroom["hub"]
    _, value = lti_classroom["custom"].split("=", 1)
    student = hub.student("lms-1003")
    page = student.lti_launch(f"{hub.url}/hub/lti/launch?{urlencode({'custom_next': value})}")
    assert urlsplit(page.url).path == "/hub/home", page.url  # logged in, on the hub's home page
    assert not (hub.home(student.name) / LESSON_PATH).exists()


def test_a_launch_signed_with_the_wrong_secret_is_refused(lti_classroom):
    hub = lti_classroom["hub"]
    student = hub.student("lms-1004")
    real = hub.lti
    hub.lti = hubkit.LTI(real.key, "not-the-secret")
    try:
        with pytest.raises(hubkit.HubError, match="401"):
            student.lti_launch(lti_classroom["launch"])
    finally:
        hub.lti = real
    assert not hub.home(student.name).exists() or not (hub.home(student.name) / FOLDER).exists()
