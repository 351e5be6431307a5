"""Launching JupyterLab and headless Chromium, shared by the browser test and the benchmarks.

What the guide (§6) found on these machines: Debian's chromium driven by the Python playwright
package (never `playwright install`), JupyterLab on 127.0.0.1 with a token and a free port,
`--allow-root` only as root, the news toast switched off, a "Select Kernel" dialog that can appear
once, labels that update asynchronously (so callers wait for exact texts).

The server is isolated from the machine it runs on: a temporary progress file and checkpoint
folder (nothing written into notebooks/), temporary lab user settings and workspaces (a developer's own settings and
open tabs play no part), and autosave off, so running a lesson in the browser never rewrites the
committed notebook.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from course.editions.print_pdf import CHROMIUM_ARGS  # one list of launch flags for every Chromium we start
from tests.helpers import REPO, free_port, root_flag, wait_for_json

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1400, "height": 1000}
OVERRIDES = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
# Settings the harness adds on top of the collection's own overrides: never autosave a lesson.
HARNESS_SETTINGS = {"@jupyterlab/docmanager-extension:plugin": {"autosave": False}}

SERVER_TIMEOUT = 120.0
RUN_ALL_TIMEOUT_MS = 180_000
UPDATE_TIMEOUT_MS = 30_000
# The lessons are served from the repository; a developer may point the browser tests at a scratch copy.
LAB_ROOT = Path(os.environ.get("ONE_VOICE_LAB_ROOT", REPO))
CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the visible tab


def chromium_missing() -> str | None:
    """Why the browser cannot run here, or None if it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium); the browser checks need it"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path

    def tree_url(self, path: str) -> str:
        """The notebook in a reset workspace (no tabs restored from an earlier page in this server)."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def api(self, path: str) -> dict:
        return json.loads(wait_for_json(f"{self.url}/{path.lstrip('/')}?token={self.token}", timeout=30))


def _write_user_settings(folder: Path, extra: dict | None = None) -> None:
    """The collection's overrides (if make has not installed them into the venv), the harness's own and `extra`."""
    settings = {} if OVERRIDES.exists() else json.loads((REPO / "binder" / "overrides.json").read_text())
    for plugin_id, values in {**settings, **HARNESS_SETTINGS, **(extra or {})}.items():
        package, plugin = plugin_id.split(":")
        target = folder / package / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")


@contextlib.contextmanager
def lab_server(root: Path = REPO, progress: Path | None = None, settings: dict | None = None) -> Iterator[Lab]:
    """JupyterLab from this venv, serving `root`, as `make lab` starts it; stopped (with its kernels) on exit.

    `settings`: more user settings for this server only, {plugin id: {key: value}}.
    """
    scratch = Path(tempfile.mkdtemp(prefix="one-voice-lab-"))
    extra_settings, settings, workspaces = settings, scratch / "user-settings", scratch / "workspaces"
    _write_user_settings(settings, extra_settings)
    workspaces.mkdir()
    port, token = free_port(), os.urandom(16).hex()
    env = {**os.environ, "ONE_VOICE_PROGRESS": str(progress or scratch / "progress.json")}
    command = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={workspaces}",
        f"--FileCheckpoints.checkpoint_dir={scratch / 'checkpoints'}",  # absolute: not beside the lessons
        *root_flag(),
    ]
    log = scratch / "jupyter.log"
    with open(log, "wb") as sink:
        server = subprocess.Popen(
            command, cwd=root, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    lab = Lab(url=f"http://127.0.0.1:{port}", token=token, root=Path(root), log=log)
    try:
        try:
            wait_for_json(f"{lab.url}/api/status?token={token}", timeout=SERVER_TIMEOUT)
        except TimeoutError:
            raise RuntimeError(
                f"JupyterLab did not start; its log:\n{log.read_text(errors='replace')[-3000:]}"
            ) from None
        yield lab
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def chromium_page():
    """A Playwright page in Debian's headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
            page = context.new_page()
            page.set_default_timeout(UPDATE_TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def accept_kernel_dialog(page, wait_ms: int = 0) -> bool:
    """Accept a "Select Kernel" dialog if one is (or, within `wait_ms`, becomes) visible."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(state="visible", timeout=max(wait_ms, 1))
    except Exception:
        return False
    dialog.locator(".jp-mod-accept").click()
    dialog.wait_for(state="detached")
    return True


def open_notebook(page, lab: Lab, path: str) -> None:
    """Open a notebook in JupyterLab and wait until its kernel is idle."""
    page.goto(lab.tree_url(path))
    page.locator(f"{CURRENT} .jp-Notebook").wait_for(state="visible", timeout=90_000)
    accept_kernel_dialog(page, wait_ms=3_000)
    page.locator(f"{CURRENT} .jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
        state="attached", timeout=90_000
    )


def code_cell_count(lab: Lab, path: str) -> int:
    """Code cells in the notebook as saved (the page may not have attached them all yet)."""
    cells = json.loads((lab.root / path).read_text(encoding="utf-8"))["cells"]
    return sum(cell["cell_type"] == "code" for cell in cells)


def run_all(page, lab: Lab, path: str) -> int:
    """Run → Run All Cells; wait until every code cell has run in this session. Returns the number of code cells."""
    code_cells = code_cell_count(lab, path)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    accept_kernel_dialog(page, wait_ms=500)
    return _wait_for_every_cell(page, code_cells)


def restart_and_run_all(page, lab: Lab, path: str) -> int:
    """Kernel → Restart Kernel and Run All Cells (a kernel restart, as after Binder culls one); waits as run_all does."""
    code_cells = code_cell_count(lab, path)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Kernel$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Restart Kernel and Run All Cells")).click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(state="visible")
    dialog.locator(".jp-mod-accept").click()
    dialog.wait_for(state="detached")
    return _wait_for_every_cell(page, code_cells)


def _wait_for_every_cell(page, code_cells: int) -> int:
    """A fresh kernel numbers the cells 1..N; the last one reads [N] only when all have run without error."""
    page.wait_for_function(
        """([n, current]) => {
            const prompts = [...document.querySelectorAll(`${current} .jp-CodeCell .jp-InputPrompt`)];
            const indicator = document.querySelector(`${current} .jp-Notebook-ExecutionIndicator`);
            return prompts.length === n && indicator && indicator.dataset.status === 'idle'
                && prompts.every((p, i) => p.textContent.trim() === `[${i + 1}]:`);
        }""",
        arg=[code_cells, CURRENT],
        timeout=RUN_ALL_TIMEOUT_MS,
        polling=250,
    )
    return code_cells


def wait_idle(page, timeout_ms: int = UPDATE_TIMEOUT_MS) -> None:
    page.wait_for_function(
        "current => document.querySelector(`${current} .jp-Notebook-ExecutionIndicator`)?.dataset.status === 'idle'",
        arg=CURRENT,
        timeout=timeout_ms,
        polling=50,
    )


def wait_for_texts(cell, selector: str, texts: list[str], timeout_ms: int = UPDATE_TIMEOUT_MS) -> None:
    """Wait until, inside `cell`, elements matching `selector` carry each of `texts` exactly (trimmed)."""
    cell.page.wait_for_function(
        """([root, selector, texts]) => {
            const seen = new Set([...root.querySelectorAll(selector)].map(e => e.textContent.trim()));
            return texts.every(t => seen.has(t));
        }""",
        arg=[cell.element_handle(), selector, texts],
        timeout=timeout_ms,
        polling=50,
    )


@contextlib.contextmanager
def timed_keypress(page, cell, selector: str, texts: list[str]):
    """Time, inside the page, from the next keydown to `texts` showing under `cell` and to its chart changing.

    Use as `with timed_keypress(...) as timing: page.keyboard.press(...)`; afterwards
    `timing.result` is {"text": ms, "image": ms} (image: the first `.widget-output img` src changing).
    """
    page.evaluate(
        """([root, selector, texts]) => {
            const textDone = () => {
                const seen = new Set([...root.querySelectorAll(selector)].map(e => e.textContent.trim()));
                return texts.every(t => seen.has(t));
            };
            const image = () => root.querySelector('.widget-output img')?.src;
            const oldImage = image();
            window.__ovTiming = new Promise(resolve => {
                document.addEventListener('keydown', () => {
                    const start = performance.now(), result = {};
                    const check = () => {
                        if (result.text === undefined && textDone()) result.text = performance.now() - start;
                        if (result.image === undefined && image() !== oldImage)
                            result.image = performance.now() - start;
                        if (result.text !== undefined && result.image !== undefined) {
                            observer.disconnect(); resolve(result);
                        }
                    };
                    const observer = new MutationObserver(check);
                    observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
                }, {capture: true, once: true});
            });
        }""",
        [cell.element_handle(), selector, texts],
    )
    holder = type("Timing", (), {"result": None})()
    yield holder
    holder.result = page.evaluate(
        "Promise.race([window.__ovTiming, new Promise((_, no) => "
        f"setTimeout(() => no(new Error('no update within {UPDATE_TIMEOUT_MS} ms')), {UPDATE_TIMEOUT_MS}))])"
    )
