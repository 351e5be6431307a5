"""The visible form checks of autograded exercises (`require_form`): what the student reads under their answer."""

from __future__ import annotations

import json

import pytest

from course.coursework.answer_formats import (
    EXAMPLES,
    chinese_numeral,
    form_feedback,
    order_letters,
    read_date,
    read_integer,
    require_form,
    wan_number,
)
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


# --- answers written the Chinese way (issue 17): dates 1958年2月5日, numbers with 万, Chinese punctuation ------------


@pytest.mark.parametrize(
    "value, day, month",
    [
        ("1958-02-05", "1958-02-05", None),
        ("1958年2月5日", "1958-02-05", None),
        ("1958年02月05日", "1958-02-05", None),
        (" 1958 年 2 月 5 日 ", "1958-02-05", None),
        ("１９５８年２月５日", "1958-02-05", None),  # full-width digits
        ("1958年2月", None, "1958-02"),
        ("1958-02", None, "1958-02"),
        ("1958年2月30日", None, None),  # no such day
        ("1958年13月", None, None),
        ("1958年2月5", None, None),  # the 日 is part of the form
        ("5 February 1958", None, None),
        ("1958-2-5", None, None),
        (19580205, None, None),
        (None, None, None),
    ],
)
def test_read_date_takes_the_iso_and_the_chinese_forms(value, day, month):
    assert read_date(value) == day
    assert read_date(value, "month") == month


@pytest.mark.parametrize(
    "value, number",
    [
        ("30万", 300_000),
        ("25.5万", 255_000),
        ("30.57万", 305_700),
        ("30 万", 300_000),
        ("３０万", 300_000),
        ("三十万", 300_000),
        ("二十五万", 250_000),
        ("十五万", 150_000),
        ("-3万", -30_000),
        ("万", None),
        ("30", None),  # plain digits in quotation marks are still text (the int form is asked for)
        ("3,0万", None),
        ("三五万", None),  # two digits in a row are not a Chinese numeral
        ("十十万", None),
        ("30千", None),
        (300_000, None),  # only strings are written with 万
    ],
)
def test_wan_number_reads_round_numbers_written_with_wan(value, number):
    assert wan_number(value) == number


def test_chinese_numerals_below_wan():
    assert [chinese_numeral(t) for t in ("三", "十", "十五", "三十", "二百五十", "三千零五", "两千")] == [
        3,
        10,
        15,
        30,
        250,
        3005,
        2000,
    ]
    assert [chinese_numeral(t) for t in ("", "三五", "百百", "十百", "3十")] == [None] * 5


@pytest.mark.parametrize(
    "value, number",
    [(250000, 250000), ("25万", 250000), ("25.5万", 255000), ("25.55555万", None), ("250000", None), (True, None)],
)
def test_read_integer_takes_ints_and_whole_numbers_with_wan(value, number):
    assert read_integer(value) == number


@pytest.mark.parametrize(
    "value", ["D，B，E，A，C", "D、B、E、A、C", "D，B，E，A，C。", "顺序：DBEAC"[3:], "ＤＢＥＡＣ", "D　B　E　A　C"]
)
def test_orderings_with_chinese_punctuation_have_the_right_form(value):
    assert order_letters(value) == "DBEAC"
    assert form_feedback(value, "order:ABCDE") == RIGHT_FORM


@pytest.mark.parametrize("value, form", [("1958年1月24日", "date"), ("1958年2月", "month"), ("25万", "integer")])
def test_chinese_forms_pass_the_form_check(value, form):
    assert form_feedback(value, form) == RIGHT_FORM


@pytest.mark.parametrize(
    "value, form, shown",
    [
        ("1958年1月", "date", '"1958年1月24日"'),
        ("1958年2月5日", "month", '"1958年2月"'),
        ("25", "integer", '250000 或 "25万"'),
    ],
)
def test_a_bad_form_is_explained_with_an_example_in_the_students_language(monkeypatch, value, form, shown):
    english = form_feedback(value, form)
    assert repr(value) in english and EXAMPLES[form]["en"] in english and shown not in english
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    chinese = form_feedback(value, form)
    assert repr(value) in chinese and shown in chinese


def _solutions():
    """(grade id, variable, solution value, hidden test) of every autograded exercise with a date or an integer."""
    from course.coursework.answer_keys import keys_dir

    for path in sorted(keys_dir().glob("*.json")):
        key = json.loads(path.read_text(encoding="utf-8"))
        for grade_id, entry in key.items():
            test = key.get(f"{grade_id}-test", {}).get("hidden_tests")
            if "solution" in entry and "rubric" not in entry and test:
                namespace: dict = {}
                exec(entry["solution"], namespace)
                for name, value in namespace.items():
                    if not name.startswith("__"):
                        yield grade_id, name, value, test


def _chinese_form(value):
    if isinstance(value, str) and read_date(value):
        year, month, day = (int(p) for p in value.split("-"))
        return f"{year}年{month}月{day}日"
    if isinstance(value, int) and value % 100 == 0 and value >= 10_000:
        return f"{value / 10_000:g}万"
    if isinstance(value, str):
        return "，".join(value)
    return None


def test_every_hidden_test_grades_the_chinese_form_of_its_solution_as_right_and_a_wrong_one_as_wrong():
    pytest.importorskip("pandas")
    checked = 0
    for grade_id, name, value, test in _solutions():
        chinese = _chinese_form(value)
        if chinese is None:
            continue
        form = (
            "date" if read_date(value) else "integer" if isinstance(value, int) else f"order:{''.join(sorted(value))}"
        )
        assert form_feedback(chinese, form) == RIGHT_FORM, grade_id
        exec(test, {name: chinese})  # raises if the hidden test refuses the Chinese form of the right answer
        wrong = "1900年1月1日" if read_date(value) else "99万" if isinstance(value, int) else "，".join(sorted(value))
        with pytest.raises(AssertionError):
            exec(test, {name: wrong})
        checked += 1
    assert checked >= 8  # the six date exercises, lesson 08's order, and a round number (kpa_needed, 305700)
