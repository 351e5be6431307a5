"""The reading load of each lesson, so its stated time is honest (`one-voice course-map --load`).

Counted from the notebook as a student meets it: words of our prose (markdown), words of other
displayed text (the saved outputs of code cells: cards, timelines, tables), words of primary
text (the documents the lesson shows with `show_document`, English counted once), and tasks
(self-checks, prompts, graded cells). The model time is

    (prose + displayed words) / 140  +  primary words / 100  +  3 minutes per task,

reading speeds for a student reading carefully, and a stated time should be within ±20 % of it.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from course.evidence.package import Evidence, evidence

PROSE_WORDS_PER_MINUTE = 140
PRIMARY_WORDS_PER_MINUTE = 100
MINUTES_PER_TASK = 3
TOLERANCE = 0.20
DOCUMENT_CALL = re.compile(r"""show_document\(\s*["']([^"']+)["']""")
TASK_CALL = re.compile(r"^\s*(self_check|prompt)\(", re.M)
TAG = re.compile(r"<[^>]+>")
MARKUP = re.compile(r"[#*`|>_\[\]()-]+")


@dataclass(frozen=True)
class Load:
    slug: str
    stated_minutes: int
    prose_words: int
    displayed_words: int
    primary_words: int
    tasks: int

    @property
    def model_minutes(self) -> float:
        return (
            (self.prose_words + self.displayed_words) / PROSE_WORDS_PER_MINUTE
            + self.primary_words / PRIMARY_WORDS_PER_MINUTE
            + MINUTES_PER_TASK * self.tasks
        )

    @property
    def within_tolerance(self) -> bool:
        return abs(self.stated_minutes - self.model_minutes) <= TOLERANCE * self.model_minutes


def words(text: str) -> int:
    return len(MARKUP.sub(" ", html.unescape(TAG.sub(" ", text))).split())


def _output_text(output: dict) -> str:
    data = output.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"])
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    return ""


def lesson_load(path: Path, ev: Evidence | None = None) -> Load:
    """The load of one lesson notebook (outputs as saved: run `make notebooks` first for current ones)."""
    ev = ev or evidence()
    nb = json.loads(path.read_text(encoding="utf-8"))
    prose = displayed = tasks = 0
    shown: list[str] = []
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        tasks += bool(cell["metadata"].get("nbgrader", {}).get("solution"))
        if cell["cell_type"] == "markdown":
            prose += words(source)
            continue
        if cell["cell_type"] != "code":
            continue
        documents = DOCUMENT_CALL.findall(source)
        shown += documents
        tasks += len(TASK_CALL.findall(source))
        if not documents:
            displayed += sum(words(_output_text(o)) for o in cell.get("outputs", []))
    paragraphs = ev.paragraphs[ev.paragraphs.excerpt_id.isin(shown)]
    primary = sum(len(text.split()) for text in paragraphs.english)
    meta = nb["metadata"]["one_voice"]
    return Load(meta["slug"], int(meta["minutes"]), prose, displayed, primary, tasks)


def load_table(loads: list[Load]) -> str:
    """The load report as a Markdown table (plain text, for a terminal or the guide)."""
    head = (
        "| Lesson | Prose | Other text | Primary text | Tasks | Model (min) | Stated (min) |\n"
        "|---|---:|---:|---:|---:|---:|---:|"
    )
    rows = [
        f"| {x.slug} | {x.prose_words} | {x.displayed_words} | {x.primary_words} | {x.tasks} | "
        f"{x.model_minutes:.0f} | {x.stated_minutes}{'' if x.within_tolerance else ' (!)'} |"
        for x in loads
    ]
    total = (
        f"| all | {sum(x.prose_words for x in loads)} | {sum(x.displayed_words for x in loads)} | "
        f"{sum(x.primary_words for x in loads)} | {sum(x.tasks for x in loads)} | "
        f"{sum(x.model_minutes for x in loads):.0f} | {sum(x.stated_minutes for x in loads)} |"
    )
    return "\n".join([head, *rows, total])
