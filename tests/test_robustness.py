"""Robustness: the lessons run the same every time, anywhere, offline, in 2 GB; rendering is safe; bad input is named.

Every lesson that exists (`notebooks/NN-*.ipynb`) is executed with nbclient in fresh kernels
(tests/notebook_runner.py), once per scenario, several kernels at a time:

1. twice, with different hash seeds and time zones: the outputs nbval checks must agree with each
   other and with the committed outputs;
2. from a copy of the collection, with the working directory elsewhere and no ONE_VOICE_* settings:
   nothing is written into notebooks/ or data/;
3. client and kernels inside a network namespace with only loopback: outbound connections are
   proved refused first;
4. under a 2 GB address-space limit (Binder gives 1-2 GB): a control proves the limit bites.

The fast tests check the static side: no network code, HTML escaped in every renderer, no answer
keys in the student edition, course configs confined to their folder, a broken self-check bank named.
A corrupted progress file is covered by tests/coursework/test_progress.py, a damaged CSV by test_data_damage.py.
"""

from __future__ import annotations

import ast
import dataclasses
import html
import json
import mmap
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from notebook_runner import (
    NOTEBOOKS,
    REPO,
    Batch,
    checked_outputs,
    clean_env,
    differences,
    errors_in,
    lesson_paths,
    run_batch,
    run_batches,
    tiny_notebook,
)

LESSONS = lesson_paths()
LESSON_PARAMS = [pytest.param(p, id=p.stem) for p in LESSONS]
COURSE = REPO / "course"
DATA = REPO / "data"
GIB = 1024**3
MEMORY_LIMIT = 2 * GIB


def result_for(batch_result, lesson: Path):
    return next(r for r in batch_result.results if r.notebook.name == lesson.name)


def cell_streams(nb: dict) -> list[str]:
    """Each code cell's stream output, joined."""
    return [
        "".join("".join(o.get("text", "")) for o in c.get("outputs", []) if o.get("output_type") == "stream")
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]


def assert_ran(result) -> None:
    assert result.ok, f"{result.name} failed: {result.error}"
    assert result.executed is not None
    assert not errors_in(result.executed), errors_in(result.executed)


# --- 1. determinism ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Each lesson twice in fresh kernels, as Restart-and-Run-All does (working directory: the lessons' folder).

    The runs differ in what must not matter: the hash seed (set and dict order of strings) and the
    time zone. Both run on one snapshot of notebooks/ and data/ (ONE_VOICE_NOTEBOOKS, ONE_VOICE_DATA),
    so an author saving a lesson or a CSV meanwhile cannot pass for nondeterminism; the progress file
    goes to a temporary path, so no student's saved answers play a part.
    """
    root = tmp_path_factory.mktemp("determinism")
    snapshot = {
        name: shutil.copytree(
            REPO / name,
            root / "snapshot" / name,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".one-voice-progress.json*"),
        )
        for name in ("notebooks", "data")
    }
    lessons = [snapshot["notebooks"] / p.name for p in LESSONS]
    batches = [
        Batch(
            lessons,
            snapshot["notebooks"],
            root / name,
            jobs=2,
            env=clean_env(
                ONE_VOICE_PROGRESS=str(root / name / "progress.json"),
                PYTHONHASHSEED=seed,
                TZ=tz,
                ONE_VOICE_NOTEBOOKS=str(snapshot["notebooks"]),
                ONE_VOICE_DATA=str(snapshot["data"]),
            ),
        )
        for name, seed, tz in (("first", "1", "UTC"), ("second", "2024", "Pacific/Auckland"))
    ]
    return run_batches(batches)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSON_PARAMS)
def test_two_fresh_runs_show_the_same_outputs(two_runs, lesson):
    first, second = (result_for(run, lesson) for run in two_runs)
    assert_ran(first)
    assert_ran(second)
    found = differences(checked_outputs(first.executed), checked_outputs(second.executed))
    assert not found, f"{lesson.name} is not deterministic:\n" + "\n".join(found)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSON_PARAMS)
def test_a_fresh_run_shows_the_committed_outputs(two_runs, lesson):
    run = result_for(two_runs[0], lesson)
    committed = json.loads(run.notebook.read_text(encoding="utf-8"))  # the snapshot the runs executed
    assert any(c.get("outputs") for c in committed["cells"] if c["cell_type"] == "code"), (
        f"{lesson.name} is saved without outputs: commit it executed (GUIDE §6), or nbval only checks that it runs"
    )
    assert_ran(run)
    found = differences(checked_outputs(committed), checked_outputs(run.executed))
    assert not found, f"{lesson.name}: the committed outputs are stale (re-run the lesson and save it):\n" + "\n".join(
        found
    )


def test_the_comparison_sees_text_and_ignores_what_nbval_ignores():
    """Control for the two tests above: a changed text differs; addresses, images and widget views do not."""

    def notebook(text, address, png, model):
        cell = nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output("stream", name="stdout", text=["a", text]),
                nbformat.v4.new_output("display_data", data={"text/plain": f"<object at {address}>", "image/png": png}),
                nbformat.v4.new_output(
                    "execute_result",
                    execution_count=1,
                    data={"text/plain": "VBox()", "application/vnd.jupyter.widget-view+json": {"model_id": model}},
                ),
            ],
        )
        ignored = nbformat.v4.new_code_cell(
            "y",
            metadata={"tags": ["nbval-ignore-output"]},
            outputs=[nbformat.v4.new_output("stream", name="stdout", text=text)],
        )
        return nbformat.v4.new_notebook(cells=[cell, ignored])

    base = checked_outputs(notebook("b\n", "0x7f00", "AAAA", "m1"))
    assert base == checked_outputs(notebook("b\n", "0x1234abcd", "BBBB", "m2"))
    assert base[0] == {"stream:stdout": ["ab\n"], "text/plain": ["<object at 0xADDRESS>", "VBox()"]}
    assert 1 not in base
    assert differences(base, checked_outputs(notebook("c\n", "0x7f00", "AAAA", "m1")))


# --- 2. working directory elsewhere ----------------------------------------------------------------------


def listing(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below `folders` (hidden ones too), with mtime and size."""
    found = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            stat = path.lstat()
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def changes(before: dict, after: dict) -> list[str]:
    return (
        [f"new: {p}" for p in sorted(set(after) - set(before))]
        + [f"gone: {p}" for p in sorted(set(before) - set(after))]
        + [f"changed: {p}" for p in sorted(set(before) & set(after)) if before[p] != after[p]]
    )


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """The lessons run from a private copy of the collection (so authors editing notebooks/ now cannot
    disturb the before/after listing), with the kernels' working directory in another temporary
    folder and no ONE_VOICE_* variable: everything must be found from the package, nothing written beside it.

    A control notebook in the same batch answers a self-check, which must save to the working
    directory: proof that the listing would have seen a write had it gone into notebooks/.
    """
    root = tmp_path_factory.mktemp("elsewhere")
    copy = root / "collection"
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", ".one-voice-progress.json*")
    for name in ("course", "data", "notebooks"):
        shutil.copytree(REPO / name, copy / name, ignore=ignore)
    cwd = root / "somewhere-else"
    cwd.mkdir()
    control = tiny_notebook(
        root / "control-cwd.ipynb",
        [
            "import os, pathlib, course\nfrom course import settings\n"
            "print(pathlib.Path(os.getcwd()).name, pathlib.Path(course.__file__).parent.parent.name)\n"
            "print(settings.progress_path().parent.name, settings.data_dir().parent.name)",
            "from course.coursework.selfcheck_widget import self_check\nw = self_check('start-cpv-last-troops')\n"
            "w.controls[0].value = '26 October 1958'\nw.submit()\nprint('Correct' in w.feedback.value)",
        ],
    )
    env = clean_env(PYTHONPATH=str(copy))
    resolved = subprocess.run(
        [sys.executable, "-c", "import course; print(course.__file__)"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(resolved).is_relative_to(copy), f"the copy is not the package the kernels import: {resolved}"
    lessons = [copy / "notebooks" / p.name for p in LESSONS]
    watched = (copy / "notebooks", copy / "data")
    before = listing(*watched)
    run = run_batch(Batch(lessons + [control], cwd, root / "out", env=env, jobs=3))
    return run, before, listing(*watched), cwd


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSON_PARAMS)
def test_lessons_run_from_another_working_directory(elsewhere, lesson):
    run, *_ = elsewhere
    assert_ran(result_for(run, lesson))


@pytest.mark.slow
def test_running_lessons_writes_nothing_into_notebooks_or_data(elsewhere):
    run, before, after, cwd = elsewhere
    control = result_for(run, Path("control-cwd.ipynb"))
    assert_ran(control)
    assert cell_streams(control.executed) == ["somewhere-else collection\nsomewhere-else collection\n", "True\n"]
    assert (cwd / ".one-voice-progress.json").exists(), "the control's answer was not saved where the lesson ran"
    assert not changes(before, after), changes(before, after)


def test_the_listing_sees_new_and_touched_files(tmp_path):
    """Control: the before/after listing reports a new file, a hidden one and a rewritten one."""
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    before = listing(tmp_path)
    os.utime(tmp_path / "a.csv", ns=(1, 1))
    (tmp_path / ".one-voice-progress.json").write_text("{}", encoding="utf-8")
    found = changes(before, listing(tmp_path))
    assert any(f.startswith("new:") and f.endswith(".one-voice-progress.json") for f in found)
    assert any(f.startswith("changed:") and f.endswith("a.csv") for f in found)


# --- 3. no network ----------------------------------------------------------------------------------------

LOOPBACK_UP_PY = (
    "import fcntl, socket, struct; s = socket.socket(); "
    "flags = struct.unpack('16sh', fcntl.ioctl(s, 0x8913, struct.pack('16sh', b'lo', 0)))[1]; "
    "fcntl.ioctl(s, 0x8914, struct.pack('16sh', b'lo', flags | 1))"
)


def offline_prefix() -> tuple[str, ...]:
    """A command prefix that runs its command in a new network namespace with only loopback up.

    `ip` (iproute2) brings loopback up where installed; otherwise the same ioctl from Python.
    """
    up = "ip link set lo up" if shutil.which("ip") else f'"{sys.executable}" -c "{LOOPBACK_UP_PY}"'
    return ("unshare", "--net", "--map-root-user", "sh", "-c", f'{up} && exec "$@"', "sh")


def offline_unavailable() -> str | None:
    if not shutil.which("unshare"):
        return "unshare (util-linux) is not installed"
    trial = subprocess.run([*offline_prefix(), "true"], capture_output=True, text=True)
    if trial.returncode != 0:
        return (
            f"this machine does not allow an unprivileged network namespace "
            f"(unshare --net --map-root-user: {trial.stderr.strip()[:200]})"
        )
    return None


def outward_address() -> str:
    """This machine's address on its outward interface (falls back to loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for a UDP connect
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """Every lesson executed with the client and its kernels inside a network namespace with only loopback.

    A listener outside the namespace, on this machine's outward address, is the positive control: the
    test process reaches it, the namespaced client and kernel must not. A control notebook tries the
    same from inside a kernel.
    """
    reason = offline_unavailable()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("offline")
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", 0))
    listener.listen(16)

    def serve() -> None:
        while True:
            try:
                listener.accept()[0].close()
            except OSError:  # closed at the end of the fixture
                return

    threading.Thread(target=serve, daemon=True).start()
    target = f"{outward_address()}:{listener.getsockname()[1]}"
    host, port = target.split(":")
    with socket.create_connection((host, int(port)), timeout=3):
        reachable_outside = True
    control = tiny_notebook(
        root / "control-offline.ipynb",
        [
            "import socket, urllib.request\n"
            f"for target in [('{host}', {port}), ('1.1.1.1', 443)]:\n"
            "    try:\n        socket.create_connection(target, timeout=3); print('connected', target)\n"
            "    except OSError as error:\n        print('refused', target, type(error).__name__)\n"
            "try:\n    urllib.request.urlopen('https://pypi.org/simple/', timeout=5); print('fetched')\n"
            "except OSError as error:\n    print('fetch refused', type(error).__name__)",
        ],
    )
    try:
        run = run_batch(
            Batch(
                LESSONS + [control],
                NOTEBOOKS,
                root / "out",
                prefix=offline_prefix(),
                jobs=3,
                env=clean_env(ONE_VOICE_PROGRESS=str(root / "progress.json")),
                probes=(target, "1.1.1.1:443", "[2606:4700:4700::1111]:443"),
                dns_probes=("pypi.org",),
            )
        )
    finally:
        listener.close()
    return run, reachable_outside, target


@pytest.mark.slow
def test_the_network_guard_refuses_outbound_connections(offline):
    run, reachable_outside, target = offline
    assert reachable_outside, f"control: {target} must be reachable from outside the namespace"
    assert set(run.probes) == {target, "1.1.1.1:443", "[2606:4700:4700::1111]:443", "dns:pypi.org"}
    assert all(outcome.startswith("refused") for outcome in run.probes.values()), run.probes
    control = result_for(run, Path("control-offline.ipynb"))
    assert_ran(control)
    printed = cell_streams(control.executed)[0]
    assert "connected" not in printed and "fetched" not in printed, printed
    assert printed.count("refused") == 3, printed


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSON_PARAMS)
def test_lessons_run_without_a_network(offline, lesson):
    run, *_ = offline
    assert all(outcome.startswith("refused") for outcome in run.probes.values()), "the guard was not in place"
    assert_ran(result_for(run, lesson))


NETWORK_MODULES = {
    "socket",
    "ssl",
    "http.client",
    "urllib.request",
    "urllib3",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "websocket",
    "websockets",
}
NETWORK_CALLS = {"urlopen", "urlretrieve", "create_connection", "getaddrinfo"}
NOTEBOOK_NETWORK = re.compile(
    r"urlopen|urlretrieve|requests\.(get|post|put|head|Session)|httpx\.|urllib\.request|"
    r"http\.client|socket\.|^\s*[!%](pip|conda|wget|curl)\b|read_\w+\(\s*[rf]?['\"]https?:",
    re.MULTILINE,
)


def _network_module(name: str) -> bool:
    return name in NETWORK_MODULES or name.split(".")[0] in NETWORK_MODULES


def network_uses(source: str) -> list[str]:
    """Imports of network modules and calls of fetching functions in Python source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _network_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _network_module(node.module):
                found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in NETWORK_MODULES]
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in NETWORK_CALLS:
                found.append(f"{name}()")
    return found


def test_course_modules_do_no_networking():
    found = {
        str(p.relative_to(REPO)): network_uses(p.read_text(encoding="utf-8")) for p in sorted(COURSE.rglob("*.py"))
    }
    assert not {k: v for k, v in found.items() if v}


def test_no_lesson_cell_fetches_from_the_web():
    notebooks = sorted(NOTEBOOKS.rglob("*.ipynb"))
    found = [
        (p.name, m.group(0))
        for p in notebooks
        for c in nbformat.read(str(p), as_version=4).cells
        if c.cell_type == "code"
        for m in [NOTEBOOK_NETWORK.search(c.source)]
        if m
    ]
    assert not found


def test_the_network_scans_find_what_they_look_for():
    """Control for the two scans above."""
    assert network_uses("import urllib.request") == ["urllib.request"]
    assert network_uses("from urllib.request import urlopen\nurlopen('x')") == ["urllib.request", "urlopen()"]
    assert network_uses("from urllib import request") == ["urllib.request"]
    assert network_uses("import socket as s") == ["socket"]
    assert network_uses("from http import client") == ["http.client"]
    assert network_uses("import urllib.parse\nfrom html import escape") == []
    for cell in (
        "requests.get('https://x')",
        "!pip install x",
        "pd.read_csv('https://x/y.csv')",
        "from urllib.request import urlopen",
    ):
        assert NOTEBOOK_NETWORK.search(cell), cell
    assert not NOTEBOOK_NETWORK.search("show_source('tian-2014')  # https://example.org is only a link")


# --- 4. memory limit -----------------------------------------------------------------------------------------


def memory_unavailable() -> str | None:
    if not shutil.which("prlimit"):
        return "prlimit (util-linux) is not installed"
    return None


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """Every lesson with the client and its kernels limited to 2 GB of address space each (prlimit --as;
    the kernels inherit the limit from the client that starts them). A control notebook in the same
    batch reads its limit and tries to allocate 3 GB, which must fail."""
    reason = memory_unavailable()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("memory")
    control = tiny_notebook(
        root / "control-memory.ipynb",
        [
            "import resource\nprint(resource.getrlimit(resource.RLIMIT_AS)[0])",
            "try:\n    block = bytearray(3 * 1024 ** 3); print('allocated', len(block)); del block\n"
            "except MemoryError:\n    print('MemoryError')",
        ],
    )
    return run_batch(
        Batch(
            LESSONS + [control],
            NOTEBOOKS,
            root / "out",
            prefix=("prlimit", f"--as={MEMORY_LIMIT}", "--"),
            env=clean_env(ONE_VOICE_PROGRESS=str(root / "progress.json")),
            jobs=3,
        )
    )


@pytest.mark.slow
def test_the_memory_limit_is_in_force(limited):
    # Without the limit, this process can map 3 GB (reserved, not touched): the control's failure is the limit's doing.
    if (
        resource.getrlimit(resource.RLIMIT_AS)[0] in (resource.RLIM_INFINITY,)
        or resource.getrlimit(resource.RLIMIT_AS)[0] > 4 * GIB
    ):
        with mmap.mmap(-1, 3 * GIB) as block:
            assert len(block) == 3 * GIB
    control = result_for(limited, Path("control-memory.ipynb"))
    assert_ran(control)
    assert cell_streams(control.executed) == [f"{MEMORY_LIMIT}\n", "MemoryError\n"]


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSON_PARAMS)
def test_lessons_run_in_two_gigabytes(limited, lesson):
    assert_ran(result_for(limited, lesson))


# --- 5a. every renderer escapes data-driven text ------------------------------------------------------------

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>'\"><svg onload=alert(1)>"
ESCAPED_MARK = html.escape("<script>alert(1)</script>")  # proves the payload reached the output


def structural_columns() -> set[tuple[str, str]]:
    """Columns the code interprets (enumerations and dates): the loader admits only listed values there,
    so no markup can reach a renderer through them. Every other string column is poisoned."""
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    found = {(r["name"], "date_start") for r in descriptor["resources"]}
    for resource_ in descriptor["resources"]:
        for field in resource_.get("schema", {}).get("fields", []):  # the map's GeoJSON has no table schema
            if "enum" in field.get("constraints", {}) or field["name"] in ("date", "date_sort"):
                found.add((resource_["name"], field["name"]))
    return found


def poisoned_value(value):
    if isinstance(value, str):
        return value + PAYLOAD
    if isinstance(value, tuple):
        return tuple(poisoned_value(v) for v in value)
    return value


@pytest.fixture(scope="module")
def poisoned():
    """A copy of the evidence with markup appended to every free-text cell and every id (references
    changed alike, so the data still joins), and one source's URL made a javascript: link."""
    from course.evidence.package import evidence

    original = evidence()
    skip = structural_columns()
    frames = {}
    for name in (f.name for f in dataclasses.fields(original)):
        frame = getattr(original, name).copy()
        for column in frame.columns:
            textual = frame[column].map(lambda v: isinstance(v, (str, tuple))).any()
            if textual and (name, column) not in skip:
                frame[column] = frame[column].map(poisoned_value)
        frames[name] = frame
    frames["sources"].loc[0, "url"] = "javascript:alert(1)//" + PAYLOAD
    return dataclasses.replace(original, **frames)


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "svg"):
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"{name}= attribute on <{tag}>")
            if name.lower() in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: {name} on <{tag}>")


def unsafe(markup: str) -> list[str]:
    """What in a piece of HTML would run script: raw script/img-onerror text, script-like elements,
    event-handler attributes, javascript: links."""
    parser = _Markup()
    parser.feed(markup)
    parser.close()
    problems = parser.problems
    lowered = markup.lower()
    if "<script" in lowered:
        problems.append("raw <script")
    if "<img src=x" in lowered or "<svg onload" in lowered:
        problems.append("raw payload tag")
    return problems


def widget_html(widget) -> list[str]:
    """The HTML a widget tree shows: HTML widgets' values, Output widgets' HTML, descriptions that allow HTML."""
    import ipywidgets as widgets

    found, seen, todo = [], set(), [widget]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (widgets.HTML, widgets.HTMLMath)):
            found.append(current.value)
        if isinstance(current, widgets.Output):
            found += [o.get("data", {}).get("text/html", "") for o in current.outputs]
        if getattr(current, "description_allow_html", False):
            found.append(current.description)
        todo += list(getattr(current, "children", ()) or ())
    return found


def _packet(ev, tmp_path, monkeypatch):
    from course.catalog import Lesson
    from course.editions.config import CourseConfig
    from course.editions.packet import packet_html
    from course.editions.student import BuiltLesson

    lesson = Lesson(slug="00-x", number="00", title=PAYLOAD, question=PAYLOAD, minutes=5, difficulty=PAYLOAD)
    config = CourseConfig(title=PAYLOAD, introduction=PAYLOAD, lessons=())
    slugs = list(dict.fromkeys(ev.excerpts.lesson))  # poisoned alike in excerpts and sources, so they still join
    return [packet_html(config, BuiltLesson(None, lesson, None), ev, slug=slug) for slug in slugs]


def _lesson_helpers(ev, tmp_path, monkeypatch):
    from course.display import cards as lesson
    from course.display import documents

    out = [lesson.timeline_html(ev.events), lesson.sources_line_html(tuple(ev.sources.id))]
    out += [lesson.event_html(row) for _, row in ev.events.iterrows()]
    out += [lesson.source_card_html(row) for _, row in ev.sources.iterrows()]
    out += [documents.document_html(excerpt_id, ev) for excerpt_id in ev.excerpts.id]
    return out + [lesson.cast_html(ev.people)]


def _lesson_show_functions(ev, tmp_path, monkeypatch):
    from course.display import cards as lesson
    from course.display import documents

    shown = []
    monkeypatch.setattr(lesson, "evidence", lambda: ev)
    monkeypatch.setattr(lesson, "display", lambda obj: shown.append(obj.data))
    lesson.show_timeline()
    lesson.show_timeline(ids=list(ev.events.id))
    for event_id in ev.events.id:
        lesson.show_event(event_id)
    for source_id in ev.sources.id:
        lesson.show_source(source_id)
    lesson.show_cast()
    lesson.show_cast(list(ev.people.id))
    monkeypatch.setattr(documents, "evidence", lambda: ev)
    monkeypatch.setattr(documents, "display", lambda obj: shown.append(obj.data))
    for excerpt_id in ev.excerpts.id:
        documents.show_document(excerpt_id)
    return shown


def _course_map(ev, tmp_path, monkeypatch):
    from course.display import cards as lesson

    nb = nbformat.v4.new_notebook()
    nb.metadata["one_voice"] = {
        "slug": "99-x" + PAYLOAD,
        "number": "99" + PAYLOAD,
        "title": PAYLOAD,
        "question": PAYLOAD,
        "minutes": 5,
        "difficulty": PAYLOAD,
    }
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, str(folder / "99-x.ipynb"))
    monkeypatch.setenv("ONE_VOICE_NOTEBOOKS", str(folder))
    shown = []
    monkeypatch.setattr(lesson, "display", lambda obj: shown.append(obj.data))
    lesson.show_course_map()
    return [lesson.course_map_html(), *shown]


def _force_balance(ev, tmp_path, monkeypatch):
    from course.explorers import charts
    from course.explorers import force_balance as fb

    out = []
    for estimate in fb.ESTIMATES:
        current = fb.view(fb.ForceBalanceState(year=1957, estimate=estimate), ev)
        out.append(fb.table_html(current))
        out.append(charts.image_html(b"png", current.text_alternative + PAYLOAD))
    return out + widget_html(fb.force_balance(evidence=ev))


def _troop_map(ev, tmp_path, monkeypatch):
    from course.explorers import charts, maps

    shown = maps.view(ev)
    return [maps.table_html(shown), charts.image_html(b"png", shown.text_alternative)] + widget_html(
        maps.show_troop_map(evidence=ev)
    )


def _withdrawal_scenario(ev, tmp_path, monkeypatch):
    from course.explorers import withdrawal_scenario as ws

    # Its data-driven text is the Puzanov source's title, found by id: give the poisoned row that id.
    sources = ev.sources.copy()
    sources.loc[sources.id == ws.PUZANOV_SOURCE + PAYLOAD, "id"] = ws.PUZANOV_SOURCE
    shell = ws.WithdrawalScenarioExplorer(evidence=dataclasses.replace(ev, sources=sources))
    return widget_html(shell.root)


def _source_reader(ev, tmp_path, monkeypatch):
    from course.explorers import source_reader as sr

    shell = sr.SourceReaderExplorer(evidence=ev)
    out = widget_html(shell.root)
    shell.text.value = "onerror"  # a search that matches every (poisoned) source
    assert len(shell.current.ids) == len(ev.sources)
    return out + widget_html(shell.root)


def _who_knew_what(ev, tmp_path, monkeypatch):
    from course.explorers import who_knew_what as wkw

    shell = wkw.WhoKnewWhatExplorer(date=wkw.LAST_DAY.isoformat(), evidence=ev)
    out = widget_html(shell.root)
    out += [wkw.view(wkw.WhoKnewWhatState(date=day), ev).table_html for _, day in wkw.key_dates(ev.events)[:5]]
    return out


def _plan_comparison(ev, tmp_path, monkeypatch):
    from course.explorers import plan_comparison as pc

    state = pc.PlanComparisonState()
    for plan in pc.PLANS:
        for dimension in pc.DIMENSIONS:
            state = pc.predict(state, plan, dimension, pc.VOCABULARY[dimension][0])
    shown = pc.view(pc.reveal_all(state), ev)
    shell = pc.PlanComparisonExplorer(evidence=ev)
    shell.reveal_all.click()
    return [shown.grid_html, shown.notes_html, *widget_html(shell.root)]


def _argument_map(ev, tmp_path, monkeypatch):
    from course.explorers import argument_map as am

    out = []
    for node in ev.claims.id:
        current = am.view(am.ArgumentMapState(None, node), ev)
        out += [current.node_html, current.parent_html, current.children_note_html, current.path_html]
    current = am.view(am.ArgumentMapState(None, None), ev)
    out += [current.outline_html, current.table_html]
    for lesson in sorted(set(ev.claims.lesson)):
        out += widget_html(am.argument_map(lesson=lesson, evidence=ev))
    return out + widget_html(am.argument_map(evidence=ev))


def _selfcheck(ev, tmp_path, monkeypatch):
    from course.coursework.selfcheck_widget import self_check

    bank = tmp_path / "selfchecks"
    bank.mkdir()
    p = PAYLOAD
    questions = [
        {
            "id": "x-mc",
            "skill": "recall",
            "kind": "multiple_choice",
            "prompt": p,
            "options": ["a" + p, "b" + p],
            "answer": "a" + p,
            "explain": "e" + p,
            "source_ids": ["s" + p],
        },
        {
            "id": "x-short",
            "skill": "recall",
            "kind": "short_answer",
            "prompt": p,
            "answer": "k" + p,
            "explain": "e" + p,
            "source_ids": ["s" + p],
        },
        {
            "id": "x-num",
            "skill": "recall",
            "kind": "numeric",
            "prompt": p,
            "answer": 5,
            "explain": "e" + p,
            "source_ids": ["s" + p],
        },
        {
            "id": "x-order",
            "skill": "recall",
            "kind": "ordering",
            "prompt": p,
            "items": ["1" + p, "2" + p],
            "answer": ["1" + p, "2" + p],
            "explain": "e" + p,
            "source_ids": ["s" + p],
        },
        {
            "id": "x-match",
            "skill": "recall",
            "kind": "matching",
            "prompt": p,
            "pairs": [["l" + p, "r" + p], ["m" + p, "n" + p]],
            "explain": "e" + p,
            "source_ids": ["s" + p],
        },
    ]
    (bank / "99-x.json").write_text(json.dumps(questions), encoding="utf-8")
    monkeypatch.setenv("ONE_VOICE_SELFCHECKS", str(bank))
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(tmp_path / "progress.json"))
    wrong = {
        "x-mc": "b" + p,
        "x-short": p + "?",
        "x-num": p,
        "x-order": ["2" + p, "1" + p],
        "x-match": {"l" + p: "n" + p, "m" + p: "r" + p},
    }
    right = {
        "x-mc": "a" + p,
        "x-short": "k" + p,
        "x-num": "5",
        "x-order": ["1" + p, "2" + p],
        "x-match": {"l" + p: "r" + p, "m" + p: "n" + p},
    }
    out = []
    for question_id in wrong:
        for answer in (wrong[question_id], right[question_id]):
            widget = self_check(question_id)
            values = (
                answer if isinstance(answer, list) else list(answer.values()) if isinstance(answer, dict) else [answer]
            )
            for control, value in zip(widget.controls, values):
                control.value = value
            widget.submit()
            out += widget_html(widget)
        out += widget_html(self_check(question_id))  # restored after a "restart", with its feedback
    return out


def _prompts_and_planner(ev, tmp_path, monkeypatch):
    """A prompt, the evidence picker and the essay planner over poisoned documents, claims, prompt and answers."""
    from course.coursework import evidence_bank, prompts
    from course.coursework.planner_widget import essay_planner, evidence_picker
    from course.coursework.prompt_widget import prompt

    excerpt = ev.excerpts.iloc[0]
    paragraph = int(ev.paragraphs[ev.paragraphs.excerpt_id == excerpt.id].n.min())
    folder = tmp_path / "prompts"
    folder.mkdir()
    item = {
        "id": "x-prompt",
        "skill": "sourcing",
        "document": excerpt.id,
        "paragraph": paragraph,
        "prompt": PAYLOAD,
        "reading": "r" + PAYLOAD,
        "evidence": ["e" + PAYLOAD],
        "claim": ev.claims.id.iloc[1],
    }
    (folder / "99-x.json").write_text(json.dumps([item]), encoding="utf-8")
    monkeypatch.setattr(prompts, "prompts_dir", lambda: folder)
    real_tables = evidence_bank.tables
    monkeypatch.setattr(evidence_bank, "tables", lambda _ev=None: real_tables(ev))
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(tmp_path / "progress.json"))
    out = []
    widget = prompt("x-prompt")
    widget.answer.value = "word " * 15 + PAYLOAD
    widget.save_button.click()
    widget.compare_button.click()
    out += widget_html(widget)
    picker = evidence_picker(excerpt.lesson)
    picker.note.value = PAYLOAD
    picker.button.click()
    out += widget_html(picker)
    planner = essay_planner()
    planner.thesis.value = PAYLOAD
    planner.export_button.click()
    return out + widget_html(planner) + widget_html(prompt("x-prompt"))


def _reader_index(ev, tmp_path, monkeypatch):
    from course.catalog import Lesson
    from course.editions.config import CourseConfig
    from course.editions.reader import index_html
    from course.editions.student import BuiltLesson

    lesson = Lesson(slug="00-x", number="00", title=PAYLOAD, question=PAYLOAD, minutes=5, difficulty=PAYLOAD)
    return [
        index_html(CourseConfig(title=PAYLOAD, introduction=PAYLOAD, lessons=()), [BuiltLesson(None, lesson, None)])
    ]


def _simulation(ev, tmp_path, monkeypatch):
    from course.editions import simulation as sim

    built = sim.simulation(ev)
    return [sim.instructor_sheet_html(built)] + [
        sim.handout_html(built, sheet, team) for sheet in built.rounds[:2] for team in sim.TEAMS
    ]


# The registry: every function in course/ that turns data into HTML, and what drives it.
RENDERERS = [
    ("document packet", {"editions.packet.packet_html"}, _packet),
    (
        "lesson helpers",
        {
            "display.cards.timeline_html",
            "display.cards.event_html",
            "display.cards.source_card_html",
            "display.cards.sources_line_html",
            "display.cards.cast_html",
            "display.documents.document_html",
        },
        _lesson_helpers,
    ),
    (
        "lesson show functions",
        {
            "display.cards.show_timeline",
            "lesson.show_timeline",
            "display.cards.show_event",
            "lesson.show_event",
            "display.cards.show_source",
            "lesson.show_source",
            "display.cards.show_cast",
            "lesson.show_cast",
            "display.documents.show_document",
            "lesson.show_document",
        },
        _lesson_show_functions,
    ),
    (
        "course map",
        {"display.cards.course_map_html", "display.cards.show_course_map", "lesson.show_course_map"},
        _course_map,
    ),
    (
        "force balance",
        {"explorers.force_balance.table_html", "explorers.charts.image_html", "lesson.force_balance"},
        _force_balance,
    ),
    (
        "troop map",
        {"explorers.maps.table_html", "explorers.maps.show_troop_map", "lesson.show_troop_map"},
        _troop_map,
    ),
    ("withdrawal scenario", {"lesson.withdrawal_scenario"}, _withdrawal_scenario),
    ("source reader", {"lesson.source_reader"}, _source_reader),
    ("who knew what", {"lesson.who_knew_what"}, _who_knew_what),
    ("plan comparison", {"lesson.plan_comparison"}, _plan_comparison),
    ("argument map", {"lesson.argument_map"}, _argument_map),
    ("self-check", {"lesson.self_check"}, _selfcheck),
    (
        "prompts, evidence picker, essay planner",
        {"lesson.prompt", "lesson.evidence_picker", "lesson.essay_planner"},
        _prompts_and_planner,
    ),
    ("reader index", {"editions.reader.index_html"}, _reader_index),
    ("simulation", {"editions.simulation.handout_html", "editions.simulation.instructor_sheet_html"}, _simulation),
]


@pytest.mark.parametrize("render", [pytest.param(r, id=r[0]) for r in RENDERERS])
def test_every_renderer_escapes_markup_in_the_data(render, poisoned, tmp_path, monkeypatch):
    name, _, produce = render
    outputs = [o for o in produce(poisoned, tmp_path, monkeypatch) if o]
    assert outputs, f"{name} produced no HTML"
    assert any(ESCAPED_MARK in o for o in outputs), f"{name}: the poisoned data never reached its HTML"
    found = [(problem, o[max(0, o.lower().find("<script") - 80) :][:200]) for o in outputs for problem in unsafe(o)]
    assert not found, f"{name} lets markup from the data through: {found[:3]}"


def test_the_registry_covers_every_html_renderer():
    """A new `*_html` / `show_*` function in any room, or a new name lessons can call, must be added to RENDERERS."""
    import course.lesson

    public = set()
    for path in sorted(COURSE.rglob("*.py")):
        module = ".".join(path.relative_to(COURSE).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.FunctionDef)
                and not node.name.startswith("_")
                and (node.name.endswith("_html") or node.name.startswith("show_"))
            ):
                public.add(f"{module}.{node.name}")
    not_renderers = {
        "evidence",
        "force_table",
        "require_form",  # data and a plain-text form check
        "mark_evidence",
    }  # prints one plain-text sentence, no HTML
    public |= {f"lesson.{name}" for name in course.lesson.__all__ if name not in not_renderers}
    covered = set().union(*(covers for _, covers, _ in RENDERERS))
    assert len(public) > 15, "the scan found too few renderers: has the package moved?"
    assert public <= covered, f"renderers missing from RENDERERS: {sorted(public - covered)}"


def test_the_markup_check_catches_unescaped_and_injected_html():
    """Control for the renderer test: raw payloads, attribute break-outs and javascript: links are caught."""
    assert unsafe(f"<p>{PAYLOAD}</p>")
    assert unsafe(f"<div data-x='{PAYLOAD}'>")  # the quote breaks out of the attribute
    assert unsafe("<a href='javascript:alert(1)'>x</a>")
    assert unsafe("<b onclick=alert(1)>x</b>")
    assert not unsafe(f"<p title='{html.escape(PAYLOAD)}'>{html.escape(PAYLOAD)}</p>")
    assert not unsafe(f"<a href='https://example.org/{html.escape(PAYLOAD)}'>x</a>")


# --- 5b. no answer keys in the student edition ---------------------------------------------------------------

KEY_MARKERS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END SOLUTION", "END HIDDEN TESTS")


def key_texts() -> list[tuple[str, str]]:
    """(key file and id, text) for every solution and hidden test longer than 12 characters."""
    found = []
    for path in sorted((COURSE / "coursework" / "keys").glob("*.json")):
        for grade_id, entry in json.loads(path.read_text(encoding="utf-8")).items():
            for field in ("solution", "hidden_tests"):
                text = entry.get(field) if isinstance(entry, dict) else None
                if isinstance(text, str) and len(text.strip()) > 12:
                    found.append((f"{path.name}:{grade_id}.{field}", text.strip()))
    return found


def leaks(folder: Path, keys: list[tuple[str, str]]) -> list[str]:
    """Files under `folder` that carry an nbgrader marker or a key's text (raw, or as a notebook stores it)."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        forms = [text]
        if path.suffix == ".ipynb":
            nb = json.loads(text)
            forms += ["".join(c.get("source", "")) for c in nb.get("cells", [])]
        for marker in KEY_MARKERS:
            if any(marker in form for form in forms):
                found.append(f"{path.name}: {marker}")
        for where, key in keys:
            escaped = json.dumps(key, ensure_ascii=False)[1:-1]
            if any(key in form or escaped in form for form in forms):
                found.append(f"{path.name}: text of {where}")
    return found


def test_the_student_edition_carries_no_answer_keys():
    keys = key_texts()
    assert keys, "no answer keys found in course/coursework/keys/"
    assert not leaks(NOTEBOOKS, keys)


def test_the_key_scan_finds_a_planted_solution(tmp_path):
    """Control: a notebook that carries a key's text, or an nbgrader marker, is caught."""
    where, text = key_texts()[0]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(text)])
    nbformat.write(nb, str(tmp_path / "leaky.ipynb"))
    (tmp_path / "other.md").write_text("### BEGIN HIDDEN TESTS\n", encoding="utf-8")
    assert leaks(tmp_path, [(where, text)]) == [f"leaky.ipynb: text of {where}", "other.md: BEGIN HIDDEN TESTS"]


# --- 5c. course configs stay inside the instructor's folder ---------------------------------------------------


def lesson_file(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["one_voice"] = {
        "slug": path.stem,
        "title": "Mine",
        "question": "Why?",
        "minutes": 10,
        "difficulty": "introductory",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("how", ["absolute", "key-symlink"])
def test_a_course_config_cannot_reach_outside_its_folder(tmp_path, how):
    """An absolute path, and a key file that is a symlink out, are refused (test_course_config.py covers
    `../` paths and a notebook symlinked out)."""
    from course.editions import config as course_config

    folder = tmp_path / "instructor"
    outside = lesson_file(tmp_path / "elsewhere" / "x.ipynb")  # real files: refusals are not "missing file"
    (outside.parent / "x.key.json").write_text("{}", encoding="utf-8")
    folder.mkdir()
    if how == "absolute":
        entry = str(outside)
    else:  # the lesson is inside, its answer key a symlink to a file outside
        lesson_file(folder / "mine.ipynb")
        (folder / "mine.key.json").symlink_to(outside.parent / "x.key.json")
        entry = "mine.ipynb"
    config = folder / "course.yml"
    config.write_text(f"extra_lessons:\n  - {json.dumps(entry)}\n", encoding="utf-8")
    with pytest.raises(course_config.ConfigError) as caught:
        course_config.load_config(config)
    message = str(caught.value)
    assert message.startswith(f"{config}: ") and "key: extra_lessons[0]" in message
    assert "outside" in message, message


def test_a_course_config_may_name_its_own_lessons(tmp_path):
    """Control for the refusals above: the same lesson inside the folder (in a subfolder) is accepted."""
    from course.editions import config as course_config

    folder = tmp_path / "instructor"
    lesson_file(folder / "mine" / "x.ipynb")
    config = folder / "course.yml"
    config.write_text("extra_lessons:\n  - mine/x.ipynb\n", encoding="utf-8")
    loaded = course_config.load_config(config)
    assert any(lesson.notebook == (folder / "mine" / "x.ipynb").resolve() for lesson in loaded.lessons)


# --- 6. a broken self-check bank ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage, expected",
    [
        (
            lambda bank: bank[0].update(answer="Somebody else"),
            ["question 'start-paper-author', key [0].answer:", '"Somebody else" is not one of the options', "Fix:"],
        ),
        (
            lambda bank: bank[1].pop("explain"),
            ["question 'start-cpv-last-troops', key [1].explain:", '"explain" is missing', "Fix: add it"],
        ),
        (
            lambda bank: bank[2].update(kind="essay"),
            [
                "question 'start-order-events', key [2].kind:",
                '"essay" is not allowed',
                "Fix: use one of: multiple_choice",
            ],
        ),
        ('[{"id": "start-paper-author",}]', ["not valid JSON", "line 1", "Fix:"]),
    ],
    ids=["answer-not-an-option", "missing-key", "unknown-kind", "invalid-json"],
)
def test_a_broken_selfcheck_bank_gives_one_clear_message(tmp_path, monkeypatch, damage, expected):
    from course.coursework import selfchecks as checks
    from course.coursework.selfcheck_widget import self_check

    bank_dir = tmp_path / "selfchecks"
    shutil.copytree(COURSE / "coursework" / "banks", bank_dir)
    path = bank_dir / "00-start-here.json"
    if isinstance(damage, str):
        path.write_text(damage, encoding="utf-8")
    else:
        bank = json.loads(path.read_text(encoding="utf-8"))
        damage(bank)
        path.write_text(json.dumps(bank, ensure_ascii=False, indent=1), encoding="utf-8")
    damaged = path.read_bytes()
    monkeypatch.setenv("ONE_VOICE_SELFCHECKS", str(bank_dir))
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(tmp_path / "progress.json"))
    with pytest.raises(checks.BankError) as caught:
        self_check("start-paper-author")  # what the lesson's cell calls
    message = str(caught.value)
    assert str(path) in message, message
    for words in expected:
        assert words in message, message
    assert "\n" not in message and "Traceback" not in message
    assert caught.value.__cause__ is None  # no chained traceback from the JSON parser
    assert path.read_bytes() == damaged, "the damaged bank must be left as it was"
