"""Memory per student on a real JupyterHub (issue 8 item 4), for `make bench` (benchmarks/run.py).

The same hub as tests/test_hub.py (tests/hubkit.py): one student logs in, follows the
`one-voice links --hub` link, then opens each lesson in turn as JupyterLab does (a session with a new
kernel in their server), runs it through that kernel over the websocket, and closes it. RSS is read
with psutil (MB = 2**20 bytes):

- student_server_mb: the student's single-user JupyterLab server, after the lessons ran;
- student_kernel_mb: the largest kernel (process and children) at the end of a lesson run;
- student_kernel_peak_mb: the largest kernel RSS sampled (every 0.1 s) while a lesson ran;
- hub_mb, proxy_mb: the hub and configurable-http-proxy, shared by the whole class;
- students_per_gb: 1024 / (student_server_mb + student_kernel_peak_mb), rounded down: how many
  students, each with one lesson open at its peak, fit in 1 GB on top of the hub and the proxy.

RSS counts shared libraries in each process, so it overstates what one more student costs; the USS
figures (memory only that process holds) and students_per_gb_uss are given beside it for that reason.
The servers run from the venv that runs the benchmark (the test extra: nbgrader's server extensions
load too), which is heavier than the Binder image built from binder/requirements.txt.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


from benchmarks.memory import KernelWatch, tree_memory
from tests import hubkit

MB = 1024 * 1024
STUDENT = "student1"


def _lessons(home: Path) -> list[str]:
    folder = home / hubkit.REMOTE_NAME.removesuffix(".git") / "notebooks"
    return sorted(p.stem for p in folder.glob("[0-9][0-9]-*.ipynb"))


def measure_classroom_hub() -> dict:
    """Start the hub, log one student in, run every lesson in their kernel, measure RSS; the hub is always stopped."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="one-voice-hub-bench-") as tmp:
        root = Path(tmp)
        remote = hubkit.bare_remote(root / "remote")
        with hubkit.running_hub(root / "hub", [STUDENT]) as hub:
            student = hub.student(STUDENT)
            t0 = time.perf_counter()
            student.login()
            login_s = time.perf_counter() - t0
            first = "00-start-here"
            t0 = time.perf_counter()
            student.follow_link(hubkit.printed_hub_link(hub.url, remote.as_uri(), first))
            pull_s = time.perf_counter() - t0

            per_lesson: dict[str, dict] = {}
            for slug in _lessons(hub.home(STUDENT)):
                path = f"{hubkit.REMOTE_NAME.removesuffix('.git')}/notebooks/{slug}.ipynb"
                notebook = student.wait_for_file(path)["content"]
                session = student.open_notebook(path)
                try:
                    kernel = next(p for p in hub.processes()["kernels"])
                    t0 = time.perf_counter()
                    with KernelWatch(interval=0.1) as watch:
                        watch.add(kernel.pid)
                        errors = student.run_all(session, notebook)
                    peak = max(watch.peak_total, tree_memory(kernel.pid))
                    per_lesson[slug] = {"seconds": round(time.perf_counter() - t0, 1),
                                        "kernel_mb": round(tree_memory(kernel.pid) / MB, 1),
                                        "kernel_uss_mb": round(tree_memory(kernel.pid, "uss") / MB, 1),
                                        "kernel_peak_mb": round(peak / MB, 1),
                                        "errors": errors}
                    time.sleep(0.5)
                    found = hub.processes()
                    server = found["servers"][0]
                    per_lesson[slug]["server_mb"] = round(server.memory_info().rss / MB, 1)
                    per_lesson[slug]["server_uss_mb"] = round(server.memory_full_info().uss / MB, 1)
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
    kernel_mb = max(v["kernel_mb"] for v in per_lesson.values())
    kernel_peak_mb = per_lesson[heaviest]["kernel_peak_mb"]
    return {
        "student_server_mb": round(server_mb, 1),
        "student_kernel_mb": round(kernel_mb, 1),
        "student_kernel_peak_mb": round(kernel_peak_mb, 1),
        "student_server_uss_mb": max(v["server_uss_mb"] for v in per_lesson.values()),
        "student_kernel_uss_mb": max(v["kernel_uss_mb"] for v in per_lesson.values()),
        "hub_mb": round(hub_mb, 1),
        "proxy_mb": round(proxy_mb, 1),
        "students_per_gb": int(1024 // (server_mb + kernel_peak_mb)),
        "students_per_gb_uss": int(1024 // (max(v["server_uss_mb"] for v in per_lesson.values())
                                            + max(v["kernel_uss_mb"] for v in per_lesson.values()))),
        "heaviest_lesson": heaviest,
        "lessons": per_lesson,
        "login_and_spawn_s": round(login_s, 1),
        "first_pull_s": round(pull_s, 1),
        "total_s": round(time.perf_counter() - started, 1),
        "note": "RSS in MB (2**20 bytes); one student, one lesson open at a time; students_per_gb uses the server "
                "plus the heaviest lesson's kernel peak; hub and proxy are shared by the class",
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure_classroom_hub(), indent=2, ensure_ascii=False))
