"""HTML pages to PDF, offline, through Debian's Chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from course.i18n import _

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> Path | None:
    """Debian's Chromium, if installed."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def chromium_missing() -> str | None:
    """Why PDFs cannot be printed here (a sentence naming the fix), or None if they can."""
    if chromium() is None:
        return _("Chromium is not installed (on Debian or Ubuntu: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return _(
            "the playwright Python package is not installed (pip install playwright; no browser download is needed)"
        )
    return None


def print_pdfs(jobs: list[tuple[Path, Path]]) -> None:
    """Print each (HTML file, PDF file) pair on A4 with the pages' own print CSS, in one browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium()), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for source, target in jobs:
                page.goto(Path(source).absolute().as_uri(), wait_until="load")
                page.emulate_media(media="print")
                page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()
