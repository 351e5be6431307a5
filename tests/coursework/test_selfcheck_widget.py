"""The self-check widget, driven as a student would: set the controls, press Check, read the feedback."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

from course.coursework import progress
from course.coursework import selfchecks as checks
from course.coursework.selfcheck_widget import self_check


def visible(widget) -> str:
    """The feedback text as the student reads it (tags removed, entities decoded)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", widget.feedback.value)).split())


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / ".one-voice-progress.json"
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(path))
    return path


@pytest.fixture
def custom_bank(tmp_path, monkeypatch):
    """A bank with the kinds the start lesson lacks, and markup where data could carry it."""
    folder = tmp_path / "selfchecks"
    folder.mkdir()
    questions = [
        {
            "id": "t-number",
            "skill": "recall",
            "kind": "numeric",
            "prompt": "How many CPV troops were in Korea in 1956–57, roughly?",
            "answer": 290000,
            "tolerance": 20000,
            "explain": "JCS put them at 290,000.",
            "source_ids": ["tian-2014"],
        },
        {
            "id": "t-match",
            "skill": "recall",
            "kind": "matching",
            "prompt": "Match each person to a country.",
            "pairs": [["Mao Zedong", "China"], ["Kim Il-sung", "DPRK"], ["A. M. Puzanov", "USSR"]],
            "explain": "Leaders and an ambassador.",
            "source_ids": ["tian-2014"],
        },
        {
            "id": "t-evil",
            "skill": "recall",
            "kind": "multiple_choice",
            "prompt": "Is <b>this</b> bold? <script>alert(1)</script>",
            "options": ["<i>yes</i>", "no"],
            "answer": "no",
            "explain": "<img src=x onerror=alert(2)> It is text.",
            "source_ids": ["<script>src</script>"],
        },
    ]
    (folder / "99-test.json").write_text(json.dumps(questions), encoding="utf-8")
    shutil.copy(checks.selfchecks_dir() / "00-start-here.json", folder)
    monkeypatch.setenv("ONE_VOICE_SELFCHECKS", str(folder))
    return folder


def test_short_answer_right(progress_file):
    widget = self_check("start-cpv-last-troops")
    assert widget.feedback.value == ""
    widget.controls[0].value = "26 Oct 1958"
    widget.button.click()
    text = visible(widget)
    assert text.startswith("Correct. The CPV left North Korea in three groups")
    assert "Sources: cpv-withdrawal-china-org-2000; tian-2014" in text
    assert progress.latest("start-cpv-last-troops") == {
        **progress.latest("start-cpv-last-troops"),
        "answer": "26 Oct 1958",
        "correct": True,
    }


def test_short_answer_wrong_invites_another_try_without_giving_it_away(progress_file):
    widget = self_check("start-cpv-last-troops")
    widget.controls[0].value = "1958年10月25日"
    widget.button.click()
    text = visible(widget)
    assert text.startswith("Not quite: that is a date, but not the right one. Try again")
    assert "26 October" not in text and "Sources: cpv-withdrawal-china-org-2000" in text
    assert progress.latest("start-cpv-last-troops")["correct"] is False


def test_a_blank_answer_is_neither_graded_nor_saved(progress_file):
    widget = self_check("start-cpv-last-troops")
    widget.controls[0].value = "   "
    widget.button.click()
    assert visible(widget) == "Give an answer first, then press Check."
    assert not progress_file.exists()


def test_restart_restores_the_answer_and_its_feedback(progress_file):
    first = self_check("start-paper-author")
    first.controls[0].value = "Tian Wuxiong 田武雄"
    first.button.click()
    after_restart = self_check("start-paper-author")  # a new kernel builds a new widget from the same file
    assert after_restart.controls[0].value == "Tian Wuxiong 田武雄"
    text = visible(after_restart)
    assert text.startswith("Restored your answer saved on ") and "Correct. Every lesson follows Tian Wuxiong" in text
    assert len(progress.attempts()) == 1, "restoring must not record a new attempt"


def test_restore_shows_the_latest_of_several_attempts(progress_file):
    widget = self_check("start-cpv-last-troops")
    for answer in ("26 October 1958", "1 May 1958"):
        widget.controls[0].value = answer
        widget.button.click()
    restored = self_check("start-cpv-last-troops")
    assert restored.controls[0].value == "1 May 1958" and "that is a date, but not the right one" in visible(restored)


def test_ordering_with_dropdowns_and_partial_credit(progress_file):
    widget = self_check("start-order-events")
    assert [c.description for c in widget.controls] == ["Position 1", "Position 2", "Position 3", "Position 4"]
    key = widget.question.answer
    widget.controls[0].value = key[0]
    widget.button.click()
    assert visible(widget) == "Fill in every choice first, then press Check."
    for control, item in zip(widget.controls, [key[1], key[0], key[2], key[3]]):
        control.value = item
    widget.button.click()
    assert visible(widget).startswith("Not quite: 2 of 4 in the right place. Try again")
    for control, item in zip(widget.controls, key):
        control.value = item
    widget.button.click()
    assert visible(widget).startswith("Correct. The armistice was signed on 27 July 1953.")
    assert [c.value for c in self_check("start-order-events").controls] == list(key)


def test_matching(progress_file, custom_bank):
    widget = self_check("t-match")
    assert [c.description for c in widget.controls] == ["Mao Zedong", "Kim Il-sung", "A. M. Puzanov"]
    assert [label for label, _ in widget.controls[0].options] == ["China", "DPRK", "USSR"]
    assert [c.value for c in widget.controls] == [None, None, None]  # nothing chosen until the student picks
    for control, country in zip(widget.controls, ["China", "USSR", "DPRK"]):
        control.value = country
    widget.button.click()
    assert visible(widget).startswith("Not quite: 1 of 3 pairs are right.")
    restored = self_check("t-match")
    assert [c.value for c in restored.controls] == ["China", "USSR", "DPRK"]
    assert progress.latest("t-match")["answer"] == {
        "Mao Zedong": "China",
        "Kim Il-sung": "USSR",
        "A. M. Puzanov": "DPRK",
    }


def test_numeric(progress_file, custom_bank):
    widget = self_check("t-number")
    widget.controls[0].value = "300 000"
    widget.button.click()
    assert visible(widget).startswith("Correct. JCS put them at 290,000.")
    widget.controls[0].value = "350,000"
    widget.button.click()
    assert visible(widget).startswith("Not quite: too high.")


def test_every_control_is_labelled(progress_file, custom_bank):
    for question_id in ("start-paper-author", "start-cpv-last-troops", "start-order-events", "t-number", "t-match"):
        widget = self_check(question_id)
        assert all(c.description.strip() for c in widget.controls), question_id
        assert widget.button.description == "Check"


def test_markup_from_the_bank_and_the_student_is_escaped(progress_file, custom_bank):
    widget = self_check("t-evil")
    assert "<script>" not in widget.prompt.value and "<b>" not in widget.prompt.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in widget.prompt.value
    widget.controls[0].value = "no"
    widget.button.click()
    assert "<img" not in widget.feedback.value and "<script>" not in widget.feedback.value
    assert "&lt;img src=x onerror=alert(2)&gt; It is text." in widget.feedback.value
    assert "Sources: <script>src</script>" in visible(widget)

    typed = self_check("t-number")
    typed.controls[0].value = "<script>alert(3)</script>"
    typed.button.click()
    assert "<script>" not in typed.feedback.value
    assert visible(typed).startswith("Not quite: \u201c<script>alert(3)</script>\u201d is not a number.")
    restored = self_check("t-number")
    assert restored.controls[0].value == "<script>alert(3)</script>" and "<script>" not in restored.feedback.value


def test_an_unwritable_progress_file_still_grades_and_says_so(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(blocker / ".one-voice-progress.json"))
    widget = self_check("start-cpv-last-troops")
    widget.controls[0].value = "26 October 1958"
    widget.button.click()
    text = visible(widget)
    assert text.startswith("Your answer was checked but could not be saved") and "Correct." in text


def test_an_unknown_question_id_is_explained(progress_file):
    with pytest.raises(KeyError, match="no self-check question 'start-typo'"):
        self_check("start-typo")


def test_the_restored_time_is_local_and_written_for_the_language(monkeypatch):
    """Saved times are UTC; the student reads them in their time zone, as their language writes dates (Babel)."""
    import time

    from course.coursework.selfcheck_widget import _local_time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert _local_time("1958-10-26T08:30:00+00:00") == "26 Oct 1958, 16:30:00"
        assert _local_time("not a time") == "not a time"
    finally:
        monkeypatch.undo()
        time.tzset()
