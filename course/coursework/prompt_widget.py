"""A document prompt in a notebook: `prompt("l02-sourcing-puzanov")` shows the question, an answer box and Save.

A thin ipywidgets shell on `course.coursework.prompts` (the bank, word counting, the gate) and
`course.coursework.progress` (saving). The answer is saved in the progress file beside the self-check
attempts, so it survives a kernel restart and lands in the student's evidence bank. Once the saved answer
has at least 15 words, "Compare with a historian's reading" shows the reading and the places it rests on.
HTML comes from the templates in `course/coursework/templates/` (autoescaped).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TypeVar

import ipywidgets as widgets

from course.coursework import progress
from course.coursework import prompts as bank
from course.coursework.selfcheck_widget import _local_time
from course.display.controls import focus_ring
from course.display.templating import render
from course.i18n import _

T = TypeVar("T")
_WIDE_LABEL = {"description_width": "initial"}


def guarded(action: Callable[[], T]) -> tuple[T | None, list[str]]:
    """Run a progress-file action; return its result and the messages a student must see (a damaged file
    set aside, or a file that cannot be written). The result is None if the action failed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", progress.ProgressFileWarning)
        try:
            result = action()
        except OSError as error:
            return None, [str(w.message) for w in caught] + [
                _(
                    "Your progress file could not be used ({error}). What you typed is still in the box; copy it "
                    "somewhere safe.",
                    error=error,
                )
            ]
    return result, [str(w.message) for w in caught if issubclass(w.category, progress.ProgressFileWarning)]


def _letter(document_id: str) -> str:
    from course.coursework.evidence_bank import tables

    return tables()["letter_of"].get(document_id, "?")


class PromptWidget(widgets.VBox):
    """Question, answer box, Save, a status line, the Compare button and the reading; public for tests."""

    def __init__(self, item: bank.Prompt, letter: str):
        self.item = item
        self.question = widgets.HTML(
            render(
                "coursework/prompt_question.html.j2",
                skill=bank.skill_label(item.skill),
                letter=letter,
                paragraph=item.paragraph,
                document=item.document,
                prompt=item.prompt,
            )
        )
        self.answer = widgets.Textarea(
            description=_("Your answer"),
            placeholder=_("Write your answer here, then press Save."),
            style=_WIDE_LABEL,
            layout={"width": "100%", "height": "8em"},
        )
        self.save_button = widgets.Button(
            description=_("Save"),
            button_style="primary",
            tooltip=_("Save your answer; it is kept when the kernel restarts and goes into your evidence bank."),
        )
        self.status = widgets.HTML()
        self.compare_button = widgets.Button(
            description=_("Compare with a historian's reading"), disabled=True, layout={"width": "max-content"}
        )
        self.reading = widgets.HTML()
        self.saved_text: str | None = None
        self.save_button.on_click(lambda _b: self.save())
        self.compare_button.on_click(lambda _b: self.compare())
        super().__init__([self.question, self.answer, self.save_button, self.status, self.compare_button, self.reading])
        self.add_class("one-voice-prompt")
        focus_ring(self)
        self._restore()

    def save(self) -> None:
        text = self.answer.value
        if not text.strip():
            self._show(_("Write an answer first, then press Save."))
            return
        saved, notes = guarded(lambda: bank.save_answer(self.item.id, text))
        if saved is None:
            self._show(*notes)
            return
        self.saved_text = text
        self._show(
            *notes,
            _("Saved at {time}; it is also in your evidence bank for lesson 08.", time=_local_time(saved["time"])),
        )

    def compare(self) -> None:
        if not bank.can_compare(self.saved_text):  # the button is disabled then; a direct call is refused too
            self._show()
            return
        self.reading.value = render(
            "coursework/prompt_reading.html.j2", reading=self.item.reading, evidence=list(self.item.evidence)
        )

    def _restore(self) -> None:
        document, notes = guarded(progress.document)
        saved = bank.latest_answer(self.item.id, document) if document else None
        if saved is not None:
            self.answer.value = saved["text"]
            self.saved_text = saved["text"]
            notes.append(_("Restored your answer saved on {time}.", time=_local_time(saved["time"])))
        self._show(*notes)

    def _show(self, *notes: str) -> None:
        self.compare_button.disabled = not bank.can_compare(self.saved_text)
        if self.compare_button.disabled:
            self.reading.value = ""
        self.status.value = render(
            "coursework/prompt_notice.html.j2", note=" ".join(notes), gate=bank.gate_message(self.saved_text)
        )


def prompt(prompt_id: str) -> PromptWidget:
    """The answer widget for one document prompt (course/coursework/prompts/<lesson>.json)."""
    item = bank.get_prompt(prompt_id)
    return PromptWidget(item, _letter(item.document))
