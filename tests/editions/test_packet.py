"""The packet edition: one printable PDF per lesson with its documents, its prompts and its sources.

Printed by the machine's Chromium through Playwright, so these tests skip (saying why) where either is
missing. The PDFs are read back with pypdf: every excerpt's first sentence must be in its lesson's PDF."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from course.catalog import lessons
from course.editions.build import BuildError, build
from course.editions.packet import printer_problem
from course.evidence.package import evidence
from course.settings import PACKAGE_DIR

pytestmark = pytest.mark.skipif(printer_problem() is not None, reason=str(printer_problem()))
PROMPTS = PACKAGE_DIR / "coursework" / "prompts"


def normalised(text: str) -> str:
    """Ligatures undone (ﬁ → fi), whitespace (line and page breaks) collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return (match[1] if match else text).strip()


@pytest.fixture(scope="module")
def packets(tmp_path_factory) -> dict[str, tuple[int, str]]:
    """(page count, text) of each lesson's PDF, from one build of the whole collection."""
    from pypdf import PdfReader

    out = tmp_path_factory.mktemp("packets") / "packets"
    build("packet", out)
    found = {}
    for path in sorted(out.iterdir()):
        reader = PdfReader(path)
        found[path.name] = (len(reader.pages), normalised(" ".join(page.extract_text() for page in reader.pages)))
    return found


def test_one_pdf_per_lesson(packets):
    assert sorted(packets) == [f"{lesson.slug}.pdf" for lesson in lessons()]


def test_page_counts_are_sane(packets):
    ev = evidence()
    for name, (pages, _text) in packets.items():
        documents = int((ev.excerpts.lesson == name[:-4]).sum())
        # a header page with documents, a page of prompts, a page of sources; at most about two pages a document
        assert 3 <= pages <= 3 + 2 * documents, (name, pages, documents)


def test_every_excerpt_starts_in_its_lessons_pdf(packets):
    ev = evidence()
    checked = 0
    for excerpt in ev.excerpts.itertuples():
        paragraphs = ev.paragraphs[ev.paragraphs.excerpt_id == excerpt.id].sort_values("n")
        sentence = normalised(first_sentence(paragraphs.english.iloc[0]))
        assert sentence in packets[f"{excerpt.lesson}.pdf"][1], (excerpt.lesson, excerpt.id, sentence)
        checked += 1
    assert checked == len(ev.excerpts) > 30


def test_prompts_are_printed_but_not_their_model_readings(packets):
    for path in sorted(PROMPTS.glob("*.json")):
        text = packets[f"{path.stem}.pdf"][1]
        for prompt in json.loads(path.read_text(encoding="utf-8")):
            assert normalised(prompt["prompt"])[:80] in text, (path.name, prompt["id"])
            assert normalised(first_sentence(prompt["reading"]))[:60] not in text, (path.name, prompt["id"])


def test_each_packet_lists_its_documents_sources(packets):
    ev = evidence()
    for excerpt in ev.excerpts.itertuples():
        assert f"[{excerpt.source_id}]" in packets[f"{excerpt.lesson}.pdf"][1].replace(" ", ""), excerpt.id
    assert "Sources" in packets["06-moscow-first.pdf"][1]


DOCUMENT_TEMPLATE = PACKAGE_DIR / "display" / "templates" / "document.html.j2"


@pytest.mark.xfail(
    "copy=doc.copy" in DOCUMENT_TEMPLATE.read_text(encoding="utf-8"),
    strict=True,
    reason="the display room's document.html.j2 writes doc.copy, which Jinja resolves to the dict's "
    "copy() method: every document says 'Copy used: <built-in method copy of dict object at 0x…>' "
    '(fixed on main by deb0ab0 with doc["copy"]; this test then runs as a plain check)',
)
def test_the_documents_name_the_copy_used(packets):
    for name, (_pages, text) in packets.items():
        assert "built-in method" not in text, name


def test_a_custom_edition_numbers_its_packets_and_a_missing_printer_stops_the_build(tmp_path: Path, monkeypatch):
    from pypdf import PdfReader

    config = tmp_path / "course.yml"
    config.write_text("lessons: [start-here, moscow-first]\nleft_out_references: quiet\n", encoding="utf-8")
    build("packet", tmp_path / "out", config)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["00-start-here.pdf", "01-moscow-first.pdf"]
    text = normalised(" ".join(p.extract_text() for p in PdfReader(tmp_path / "out" / "01-moscow-first.pdf").pages))
    assert "Lesson 01 · Moscow first" in text and "Document A: Zhou Enlai to Soviet Ambassador Yudin" in text

    monkeypatch.setattr("course.editions.packet.chromium", lambda: None)
    with pytest.raises(BuildError, match="apt-get install chromium"):
        build("packet", tmp_path / "again", config)
    assert not (tmp_path / "again").exists()
