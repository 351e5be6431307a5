"""The visible form checks of autograded exercises (`require_form`): what the student reads under their answer."""

from __future__ import annotations

import json

import pytest

from course.coursework.answer_formats import form_feedback, order_letters, require_form
from course.coursework.answer_keys import bundled_key
from course.settings import notebooks_dir

NOT_ANSWERED = "Not answered yet: replace ... with your answer and run the cell again."
RIGHT_FORM = "Your answer has the right form. (Whether it is right is checked when your work is graded.)"


@pytest.mark.parametrize("form", ["date", "integer", "order:ABCDE"])
def test_an_unanswered_exercise_says_so(form):
    assert form_feedback(..., form) == NOT_ANSWERED
    assert form_feedback(None, form) == NOT_ANSWERED


@pytest.mark.parametrize("value", ["1958-01-24", " 1958-10-26 "])
def test_a_date_in_iso_form_passes(value):
    assert form_feedback(value, "date") == RIGHT_FORM


@pytest.mark.parametrize("value", ["24 January 1958", "1958-1-24", 19580124, "1958-01-24T00:00"])
def test_a_date_in_another_form_is_explained(value):
    assert form_feedback(value, "date") == (
        f"Your answer {value!r} does not have the right form: write a date as a "
        'string in quotation marks, like "1958-01-24".'
    )


@pytest.mark.parametrize(
    "value, ok", [(250000, True), (-3, True), ("250000", False), (250000.0, False), (True, False), ("250,000", False)]
)
def test_an_integer_must_be_a_whole_number_not_text(value, ok):
    expected = (
        RIGHT_FORM
        if ok
        else (
            f"Your answer {value!r} does not have the right form: write a whole number "
            "without commas or quotation marks, like 250000."
        )
    )
    assert form_feedback(value, "integer") == expected


# --- orderings written as letters (lesson 08, exercise 08.1) -----------------------------------------------


@pytest.mark.parametrize("value", ["DBEAC", "dbeac", "D B E A C", "D,B,E,A,C", "d, b, e, a, c", "ABCDE", "EDCBA"])
def test_five_letters_each_once_have_the_right_form_whatever_their_order(value):
    """The form check must not give the order away: a wrong order in the right form passes it too."""
    assert form_feedback(value, "order:ABCDE") == RIGHT_FORM


@pytest.mark.parametrize(
    "value", ["DBEA", "DBEACA", "DBEAA", "DBEAX", "D-B-E-A-C", "D\tB\tE\tA\tC", ["D", "B", "E", "A", "C"], 12345, ""]
)
def test_anything_else_is_named_with_the_letters_expected(value):
    assert form_feedback(value, "order:ABCDE") == (
        f"Your answer {value!r} does not have the right form: write the letters A, B, C, D and E, each exactly once, "
        'in one string in quotation marks, like "ABCDE".'
    )


def test_the_order_form_works_for_any_set_of_letters():
    assert form_feedback("CAB", "order:ABC") == RIGHT_FORM
    assert "the letters A, B and C," in form_feedback("ABCD", "order:ABC")


@pytest.mark.parametrize("form", ["order", "order:", "order:A", "order:AAB", "order:abc", "ordering", "iso-date"])
def test_an_unknown_form_is_a_lesson_bug_named_with_the_fix(form):
    with pytest.raises(ValueError, match=f'The form "{form}" is not a form require_form knows. Fix: '):
        form_feedback("x", form)


def test_the_form_agrees_with_the_hidden_test_of_exercise_08_1():
    """Lesson 08's hidden test normalises the answer the same way: the key's solution passes the form check,
    and the letters the form check reads are the ones the hidden test compares."""
    key = json.loads(bundled_key("08-one-voice-different-intentions").read_text(encoding="utf-8"))
    namespace: dict = {}
    exec(key["ex08-1-order"]["solution"], namespace)  # order = "..."
    order = namespace["order"]
    assert form_feedback(order, "order:ABCDE") == RIGHT_FORM
    exec(key["ex08-1-order-test"]["hidden_tests"], {"order": order})  # raises if the solution fails its own test
    assert order_letters(" " + ", ".join(order.lower())) == order_letters(order)
    for wrong in ("ABCDE", "EDCBA"):
        assert form_feedback(wrong, "order:ABCDE") == RIGHT_FORM  # right form ...
        with pytest.raises(AssertionError, match="not the right order"):  # ... but the hidden test fails it
            exec(key["ex08-1-order-test"]["hidden_tests"], {"order": wrong})


def test_lesson_08_has_the_exercise_the_form_is_for():
    nb = json.loads((notebooks_dir() / "08-one-voice-different-intentions.ipynb").read_text(encoding="utf-8"))
    ids = {cell["metadata"].get("nbgrader", {}).get("grade_id") for cell in nb["cells"]}
    assert {"ex08-1-order", "ex08-1-order-test"} <= ids


def test_require_form_prints_the_feedback(capsys):
    require_form("1958-01-24", "date")
    require_form(..., "integer")
    assert capsys.readouterr().out == f"{RIGHT_FORM}\n{NOT_ANSWERED}\n"
