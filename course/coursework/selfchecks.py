"""Self-check questions: load the question bank and grade answers. Pure functions, no widgets.

The answer keys live in `course/coursework/banks/<lesson-slug>.json`, never in the notebooks, so a
lesson stays readable and the widget (`course.selfcheck_widget`) stays a thin shell. Grading is
forgiving about form (case, spacing, punctuation, date and number formats) and strict about
substance; wrong orderings and matchings get partial-credit feedback.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.i18n import t
from course import settings

KINDS = ("multiple_choice", "short_answer", "numeric", "ordering", "matching")
COMMON_KEYS = ("id", "kind", "prompt", "explain", "source_ids")
KIND_KEYS = {
    "multiple_choice": ("options", "answer"),
    "short_answer": ("answer",),
    "numeric": ("answer",),
    "ordering": ("items", "answer"),
    "matching": ("pairs",),
}
OPTIONAL_KEYS = {"numeric": ("tolerance",)}
LABEL_KEYS = ("skill",)  # the thinking skill an item tests; tests/test_checks.py enforces the vocabulary and shares
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


class BankError(ValueError):
    """A mistake in a question file, described for the lesson author who has to fix it."""

    def __init__(self, file: Path | str, problem: str, fix: str, question_id: str | None = None, key: str | None = None):
        self.file, self.question_id, self.key, self.problem, self.fix = str(file), question_id, key, problem, fix
        where = t("checks.where_question", question_id=question_id) if question_id else ""
        if key:
            where += t("checks.where_key", name=key)
        super().__init__(t("checks.bank_error", file=file, where=where, problem=problem, fix=fix))


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    explain: str
    source_ids: tuple[str, ...]
    lesson: str
    options: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    answer: Any = None
    tolerance: float = 0.0


@dataclass(frozen=True)
class Result:
    correct: bool
    feedback: str
    explanation: str
    sources: tuple[str, ...]


# --- the bank ------------------------------------------------------------------------------


def selfchecks_dir() -> Path:
    """The question bank; ONE_VOICE_SELFCHECKS overrides it (tests and custom editions use this)."""
    return settings.selfchecks_dir()


def load_bank(path: Path | str) -> tuple[Question, ...]:
    """Read and validate one lesson's question file; the lesson slug is the file name."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BankError(path, t("checks.bad_json", detail=error), t("checks.fix_json")) from None
    if not isinstance(raw, list):
        raise BankError(path, t("checks.not_a_list"), t("checks.fix_not_a_list"))
    questions, seen = [], set()
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            raise BankError(path, t("checks.not_an_object", n=n), t("checks.fix_object"))
        question = _validated(path, entry)
        if question.id in seen:
            raise BankError(path, t("checks.duplicate_id", other=path.name), t("checks.fix_duplicate_id"), question.id, "id")
        seen.add(question.id)
        questions.append(question)
    return tuple(questions)


def load_all(folder: Path | str | None = None) -> dict[str, Question]:
    """Every question in the collection by id; ids must be unique across lessons."""
    folder = Path(folder) if folder is not None else selfchecks_dir()
    found: dict[str, Question] = {}
    for path in sorted(folder.glob("*.json")):
        for question in load_bank(path):
            if question.id in found:
                other = f"{found[question.id].lesson}.json"
                raise BankError(path, t("checks.duplicate_id", other=other), t("checks.fix_duplicate_id"), question.id, "id")
            found[question.id] = question
    return found


def get_question(question_id: str, folder: Path | str | None = None) -> Question:
    questions = load_all(folder)
    if question_id not in questions:
        raise KeyError(t("checks.unknown_question", question_id=question_id))
    return questions[question_id]


def _validated(path: Path, entry: dict) -> Question:
    qid = entry.get("id")
    label = qid if isinstance(qid, str) else None

    def fail(key: str, problem: str, fix: str) -> BankError:
        return BankError(path, problem, fix, label, key)

    if not isinstance(qid, str) or not ID_PATTERN.fullmatch(qid):
        raise fail("id", t("checks.bad_id", value=qid), t("checks.fix_id"))
    kind = entry.get("kind")
    if kind not in KINDS:
        raise fail("kind", t("checks.bad_kind", value=kind), t("checks.fix_kind", kinds=", ".join(KINDS)))
    required = COMMON_KEYS + KIND_KEYS[kind]
    allowed = required + OPTIONAL_KEYS.get(kind, ()) + LABEL_KEYS
    for key in required:
        if key not in entry:
            raise fail(key, t("checks.missing_key"), t("checks.fix_missing_key", kind=kind, keys=", ".join(required)))
    for key in entry:
        if key not in allowed:
            raise fail(key, t("checks.unknown_key"), t("checks.fix_unknown_key", kind=kind, keys=", ".join(allowed)))

    def text(key: str) -> str:
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            raise fail(key, t("checks.not_text"), t("checks.fix_text"))
        return value

    def texts(key: str, at_least: int = 1) -> tuple[str, ...]:
        value = entry[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value) or len(set(value)) != len(value):
            raise fail(key, t("checks.not_text_list"), t("checks.fix_text_list"))
        if len(value) < at_least:
            raise fail(key, t("checks.too_few", n=at_least), t("checks.fix_too_few", n=at_least))
        return tuple(value)

    fields: dict[str, Any] = dict(
        id=qid, kind=kind, prompt=text("prompt"), explain=text("explain"),
        source_ids=texts("source_ids"), lesson=path.stem,
    )
    if kind == "multiple_choice":
        fields["options"] = texts("options", 2)
        fields["answer"] = text("answer")
        if fields["answer"] not in fields["options"]:
            raise fail("answer", t("checks.answer_not_option", value=fields["answer"]), t("checks.fix_answer_option"))
    elif kind == "short_answer":
        fields["answer"] = (text("answer"),) if isinstance(entry["answer"], str) else texts("answer")
    elif kind == "numeric":
        for key in ("answer", "tolerance"):
            value = entry.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise fail(key, t("checks.not_a_number_key"), t("checks.fix_number"))
        if entry.get("tolerance", 0) < 0:
            raise fail("tolerance", t("checks.negative_tolerance"), t("checks.fix_tolerance"))
        fields["answer"], fields["tolerance"] = entry["answer"], entry.get("tolerance", 0)
    elif kind == "ordering":
        fields["items"] = texts("items", 2)
        fields["answer"] = texts("answer", 2)
        if sorted(fields["answer"]) != sorted(fields["items"]):
            raise fail("answer", t("checks.answer_not_permutation"), t("checks.fix_permutation"))
    elif kind == "matching":
        pairs = entry["pairs"]
        well_formed = isinstance(pairs, list) and len(pairs) >= 2 and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) and s.strip() for s in p) for p in pairs
        )
        if not well_formed or len({p[0] for p in pairs}) != len(pairs):
            raise fail("pairs", t("checks.bad_pairs"), t("checks.fix_pairs"))
        fields["pairs"] = tuple((left, right) for left, right in pairs)
    return Question(**fields)


# --- normalising answers ---------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, month in enumerate(
        ("january", "february", "march", "april", "may", "june", "july",
         "august", "september", "october", "november", "december"), start=1)
    for name in (month, month[:3])
}
_MONTHS["sept"] = 9


def normalise_text(text: str) -> str:
    """Fold case, width, punctuation and spacing, so only the words themselves count."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    return " ".join(text.split())


def parse_date(text: str) -> dt.date | None:
    """A full date written as 1958-10-26, 26 October 1958, October 26, 1958, 26 Oct 1958 or 1958年10月26日."""
    text = unicodedata.normalize("NFKC", str(text)).strip().casefold()
    numeric = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})", text) or re.fullmatch(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?", text)
    if numeric:
        year, month, day = (int(g) for g in numeric.groups())
    else:
        words = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", re.sub(r"[.,]", " ", text)).split()
        words = [w for w in words if w not in ("the", "of")]
        if len(words) != 3 or not re.fullmatch(r"\d{4}", words[2]):
            return None
        first, second = words[0], words[1]
        if first.isdigit() and second in _MONTHS:
            day, month = int(first), _MONTHS[second]
        elif first in _MONTHS and second.isdigit():
            day, month = int(second), _MONTHS[first]
        else:
            return None
        year = int(words[2])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_number(text: Any) -> float | None:
    """A plain number, allowing thousands separators: 290000, 290,000, 290 000, -1.5."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    text = unicodedata.normalize("NFKC", str(text)).strip().replace("\u2212", "-")
    match = re.fullmatch(r"([+-]?)(\d{1,3}(?:([, ])\d{3})(?:\3\d{3})*|\d+)(\.\d+)?", text)
    if not match:
        return None
    sign, whole, _, fraction = match.groups()
    return float(sign + whole.replace(",", "").replace(" ", "") + (fraction or ""))


# --- grading ------------------------------------------------------------------------------------


def is_answered(question: Question, answer: Any) -> bool:
    """Whether there is a complete answer to grade (blank controls are not graded or saved)."""
    if question.kind in ("multiple_choice", "short_answer", "numeric"):
        return answer is not None and str(answer).strip() != ""
    if question.kind == "ordering":
        return isinstance(answer, (list, tuple)) and len(answer) == len(question.answer) and all(answer)
    return isinstance(answer, dict) and all(answer.get(left) for left, _ in question.pairs)


def grade(question: Question, answer: Any) -> Result:
    """Grade one answer; the feedback says what was right, and the result carries the explanation and sources."""
    correct, feedback = _GRADERS[question.kind](question, answer)
    return Result(correct, t("checks.correct") if correct else feedback, question.explain, question.source_ids)


def _multiple_choice(question: Question, answer: Any) -> tuple[bool, str]:
    return answer == question.answer, t("checks.incorrect")


def _short_answer(question: Question, answer: Any) -> tuple[bool, str]:
    given_date = parse_date(answer)
    for accepted in question.answer:
        key_date = parse_date(accepted)
        if key_date is not None and given_date is not None:
            if key_date == given_date:
                return True, ""
        elif normalise_text(accepted) == normalise_text(answer):
            return True, ""
    dated = given_date is not None and any(parse_date(a) for a in question.answer)
    return False, t("checks.wrong_date") if dated else t("checks.incorrect")


def _numeric(question: Question, answer: Any) -> tuple[bool, str]:
    value = parse_number(answer)
    if value is None:
        return False, t("checks.not_a_number", answer=answer)
    if abs(value - question.answer) <= question.tolerance:
        return True, ""
    return False, t("checks.too_high") if value > question.answer else t("checks.too_low")


def _ordering(question: Question, answer: Any) -> tuple[bool, str]:
    given = list(answer) if isinstance(answer, (list, tuple)) else []
    repeated = [item for item, n in Counter(i for i in given if i).items() if n > 1]
    if repeated:
        return False, t("checks.order_repeats", item=repeated[0])
    right = sum(1 for mine, key in zip(given, question.answer) if mine == key)
    total = len(question.answer)
    return right == total, t("checks.order_partial", right=right, total=total)


def _matching(question: Question, answer: Any) -> tuple[bool, str]:
    given = answer if isinstance(answer, dict) else {}
    right = sum(1 for left, key in question.pairs if given.get(left) == key)
    total = len(question.pairs)
    return right == total, t("checks.match_partial", right=right, total=total)


_GRADERS = {
    "multiple_choice": _multiple_choice,
    "short_answer": _short_answer,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
}
