"""The reader edition: static HTML of the executed lessons whose widgets render offline.

nbconvert embeds each lesson's saved widget state; the renderer that draws it (and RequireJS,
which loads it) come from `course/editions/reader_assets/` instead of a CDN, so the pages open from a
USB stick or a campus server without internet.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from course import settings
from course.display.templating import render
from course.editions.config import CourseConfig
from course.editions.steps import SILENT, Steps, each
from course.editions.student import BuiltLesson
from course.i18n import _

ASSETS = Path(__file__).resolve().parent / "reader_assets"
LESSON_LINK = re.compile(r"""href=(["'])([^"'/:]+)\.ipynb\1""")
# ../data/ and ../README.md from notebooks/; ../../ from a translated lesson in notebooks/zh
DATA_LINK = re.compile(r"""href=(["'])(?:\.\./)+data/([^"'/#]+)\1""")
LOCAL_DATA = re.compile(r"""href=(["'])data/([^"'/#]+)\1""")
CONTENTS_LINK = re.compile(r"""href=(["'])(?:\.\./)+README\.md\1""")


def html_lang() -> str:
    """The pages' language as HTML writes it ("en", "zh-Hans")."""
    return settings.language().replace("_", "-")


def exporter():
    from nbconvert import HTMLExporter

    class Exporter(HTMLExporter):
        """nbconvert's HTML exporter with the page's `<html lang>` in the edition's language (nbconvert itself
        accepts only ISO 639-1 codes, and "zh-Hans" is a BCP 47 tag)."""

        def _init_resources(self, resources):
            resources = super()._init_resources(resources)
            resources["language_code"] = html_lang()
            return resources

    return Exporter(
        template_name="lab",
        template_file="offline.html.j2",
        extra_template_paths=[str(ASSETS)],
        widget_renderer_url="assets/embed-amd.js",
        require_js_url="assets/require.js",
    )


def local_links(page: str) -> str:
    """Links between lessons point at their HTML pages, the contents link at the index, and links to
    the evidence base's notes (../data/FORCES.md) at the copies the edition carries in data/."""
    page = LESSON_LINK.sub(lambda m: f"href={m[1]}{m[2]}.html{m[1]}", page)
    page = DATA_LINK.sub(lambda m: f"href={m[1]}data/{m[2]}{m[1]}", page)
    return CONTENTS_LINK.sub(lambda m: f"href={m[1]}index.html{m[1]}", page)


def linked_data_files(page: str) -> set[str]:
    """The files of data/ a page links to (after local_links), to copy beside the pages."""
    return {m[2] for m in LOCAL_DATA.finditer(page)}


def index_html(config: CourseConfig, built: list[BuiltLesson]) -> str:
    """The edition's front page: every lesson with its question and time, linked to its page."""
    return render(
        "editions/reader_index.html.j2",
        title=config.title,
        lessons=[b.lesson for b in built],
        lang=html_lang(),
    )


def write_reader(config: CourseConfig, built: list[BuiltLesson], folder: Path, steps: Steps = SILENT) -> None:
    shutil.copytree(ASSETS, folder / "assets", ignore=shutil.ignore_patterns("*.j2", "README.md"))
    html_exporter = exporter()
    labels = {"skip": _("Skip to the lesson"), "nav": _("Course"), "contents": _("All lessons")}
    for item in each(built, steps):
        page, _resources = html_exporter.from_notebook_node(
            item.nb, resources={"metadata": {"name": item.lesson.title}, "ov_labels": labels}
        )
        page = local_links(page)
        (folder / f"{item.lesson.slug}.html").write_text(page, encoding="utf-8")
        for name in linked_data_files(page):
            (folder / "data").mkdir(exist_ok=True)
            shutil.copy2(settings.data_dir() / name, folder / "data" / name)
    (folder / "index.html").write_text(index_html(config, built), encoding="utf-8")
