"""The Chinese edition's documents: originals where they can be read, Tian's Chinese where he quotes
a Russian record, our own translation otherwise, each paragraph saying which (issue 17, deliverable 3).

Text marked as Tian's (kind original or published-translation, source naming 田武雄) must be his words
exactly; text marked as ours must share no 20-character run with the paper; the reader shows the
right text, the right provenance and the right language tags.
"""

from __future__ import annotations

import html
import re

import pytest

from course import i18n
from course.display.documents import document_html
from course.evidence.package import evidence, load

KINDS = {"original", "published-translation", "ours"}
TIAN = "田武雄"
CUT = "[…]"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ev():
    return evidence()


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    yield
    i18n.translations.cache_clear()


# --- the data --------------------------------------------------------------------------------------


def test_every_paragraph_has_chinese_text_a_kind_and_a_source(ev):
    p = ev.paragraphs
    assert len(p) >= 150
    for row in p.itertuples():
        where = f"{row.excerpt_id} ¶{row.n}"
        assert isinstance(row.text_zh, str) and len(HAN.findall(row.text_zh)) >= 2, where
        assert row.text_zh_kind in KINDS, where
        assert isinstance(row.text_zh_source, str) and len(row.text_zh_source) > 4, where
    for column in ("heading_zh", "location_zh"):
        assert ev.excerpts[column].map(lambda v: isinstance(v, str) and bool(HAN.search(v))).all(), column


def test_the_kind_enum_is_enforced_by_the_schema(data_copy):
    path = data_copy / "paragraphs.csv"
    text = path.read_text(encoding="utf-8")
    assert ",ours," in text
    path.write_text(text.replace(",ours,", ",machine,", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="machine"):
        load(data_copy)


def test_chinese_documents_show_their_chinese_not_a_translation(ev):
    """A Chinese document's paragraphs show its Chinese text: the `original` column, never our translation."""
    chinese_ids = set(ev.excerpts[ev.excerpts.language == "zh"].id)
    rows = ev.paragraphs[ev.paragraphs.excerpt_id.isin(chinese_ids)]
    assert len(rows) >= 40
    assert (rows.text_zh == rows.original).all()
    assert set(rows.text_zh_kind) <= {"original", "published-translation"}


def test_english_and_russian_via_english_documents_are_labelled_honestly(ev):
    """No English-language excerpt claims a Chinese original we did not read: all ours, saying what from."""
    english_ids = set(ev.excerpts[ev.excerpts.language == "en"].id)
    rows = ev.paragraphs[ev.paragraphs.excerpt_id.isin(english_ids)]
    assert set(rows.text_zh_kind) == {"ours"}
    assert rows.text_zh_source.str.startswith("据").all()


def _pieces(text: str) -> list[str]:
    """The runs of a quotation between cuts, whitespace removed (the paper's text layer breaks lines)."""
    return [re.sub(r"\s+", "", piece) for piece in text.split(CUT) if re.sub(r"\s+", "", piece)]


def _spaced(piece: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in piece)


def found_in_paper(piece: str, paper: str) -> bool:
    """`piece` occurs in the paper, whitespace aside; or runs across one page break, where the paper's
    text layer puts the page's footnotes between the two halves (the quotation at fn 52 does)."""
    flat = re.sub(r"\s+", "", paper)
    if piece in flat:
        return True
    for cut in range(2, len(piece) - 1):
        head, tail = piece[:cut], piece[cut:]
        if head in flat and tail in flat:
            # the head must end a page (footnotes follow), the tail open the next page
            if re.search(_spaced(head) + r"[ \t]*\n\s*\n\d+ ", paper) and re.search(r"\n " + _spaced(tail), paper):
                return True
    return False


def test_text_marked_as_tians_is_his_exact_words(ev, paper_text):
    tians = ev.paragraphs[
        ev.paragraphs.text_zh_kind.isin(["original", "published-translation"])
        & ev.paragraphs.text_zh_source.str.contains(TIAN)
    ]
    assert len(tians) >= 20
    for row in tians.itertuples():
        for piece in _pieces(row.text_zh):
            assert found_in_paper(piece, paper_text), f"{row.excerpt_id} ¶{row.n}: {piece}"


def test_the_exactness_check_catches_one_altered_character(ev, paper_text):
    row = ev.paragraphs[ev.paragraphs.excerpt_id == "cmc-143rd-meeting-1958-02-13-l07"].iloc[0]
    piece = _pieces(row.text_zh)[0]
    assert found_in_paper(piece, paper_text)  # it runs across a page break of the paper
    for position in (3, len(piece) // 2, len(piece) - 3):
        altered = piece[:position] + ("国" if piece[position] != "国" else "家") + piece[position + 1 :]
        assert not found_in_paper(altered, paper_text), position
    other = ev.paragraphs[ev.paragraphs.excerpt_id == "zhou-kim-talks-1958-02-15-l07"].iloc[0].text_zh
    assert not found_in_paper(_pieces(other)[0].replace("两个军", "三个军"), paper_text)


def shared_run(text: str, flat_paper: str, length: int = 20) -> str | None:
    """The first run of `length` characters of `text` (whitespace removed) that the paper also has."""
    flat = re.sub(r"\s+", "", text)
    for start in range(0, max(0, len(flat) - length + 1)):
        if flat[start : start + length] in flat_paper:
            return flat[start : start + length]
    return None


def test_only_tians_marked_quotations_share_text_with_the_paper(ev, paper_text):
    """Our translations, headings, locations and provenance notes share no 20-character run with the
    paper; a paragraph that does must be a quotation credited to Tian (original or his translation)."""
    paper = re.sub(r"\s+", "", paper_text)
    for row in ev.paragraphs.itertuples():
        run = shared_run(row.text_zh, paper)
        if run:
            assert row.text_zh_kind != "ours" and TIAN in row.text_zh_source, f"{row.excerpt_id} ¶{row.n}: {run}"
    ours = list(ev.paragraphs[ev.paragraphs.text_zh_kind == "ours"].text_zh)
    ours += list(ev.paragraphs.text_zh_source.unique()) + list(ev.excerpts.heading_zh) + list(ev.excerpts.location_zh)
    assert len(ours) > 150
    for text in ours:
        assert shared_run(text, paper) is None, (text[:30], shared_run(text, paper))


def test_the_copy_check_catches_a_planted_run(paper_text):
    paper = re.sub(r"\s+", "", paper_text)
    assert shared_run("我们的译文：" + paper[5000:5021] + "。", paper) == paper[5000:5020]
    assert shared_run("我们的译文：" + paper[5000:5019] + "。", paper) is None  # 19 characters are not a copy


# --- the reader, driven ----------------------------------------------------------------------------


def _visible(page: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return " ".join(text.split())


def test_the_chinese_reader_shows_a_chinese_original_as_original(chinese, ev, monkeypatch):
    from course.display import documents

    shown_objects = []
    monkeypatch.setattr(documents, "display", shown_objects.append)
    documents.show_document("zhou-kim-talks-1958-02-15-l07")  # what a lesson cell calls
    (page,) = [obj.data for obj in shown_objects]
    shown = _visible(page)
    assert "我们在东北原有四个军，志愿军撤退后再增加两个军。" in shown
    assert "原文（" in shown and "引自田武雄 2014，注53" in shown
    assert "本课程自译" not in shown
    assert "We already have four armies" not in shown  # no back-translation beside the original
    assert "周恩来对朝鲜代表团" in shown  # the heading in Chinese
    assert re.search(r"<div class='ov-excerpt ov-chinese' lang='zh-Hans'>我们在东北", page)


def test_the_chinese_reader_labels_tians_chinese_of_a_russian_record(chinese, ev):
    shown = _visible(document_html("yudin-mao-1957-11-09-a", ev))
    assert "已刊译文（田武雄译引" in shown
    assert "志愿军还是志愿军" in shown


def test_the_chinese_reader_labels_our_translation_of_frus_as_ours(chinese, ev):
    page = document_html("frus-1955-57-v23p2-d225-a", ev)
    shown = _visible(page)
    assert "本课程自译（据英文原文" in shown
    assert "原文（" not in shown
    ours = ev.paragraphs[ev.paragraphs.excerpt_id == "frus-1955-57-v23p2-d225-a"].text_zh.iloc[0]
    assert re.search(r"<div class='ov-excerpt ov-chinese' lang='zh-Hans'>" + re.escape(html.escape(ours[:10])), page)
    # the English it was translated from stays beside it, tagged as English
    assert re.search(r"<div class='ov-excerpt ov-translated-from' lang='en'><small>At a June 21 meeting", page)


def test_every_document_in_chinese_has_its_text_provenance_and_no_english_chain(chinese, ev):
    for row in ev.excerpts.itertuples():
        page = document_html(row.id, ev)
        shown = _visible(page)
        assert "中文文本的来源" in shown, row.id
        assert "How this text reached you" not in shown and row.translation_chain.rstrip(".") not in shown, row.id
        assert row.heading_zh in shown or html.escape(row.heading_zh) in page, row.id
        assert page.count("class='ov-excerpt ov-chinese' lang='zh-Hans'") == (ev.paragraphs.excerpt_id == row.id).sum()


def test_the_english_reader_is_unchanged(monkeypatch, ev):
    monkeypatch.delenv("ONE_VOICE_LANG", raising=False)
    page = document_html("zhou-kim-talks-1958-02-15-l07", ev)
    shown = _visible(page)
    assert "We already have four armies in the Northeast" in shown
    assert "How this text reached you" in shown
    assert "中文文本的来源" not in shown and "周恩来对朝鲜代表团" not in shown
    assert "<div class='ov-excerpt ov-original' lang='zh-Hans'>我们在东北" in page
    assert "ov-chinese" not in page


def test_the_evidence_picker_names_documents_by_their_chinese_heading(chinese, ev):
    """The essay planner's document menu (lesson 08) uses the same Chinese headings as the reader."""
    from course.coursework import evidence_bank
    from course.coursework.planner_widget import EvidencePicker

    picker = EvidencePicker("07-where-the-troops-went", evidence_bank.tables(ev))
    labels = [label for label, _id in picker.document.options]
    expected = ev.excerpts[ev.excerpts.lesson == "07-where-the-troops-went"].sort_values("order")
    assert labels == [f"文献 {chr(65 + i)}：{h}" for i, h in enumerate(expected.heading_zh)]
    picker.document.value = "zhou-kim-talks-1958-02-15-l07"
    assert picker.document.label.endswith("东北再增加两个军")
