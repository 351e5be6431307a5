"""The reader edition: static HTML whose widgets render from the saved state with no network at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course.catalog import lessons
from course.editions.build import build
from tests.labkit import CHROMIUM, CHROMIUM_ARGS

SCRIPT_SOURCES = re.compile(r"""<script[^>]*\ssrc=["']([^"']*)["']|widgetRendererSrc = ["']([^"']*)["']""")


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reader") / "site"
    build("reader", out)
    return out


def test_every_lesson_has_a_page_linked_from_the_index(reader: Path):
    index = (reader / "index.html").read_text(encoding="utf-8")
    for lesson in lessons():
        assert (reader / f"{lesson.slug}.html").is_file()
        assert f'href="{lesson.slug}.html"' in index


def test_scripts_are_local(reader: Path):
    for page in reader.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        sources = [a or b for a, b in SCRIPT_SOURCES.findall(text)]
        remote = [
            s for s in sources if re.match(r"(https?:)?//", s) or any(cdn in s for cdn in ("cdn", "unpkg", "jsdelivr"))
        ]
        assert not remote, f"{page.name} loads {remote}"
        for source in sources:
            assert (reader / source).is_file(), f"{page.name}: {source} is not in the edition"
    assert (reader / "assets" / "LICENSE-html-manager.txt").is_file() and (
        reader / "assets" / "LICENSE-requirejs.txt"
    ).is_file()


def test_links_between_lessons_point_at_pages(reader: Path):
    first = lessons()[0]
    text = (reader / f"{first.slug}.html").read_text(encoding="utf-8")
    lesson = text.split("<main", 1)[1]  # the lesson's own links, not the page's navigation bar
    assert 'href="../README.md"' not in text and 'href="index.html"' in lesson
    assert not re.search(r"""href=["'][^"'/:]+\.ipynb["']""", text)


@pytest.mark.slow
def test_widgets_render_offline_in_chromium(reader: Path):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    blocked, errors = [], []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.route("**/*", only_files)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto((reader / f"{lessons()[0].slug}.html").as_uri())
            html_widget = page.locator(".widget-html-content").first
            html_widget.wait_for(state="visible", timeout=60_000)
            assert html_widget.inner_text().strip()
            assert page.locator(".ov-choice input[type=radio]").count() > 0  # the source reader's filters
        finally:
            browser.close()
    assert blocked == [], f"the page tried to reach the network: {blocked}"
    assert errors == []


def test_every_link_of_every_page_resolves(reader: Path):
    """Relative links lead to a file the edition carries (lesson pages, index, assets, data notes)."""
    pages = sorted(reader.glob("*.html"))
    checked = 0
    for page in pages:
        for target in re.findall(r"""href=["']([^"'#]+)(?:#[^"']*)?["']""", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "data:", "javascript:")) or "\\" in target:
                continue
            assert (page.parent / target).resolve().is_file(), f"{page.name} links to {target}, which the edition lacks"
            checked += 1
    assert checked > 20
