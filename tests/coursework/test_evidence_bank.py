"""The evidence bank and lesson 08's essay planner, driven as a student would."""

from __future__ import annotations

import html
import json
import re

import pytest

from course.coursework import evidence_bank as eb
from course.coursework import progress
from course.coursework import prompts as bank
from course.coursework.planner_widget import essay_planner, evidence_picker
from course.coursework.prompt_widget import prompt

ANSWER = "This paragraph shows the writer had reasons of his own to tell the story this way, for his readers at home."


def visible(value: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())


def shown(widget) -> str:
    """Every HTML child of a planner (recursively), as the student reads it."""
    out = []
    for child in getattr(widget, "children", ()):
        if hasattr(child, "children"):
            out.append(shown(child))
        elif child.__class__.__name__ == "HTML":
            out.append(visible(child.value))
    return " ".join(out)


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "lessons" / ".one-voice-progress.json"
    path.parent.mkdir()
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(path))
    return path


@pytest.fixture(scope="module")
def refs():
    return eb.tables()


def answer(pid: str, text: str = ANSWER) -> None:
    widget = prompt(pid)
    widget.answer.value = text
    widget.save_button.click()


def test_the_three_explanations_come_from_the_claims_they_are_stated_in(refs):
    claims = refs["claims"]
    assert {c: eb.explanation_of(c, claims) for c in ("C12", "C13", "C16", "C17", "C33", "C65")} == dict.fromkeys(
        ("C12", "C13", "C16", "C17", "C33", "C65"), "official"
    )
    assert eb.explanation_of("C14", claims) == eb.explanation_of("C15", claims) == "shen"
    assert {eb.explanation_of(c, claims) for c in ("C00", "C02", "C19", "C24", "C26", "C63")} == {"tian"}
    assert eb.paper_claim_of("C24", claims) == "C02" and eb.paper_claim_of("C13", claims) == "C01"
    assert eb.paper_claim_of("C00", claims) == "C00" and eb.paper_claim_of("C06", claims) == "C06"
    for name, (_label, ids) in eb.EXPLANATIONS.items():
        assert set(ids) <= set(claims), f"{name}: {ids} not all in data/claims.csv"


def test_an_empty_bank_names_the_lessons_to_work_through(progress_file):
    planner = essay_planner()
    text = visible(planner.intro.value)
    assert text.startswith("Your evidence bank is empty. Answer the document prompts in lessons 01-08")
    assert "evidence_picker" in text and planner.sorters == {}
    planner.export_button.click()
    outline = (progress_file.parent / "essay-outline.md").read_text(encoding="utf-8")
    assert "Your evidence bank is empty" in outline


def test_answers_and_marks_are_grouped_sorted_saved_and_exported(progress_file, refs):
    answer("l02-sourcing-puzanov")  # C19 -> Tian, under C02 (lesson 02, Document D, ¶1)
    answer("l02-close-reading-interference")  # C14 -> Shen
    answer("l01-corroboration-nsc-forecast")  # C12 -> official history
    answer("l05-sourcing-burmese-guests", "Too short.")  # saved but short: still banked
    eb.mark("frus-1958-60-v18-d216-l08", 6, "C13", "Burke only guesses at the reasons.", refs=refs)
    planner = essay_planner()
    assert visible(planner.intro.value).startswith("Your evidence bank : 5 items")
    assert set(planner.sorters) == {
        "answer:l02-sourcing-puzanov",
        "answer:l02-close-reading-interference",
        "answer:l01-corroboration-nsc-forecast",
        "answer:l05-sourcing-burmese-guests",
        "mark:frus-1958-60-v18-d216-l08:6:C13",
    }
    text = shown(planner)
    official, shen, tian = (
        text.index(f"The explanation of {who}")
        for who in ("The official history (C12, C16, C33, C65)", "Shen Zhihua (C14)", "Tian Wuxiong (C00)")
    )
    assert official < shen < tian
    assert official < text.index("frus-1955-57-v23p2-d196-a ¶3 (lesson 01, Document") < shen
    assert official < text.index("frus-1958-60-v18-d216-l08 ¶6 (lesson 08, Document") < shen
    assert shen < text.index("puzanov-1957-11-13-b ¶4 (lesson 02, Document E)") < tian
    assert tian < text.index("puzanov-1957-11-13-a ¶1 (lesson 02, Document D)")
    assert "Your note: Burke only guesses at the reasons." in text and f"Your answer: {ANSWER}" in text

    planner.sorters["answer:l01-corroboration-nsc-forecast"].value = "against"
    planner.sorters["answer:l02-sourcing-puzanov"].value = "for"
    planner.thesis.value = "Mao proposed it for China's own reasons; Kim chose how it would look."
    planner.counter.value = "Shen: it was amends for 1956."
    planner.export_button.click()
    out = progress_file.parent / "essay-outline.md"
    assert visible(planner.status.value) == (
        f"Saved your plan and wrote the outline to {out.resolve()}. Open it beside "
        "your essay; it cites each item by document id and ¶."
    )
    outline = out.read_text(encoding="utf-8")
    assert outline.startswith("# Essay outline")
    assert "## Thesis\n\nMao proposed it for China's own reasons; Kim chose how it would look.\n" in outline
    assert outline.rstrip().endswith("## Counter-argument\n\nShen: it was amends for 1956.")
    official_part = outline[
        outline.index("## Evidence on the explanation of The official history") : outline.index(
            "## Evidence on the explanation of Shen Zhihua"
        )
    ]
    assert "**against**\n\n- [frus-1955-57-v23p2-d196-a ¶3 (lesson 01, Document" in official_part
    assert "- [frus-1958-60-v18-d216-l08 ¶6 (lesson 08, Document" in official_part
    tian_part = outline[outline.index("## Evidence on the explanation of Tian Wuxiong") :]
    assert (
        "### C02: " in tian_part
        and "**for**\n\n- [puzanov-1957-11-13-a ¶1 (lesson 02, Document D)] claim C19" in tian_part
    )
    assert "- [mao-burmese-guests-1957-12-14-l05 ¶1 (lesson 05, Document" in tian_part and "Too short." in tian_part

    again = essay_planner()  # a restart: the sorting, thesis and counter-argument come back
    assert again.sorters["answer:l01-corroboration-nsc-forecast"].value == "against"
    assert again.sorters["mark:frus-1958-60-v18-d216-l08:6:C13"].value == ""
    assert again.thesis.value.startswith("Mao proposed it") and again.counter.value.startswith("Shen:")
    saved = json.loads(progress_file.read_text(encoding="utf-8"))
    assert saved["plan"]["sort"]["answer:l02-sourcing-puzanov"] == "for"


def test_the_evidence_picker_marks_a_paragraph_and_the_planner_shows_it(progress_file):
    picker = evidence_picker("03-why-kim-agreed")
    labels = [label for label, _value in picker.document.options]
    assert labels[0].startswith("Document A: ") and len(labels) >= 3
    picker.document.value = "puzanov-1957-06-04-a"
    assert [n for _label, n in picker.paragraph.options][:3] == [1, 2, 3]
    assert picker.claim.options[0][1] in {"C25", "C26", "C27", "C28", "C29", "C30", "C31", "C32"}  # this lesson's first
    picker.paragraph.value = 5
    picker.claim.value = "C32"
    picker.note.value = "Puzanov calls a one-sided withdrawal wrong."
    picker.button.click()
    assert visible(picker.status.value).startswith(
        "Saved Document "
    ) and "¶5 as evidence bearing on claim C32" in visible(picker.status.value)
    assert "puzanov-1957-06-04-a ¶5 (lesson 03, Document" in visible(picker.marked.value)
    assert picker.note.value == ""
    reopened = evidence_picker("03-why-kim-agreed")
    assert "Puzanov calls a one-sided withdrawal wrong." in visible(reopened.marked.value)
    assert "puzanov-1957-06-04-a ¶5" in shown(essay_planner())


def test_mark_evidence_checks_what_it_is_given(progress_file, capsys, refs):
    from course.coursework.evidence_bank import mark_evidence

    mark_evidence("puzanov-1957-11-13-b", 4, claim="C14", note="Kim calls it friendly advice.")
    assert capsys.readouterr().out.startswith("Saved Document E (lesson 02), ¶4 in your evidence bank")
    with pytest.raises(eb.EvidenceError, match="There is no document nowhere-1958 in data/excerpts.csv. Fix:"):
        mark_evidence("nowhere-1958", 1, claim="C14")
    with pytest.raises(eb.EvidenceError, match=r"has no paragraph 99\. Fix: use one of its paragraph numbers \(1, 2"):
        mark_evidence("puzanov-1957-11-13-b", 99, claim="C14")
    with pytest.raises(eb.EvidenceError, match="There is no claim C999 in data/claims.csv"):
        mark_evidence("puzanov-1957-11-13-b", 4, claim="C999")
    items = eb.items(progress.document(), refs, bank.load_all())
    assert [(i.excerpt, i.paragraph, i.claim, i.text) for i in items] == [
        ("puzanov-1957-11-13-b", 4, "C14", "Kim calls it friendly advice.")
    ]
    mark_evidence("puzanov-1957-11-13-b", 4, claim="C14", remove=True)
    assert eb.items(progress.document(), refs, bank.load_all()) == []


def test_a_corrupted_file_reaches_the_planner_as_a_message_not_a_crash(progress_file):
    progress_file.write_text("{not json", encoding="utf-8")
    planner = essay_planner()
    assert "could not be read" in visible(planner.status.value)
    assert visible(planner.intro.value).startswith("Your evidence bank is empty")
    assert len(list(progress_file.parent.glob("*.corrupt-*"))) == 1
