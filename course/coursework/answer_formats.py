"""Visible checks for autograded exercises: they tell a student whether an answer has the right form.

They never raise on an answer, so an unanswered notebook still runs from top to bottom; the hidden tests that
decide the grade live in the instructor edition (see `course.editions`) and read the answer with the same
functions (`read_date`, `read_integer`, `order_letters`), so the form check and the grade always agree. A
lesson's check cell is one line, `require_form(answer, "<form>")`, with one of these forms:

- `"date"`: a date as a string, "1958-01-24" or, as Chinese writes it, "1958年1月24日";
- `"month"`: a month as a string, "1958-02" or "1958年2月";
- `"integer"`: a whole number, 250000, or a string with 万 (ten thousand) as Chinese writes round numbers:
  "30万", "25.5万", "三十万";
- `"order:<LETTERS>"`: an ordering written as the letters, each exactly once, in one string:
  `require_form(order, "order:ABCDE")` accepts "DBEAC", "d b e a c", "D,B,E,A,C" or "D，B，E，A，C" (lesson 08).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from course import i18n, settings
from course.i18n import _

ORDER_PREFIX = "order:"
FORMS = ("date", "month", "integer")
# The example each hint shows, in the form the student's language writes (English: the ISO form).
EXAMPLES = {
    "date": {"en": '"1958-01-24"', "zh_Hans": '"1958年1月24日"'},
    "month": {"en": '"1958-02"', "zh_Hans": '"1958年2月"'},
    "integer": {"en": "250000", "zh_Hans": '250000 或 "25万"'},
}
_DATE = {
    "day": (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    "month": (re.compile(r"(\d{4})-(\d{2})"), re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")),
}
# Separators a student may put between the letters of an ordering: spaces, commas, and the Chinese
# enumeration comma, full stop, colon and semicolon (full-width forms are folded to ASCII first).
_ORDER_SEPARATORS = re.compile(r"[ ,、。:;]")
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_WAN = re.compile(r"([+-]?)(\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千]+)\s*万")


def _folded(value: str) -> str:
    """Full-width digits, letters and punctuation folded to ASCII, the ends stripped."""
    return unicodedata.normalize("NFKC", value).strip()


def read_date(value: object, precision: str = "day") -> str | None:
    """The ISO date ("1958-02-05", or "1958-02" for precision "month") a string answer names, or None.

    Accepted: the ISO form itself and the Chinese form 1958年2月5日 (1958年2月); anything else is None.
    """
    if not isinstance(value, str):
        return None
    text = _folded(value)
    for pattern in _DATE[precision]:
        match = pattern.fullmatch(text)
        if match:
            numbers = [int(g) for g in match.groups()]
            try:
                date = dt.date(*numbers, *([1] if precision == "month" else []))
            except ValueError:
                return None
            return date.isoformat()[: 7 if precision == "month" else 10]
    return None


def chinese_numeral(text: str) -> int | None:
    """A number written in Chinese numerals below 万: 三十 → 30, 二百五十 → 250, 十五 → 15, 三千零五 → 3005."""
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        return None
    total, digit, last_unit = 0, None, 10_000
    for char in text:
        if char in _DIGITS:
            if digit is not None and _DIGITS[char] != 0:
                return None  # two digits in a row: "三五" is not a number in this notation
            digit = _DIGITS[char] if _DIGITS[char] != 0 else None
        else:
            if _UNITS[char] >= last_unit:
                return None  # units fall from left to right: "十十", "十百" are not numbers
            total += (1 if digit is None else digit) * _UNITS[char]
            digit, last_unit = None, _UNITS[char]
    return total + (digit or 0)


def _wan(value: object) -> Decimal | None:
    if not isinstance(value, str):
        return None
    match = _WAN.fullmatch(_folded(value))
    if not match:
        return None
    sign, number = match.groups()
    whole = None if number[0].isdigit() else chinese_numeral(number)
    if whole is None and not number[0].isdigit():
        return None
    amount = Decimal(number) if whole is None else Decimal(whole)
    return (-1 if sign == "-" else 1) * amount * 10_000


def wan_number(value: object) -> float | None:
    """A number written with 万 (ten thousand), as Chinese writes round figures: 30万 → 300000, 25.5万 → 255000,
    三十万 → 300000, 1,5万 → None. Anything without 万 is None (plain digits are read by the caller)."""
    amount = _wan(value)
    return None if amount is None else float(amount)


def read_integer(value: object) -> int | None:
    """A whole-number answer: a Python int (not True/False), or a string with 万 that makes a whole number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    amount = _wan(value)
    if amount is None or amount != amount.to_integral_value():
        return None
    return int(amount)


def order_letters(value: object) -> str | None:
    """The letters of an ordering answer, without the spaces and commas (Chinese ，、。：too) a student may put
    between them: exactly what the hidden tests compare, so the form check and the grade read the same letters."""
    return _ORDER_SEPARATORS.sub("", _folded(value)).upper() if isinstance(value, str) else None


def _order_ok(value: object, letters: str) -> bool:
    given = order_letters(value)
    return given is not None and len(given) == len(letters) and set(given) == set(letters)


def _example(form: str) -> str:
    return EXAMPLES[form].get(settings.language(), EXAMPLES[form]["en"])


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


_PRECISION = {"date": "day", "month": "month"}


def form_feedback(value: object, form: str) -> str:
    """What a student should read about the form (not the correctness) of an answer."""
    if form.startswith(ORDER_PREFIX):
        letters = _letters(form)
        right_form = _order_ok(value, letters)
    elif form in FORMS:
        right_form = read_integer(value) is not None if form == "integer" else read_date(value, _PRECISION[form])
    else:
        raise ValueError(
            _(
                'The form "{form}" is not a form require_form knows. Fix: use "date", "month", "integer" or '
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
            "Your answer {value} does not have the right form: write a date as a string in quotation marks, like {example}.",
            value=repr(value),
            example=_example(form),
        )
    if form == "month":
        return _(
            "Your answer {value} does not have the right form: write a month as a string in quotation marks, "
            "like {example}.",
            value=repr(value),
            example=_example(form),
        )
    if form == "integer":
        return _(
            "Your answer {value} does not have the right form: write a whole number without commas or "
            "quotation marks, like {example}.",
            value=repr(value),
            example=_example(form),
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
