"""Document prompts students answer in writing (issue 12 item 3): the bank and the logic, no widgets.

A prompt (course/coursework/prompts/<lesson>.json) asks a sourcing, contextualisation, corroboration or
close-reading question about one paragraph of a document on its lesson's page, and carries a short
historian's reading and the evidence it rests on. The student's answer is saved in the progress file
(`course.coursework.progress`, section "answers"); the reading is offered only once the saved answer has
at least MIN_WORDS words, so students write before they compare. The widget (`prompt_widget`) is a thin shell
over the pure functions here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from course import settings
from course.coursework import catalogue, progress
from course.i18n import N_, _, ngettext

MIN_WORDS = 15
SKILLS = {
    "sourcing": N_("Sourcing"),
    "contextualisation": N_("Contextualisation"),
    "corroboration": N_("Corroboration"),
    "close-reading": N_("Close reading"),
}
FIELDS = ("id", "skill", "document", "paragraph", "prompt", "reading", "evidence", "claim")

# A word is a run of letters or digits (with inner apostrophes or hyphens: "Kim's", "five-year"); Chinese,
# Japanese and Korean characters are written without spaces, so two of them count as one word (a rough average).
_WORD = re.compile(
    r"[^\W_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+(?:['’\-][^\W_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+)*"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


class PromptBankError(ValueError):
    """A prompt file that cannot be used: the file, the place, the problem and the fix."""


@dataclass(frozen=True)
class Prompt:
    id: str
    lesson: str
    skill: str
    document: str
    paragraph: int
    prompt: str
    reading: str
    evidence: tuple[str, ...]
    claim: str


def prompts_dir() -> Path:
    return settings.PACKAGE_DIR / "coursework" / "prompts"


def load_all(folder: Path | str | None = None) -> dict[str, Prompt]:
    """Every prompt of the collection by id (the lesson is the file name), in the student's language."""
    folder = Path(folder) if folder is not None else prompts_dir()
    found: dict[str, Prompt] = {}
    for path in sorted(folder.glob("*.json")):
        stat = path.stat()
        for item in _load(path, stat.st_mtime_ns, stat.st_size):
            if item.id in found:
                raise PromptBankError(
                    _(
                        "{file}: the prompt id {id} is used twice (also in lesson {lesson}). Fix: give "
                        "one of them a new id.",
                        file=path,
                        id=item.id,
                        lesson=found[item.id].lesson,
                    )
                )
            found[item.id] = catalogue.prompt(item)
    return found


@lru_cache(maxsize=32)
def _load(path: Path, _mtime: int, _size: int) -> tuple[Prompt, ...]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PromptBankError(
            _(
                "{file}: not valid JSON ({detail}). Fix: undo the last edit or check the file in a JSON checker.",
                file=path,
                detail=error,
            )
        ) from None
    if not isinstance(raw, list):
        raise PromptBankError(_("{file}: must be a JSON list of prompts. Fix: wrap the prompts in [ ].", file=path))
    found = []
    for n, entry in enumerate(raw):
        missing = [f for f in FIELDS if not isinstance(entry, dict) or f not in entry]
        if missing:
            raise PromptBankError(
                _(
                    "{file}, prompt {n}: the field(s) {fields} are missing. Fix: give every prompt the fields {all}.",
                    file=path,
                    n=n + 1,
                    fields=", ".join(missing),
                    all=", ".join(FIELDS),
                )
            )
        found.append(
            Prompt(
                id=entry["id"],
                lesson=path.stem,
                skill=entry["skill"],
                document=entry["document"],
                paragraph=int(entry["paragraph"]),
                prompt=entry["prompt"],
                reading=entry["reading"],
                evidence=tuple(entry["evidence"]),
                claim=entry["claim"],
            )
        )
    return tuple(found)


def get_prompt(prompt_id: str, folder: Path | str | None = None) -> Prompt:
    bank = load_all(folder)
    if prompt_id not in bank:
        raise KeyError(
            _(
                "No document prompt with the id {id} in course/coursework/prompts/. Fix: use an id "
                "from those files, e.g. {example}.",
                id=prompt_id,
                example=next(iter(bank), "?"),
            )
        )
    return bank[prompt_id]


# --- pure logic --------------------------------------------------------------------------------


def word_count(text: str) -> int:
    """Words in an answer: runs of letters or digits, plus one word per two CJK characters (rounded up)."""
    text = text or ""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(text)) + (cjk + 1) // 2


def words_needed(text: str) -> int:
    """How many more words the saved answer needs before the historian's reading is offered."""
    return max(0, MIN_WORDS - word_count(text))


def can_compare(saved_text: str | None) -> bool:
    return saved_text is not None and words_needed(saved_text) == 0


def gate_message(saved_text: str | None) -> str:
    """What the student reads under the answer box about the historian's reading."""
    if saved_text is None or not saved_text.strip():
        return ngettext(
            "Write at least {n} word and press Save; then you can compare your answer with a historian's reading.",
            "Write at least {n} words and press Save; then you can compare your answer with a historian's reading.",
            MIN_WORDS,
        )
    needed = words_needed(saved_text)
    if needed:
        return ngettext(
            "Your saved answer needs {n} more word before you can compare it with a historian's reading.",
            "Your saved answer needs {n} more words before you can compare it with a historian's reading.",
            needed,
        )
    return _("You can now compare your answer with a historian's reading.")


def latest_answer(prompt_id: str, document: dict[str, Any]) -> dict[str, Any] | None:
    """The most recent saved answer to a prompt in a progress document, or None."""
    mine = [a for a in document.get("answers", []) if a["prompt"] == prompt_id]
    return mine[-1] if mine else None


def latest_answers(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{prompt id: latest saved answer} for every prompt answered, blank answers left out."""
    found: dict[str, dict[str, Any]] = {}
    for answer in document.get("answers", []):
        found[answer["prompt"]] = answer
    return {pid: a for pid, a in found.items() if a["text"].strip()}


def save_answer(prompt_id: str, text: str, path: Path | str | None = None) -> dict[str, Any]:
    """Save an answer at once (atomic, locked, a damaged file set aside); returns the answer as stored."""
    answer = {"prompt": prompt_id, "text": text, "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    progress.update(lambda doc: doc["answers"].append(answer), path)
    return answer


def skill_label(skill: str) -> str:
    return _(SKILLS[skill]) if skill in SKILLS else skill
