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
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from course import settings
from course.coursework import answer_formats, catalogue, schemas
from course.i18n import _, ngettext

SCHEMA = "selfcheck-bank"  # course/coursework/schemas/selfcheck-bank.schema.json: the form of a bank file
KINDS = tuple(schemas.load_schema(SCHEMA)["definitions"]["question"]["properties"]["kind"]["enum"])


class BankError(schemas.InvalidFile):
    """A mistake in a question file, described for the lesson author who has to fix it."""

    def __init__(
        self,
        file: Path | str,
        problem: str,
        fix: str,
        question_id: str | None = None,
        key: str | None = None,
        value: Any = None,
    ):
        self.question_id = question_id
        super().__init__(file, problem, fix, key, value)

    def located(self) -> str:
        if self.question_id and self.key:
            return _(
                "{file}, question '{question_id}', key {key}: {problem}",
                file=self.file,
                question_id=self.question_id,
                key=self.key,
                problem=self.problem,
            )
        return super().located()


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
    skill: str | None = None


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
    """Read and validate one lesson's question file; the lesson slug is the file name.

    The schema checks the form of every question; the few checks it cannot express follow in `_question`.
    A file is read and checked again only when it changes (every `self_check(...)` cell loads the bank); its
    questions come in the student's language (`catalogue.question`: the English file is the source).
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return tuple(catalogue.question(q) for q in _load_bank(path, None, None))
    return tuple(catalogue.question(q) for q in _load_bank(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=64)
def _load_bank(path: Path, mtime_ns: int | None, size: int | None) -> tuple[Question, ...]:
    """The questions of `path` as it was at (mtime_ns, size); errors are raised, never cached."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BankError(
            path,
            _("the file is not valid JSON ({detail}).", detail=error),
            _("undo the last edit, or paste the file into a JSON checker to find the missing comma or quotation mark."),
        ) from None
    try:
        schemas.validate(raw, SCHEMA, path)
    except schemas.InvalidFile as error:
        place = _question_at(raw, error.key)
        raise BankError(path, error.problem, error.fix, place, error.key, error.value) from None
    questions, seen = [], set()
    for n, entry in enumerate(raw):
        question = _question(path, n, entry)
        if question.id in seen:
            raise _duplicate(path, n, question.id, path.name)
        seen.add(question.id)
        questions.append(question)
    return tuple(questions)


def load_all(folder: Path | str | None = None) -> dict[str, Question]:
    """Every question in the collection by id; ids must be unique across lessons."""
    folder = Path(folder) if folder is not None else selfchecks_dir()
    found: dict[str, Question] = {}
    for path in sorted(folder.glob("*.json")):
        for n, question in enumerate(load_bank(path)):
            if question.id in found:
                raise _duplicate(path, n, question.id, f"{found[question.id].lesson}.json")
            found[question.id] = question
    return found


def get_question(question_id: str, folder: Path | str | None = None) -> Question:
    questions = load_all(folder)
    if question_id not in questions:
        raise KeyError(
            _(
                "There is no self-check question '{question_id}' in course/coursework/banks/. Check the id "
                "in the notebook against the question files.",
                question_id=question_id,
            )
        )
    return questions[question_id]


def _question_at(raw: Any, key: str | None) -> str | None:
    """The id of the question a JSON path like `[3].answer` points into, if it has one."""
    if not key or not key.startswith("[") or not isinstance(raw, list):
        return None
    n = int(key[1 : key.index("]")])
    if key == f"[{n}].id":  # the id itself is wrong: the key names it
        return None
    qid = raw[n].get("id") if n < len(raw) and isinstance(raw[n], dict) else None
    return qid if isinstance(qid, str) and qid.strip() else None


def _duplicate(path: Path, n: int, qid: str, other: str) -> BankError:
    return BankError(
        path,
        _('the id "{value}" is also used in {other}.', value=qid, other=other),
        _("give every question in the collection its own id."),
        qid,
        f"[{n}].id",
        qid,
    )


def _question(path: Path, n: int, entry: dict) -> Question:
    """A question the schema has passed, after the checks a schema cannot express."""
    qid, kind = entry["id"], entry["kind"]

    def fail(key: str, problem: str, fix: str) -> BankError:
        return BankError(path, problem, fix, qid, f"[{n}].{key}", entry.get(key))

    fields: dict[str, Any] = dict(
        id=qid,
        kind=kind,
        prompt=entry["prompt"],
        explain=entry["explain"],
        source_ids=tuple(entry["source_ids"]),
        lesson=path.stem,
        skill=entry.get("skill"),
    )
    if kind == "multiple_choice":
        fields["options"], fields["answer"] = tuple(entry["options"]), entry["answer"]
        if fields["answer"] not in fields["options"]:
            raise fail(
                "answer",
                _('the answer "{value}" is not one of the options.', value=fields["answer"]),
                _("copy the right option exactly into answer."),
            )
    elif kind == "short_answer":
        answer = entry["answer"]
        fields["answer"] = (answer,) if isinstance(answer, str) else tuple(answer)
    elif kind == "numeric":
        for key in ("answer", "tolerance"):
            if not math.isfinite(entry.get(key, 0)):
                raise fail(
                    key,
                    _("the value {value} is not a finite number.", value=schemas.shown(entry[key])),
                    _("write digits without quotation marks, e.g. 290000 or 0.5."),
                )
        fields["answer"], fields["tolerance"] = entry["answer"], entry.get("tolerance", 0)
    elif kind == "ordering":
        fields["items"], fields["answer"] = tuple(entry["items"]), tuple(entry["answer"])
        if sorted(fields["answer"]) != sorted(fields["items"]):
            raise fail(
                "answer",
                _("the answer must list exactly the items, each once, in the right order."),
                _("copy every entry of items into answer, in the right order."),
            )
    elif kind == "matching":
        fields["pairs"] = tuple((left, right) for left, right in entry["pairs"])
        lefts = [left for left, _right in fields["pairs"]]
        if len(set(lefts)) != len(lefts):
            repeated = next(left for left in lefts if lefts.count(left) > 1)
            raise fail(
                "pairs",
                _('the left-hand text "{value}" is paired twice.', value=repeated),
                _('give every pair its own left-hand text, e.g. [["Mao Zedong", "China"], ["Kim Il-sung", "DPRK"]].'),
            )
    return Question(**fields)


# --- normalising answers ---------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, month in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in (month, month[:3])
}
_MONTHS["sept"] = 9


def normalise_text(text: str) -> str:
    """Fold case, width, punctuation and spacing, so only the words themselves count."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    return " ".join(text.split())


def parse_date(text: str) -> dt.date | None:
    """A full date written as 1958-10-26, 26 October 1958, October 26, 1958, 26 Oct 1958, 1958年10月26日 or 1958年10月26号."""
    text = unicodedata.normalize("NFKC", str(text)).strip().casefold()
    numeric = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})", text) or re.fullmatch(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?", text
    )
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
    """A plain number, allowing thousands separators (290000, 290,000, 290 000, -1.5), one written with
    万 as Chinese writes round numbers (29万, 25.5万, 三十万: `answer_formats.wan_number`), or a whole number in
    Chinese numerals (六, 三十)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    wan = answer_formats.wan_number(text)
    if wan is not None:
        return wan
    numeral = answer_formats.chinese_numeral(unicodedata.normalize("NFKC", str(text)).strip())
    if numeral is not None:
        return float(numeral)
    text = unicodedata.normalize("NFKC", str(text)).strip().replace("\u2212", "-")
    match = re.fullmatch(r"([+-]?)(\d{1,3}(?:([, ])\d{3})(?:\3\d{3})*|\d+)(\.\d+)?", text)
    if not match:
        return None
    sign, whole, _separator, fraction = match.groups()
    return float(sign + whole.replace(",", "").replace(" ", "") + (fraction or ""))


# --- grading ------------------------------------------------------------------------------------


def is_answered(question: Question, answer: Any) -> bool:
    """Whether there is a complete answer to grade (blank controls are not graded or saved)."""
    if question.kind in ("multiple_choice", "short_answer", "numeric"):
        return answer is not None and str(answer).strip() != ""
    if question.kind == "ordering":
        return isinstance(answer, (list, tuple)) and len(answer) == len(question.answer) and all(answer)
    return isinstance(answer, dict) and all(answer.get(left) for left, _right in question.pairs)


def grade(question: Question, answer: Any) -> Result:
    """Grade one answer; the feedback says what was right, and the result carries the explanation and sources."""
    correct, feedback = _GRADERS[question.kind](question, answer)
    return Result(correct, _("Correct.") if correct else feedback, question.explain, question.source_ids)


def _multiple_choice(question: Question, answer: Any) -> tuple[bool, str]:
    return answer == question.answer, _("Not quite.")


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
    return False, _("Not quite: that is a date, but not the right one.") if dated else _("Not quite.")


def _numeric(question: Question, answer: Any) -> tuple[bool, str]:
    value = parse_number(answer)
    if value is None:
        return False, _(
            "Not quite: “{answer}” is not a number. Write digits only, e.g. 290000 or 290,000.", answer=answer
        )
    if abs(value - question.answer) <= question.tolerance:
        return True, ""
    return False, _("Not quite: too high.") if value > question.answer else _("Not quite: too low.")


def _ordering(question: Question, answer: Any) -> tuple[bool, str]:
    given = list(answer) if isinstance(answer, (list, tuple)) else []
    repeated = [item for item, n in Counter(i for i in given if i).items() if n > 1]
    if repeated:
        return False, _("Not quite: use each item once ({item} appears more than once).", item=repeated[0])
    right = sum(1 for mine, key in zip(given, question.answer) if mine == key)
    total = len(question.answer)
    return right == total, ngettext(
        "Not quite: {right} of {n} in the right place.",
        "Not quite: {right} of {n} in the right place.",
        total,
        right=right,
    )


def _matching(question: Question, answer: Any) -> tuple[bool, str]:
    given = answer if isinstance(answer, dict) else {}
    right = sum(1 for left, key in question.pairs if given.get(left) == key)
    total = len(question.pairs)
    return right == total, ngettext(
        "Not quite: {right} of {n} pair is right.", "Not quite: {right} of {n} pairs are right.", total, right=right
    )


_GRADERS = {
    "multiple_choice": _multiple_choice,
    "short_answer": _short_answer,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
}
