"""Memory per student on a real JupyterHub (issues 8 and 16), for `make bench` (benchmarks/run.py).

The same hub as tests/test_hub.py (tests/hubkit.py), with single-user servers running from the hub
image's environment (tests/imagekit.py: built from binder/ alone, as repo2docker builds it; pass
`server_env` to use another). One student logs in and follows the `one-voice links --hub` link.

1. A class meeting (`meeting`): the three lessons of the instructor guide's third meeting (04, 05, 06)
   opened in turn, each run through its kernel over the websocket as "Run All" does, and each LEFT
   OPEN, as when a student keeps the tabs open (or before `kernelShutdown`). Sampled every 0.1 s:
   the server plus all of the student's kernels. Then the three are closed (what JupyterLab does on
   tab close with binder/overrides.json's kernelShutdown: the session is deleted, its kernel shut
   down) and what is left is measured.
2. Every lesson one at a time (`lessons`), each closed before the next: the heaviest single lesson.

RSS from psutil, MB = 2**20 bytes. RSS counts shared libraries in every process, so it overstates
what one more student costs; USS figures (memory only that process holds) are given beside it.

- meeting_peak_mb: peak of (server + kernels) RSS while the three lessons were opened and run;
  the figure the guide's memory guarantee and students-per-GB rule come from;
- students_per_gb_meeting: 1024 / meeting_peak_mb, one decimal (students per GiB in a meeting);
- student_server_mb, student_kernel_peak_mb, students_per_gb: the one-lesson figures (server + the
  heaviest lesson's kernel peak), as before issue 16;
- hub_mb, proxy_mb: shared by the whole class.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.memory import KernelWatch, tree_memory
from tests import hubkit, imagekit

MB = 1024 * 1024
STUDENT = "student1"
MEETING = ("04", "05", "06")  # docs/instructor-guide.md, two-week unit, meeting 3
FOLDER = hubkit.REMOTE_NAME.removesuffix(".git")


def _lessons(home: Path) -> list[str]:
    folder = home / FOLDER / "notebooks"
    return sorted(p.stem for p in folder.glob("[0-9][0-9]-*.ipynb"))


def _mb(value: float) -> float:
    return round(value / MB, 1)


def _server(hub: hubkit.Hub) -> psutil.Process:
    servers = hub.processes()["servers"]
    if len(servers) != 1:
        raise hubkit.HubError(f"expected one single-user server, found {len(servers)}")
    return servers[0]


def _new_kernel(hub: hubkit.Hub, before: set[int]) -> psutil.Process:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        fresh = [p for p in hub.processes()["kernels"] if p.pid not in before]
        if fresh:
            return fresh[0]
        time.sleep(0.2)
    raise hubkit.HubError("no new kernel process appeared")


def _meeting(hub: hubkit.Hub, student: hubkit.Student, slugs: list[str]) -> dict:
    """Open, run and keep open each lesson in turn; then close them all. Server + kernels RSS."""
    server = _server(hub)
    sessions, kernels, steps = [], [], []
    with KernelWatch(interval=0.1) as watch:
        watch.add(server.pid)  # its process tree: the server and every kernel it started
        try:
            for slug in slugs:
                path = f"{FOLDER}/notebooks/{slug}.ipynb"
                notebook = student.wait_for_file(path)["content"]
                before = {p.pid for p in hub.processes()["kernels"]}
                sessions.append(student.open_notebook(path))
                kernels.append(_new_kernel(hub, before))
                errors = student.run_all(sessions[-1], notebook)
                time.sleep(0.5)
                steps.append(
                    {
                        "lesson": slug,
                        "errors": errors,
                        "server_mb": _mb(server.memory_info().rss),
                        "kernels_mb": [_mb(tree_memory(k.pid)) for k in kernels],
                        "total_mb": _mb(tree_memory(server.pid)),
                    }
                )
            open_uss = _mb(tree_memory(server.pid, "uss"))
        finally:
            for session in sessions:
                student.close_notebook(session)  # a tab closed with kernelShutdown: session deleted, kernel stopped
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(hubkit._alive(k) for k in kernels):
        time.sleep(0.5)
    left = hub.processes()["kernels"]
    return {
        "lessons": list(slugs),
        "steps": steps,
        "peak_mb": _mb(watch.peak_total),
        "open_uss_mb": open_uss,
        "after_closing": {
            "kernels_running": len(left),
            "server_mb": _mb(server.memory_info().rss),
            "server_and_kernels_mb": _mb(tree_memory(server.pid)),
        },
    }


def measure_classroom_hub(server_env: Path | None = None) -> dict:
    """Start the hub, log one student in, measure a meeting and every lesson; the hub is always stopped."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="one-voice-hub-bench-") as tmp:
        root = Path(tmp)
        built_s = None
        if server_env is None:
            t0 = time.perf_counter()
            server_env = imagekit.build(root / "image", "srv").env
            built_s = round(time.perf_counter() - t0, 1)
        remote = hubkit.bare_remote(root / "remote")
        with hubkit.running_hub(root / "hub", [STUDENT], server_env=server_env) as hub:
            student = hub.student(STUDENT)
            t0 = time.perf_counter()
            student.login()
            login_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            student.follow_link(hubkit.printed_hub_link(hub.url, remote.as_uri(), "00-start-here"))
            pull_s = time.perf_counter() - t0
            all_lessons = _lessons(hub.home(STUDENT))
            chosen = [s for prefix in MEETING for s in all_lessons if s.startswith(prefix + "-")]
            if len(chosen) != len(MEETING):
                raise hubkit.HubError(f"the meeting's lessons {MEETING} are not all in {all_lessons}")
            meeting = _meeting(hub, student, chosen)

            per_lesson: dict[str, dict] = {}
            for slug in all_lessons:
                path = f"{FOLDER}/notebooks/{slug}.ipynb"
                notebook = student.wait_for_file(path)["content"]
                before = {p.pid for p in hub.processes()["kernels"]}
                session = student.open_notebook(path)
                try:
                    kernel = _new_kernel(hub, before)
                    t0 = time.perf_counter()
                    with KernelWatch(interval=0.1) as watch:
                        watch.add(kernel.pid)
                        errors = student.run_all(session, notebook)
                    peak = max(watch.peak_total, tree_memory(kernel.pid))
                    per_lesson[slug] = {
                        "seconds": round(time.perf_counter() - t0, 1),
                        "kernel_mb": _mb(tree_memory(kernel.pid)),
                        "kernel_uss_mb": _mb(tree_memory(kernel.pid, "uss")),
                        "kernel_peak_mb": _mb(peak),
                        "errors": errors,
                    }
                    time.sleep(0.5)
                    server = _server(hub)
                    per_lesson[slug]["server_mb"] = _mb(server.memory_info().rss)
                    per_lesson[slug]["server_uss_mb"] = _mb(server.memory_full_info().uss)
                finally:
                    student.close_notebook(session)
                    time.sleep(1)  # let the kernel go before the next lesson's starts

            found = hub.processes()
            hub_mb = found["hub"][0].memory_info().rss / MB
            proxy_mb = sum(tree_memory(p.pid) for p in found["proxy"]) / MB

    if not per_lesson:
        raise hubkit.HubError("no lesson was pulled to the student's home")
    heaviest = max(per_lesson, key=lambda s: per_lesson[s]["kernel_peak_mb"])
    server_mb = max(v["server_mb"] for v in per_lesson.values())
    kernel_peak_mb = per_lesson[heaviest]["kernel_peak_mb"]
    return {
        "meeting_lessons": meeting["lessons"],
        "meeting_peak_mb": meeting["peak_mb"],
        "students_per_gb_meeting": round(1024 / meeting["peak_mb"], 1),
        "meeting_open_uss_mb": meeting["open_uss_mb"],
        "meeting_after_closing": meeting["after_closing"],
        "meeting_steps": meeting["steps"],
        "student_server_mb": round(server_mb, 1),
        "student_kernel_peak_mb": round(kernel_peak_mb, 1),
        "students_per_gb": int(1024 // (server_mb + kernel_peak_mb)),
        "student_server_uss_mb": max(v["server_uss_mb"] for v in per_lesson.values()),
        "student_kernel_uss_mb": max(v["kernel_uss_mb"] for v in per_lesson.values()),
        "hub_mb": round(hub_mb, 1),
        "proxy_mb": round(proxy_mb, 1),
        "heaviest_lesson": heaviest,
        "lessons": per_lesson,
        "image_build_s": built_s,
        "server_env": "hub image from binder/ (tests/imagekit.py)" if built_s is not None else str(server_env),
        "login_and_spawn_s": round(login_s, 1),
        "first_pull_s": round(pull_s, 1),
        "total_s": round(time.perf_counter() - started, 1),
        "note": "RSS in MB (2**20 bytes), one student. meeting_peak_mb: server + three kernels, the lessons of one "
        "meeting opened in turn and kept open; students_per_gb: server + the heaviest single lesson's kernel; "
        "hub and proxy are shared by the class",
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure_classroom_hub(), indent=2, ensure_ascii=False))
