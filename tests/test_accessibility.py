"""Accessibility audit with axe-core in headless Chromium: every lesson in JupyterLab, every reader page.

- JupyterLab: each lesson opened, Run All (fresh kernel, so the outputs are today's, not the committed
  ones), then axe runs on the lesson's own content only: its rendered markdown and its outputs.
  JupyterLab's own interface (menus, toolbars, file browser) is not ours and is not audited.
- The reader edition (`one-voice build --edition reader`): every page, whole, opened from disk with
  the network blocked, after its widgets have rendered from the saved state.

A serious or critical violation fails the test, naming the rule, its help page and the elements.
Moderate and minor ones (and the serious ones) go to test-artifacts/accessibility.md and .json for
a human to read. axe-core comes from npm, pinned in .ci/run (`npm install -g axe-core@4.14.1`);
where it is absent the tests skip and say how to install it. Set ONE_VOICE_AXE to an axe.min.js
to use another copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from course.catalog import lessons
from tests.helpers import ARTIFACTS
from tests.labkit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CURRENT,
    REPO,
    UPDATE_TIMEOUT_MS,
    VIEWPORT,
    chromium_missing,
    lab_server,
    open_notebook,
    run_all,
)

AXE_VERSION = "4.14.1"  # the version .ci/run installs
AXE_INSTALL = f"npm install -g axe-core@{AXE_VERSION}  (as .ci/run does), or set ONE_VOICE_AXE=/path/to/axe.min.js"
FAILING = ("serious", "critical")
# The lesson's own content in JupyterLab: rendered markdown cells and every output area.
LESSON_SCOPE = [f"{CURRENT} .jp-MarkdownCell .jp-RenderedMarkdown", f"{CURRENT} .jp-OutputArea-output"]
# Every cell attached to the page (JupyterLab's default "contentVisibility" skips painting off-screen cells,
# which axe's colour checks cannot see through).
AUDIT_SETTINGS = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}


def axe_path() -> Path | None:
    """axe.min.js from ONE_VOICE_AXE, ./node_modules, or npm's global folder; None if nowhere."""
    candidates = []
    if os.environ.get("ONE_VOICE_AXE"):
        candidates.append(Path(os.environ["ONE_VOICE_AXE"]))
    candidates.append(REPO / "node_modules" / "axe-core" / "axe.min.js")
    npm = shutil.which("npm")
    if npm:
        try:
            root = subprocess.run(
                [npm, "root", "-g"], capture_output=True, text=True, timeout=30, check=False
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            root = ""
        if root:
            candidates.append(Path(root) / "axe-core" / "axe.min.js")
    candidates.append(Path("/usr/lib/node_modules/axe-core/axe.min.js"))
    return next((path for path in candidates if path.is_file()), None)


AXE = axe_path()
SKIP_REASON = chromium_missing() or (None if AXE else f"axe-core is not installed: {AXE_INSTALL}")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(SKIP_REASON is not None, reason=SKIP_REASON or ""),
]


def axe_version() -> str:
    return json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]


def audit(page, include: list[str] | None = None) -> list[dict]:
    """axe's violations on the page (or only inside the elements `include` selects)."""
    page.add_script_tag(path=str(AXE))
    context = {"include": include} if include else None
    return page.evaluate(
        """async (context) => {
            const result = await axe.run(context || document, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                          summary: n.failureSummary}))}));
        }""",
        context,
    )


def failing(violations: list[dict]) -> list[str]:
    """One line per serious or critical violation: rule, impact, help, how many elements, the first three."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), e.g. "
        + "; ".join(n["target"] for n in v["nodes"][:3])
        + f" — {v['helpUrl']}"
        for v in violations
        if v["impact"] in FAILING
    ]


@pytest.fixture(scope="module")
def report():
    """Every audited page's violations; written to test-artifacts/ when the module ends."""
    pages: dict[str, dict] = {}
    yield pages
    if not pages:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "accessibility.json").write_text(
        json.dumps({"axe_core": axe_version(), "pages": pages}, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    lines = [
        f"# Accessibility audit (axe-core {axe_version()})",
        "",
        "Serious and critical violations fail the tests; moderate and minor ones are listed here to be read.",
        "",
        "| page | scope | seconds | critical | serious | moderate | minor |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, entry in pages.items():
        counts = Counter(v["impact"] for v in entry["violations"] for _ in v["nodes"])
        lines.append(
            f"| {name} | {entry['scope']} | {entry['seconds']:.0f} | "
            + " | ".join(str(counts.get(i, 0)) for i in ("critical", "serious", "moderate", "minor"))
            + " |"
        )
    lines += ["", "Counts are elements (nodes); each rule below gives the elements it flagged.", ""]
    for name, entry in pages.items():
        if not entry["violations"]:
            continue
        lines += [f"## {name}", ""]
        for v in entry["violations"]:
            lines.append(f"- **{v['id']}** ({v['impact']}, {len(v['nodes'])} elements): {v['help']} — {v['helpUrl']}")
            lines += [f"  - `{n['target']}`" for n in v["nodes"][:5]]
            if len(v["nodes"]) > 5:
                lines.append(f"  - … and {len(v['nodes']) - 5} more")
        lines.append("")
    (ARTIFACTS / "accessibility.md").write_text("\n".join(lines), encoding="utf-8")


# --- JupyterLab --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_server(
        root=REPO, progress=tmp_path_factory.mktemp("progress") / "progress.json", settings=AUDIT_SETTINGS
    ) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (Playwright's sync API allows one at a time)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(browser):
    page = browser.new_context(viewport=VIEWPORT, device_scale_factor=1).new_page()
    page.set_default_timeout(UPDATE_TIMEOUT_MS)
    return page


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    page = new_page(browser)
    yield page
    page.context.close()


def shut_down_kernels(lab) -> None:
    """Free the kernel of the lesson just audited (two cores are shared by many)."""
    for kernel in lab.api("api/kernels"):
        request = urllib.request.Request(f"{lab.url}/api/kernels/{kernel['id']}?token={lab.token}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def lesson_cells(path: str) -> list[dict]:
    return json.loads((REPO / path).read_text(encoding="utf-8"))["cells"]


# The English lessons and the Chinese ones (notebooks/zh, prose tagged lang="zh-Hans", interface in Chinese).
LESSON_PATHS = sorted(
    p.relative_to(REPO).as_posix()
    for folder in ("notebooks", "notebooks/zh")
    for p in (REPO / folder).glob("[0-9][0-9]-*.ipynb")
)


def _lesson_id(path: str) -> str:
    return Path(path).stem if Path(path).parent.name == "notebooks" else f"{Path(path).parent.name}-{Path(path).stem}"


@pytest.mark.parametrize("path", LESSON_PATHS, ids=[_lesson_id(p) for p in LESSON_PATHS])
def test_lesson_in_jupyterlab_has_no_serious_violations(lab, lab_page, report, path):
    started = time.monotonic()
    try:
        open_notebook(lab_page, lab, path)
        run_all(lab_page, lab, path)
        # Widgets and charts settle after the kernel goes idle; give them a moment to render.
        lab_page.wait_for_timeout(1_000)
        assert lab_page.locator(f"{CURRENT} .jp-RenderedMarkdown").count() > 0, "no rendered markdown to audit"
        violations = audit(lab_page, LESSON_SCOPE)
        # The language tags written in the markdown survive JupyterLab's HTML sanitizer.
        tagged_in_source = sum(
            "".join(c["source"]).count("<span lang=") for c in lesson_cells(path) if c["cell_type"] == "markdown"
        )
        tagged_on_page = lab_page.locator(f"{CURRENT} .jp-MarkdownCell .jp-RenderedMarkdown span[lang]").count()
    finally:
        shut_down_kernels(lab)
    report[f"lab: {_lesson_id(path)}"] = {
        "scope": "lesson markdown and outputs, after Run All",
        "seconds": time.monotonic() - started,
        "violations": violations,
    }
    assert tagged_on_page == tagged_in_source, (
        f"{path}: {tagged_in_source} <span lang> in the markdown, {tagged_on_page} on the page"
    )
    assert not failing(violations), f"{path} in JupyterLab:\n" + "\n".join(failing(violations))


# --- the reader edition ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> Path:
    from course.editions.build import build

    out = tmp_path_factory.mktemp("reader") / "site"
    build("reader", out)
    return out


@pytest.fixture(scope="module")
def reader_page(browser):
    """A page that can open files only: the edition must not need the network."""
    page = new_page(browser)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    yield page
    page.context.close()


READER_PAGES = ["index"] + [lesson.slug for lesson in lessons()]


def wait_for_widgets(page) -> None:
    """Until every saved widget view on the page has been drawn by the offline renderer."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
                 .every(s => s.parentElement.querySelector('.lm-Widget, .jupyter-widgets'))""",
        timeout=60_000,
        polling=250,
    )


@pytest.mark.parametrize("name", READER_PAGES)
def test_reader_page_has_no_serious_violations(reader, reader_page, report, name):
    started = time.monotonic()
    page_file = reader / f"{name}.html"
    assert page_file.is_file(), f"the reader edition has no {page_file.name}"
    reader_page.goto(page_file.as_uri())
    wait_for_widgets(reader_page)
    violations = audit(reader_page)
    report[f"reader: {name}.html"] = {
        "scope": "whole page",
        "seconds": time.monotonic() - started,
        "violations": violations,
    }
    assert not failing(violations), f"reader edition {name}.html:\n" + "\n".join(failing(violations))


def test_the_audit_sees_a_violation(reader_page):
    """The harness is not blind: a slider handle without a name and a grey-on-white prompt are caught."""
    reader_page.set_content(
        "<html lang='en'><head><title>t</title></head><body><main>"
        "<div role='slider' tabindex='0' aria-valuenow='3'></div>"
        "<p style='color:#bbb;background:#fff'>In [1]:</p></main></body></html>"
    )
    found = {v["id"]: v["impact"] for v in audit(reader_page)}
    assert found.get("aria-input-field-name") == "serious" and found.get("color-contrast") == "serious", found
