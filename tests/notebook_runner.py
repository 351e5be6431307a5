"""Execute lesson notebooks with nbclient, each in its own process, and compare what they show.

One place for the tests that run the lessons outside nbval (robustness, timings):

- `lesson_paths()`: the lessons that exist right now (`notebooks/NN-*.ipynb`).
- `Batch` / `run_batch(batch)`: execute notebooks in fresh kernels, several at a time, from one client
  process (nbclient's async API). A batch can be wrapped in a command prefix (`unshare ...`,
  `prlimit ...`): the client process and the kernels it starts all run under it.
- `checked_outputs(nb)`: what nbval compares (text/plain, text/html, other text data, stream text),
  sanitized with tests/sanitize.cfg, without images and widget views, honouring the nbval cell tags.

Run as a script (what `run_batch` does in its subprocess):

    python tests/notebook_runner.py --cwd DIR --out-dir DIR [--jobs N]
        [--probe HOST:PORT ...] [--probe-dns NAME ...] NOTEBOOK ...

The probes try outbound connections *before* the notebook runs, from the same process and
namespace, so a test can prove that a guard (no network) is really in place.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from helpers import REPO  # run as a script from tests/, or imported by the tests beside it

NOTEBOOKS = REPO / "notebooks"
SANITIZE_CFG = REPO / "tests" / "sanitize.cfg"
LESSON_GLOB = "[0-9][0-9]-*.ipynb"

CELL_TIMEOUT = 180  # seconds per cell
RUN_TIMEOUT = 420  # seconds per notebook, client start to finish

# What nbval never compares (plugin.py `skip_compare`), plus images (compared only with nbdime).
SKIPPED_KEYS = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
}
IGNORE_OUTPUT_TAGS = {"nbval-ignore-output"}
SKIP_TAGS = {"nbval-skip"}
RAISES_TAGS = {"nbval-raises-exception", "raises-exception"}


def lesson_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The lessons that exist now, in order."""
    return sorted(folder.glob(LESSON_GLOB))


# --- what is compared ------------------------------------------------------------------------------------


def sanitize_patterns(path: Path = SANITIZE_CFG) -> list[tuple[str, str]]:
    """The regex/replace pairs of an nbval sanitize file, parsed as nbval parses it."""
    return re.findall(r"^regex: (.*)$\n^replace: (.*)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)


def _sanitize(value, patterns):
    if isinstance(value, list):  # multi-line strings as stored in a file
        value = "".join(value)
    if not isinstance(value, str):
        return json.dumps(value, sort_keys=True)
    for regex, replace in patterns:
        value = re.sub(regex, replace, value)
    return value


def _tags(cell) -> set[str]:
    tags = set(cell.get("metadata", {}).get("tags", []))
    first = "".join(cell.get("source", "")).lstrip().splitlines()[:1]
    comment = first[0].strip().upper() if first else ""
    if comment == "# NBVAL_IGNORE_OUTPUT":
        tags.add("nbval-ignore-output")
    if comment == "# NBVAL_SKIP":
        tags.add("nbval-skip")
    if comment == "# NBVAL_RAISES_EXCEPTION":
        tags.add("nbval-raises-exception")
    return tags


def _coalesce(outputs) -> list[dict]:
    """Streams of one name merged into one output, as nbval does (\\r and \\b resolved)."""
    merged, streams = [], {}
    for output in outputs:
        output = dict(output)
        if output.get("output_type") == "stream":
            text = "".join(output.get("text", ""))
            if output["name"] in streams:
                streams[output["name"]]["text"] += text
                continue
            output["text"] = text
            streams[output["name"]] = output
        merged.append(output)
    for output in streams.values():
        text = output["text"]
        while True:
            shorter = re.sub("[^\n]\x08", "", text)  # a character and the backspace that erases it
            if shorter == text:
                break
            text = shorter
        output["text"] = re.sub(r"^.*\r(?=[^\n])", "", text, flags=re.MULTILINE)
    return merged


def checked_outputs(nb: dict, patterns=None) -> dict[int, dict[str, list[str]]]:
    """Per code cell (by index), the outputs nbval would compare: key -> sanitized values, in order.

    Stream outputs appear under `stream:<name>`. Cells tagged nbval-ignore-output or nbval-skip are left out.
    """
    patterns = sanitize_patterns() if patterns is None else patterns
    found: dict[int, dict[str, list[str]]] = {}
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or _tags(cell) & (IGNORE_OUTPUT_TAGS | SKIP_TAGS):
            continue
        keyed: dict[str, list[str]] = defaultdict(list)
        for output in _coalesce(cell.get("outputs", [])):
            if output.get("output_type") == "stream":
                keyed[f"stream:{output['name']}"].append(_sanitize(output["text"], patterns))
                continue
            for key, value in output.items():
                if key in SKIPPED_KEYS:
                    continue
                if key == "data":
                    for mime, data in value.items():
                        if mime not in SKIPPED_KEYS:
                            keyed[mime].append(_sanitize(data, patterns))
                else:
                    keyed[key].append(_sanitize(value, patterns))
        found[index] = dict(keyed)
    return found


def differences(expected: dict, actual: dict, limit: int = 3) -> list[str]:
    """Readable differences between two `checked_outputs` results: the first `limit` cells, each around
    the first character that differs."""
    found = []
    for index in sorted(set(expected) | set(actual)):
        a, b = expected.get(index, {}), actual.get(index, {})
        if a == b:
            continue
        for key in sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k)):
            left, right = "\n".join(a.get(key, ["<none>"])), "\n".join(b.get(key, ["<none>"]))
            at = next((i for i, (x, y) in enumerate(zip(left, right)) if x != y), min(len(left), len(right)))
            found.append(
                f"cell {index}, {key}, at character {at}: {left[max(0, at - 60) : at + 100]!r} "
                f"!= {right[max(0, at - 60) : at + 100]!r}"
            )
        if len(found) >= limit:
            break
    return found[:limit]


def errors_in(nb: dict) -> list[str]:
    """Error outputs left in an executed notebook (cells allowed to raise excepted)."""
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and not _tags(cell) & RAISES_TAGS:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    found.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
    return found


# --- executing ------------------------------------------------------------------------------------------


@dataclass
class Batch:
    """Notebooks executed by one client process, each in a fresh kernel, `jobs` kernels at a time.

    One client process per batch because importing nbformat costs about 2 s of CPU (its JSON-schema
    format checkers), more than a lesson's kernel start; the kernels are what must be fresh.
    """

    notebooks: list[Path]
    cwd: Path  # the kernels' working directory (nbclient resources.metadata.path) and the client's
    out_dir: Path  # where the executed notebooks and the report go
    env: dict[str, str] | None = None  # the client's (and so the kernels') environment; None: inherit
    prefix: tuple[str, ...] = ()  # wraps the client: ("prlimit", "--as=...") or an unshare command
    probes: tuple[str, ...] = ()  # HOST:PORT to try connecting to before executing
    dns_probes: tuple[str, ...] = ()
    jobs: int = 0  # kernels at a time; 0: `workers()`


@dataclass
class Result:
    """One notebook's execution."""

    notebook: Path
    ok: bool
    seconds: float
    executed: dict | None
    error: str = ""

    @property
    def name(self) -> str:
        return self.notebook.stem


@dataclass
class BatchResult:
    batch: Batch
    results: list[Result]
    probes: dict[str, str]
    returncode: int | None
    seconds: float
    stderr: str = ""

    def failures(self) -> list[str]:
        return [f"{r.name}: {r.error}" for r in self.results if not r.ok]


def workers() -> int:
    """Kernels at a time: each needs about one core while it imports and draws."""
    return max(2, min(4, (os.cpu_count() or 2) + 1))


def command(batch: Batch) -> list[str]:
    argv = [
        *batch.prefix,
        sys.executable,
        str(Path(__file__).resolve()),
        "--cwd",
        str(batch.cwd),
        "--out-dir",
        str(batch.out_dir),
        "--jobs",
        str(batch.jobs or workers()),
    ]
    argv += [a for p in batch.probes for a in ("--probe", p)]
    argv += [a for d in batch.dns_probes for a in ("--probe-dns", d)]
    return argv + [str(n) for n in batch.notebooks]


def run_batch(batch: Batch) -> BatchResult:
    """Run a batch in its own client process and read back what it executed."""
    batch.out_dir.mkdir(parents=True, exist_ok=True)
    report = batch.out_dir / "report.json"
    started = time.monotonic()
    try:
        done = subprocess.run(
            command(batch), cwd=batch.cwd, env=batch.env, capture_output=True, text=True, timeout=RUN_TIMEOUT
        )
        returncode, stderr = done.returncode, done.stderr
    except subprocess.TimeoutExpired as expired:
        returncode, stderr = None, f"timed out after {RUN_TIMEOUT}s; {expired.stderr or ''}"
    seconds = time.monotonic() - started
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {"notebooks": {}, "probes": {}}
    results = []
    for notebook in batch.notebooks:
        entry = data["notebooks"].get(str(notebook))
        if entry is None:
            results.append(
                Result(notebook, False, 0.0, None, f"no report from the client (exit {returncode}): {stderr[-1500:]}")
            )
            continue
        out = Path(entry["out"])
        executed = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
        results.append(Result(notebook, entry["ok"], entry["seconds"], executed, entry["error"]))
    return BatchResult(batch, results, data.get("probes", {}), returncode, seconds, stderr[-3000:])


def run_batches(batches: list[Batch]) -> list[BatchResult]:
    """Several batches at once (their kernels share the machine; keep `jobs` small)."""
    with ThreadPoolExecutor(max_workers=len(batches) or 1) as pool:
        return list(pool.map(run_batch, batches))


def clean_env(**overrides: str | None) -> dict[str, str]:
    """This process's environment without the course's ONE_VOICE_* settings, plus `overrides` (None drops)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONE_VOICE_")}
    env.pop("PYTEST_CURRENT_TEST", None)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # the runs must not write into the package either
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


# --- the client process ------------------------------------------------------------------------------------


def _probe(target: str) -> str:
    import socket

    host, _, port = target.rpartition(":")
    host = host.strip("[]")  # [IPv6]:port
    try:
        with socket.create_connection((host, int(port)), timeout=3):
            return "connected"
    except OSError as error:
        return f"refused: {error}"


def _probe_dns(name: str) -> str:
    import socket

    try:
        return "resolved: " + ", ".join(sorted({a[4][0] for a in socket.getaddrinfo(name, 443)}))
    except OSError as error:
        return f"refused: {error}"


def _prepare(nb) -> None:
    """nbval's cell tags in nbclient's terms: skipped cells are not run, cells allowed to raise may raise."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = _tags(cell)
        extra = (["skip-execution"] if tags & SKIP_TAGS else []) + (["raises-exception"] if tags & RAISES_TAGS else [])
        if extra:
            cell.metadata["tags"] = sorted(set(cell.metadata.get("tags", [])) | set(extra))


async def _execute_all(notebooks: list[Path], cwd: Path, out_dir: Path, jobs: int) -> dict[str, dict]:
    import asyncio

    import nbformat
    from nbclient import NotebookClient

    limit = asyncio.Semaphore(jobs)

    async def one(index: int, notebook: Path) -> tuple[str, dict]:
        out = out_dir / f"{index:02d}-{notebook.stem}.executed.ipynb"
        entry = {"ok": False, "error": "", "seconds": 0.0, "out": str(out)}
        async with limit:
            started = time.monotonic()
            nb = nbformat.read(str(notebook), as_version=4)
            _prepare(nb)
            # A fresh kernel per notebook, started from this Python, as Restart-and-Run-All does.
            client = NotebookClient(
                nb,
                timeout=CELL_TIMEOUT,
                kernel_name="python3",
                allow_errors=False,
                resources={"metadata": {"path": str(cwd)}},
                record_timing=False,
            )
            try:
                await client.async_execute()
                entry["ok"] = True
            except Exception as error:  # reported to the test, which shows it
                entry["error"] = f"{type(error).__name__}: {error}"[-4000:]
            entry["seconds"] = time.monotonic() - started
            nbformat.write(nb, str(out))
        return str(notebook), entry

    pairs = await asyncio.gather(*(one(i, n) for i, n in enumerate(notebooks)))
    return dict(pairs)


def main(argv: list[str] | None = None) -> int:
    import asyncio

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", type=Path, nargs="+")
    parser.add_argument("--cwd", type=Path, required=True)
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--probe", action="append", default=[])
    parser.add_argument("--probe-dns", action="append", default=[])
    args = parser.parse_args(argv)
    probes = {p: _probe(p) for p in args.probe}
    probes.update({f"dns:{d}": _probe_dns(d) for d in args.probe_dns})
    args.out_dir.mkdir(parents=True, exist_ok=True)
    found = asyncio.run(_execute_all(args.notebooks, args.cwd, args.out_dir, max(1, args.jobs)))
    report = {"probes": probes, "notebooks": found}
    (args.out_dir / "report.json").write_text(json.dumps(report), encoding="utf-8")
    return 0 if all(entry["ok"] for entry in found.values()) else 1


def tiny_notebook(path: Path, sources: list[str]) -> Path:
    """Write a notebook of code cells (for control runs)."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def stream_text(nb: dict) -> str:
    """All stream output of an executed notebook, joined."""
    return "".join(
        "".join(o.get("text", ""))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )


__all__ = [
    "REPO",
    "NOTEBOOKS",
    "Batch",
    "Result",
    "BatchResult",
    "lesson_paths",
    "run_batch",
    "run_batches",
    "clean_env",
    "checked_outputs",
    "differences",
    "errors_in",
    "sanitize_patterns",
    "tiny_notebook",
    "stream_text",
    "workers",
]

if __name__ == "__main__":
    sys.exit(main())
