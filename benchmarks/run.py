"""Benchmarks for the collection: `make bench` (or `python -m benchmarks.run [--quick]`).

Every figure is measured in this run; nothing is cached or copied from an earlier one. Prints a table
with the targets beside the results and writes benchmarks/results.json (git-ignored).

- execution: every lesson executed headless with nbclient, against a floor of the same number of
  notebooks that hold only each lesson's setup (import) cell; medians over repeats, with the spread.
- kernel_peak_mb: peak RSS of the kernel process (and any children) while each lesson runs.
- widget_update_cold / widget_update_warm: each explorer's widget shell driven in-process along a path of
  control changes, timed until the observers have re-rendered every output (traitlets observers run
  synchronously); cold = a state not shown before (a chart explorer draws), warm = a state seen before.
- kernel_peak_median_mb: the median over lessons of the kernel's peak RSS.
- browser_update_ms: in JupyterLab in headless Chromium, key press (arrow up/down) in the withdrawal
  scenario's CPV number box to the exact readout text (timed inside the page).
- data_load_ms: course.evidence.package.load() called directly (not the per-kernel lru cache).
- classroom: many lessons at once in separate kernels, peak of the summed kernel memory.
- install: a fresh venv from binder/requirements.txt (pip's cache allowed).
- classroom_hub: benchmarks.hub_memory.measure_classroom_hub(), when that module exists.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from benchmarks.memory import KernelWatch

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
RESULTS = Path(__file__).resolve().with_name("results.json")
MB = 1024 * 1024

TARGETS = {
    "ratio": 1.5,  # lessons' execution time / the import-only floor
    "kernel_peak_mb": 250,  # every lesson
    "data_load_ms": 100,  # strictly below
    "kernel_peak_median_mb": 115,  # the median lesson
    "widget_text_ms": 30,  # text/table explorers, cold and warm
    "widget_chart_cold_ms": 100,  # a chart explorer reaching a state not seen before (draws the chart)
    "widget_chart_warm_ms": 10,  # a chart explorer back at a state seen before (PNG from the cache)
    "browser_ms": 500,
}
CHART_EXPLORERS = {"force_balance", "withdrawal_scenario"}
DATA_LOADS = 30
BROWSER_PRESSES = 15


# ----------------------------------------------------------------------------------------- helpers


def median(values) -> float:
    return statistics.median(values)


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def kernel_pid(client: NotebookClient) -> int:
    provisioner = client.km.provisioner
    return getattr(provisioner, "pid", None) or provisioner.process.pid


def make_client(nb, watch: KernelWatch | None = None) -> NotebookClient:
    client = NotebookClient(
        nb, timeout=600, startup_timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    if watch is not None:
        client.on_notebook_start = lambda notebook: watch.add(kernel_pid(client))
    return client


def lesson_paths() -> list[Path]:
    from course.catalog import lessons

    return [NOTEBOOKS / lesson.filename for lesson in lessons()]


def floor_notebook(path: Path):
    """The lesson reduced to its setup cell (the first code cell: the imports, nothing else)."""
    lesson = nbformat.read(path, as_version=4)
    setup = next(cell for cell in lesson.cells if cell.cell_type == "code")
    floor = nbformat.v4.new_notebook(metadata={"kernelspec": lesson.metadata.get("kernelspec", {})})
    floor.cells = [nbformat.v4.new_code_cell(setup.source)]
    return floor


def run_one(nb) -> tuple[float, int]:
    """Execute a notebook in a fresh kernel: (seconds, peak kernel RSS in bytes)."""
    with KernelWatch() as watch:
        client = make_client(nb, watch)
        started = time.perf_counter()
        client.execute(stderr=subprocess.DEVNULL)  # kernels' start-up warnings; cell errors still raise
        seconds = time.perf_counter() - started
    return seconds, max(watch.peak_by_pid.values(), default=0)


# ------------------------------------------------------------------------------------ measurements


def bench_execution(repeats: int) -> dict:
    paths = lesson_paths()
    lesson_totals, floor_totals = [], []
    lesson_seconds: dict[str, list[float]] = {p.stem: [] for p in paths}
    lesson_peak: dict[str, int] = {p.stem: 0 for p in paths}
    floor_peak: dict[str, int] = {p.stem: 0 for p in paths}
    for repeat in range(repeats):
        lesson_total = floor_total = 0.0
        for path in paths:  # lesson and its floor side by side, so drift hits both alike
            seconds, peak = run_one(nbformat.read(path, as_version=4))
            lesson_total += seconds
            lesson_seconds[path.stem].append(seconds)
            lesson_peak[path.stem] = max(lesson_peak[path.stem], peak)
            seconds, peak = run_one(floor_notebook(path))
            floor_total += seconds
            floor_peak[path.stem] = max(floor_peak[path.stem], peak)
        lesson_totals.append(lesson_total)
        floor_totals.append(floor_total)
        print(
            f"  execution repeat {repeat + 1}/{repeats}: lessons {lesson_total:.1f} s, floor {floor_total:.1f} s",
            flush=True,
        )
    lessons_s, floor_s = median(lesson_totals), median(floor_totals)
    return {
        "execution": {
            "lessons_s": round(lessons_s, 2),
            "floor_s": round(floor_s, 2),
            "ratio": round(lessons_s / floor_s, 2),
            "notebooks": len(paths),
            "repeats": repeats,
            "lessons_spread_s": [round(min(lesson_totals), 2), round(max(lesson_totals), 2)],
            "floor_spread_s": [round(min(floor_totals), 2), round(max(floor_totals), 2)],
            "per_lesson_s": {k: round(median(v), 2) for k, v in lesson_seconds.items()},
        },
        "kernel_peak_mb": {k: round(v / MB, 1) for k, v in lesson_peak.items()},
        "kernel_peak_median_mb": round(median(lesson_peak.values()) / MB, 1),
        "kernel_floor_mb": round(max(floor_peak.values()) / MB, 1),
        "kernel_floor_by_lesson_mb": {k: round(v / MB, 1) for k, v in floor_peak.items()},
    }


def _path(shell, plan) -> list[tuple[object, object]]:
    """Control changes that visit new states and come back to the start: `plan` is [(control, values)], each
    control stepped through its values in turn; then every control is set back to where it started."""
    start = [(control, control.value) for control, _values in plan]
    steps = [(control, value) for control, values in plan for value in values]
    return steps + start[::-1]


def _time_path(shell, steps, seen: set) -> list[tuple[float, float, bool]]:
    """(wall ms, CPU ms, cold) per change: cold when the state reached had not been shown before."""
    out = []
    for control, value in steps:
        if control.value == value:
            continue  # setting an equal value changes nothing and runs no observer
        started, started_cpu = time.perf_counter(), time.process_time()
        control.value = value  # observers run synchronously: this returns after every output is re-rendered
        wall, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000
        state = shell.state()
        out.append((wall, cpu, state not in seen))
        seen.add(state)
    return out


def bench_widgets() -> dict:
    """Each explorer driven in-process along a path of control changes, twice: the first pass reaches new states
    (cold: a chart explorer draws), the second the same states again (warm: charts come from the PNG cache)."""
    import matplotlib

    matplotlib.use("Agg")
    from course.evidence.package import evidence
    from course.explorers import (
        argument_map,
        charts,
        force_balance,
        plan_comparison,
        source_reader,
        who_knew_what,
        withdrawal_scenario,
    )

    ev = evidence()
    charts.PNGS.clear()
    shells = {}

    shell = force_balance.ForceBalanceExplorer(evidence=ev)
    plan = []
    for estimate in ("low", "high", "strength"):
        plan += [(shell.estimate, [estimate]), (shell.year, [y for y in force_balance.YEARS])]
    plan += [(shell.series["CPV"], [False]), (shell.year, list(force_balance.YEARS)), (shell.series["CPV"], [True])]
    shells["force_balance"] = (shell, plan)

    shell = withdrawal_scenario.WithdrawalScenarioExplorer(evidence=ev)
    low, high, step = withdrawal_scenario.CPV_SHARE
    down = list(range(high - step, low - 1, -step))
    shells["withdrawal_scenario"] = (
        shell,
        [
            (shell.cpv_share, down),
            (shell.kpa_change, [5, 10, 20]),
            (shell.cpv_share, down[::-1] + [high]),
            (shell.rok, [650, 700]),
        ],
    )

    shell = source_reader.SourceReaderExplorer(evidence=ev)
    shells["source_reader"] = (
        shell,
        [
            (shell.type, [v for _l, v in shell.type.options[1:]] + [source_reader.ANY]),
            (shell.language, [v for _l, v in shell.language.options[1:]]),
        ],
    )

    shell = who_knew_what.WhoKnewWhatExplorer(evidence=ev)
    shells["who_knew_what"] = (shell, [(shell.date, [dt.date.fromisoformat(d) for d in who_knew_what.days()[::16]])])

    shell = plan_comparison.PlanComparisonExplorer(evidence=ev)
    shells["plan_comparison"] = (shell, [(shell.plan, [v for _l, v in shell.plan.options][1:])])

    shell = argument_map.ArgumentMapExplorer(evidence=ev)
    shells["argument_map"] = (shell, [(shell.pick, [v for _l, v in shell.pick.options][1:31])])

    cold, warm = {}, {}
    for name, (shell, plan) in shells.items():
        steps = _path(shell, plan)
        seen = {shell.state()}
        first = _time_path(shell, steps, seen)  # reaches new states
        second = _time_path(shell, steps, seen)  # the same states again
        cold[name] = [(w, c) for w, c, new in first + second if new]
        warm[name] = [(w, c) for w, c, new in first + second if not new]

    def summary(timings: dict) -> dict:
        return {
            name: {
                "p50_ms": round(median([w for w, _c in t]), 1) if t else None,
                "p90_ms": round(percentile([w for w, _c in t], 0.9), 1) if t else None,
                "cpu_p50_ms": round(median([c for _w, c in t]), 1) if t else None,
                "changes": len(t),
            }
            for name, t in timings.items()
        }

    return {
        "widget_update_cold": summary(cold),
        "widget_update_warm": summary(warm),
        "png_cache_entries": len(charts.PNGS),
    }


def bench_data_load() -> dict:
    from course.evidence.package import load

    times = []
    for _ in range(DATA_LOADS):
        started = time.perf_counter()
        load()
        times.append((time.perf_counter() - started) * 1000)
    return {"data_load_ms": round(median(times), 1), "data_load_p90_ms": round(percentile(times, 0.9), 1)}


def bench_browser() -> dict:
    sys.path.insert(0, str(REPO))
    from tests.labkit import (
        CURRENT,
        chromium_missing,
        chromium_page,
        lab_server,
        open_notebook,
        run_all,
        timed_keypress,
        wait_for_texts,
        wait_idle,
    )

    reason = chromium_missing()
    if reason:
        return {"browser_update_ms": {"skipped": reason}}
    from course.evidence.package import evidence
    from course.explorers import withdrawal_scenario as ws
    from course.i18n import _

    ev = evidence()
    controls = {key: _(label) for key, label in ws.CONTROL_LABELS.items()}
    readout = ".widget-html-content p, .widget-html-content strong"
    text_ms, chart_ms = [], []
    with (
        tempfile.TemporaryDirectory() as scratch,
        lab_server(progress=Path(scratch) / "progress.json") as lab,
        chromium_page() as page,
    ):
        open_notebook(page, lab, "notebooks/01-balance-of-forces.ipynb")
        run_all(page, lab, "notebooks/01-balance-of-forces.ipynb")
        cell = page.locator(
            f"{CURRENT} .jp-CodeCell", has=page.locator("label.widget-label", has_text=controls["cpv"])
        ).last
        cell.scroll_into_view_if_needed()
        wait_idle(page)

        def shown(key: str) -> int:
            return int(cell.get_by_label(controls[key], exact=True).input_value())

        others = (shown("kpa"), shown("rok"), shown("us"))  # as the browser shows them

        def expected(cpv: int) -> list[str]:
            view = ws.view(ws.WithdrawalScenarioState(cpv, *others), ev)
            return [view.sides_text, view.balance_text, view.answer]

        cpv = shown("cpv")
        wait_for_texts(cell, readout, expected(cpv))
        cell.get_by_label(controls["cpv"], exact=True).focus()
        step = ws.CPV_SHARE[2]
        for n in range(BROWSER_PRESSES + 1):
            down = cpv > ws.CPV_SHARE[0] and n % 2 == 0  # alternate left and right around the start
            key, target = ("ArrowDown", cpv - step) if down else ("ArrowUp", cpv + step)
            with timed_keypress(page, cell, readout, expected(target)) as timing:
                page.keyboard.press(key)
            wait_idle(page)
            cpv = target
            if n:  # the first press is a warm-up
                text_ms.append(timing.result["text"])
                chart_ms.append(timing.result["image"])
    return {
        "browser_update_ms": {
            "withdrawal_scenario": round(median(text_ms), 1),
            "withdrawal_scenario_p90": round(percentile(text_ms, 0.9), 1),
            "withdrawal_scenario_chart": round(median(chart_ms), 1),
            "presses": len(text_ms),
        }
    }


async def _classroom(paths: list[Path], watch: KernelWatch) -> list[object]:
    async def one(path: Path):
        client = make_client(nbformat.read(path, as_version=4), watch)
        await client.async_execute(stderr=subprocess.DEVNULL)
        return True

    return await asyncio.gather(*(one(p) for p in paths), return_exceptions=True)


def bench_classroom(kernels: int) -> dict:
    lessons = lesson_paths()
    chosen = [lessons[i % len(lessons)] for i in range(kernels)]
    with KernelWatch(interval=0.1, pss_every=5) as watch:
        started = time.perf_counter()
        outcomes = asyncio.run(_classroom(chosen, watch))
        wall = time.perf_counter() - started
    failures = [f"{p.stem}: {type(o).__name__}: {str(o)[:200]}" for p, o in zip(chosen, outcomes) if o is not True]
    peak_mb = watch.peak_total / MB
    return {
        "classroom": {
            "kernels": kernels,
            "ok": kernels - len(failures),
            "wall_s": round(wall, 1),
            "peak_mb_total": round(peak_mb, 1),
            "peak_pss_mb_total": round(watch.peak_pss_total / MB, 1),
            "students_per_gb": round(kernels / (peak_mb / 1024), 1),
            "students_per_gb_pss": round(kernels / (watch.peak_pss_total / MB / 1024), 1)
            if watch.peak_pss_total
            else None,
            "failures": failures,
        }
    }


def bench_install() -> dict:
    target = Path(tempfile.mkdtemp(prefix="one-voice-install-"))
    try:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(target / "venv")], check=True)
        pip = subprocess.run(
            [str(target / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        seconds = time.perf_counter() - started
        if pip.returncode:
            return {"install": {"error": pip.stderr[-1500:]}}
        size = sum(f.stat().st_size for f in (target / "venv").rglob("*") if f.is_file() and not f.is_symlink())
        return {
            "install": {
                "seconds": round(seconds, 1),
                "mb": round(size / MB, 1),
                "note": "python -m venv + pip install -r binder/requirements.txt; pip's download/wheel "
                "cache allowed (so no network time)",
            }
        }
    finally:
        shutil.rmtree(target, ignore_errors=True)


def bench_hub() -> dict:
    if importlib.util.find_spec("benchmarks.hub_memory") is None:
        return {"classroom_hub": {"skipped": "benchmarks/hub_memory.py does not exist"}}
    from benchmarks.hub_memory import measure_classroom_hub

    try:
        return {"classroom_hub": measure_classroom_hub()}
    except Exception as exc:  # reported, not hidden: the other figures still stand
        return {"classroom_hub": {"error": f"{type(exc).__name__}: {exc}"}}


# ----------------------------------------------------------------------------------------- output


def machine() -> dict:
    model = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "cpu": model,
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def rows(r: dict) -> list[tuple[str, str, str, str]]:
    """(measure, result, target, verdict) for the table."""

    def verdict(ok) -> str:
        return "-" if ok is None else ("ok" if ok else "MISS")

    out = []
    if "execution" in r:
        e = r["execution"]
        out.append(
            (
                "execution: lessons (median, s)",
                f"{e['lessons_s']} (spread {e['lessons_spread_s'][0]}–"
                f"{e['lessons_spread_s'][1]}, {e['repeats']}x{e['notebooks']} nb)",
                "",
                "",
            )
        )
        out.append(
            (
                "execution: import-only floor (s)",
                f"{e['floor_s']} (spread {e['floor_spread_s'][0]}–{e['floor_spread_s'][1]})",
                "",
                "",
            )
        )
        out.append(
            ("execution: ratio", f"{e['ratio']}", f"<= {TARGETS['ratio']}", verdict(e["ratio"] <= TARGETS["ratio"]))
        )
        for slug, mb in r["kernel_peak_mb"].items():
            out.append(
                (
                    f"kernel peak RSS {slug} (MB)",
                    f"{mb}",
                    f"<= {TARGETS['kernel_peak_mb']}",
                    verdict(mb <= TARGETS["kernel_peak_mb"]),
                )
            )
        out.append(
            (
                "kernel peak RSS, median lesson (MB)",
                f"{r['kernel_peak_median_mb']}",
                f"<= {TARGETS['kernel_peak_median_mb']}",
                verdict(r["kernel_peak_median_mb"] <= TARGETS["kernel_peak_median_mb"]),
            )
        )
        out.append(("kernel peak RSS, import-only floor (MB)", f"{r['kernel_floor_mb']}", "", ""))
    if "widget_update_cold" in r:
        for kind in ("cold", "warm"):
            for name, t in r[f"widget_update_{kind}"].items():
                chart = name in CHART_EXPLORERS
                target = TARGETS[f"widget_chart_{kind}_ms"] if chart else TARGETS["widget_text_ms"]
                out.append(
                    (
                        f"widget update {kind} {name} (ms, p50 / p90; CPU p50; n)",
                        f"{t['p50_ms']} / {t['p90_ms']}; {t['cpu_p50_ms']}; {t['changes']}",
                        f"<= {target}",
                        verdict(t["p50_ms"] <= target if t["p50_ms"] is not None else None),
                    )
                )
    if "browser_update_ms" in r:
        b = r["browser_update_ms"]
        if "skipped" in b:
            out.append(("browser key -> readout (ms)", f"skipped: {b['skipped']}", f"<= {TARGETS['browser_ms']}", "-"))
        else:
            out.append(
                (
                    "browser key -> readout, withdrawal (ms, p50 / p90)",
                    f"{b['withdrawal_scenario']} / {b['withdrawal_scenario_p90']}",
                    f"<= {TARGETS['browser_ms']}",
                    verdict(b["withdrawal_scenario"] <= TARGETS["browser_ms"]),
                )
            )
            out.append(("browser key -> chart, withdrawal (ms, p50)", f"{b['withdrawal_scenario_chart']}", "", ""))
    if "data_load_ms" in r:
        out.append(
            (
                "data load, uncached (ms, p50 / p90)",
                f"{r['data_load_ms']} / {r['data_load_p90_ms']}",
                f"< {TARGETS['data_load_ms']}",
                verdict(r["data_load_ms"] < TARGETS["data_load_ms"]),
            )
        )
    if "classroom" in r:
        c = r["classroom"]
        out.append(
            (
                f"classroom: {c['kernels']} kernels at once",
                f"{c['ok']} ok, {c['wall_s']} s wall",
                "all ok",
                verdict(c["ok"] == c["kernels"]),
            )
        )
        out.append(
            (
                "classroom: peak summed kernel RSS (MB)",
                f"{c['peak_mb_total']} ({c['students_per_gb']} students/GB)",
                "",
                "",
            )
        )
        out.append(
            (
                "classroom: peak summed kernel PSS (MB)",
                f"{c['peak_pss_mb_total']} ({c['students_per_gb_pss']} students/GB)",
                "",
                "",
            )
        )
    if "install" in r:
        i = r["install"]
        out.append(
            (
                "install: fresh venv from binder/requirements.txt",
                f"{i['seconds']} s, {i['mb']} MB (pip cache allowed)"
                if "seconds" in i
                else f"skipped/failed: {i.get('skipped') or i.get('error', '')[:80]}",
                "report only",
                "-",
            )
        )
    if "classroom_hub" in r:
        h = r["classroom_hub"]
        for key, value in h.items() if isinstance(h, dict) else [("result", h)]:
            text = json.dumps(value, ensure_ascii=False)
            out.append((f"classroom hub: {key}", text if len(text) < 90 else text[:87] + "...", "", ""))
    return out


def print_table(r: dict) -> None:
    table = rows(r)
    widths = [max(len(row[i]) for row in table + [("measure", "result", "target", "")]) for i in range(4)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print()
    print(line.format("measure", "result", "target", ""))
    print(line.format(*("-" * w for w in widths)))
    for row in table:
        print(line.format(*row))
    m = r["machine"]
    print(
        f"\nmachine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, {m['date']}"
        f"{' (--quick)' if r['quick'] else ''}; load average (1/5/15 min) at start {m['load_average_at_start']},"
        f" at end {m.get('load_average_at_end')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 repeat and 5 classroom kernels (for development)")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["execution", "widgets", "browser", "data", "classroom", "install", "hub"],
        help="leave a measurement out (repeatable); results.json says which",
    )
    args = parser.parse_args(argv)
    repeats, kernels = (1, 5) if args.quick else (3, 20)

    progress = Path(tempfile.mkdtemp(prefix="one-voice-bench-")) / "progress.json"
    os.environ["ONE_VOICE_PROGRESS"] = str(progress)  # the kernels inherit it: nothing is written into notebooks/
    results: dict = {"machine": machine(), "quick": args.quick, "targets": TARGETS, "skipped": args.skip}
    steps = [
        ("data", bench_data_load),
        ("widgets", bench_widgets),
        ("execution", lambda: bench_execution(repeats)),
        ("classroom", lambda: bench_classroom(kernels)),
        ("browser", bench_browser),
        ("install", bench_install),
        ("hub", bench_hub),
    ]
    failed = []
    for name, step in steps:
        if name in args.skip:
            continue
        print(f"[bench] {name} ...", flush=True)
        started = time.perf_counter()
        try:
            results.update(step())
        except Exception as exc:  # one broken measurement must not hide the others; the exit code says so
            failed.append(name)
            results.setdefault("errors", {})[name] = f"{type(exc).__name__}: {str(exc)[-2000:]}"
            print(f"[bench] {name} FAILED: {type(exc).__name__}: {str(exc)[-2000:]}", flush=True)
        print(f"[bench] {name} done in {time.perf_counter() - started:.0f} s", flush=True)
    shutil.rmtree(progress.parent, ignore_errors=True)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten: {RESULTS.relative_to(REPO)}")
    if failed:
        print(f"FAILED measurements: {', '.join(failed)} (see 'errors' in results.json)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
