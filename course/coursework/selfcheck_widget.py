"""A self-check in a notebook: `self_check("start-cpv-last-troops")` shows the question, grades and saves.

A thin ipywidgets shell on `course.coursework.selfchecks` (grading) and `course.coursework.progress`
(saving). When the cell runs it restores the latest saved answer and its feedback, so a kernel
restart loses nothing. The HTML comes from templates in `course/coursework/templates/` (autoescaped),
so every string from the bank or the student is escaped before it reaches an HTML widget.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets

from course import i18n
from course.coursework import progress
from course.coursework import selfchecks as checks
from course.display.controls import choice, focus_ring
from course.display.templating import render
from course.i18n import _

_WIDE_LABEL = {"description_width": "initial"}


class SelfCheck(widgets.VBox):
    """The question, its controls, a Check button and the feedback; attributes are public for tests."""

    def __init__(self, question: checks.Question):
        self.question = question
        self.prompt = widgets.HTML(render("coursework/selfcheck_prompt.html.j2", prompt=question.prompt))
        self.controls = _controls(question)
        self.button = widgets.Button(
            description=_("Check"), tooltip=_("Check your answer; it is saved so that it survives a kernel restart.")
        )
        self.feedback = widgets.HTML()
        self.button.on_click(lambda _button: self.submit())
        super().__init__([self.prompt, *self.controls, self.button, self.feedback])
        self.add_class("one-voice-selfcheck")
        focus_ring(self)
        self._restore()

    def answer(self) -> Any:
        """The answer as the controls hold it, in the form `checks.grade` and the progress file use."""
        kind = self.question.kind
        if kind == "ordering":
            return [control.value for control in self.controls]
        if kind == "matching":
            return {left: control.value for (left, _right), control in zip(self.question.pairs, self.controls)}
        return self.controls[0].value

    def submit(self) -> None:
        answer = self.answer()
        if not checks.is_answered(self.question, answer):
            single = self.question.kind in ("multiple_choice", "short_answer", "numeric")
            notice = (
                _("Give an answer first, then press Check.")
                if single
                else _("Fill in every choice first, then press Check.")
            )
            self.feedback.value = render("coursework/selfcheck_notice.html.j2", notice=notice)
            return
        result = checks.grade(self.question, answer)
        note = ""
        try:
            progress.record(self.question.id, answer, result.correct)
        except OSError as error:
            note = _(
                "Your answer was checked but could not be saved ({error}). It will not survive a restart.", error=error
            )
        self.feedback.value = _feedback_html(result, note)

    def _restore(self) -> None:
        try:
            saved = progress.latest(self.question.id)
        except OSError:
            return
        if saved is None:
            return
        _fill(self.question, self.controls, saved["answer"])
        answer = self.answer()
        if checks.is_answered(self.question, answer):
            restored = _("Restored your answer saved on {time}.", time=_local_time(saved["time"]))
            self.feedback.value = _feedback_html(checks.grade(self.question, answer), restored)


def self_check(question_id: str) -> SelfCheck:
    """The self-check widget for one question of the bank (course/coursework/banks/*.json)."""
    return SelfCheck(checks.get_question(question_id))


def _controls(question: checks.Question) -> list[widgets.Widget]:
    if question.kind == "multiple_choice":
        return [choice(_("Choose one"), [(option, option) for option in question.options], None)]
    if question.kind in ("short_answer", "numeric"):
        return [widgets.Text(description=_("Your answer"), style=_WIDE_LABEL)]
    # Radio buttons, not dropdowns: JupyterLab takes a dropdown's keys (course/display/controls.py).
    if question.kind == "ordering":
        choices = [(item, item) for item in question.items]
        return [
            choice(_("Position {n}", n=n), choices, None, horizontal=True) for n in range(1, len(question.items) + 1)
        ]
    rights = sorted({right for _left, right in question.pairs})
    return [choice(left, [(r, r) for r in rights], None, horizontal=True) for left, _right in question.pairs]


def _fill(question: checks.Question, controls: list[widgets.Widget], answer: Any) -> None:
    """Put a saved answer back into the controls, skipping anything the current bank no longer offers."""
    if question.kind == "multiple_choice":
        if answer in question.options:
            controls[0].value = answer
    elif question.kind in ("short_answer", "numeric"):
        controls[0].value = str(answer)
    elif question.kind == "ordering" and isinstance(answer, list):
        for control, item in zip(controls, answer):
            control.value = item if item in question.items else None
    elif question.kind == "matching" and isinstance(answer, dict):
        for (left, _right), control in zip(question.pairs, controls):
            if answer.get(left) in {value for _label, value in control.options}:
                control.value = answer[left]


def _feedback_html(result: checks.Result, note: str = "") -> str:
    """Correct answers show the explanation; wrong ones invite another try. Both cite the sources."""
    return render("coursework/selfcheck_feedback.html.j2", result=result, note=note)


def _local_time(stamp: str) -> str:
    """A saved UTC time stamp in the student's time zone, written the way their language writes it."""
    from babel.dates import format_datetime

    try:
        moment = dt.datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    return format_datetime(moment, "medium", tzinfo=moment.tzinfo, locale=i18n.locale())
