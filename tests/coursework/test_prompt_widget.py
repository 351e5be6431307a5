"""Document prompts, driven as a student would: type an answer, press Save, restart, compare with a reading."""

from __future__ import annotations

import html
import json
import re

import pytest

from course.coursework import progress
from course.coursework import prompts as bank
from course.coursework.prompt_widget import prompt

PID = "l02-sourcing-puzanov"  # Document D of lesson 02, ¶1
FOURTEEN = "Puzanov was not in the room; he wrote for Moscow what Kim told him"
FIFTEEN = FOURTEEN + " afterwards"


def visible(value: str) -> str:
    """HTML as the student reads it (tags removed, entities decoded)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / ".one-voice-progress.json"
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(path))
    return path


def test_word_counting_and_the_gate_are_pure_functions():
    assert bank.word_count(FOURTEEN) == 14 and bank.word_count(FIFTEEN) == 15
    assert bank.word_count("Kim's five-year plan, 1958!") == 4  # inner apostrophes and hyphens join a word
    assert bank.word_count("毛泽东提出撤军") == 4  # 7 Chinese characters: one word per two, rounded up
    assert bank.word_count("") == 0 and bank.word_count("   \n ") == 0
    assert bank.words_needed(FOURTEEN) == 1 and bank.words_needed(FIFTEEN) == 0
    assert not bank.can_compare(None) and not bank.can_compare(FOURTEEN) and bank.can_compare(FIFTEEN)
    assert bank.gate_message(FOURTEEN) == (
        "Your saved answer needs 1 more word before you can compare it with a historian's reading."
    )
    assert bank.gate_message("two words").startswith("Your saved answer needs 13 more words")
    assert bank.gate_message(None).startswith("Write at least 15 words and press Save")


def test_the_question_names_its_document_and_paragraph(progress_file):
    widget = prompt(PID)
    shown = visible(widget.question.value)
    assert shown.startswith("Your turn: Sourcing · Document D, ¶1 puzanov-1957-11-13-a")
    assert "who was in the room when Mao and Kim talked" in shown
    assert "<a href='#ov-doc-puzanov-1957-11-13-a-p1'>Document D, ¶1</a>" in widget.question.value
    assert widget.answer.description == "Your answer" and widget.save_button.description == "Save"
    assert widget.compare_button.disabled and widget.reading.value == ""
    assert not progress_file.exists(), "showing a prompt must not create the progress file"


def test_an_answer_is_saved_and_a_new_widget_shows_it(progress_file):
    widget = prompt(PID)
    widget.answer.value = FIFTEEN
    widget.save_button.click()
    assert visible(widget.status.value).startswith("Saved at ")
    saved = json.loads(progress_file.read_text(encoding="utf-8"))
    assert saved["version"] == 2 and saved["attempts"] == []
    assert [(a["prompt"], a["text"]) for a in saved["answers"]] == [(PID, FIFTEEN)]
    restarted = prompt(PID)  # a kernel restart runs the cell again: a new widget reads the file
    assert restarted.answer.value == FIFTEEN
    assert visible(restarted.status.value).startswith("Restored your answer saved on ")
    assert not restarted.compare_button.disabled and restarted.reading.value == ""


def test_the_reading_is_gated_on_a_saved_answer_of_fifteen_words(progress_file):
    item = bank.get_prompt(PID)
    widget = prompt(PID)
    widget.answer.value = FIFTEEN + " and more words typed but never saved"
    widget.compare()  # typed but not saved: refused even if called directly
    assert widget.compare_button.disabled and widget.reading.value == ""
    widget.answer.value = FOURTEEN
    widget.save_button.click()
    assert widget.compare_button.disabled
    assert "needs 1 more word before you can compare" in visible(widget.status.value)
    widget.compare()
    assert widget.reading.value == ""
    widget.answer.value = FIFTEEN
    widget.save_button.click()
    assert not widget.compare_button.disabled
    assert "You can now compare your answer" in visible(widget.status.value)
    assert widget.reading.value == ""  # only on request
    widget.compare_button.click()
    reading = visible(widget.reading.value)
    assert reading.startswith("A historian's reading " + item.reading[:40])
    assert "It rests on: puzanov-1957-11-13-a ¶1; puzanov-1957-11-13-a ¶2" in reading
    widget.answer.value = "Shorter now."  # saving a shorter answer closes the reading again
    widget.save_button.click()
    assert widget.compare_button.disabled and widget.reading.value == ""


def test_a_blank_answer_is_not_saved(progress_file):
    widget = prompt(PID)
    widget.answer.value = "  \n "
    widget.save_button.click()
    assert visible(widget.status.value).startswith("Write an answer first, then press Save.")
    assert not progress_file.exists()


def test_a_corrupted_file_is_set_aside_with_a_message_and_the_new_answer_is_kept(progress_file):
    progress_file.write_text('{"attempts": [{"question": "q"', encoding="utf-8")
    widget = prompt(PID)  # opening the prompt reads the damaged file: set aside, and the student is told
    kept = list(progress_file.parent.glob("*.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == '{"attempts": [{"question": "q"'
    status = visible(widget.status.value)
    assert status.startswith(f"The self-check progress file could not be read. {progress_file}: it is not valid JSON")
    assert f"It was kept as {kept[0]}" in status
    widget.answer.value = FIFTEEN
    widget.save_button.click()
    assert bank.latest_answer(PID, progress.document())["text"] == FIFTEEN
    # damaged again between opening and saving: the typed answer still lands in the fresh file
    other = prompt("l02-close-reading-interference")
    progress_file.write_bytes(b"\xff\xfe garbage")
    other.answer.value = (
        "Kim says some comrades saw it as interference but he calls it friendly advice between parties."
    )
    other.save_button.click()
    status = visible(other.status.value)
    assert "could not be read" in status and "it is not UTF-8 text" in status and "Saved at " in status
    assert len(list(progress_file.parent.glob("*.corrupt-*"))) == 2
    assert bank.latest_answer("l02-close-reading-interference", progress.document())["text"].startswith("Kim says")


def test_a_version_1_file_is_read_and_its_attempts_kept(progress_file):
    old = {
        "version": 1,
        "attempts": [
            {"question": "start-paper-author", "answer": "x", "correct": False, "time": "2026-01-01T00:00:00+00:00"}
        ],
    }
    progress_file.write_text(json.dumps(old), encoding="utf-8")
    widget = prompt(PID)
    assert widget.answer.value == "" and "could not be read" not in visible(widget.status.value)
    widget.answer.value = FIFTEEN
    widget.save_button.click()
    saved = json.loads(progress_file.read_text(encoding="utf-8"))
    assert saved["version"] == 2 and saved["attempts"] == old["attempts"] and len(saved["answers"]) == 1
    assert not list(progress_file.parent.glob("*.corrupt-*"))


def test_self_checks_and_answers_share_the_file_without_losing_each_other(progress_file):
    widget = prompt(PID)
    widget.answer.value = FIFTEEN
    widget.save_button.click()
    progress.record("start-paper-author", "Tian Wuxiong", True)
    widget.answer.value = FIFTEEN + " again"
    widget.save_button.click()
    document = progress.document()
    assert [a["question"] for a in document["attempts"]] == ["start-paper-author"]
    assert [a["text"] for a in document["answers"]] == [FIFTEEN, FIFTEEN + " again"]


def test_an_unwritable_progress_file_says_so_and_keeps_the_text(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(blocker / ".one-voice-progress.json"))
    widget = prompt(PID)
    widget.answer.value = FIFTEEN
    widget.save_button.click()
    assert visible(widget.status.value).startswith("Your progress file could not be used")
    assert widget.answer.value == FIFTEEN and widget.compare_button.disabled


def test_an_unknown_prompt_id_is_explained(progress_file):
    with pytest.raises(KeyError, match="No document prompt with the id l02-typo"):
        prompt("l02-typo")


def test_every_prompt_in_the_bank_opens(progress_file):
    every = bank.load_all()
    assert len(every) >= 42
    for pid in every:
        widget = prompt(pid)
        assert re.search(r"Document [A-Z], ¶\d+", visible(widget.question.value)), pid


@pytest.mark.parametrize(
    "content, place",
    [
        ({"attempts": [], "answers": [{"prompt": PID, "time": "t"}]}, 'key answers[0].text: the key "text" is missing'),
        (
            {"attempts": [], "evidence": [{"excerpt": "x", "paragraph": 0, "claim": "C01", "note": "", "time": "t"}]},
            "key evidence[0].paragraph",
        ),
        (
            {"attempts": [], "plan": {"sort": {"answer:x": "maybe"}}},
            'key plan.sort["answer:x"]: the value "maybe" is not allowed here',
        ),
    ],
)
def test_a_version_2_file_with_a_bad_entry_is_set_aside_naming_the_place(progress_file, content, place):
    progress_file.write_text(json.dumps(content), encoding="utf-8")
    widget = prompt(PID)
    status = visible(widget.status.value)
    assert status.startswith(f"The self-check progress file could not be read. {progress_file}"), status
    assert place in status, status
    assert len(list(progress_file.parent.glob("*.corrupt-*"))) == 1
