"""Visible checks for autograded exercises: they tell a student whether an answer has the right form.

They never raise on an answer, so an unanswered notebook still runs from top to bottom; the hidden tests that
decide the grade live in the instructor edition (see `course.editions`). A lesson's check cell is
one line, `require_form(answer, "<form>")`, with one of these forms:

- `"date"`: an ISO date as a string, "1958-01-24";
- `"integer"`: a whole number, 250000;
- `"order:<LETTERS>"`: an ordering written as the letters, each exactly once, in one string:
  `require_form(order, "order:ABCDE")` accepts "DBEAC", "d b e a c" or "D,B,E,A,C" (lesson 08).
"""

from __future__ import annotations

import re

from course import i18n
from course.i18n import _

ORDER_PREFIX = "order:"


def _date_ok(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) is not None


def _integer_ok(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def order_letters(value: object) -> str | None:
    """The letters of an ordering answer, without the spaces and commas a student may put between them
    (exactly what the hidden tests strip, so the form check and the grade read the same letters)."""
    return value.replace(" ", "").replace(",", "").upper() if isinstance(value, str) else None


def _order_ok(value: object, letters: str) -> bool:
    given = order_letters(value)
    return given is not None and len(given) == len(letters) and set(given) == set(letters)


def _letters(form: str) -> str:
    letters = form[len(ORDER_PREFIX) :]
    if not re.fullmatch(r"[A-Z]{2,26}", letters) or len(set(letters)) != len(letters):
        raise ValueError(
            _(
                'The form "{form}" is not a form require_form knows. Fix: write "order:" and the capital '
                'letters to put in order, each once, e.g. "order:ABCDE".',
                form=form,
            )
        )
    return letters


def form_feedback(value: object, form: str) -> str:
    """What a student should read about the form (not the correctness) of an answer."""
    if form.startswith(ORDER_PREFIX):
        letters = _letters(form)
        right_form = _order_ok(value, letters)
    elif form in ("date", "integer"):
        right_form = _date_ok(value) if form == "date" else _integer_ok(value)
    else:
        raise ValueError(
            _(
                'The form "{form}" is not a form require_form knows. Fix: use "date", "integer" or '
                '"order:" followed by the letters, e.g. "order:ABCDE".',
                form=form,
            )
        )
    if value is Ellipsis or value is None:
        return _("Not answered yet: replace ... with your answer and run the cell again.")
    if right_form:
        return _("Your answer has the right form. (Whether it is right is checked when your work is graded.)")
    if form == "date":
        return _(
            "Your answer {value} does not have the right form: write a date as a string in quotation marks, "
            'like "1958-01-24".',
            value=repr(value),
        )
    if form == "integer":
        return _(
            "Your answer {value} does not have the right form: write a whole number without commas or "
            "quotation marks, like 250000.",
            value=repr(value),
        )
    from babel.lists import format_list

    return _(
        "Your answer {value} does not have the right form: write the letters {letters}, each exactly once, in "
        'one string in quotation marks, like "{example}".',
        value=repr(value),
        letters=format_list(list(letters), locale=i18n.locale()),
        example=letters,
    )


def require_form(value: object, form: str) -> None:
    """Print whether `value` has the form `form` asks for (see the module's docstring)."""
    print(form_feedback(value, form))
