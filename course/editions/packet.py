"""The packet edition: one printable PDF per lesson, for classes that work on paper.

Each packet holds the lesson's documents as the document reader shows them (headers, numbered
paragraphs, translation chains, terms of use), the lesson's discussion prompts each with ruled space
to write (never the model readings, which are for the instructor), and the list of the sources the
lesson uses. The HTML comes from `editions/packet.html.j2` with print CSS; it is printed to PDF
offline by a local Chromium (Debian's `chromium`) driven by Playwright: the page loads nothing from
the network (every request is refused).
"""

from __future__ import annotations

from pathlib import Path

from course import settings
from course.display.cards import display_title
from course.display.documents import document_html, lesson_documents
from course.display.scripts import lang_of
from course.display.templating import render
from course.editions.build import BuildError
from course.editions.config import CourseConfig
from course.editions.print_pdf import CHROMIUM_ARGS, chromium
from course.editions.steps import SILENT, Steps, each
from course.editions.student import BuiltLesson
from course.evidence.package import Evidence, evidence, localized
from course.i18n import N_, _
from course.settings import PACKAGE_DIR

SKILLS = {
    "sourcing": N_("Sourcing"),
    "contextualisation": N_("Contextualisation"),
    "corroboration": N_("Corroboration"),
    "close-reading": N_("Close reading"),
}
WRITING_LINES = 9  # ruled lines under each prompt: about a paragraph in handwriting


def printer_problem() -> str | None:
    """Why the packets cannot be printed here (with the fix), or None."""
    if chromium() is None:
        return _(
            "The packet edition prints PDFs with Chromium, which is not installed. Fix: install it "
            "(Debian/Ubuntu: apt-get install chromium), then build again."
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return _(
            "The packet edition drives Chromium with the Python package playwright, which is not installed. "
            "Fix: pip install -e '.[packet]' (no browser download is needed: it uses your Chromium)."
        )
    return None


def prompts(slug: str) -> list[dict]:
    """The lesson's discussion prompts (course/coursework/prompts/<slug>.json) in the edition's language, without
    their model readings."""
    from course.coursework.prompts import PromptBankError, load_all

    folder = PACKAGE_DIR / "coursework" / "prompts"
    if not (folder / f"{slug}.json").exists():
        return []
    try:
        items = [item for item in load_all(folder).values() if item.lesson == slug]
    except PromptBankError as error:
        raise BuildError(str(error)) from None
    return [
        {"skill": _(SKILLS[item.skill]) if item.skill in SKILLS else item.skill, "prompt": item.prompt}
        for item in items
    ]


def _cell(value) -> str:
    return value if isinstance(value, str) else ""


def sources(slug: str, documents: list[str], ev: Evidence) -> list[dict]:
    """The lesson's sources: those of its documents first (in document order), then the others it uses."""
    table = ev.sources.set_index("id")
    printed = list(dict.fromkeys(ev.excerpts.set_index("id").loc[documents, "source_id"])) if documents else []
    used = [row.id for row in ev.sources.itertuples() if slug in _cell(row.lessons).split(";")]
    found = []
    for source_id in printed + [s for s in used if s not in printed]:
        row = table.loc[source_id]
        title = display_title(row)
        title_original = "" if _cell(row.title) in (_cell(row.title_en), title) else _cell(row.title)
        found.append(
            {
                "id": source_id,
                "title": title,
                "title_original": title_original,
                "title_lang": lang_of(title_original),
                "creator": localized(row, "creator"),
                "date": _cell(row.date),
                "where": ", ".join(p for p in (localized(row, "archive"), localized(row, "reference")) if p),
                "url": _cell(row.url),
                "printed": source_id in printed,
            }
        )
    return found


def packet_html(config: CourseConfig, item: BuiltLesson, ev: Evidence | None = None, slug: str | None = None) -> str:
    """One lesson's packet as a printable HTML page. `slug` is the lesson's name in the data, which names
    lessons by their place in the collection (default: the file name of the lesson's notebook)."""
    ev = ev or evidence()
    slug = slug or item.choice.notebook.stem
    documents = lesson_documents(slug, ev)
    return render(
        "editions/packet.html.j2",
        course=config.title,
        lesson=item.lesson,
        documents=[document_html(excerpt_id, ev) for excerpt_id in documents],
        prompts=prompts(slug),
        sources=sources(slug, documents, ev),
        lines=range(WRITING_LINES),
        lang=settings.language().replace("_", "-"),
    )


def write_packets(config: CourseConfig, built: list[BuiltLesson], folder: Path, steps: Steps = SILENT) -> None:
    """Print one PDF per lesson into `folder` (named like the lesson: NN-slug.pdf)."""
    from playwright.sync_api import sync_playwright

    ev = evidence()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium()), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # offline: the packet loads nothing
            for item in each(built, steps):
                page.set_content(packet_html(config, item, ev), wait_until="load")
                page.pdf(
                    path=str(folder / f"{item.lesson.slug}.pdf"),
                    format="A4",
                    print_background=False,
                    margin={"top": "18mm", "bottom": "18mm", "left": "18mm", "right": "18mm"},
                )
        finally:
            browser.close()
