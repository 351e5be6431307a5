"""Visible checks for autograded exercises: they tell a student whether an answer has the right form.

They never raise, so an unanswered notebook still runs from top to bottom; the hidden tests that
decide the grade live in the instructor edition (see `course.editions`).
"""

from __future__ import annotations

import re

from course.i18n import t

FORMS = {
    "date": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "grading.form_date"),
    "integer": (re.compile(r"^-?\d+$"), "grading.form_integer"),
}


def form_feedback(value: object, form: str) -> str:
    """What a student should read about the form (not the correctness) of an answer."""
    if value is Ellipsis or value is None:
        return t("grading.not_answered")
    pattern, expected = FORMS[form]
    if form == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return t("grading.form_ok")
    if form == "date" and isinstance(value, str) and pattern.match(value.strip()):
        return t("grading.form_ok")
    return t("grading.form_wrong", expected=t(expected), value=repr(value))


def require_form(value: object, form: str) -> None:
    print(form_feedback(value, form))
