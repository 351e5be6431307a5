"""The student's evidence bank and lesson 08's essay plan (issue 12 item 4): data and logic, no widgets.

The bank holds every saved answer to a document prompt (with the prompt's document, paragraph and claim)
and every paragraph the student marked "use as evidence" (`mark_evidence`). Both live in the progress file
(`course.coursework.progress`), so they survive a restart and a damaged file is set aside, not lost.

The essay planner groups the bank by the three explanations lesson 08 compares and, within each, by the
paper's claims (C01-C07 under the thesis C00, from data/claims.csv); the student sorts each item for or
against, writes a thesis and a counter-argument, and exports a Markdown outline citing document id and ¶.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course import settings
from course.coursework import progress
from course.coursework import prompts as prompt_bank
from course.i18n import N_, _

OUTLINE_NAME = "essay-outline.md"
THESIS = "C00"
# Which claims of data/claims.csv state each explanation lesson 08 compares. An item belongs to the first of
# these it meets walking up its claim's targets; everything else is part of Tian's own argument (thesis C00).
#   official: C12 the official framing (public aims), C16 the public narrative of friendship, C33 the official
#             histories' account of Kim's plans, C65 the official line on where the troops went (all rest on
#             the official histories: amhistory-2011, amhistory-2000-v3, cpv-war-history-2007);
#   shen:     C14 Shen Zhihua's explanation (soothing Kim after the 1956 August incident).
EXPLANATIONS = {
    "official": (N_("The official history"), ("C12", "C16", "C33", "C65")),
    "shen": (N_("Shen Zhihua"), ("C14",)),
    "tian": (N_("Tian Wuxiong"), (THESIS,)),
}
SIDES = ("for", "against")
SIDE_LABELS = {"": N_("(not sorted)"), "for": N_("for"), "against": N_("against")}


class EvidenceError(ValueError):
    """A mark that points nowhere: which value, where to look it up, how to fix it."""


@dataclass(frozen=True)
class Item:
    key: str  # "answer:<prompt id>" or "mark:<excerpt>:<n>:<claim>"
    kind: str  # "answer" or "mark"
    lesson: str
    excerpt: str
    letter: str  # the document's letter on its lesson's page
    paragraph: int
    claim: str
    text: str  # the student's answer or note
    question: str  # the prompt (answers only)
    time: str


# --- reference tables from the evidence base ----------------------------------------------------


def tables(ev=None) -> dict[str, Any]:
    """Lesson, letter and paragraphs of every excerpt, and the claims, from data/ (or a given Evidence)."""
    from course.evidence.package import evidence, localized

    if ev is None:
        ev = evidence()
    lesson_of, letter_of, headings = {}, {}, {}
    for lesson, rows in ev.excerpts.groupby("lesson"):
        for i, row in enumerate(rows.sort_values("order").itertuples()):
            heading = localized(row._asdict(), "heading")  # heading_zh in the Chinese edition
            lesson_of[row.id], letter_of[row.id], headings[row.id] = lesson, string.ascii_uppercase[i % 26], heading
    paragraphs: dict[str, list[int]] = {}
    for row in ev.paragraphs.sort_values("n").itertuples():
        paragraphs.setdefault(row.excerpt_id, []).append(int(row.n))
    claims = {
        row.id: {
            "text": localized(row._asdict(), "text"),  # text_zh in the Chinese edition
            "target": row.target if isinstance(row.target, str) else "",
            "lesson": row.lesson,
            "kind": row.kind,
        }
        for row in ev.claims.itertuples()
    }
    return {
        "lesson_of": lesson_of,
        "letter_of": letter_of,
        "headings": headings,
        "paragraphs": paragraphs,
        "claims": claims,
    }


def check_mark(excerpt_id: str, paragraph: int, claim: str, refs: dict[str, Any]) -> None:
    """Raise EvidenceError naming the bad value and the fix, or return None."""
    if excerpt_id not in refs["lesson_of"]:
        raise EvidenceError(
            _(
                "There is no document {id} in data/excerpts.csv. Fix: use the id shown under the "
                "document's heading in the lesson, e.g. {example}.",
                id=excerpt_id,
                example=next(iter(refs["lesson_of"]), "?"),
            )
        )
    numbers = refs["paragraphs"].get(excerpt_id, [])
    if not isinstance(paragraph, int) or isinstance(paragraph, bool) or paragraph not in numbers:
        raise EvidenceError(
            _(
                "Document {id} has no paragraph {n}. Fix: use one of its paragraph numbers ({numbers}).",
                id=excerpt_id,
                n=paragraph,
                numbers=", ".join(map(str, numbers)),
            )
        )
    if claim not in refs["claims"]:
        raise EvidenceError(
            _(
                "There is no claim {claim} in data/claims.csv. Fix: use a node id from the "
                "argument map, such as C02 or C24.",
                claim=claim,
            )
        )


# --- the bank -------------------------------------------------------------------------------------


def mark(
    excerpt_id: str,
    paragraph: int,
    claim: str,
    note: str = "",
    *,
    remove: bool = False,
    refs: dict[str, Any] | None = None,
    path: Path | str | None = None,
) -> dict[str, Any]:
    """Save (or, with remove=True, withdraw) a paragraph marked as evidence for a claim; returns the entry."""
    check_mark(excerpt_id, paragraph, claim, refs or tables())
    entry = {
        "excerpt": excerpt_id,
        "paragraph": paragraph,
        "claim": claim,
        "note": note or "",
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    if remove:
        entry["removed"] = True
    progress.update(lambda doc: doc["evidence"].append(entry), path)
    return entry


def mark_evidence(excerpt_id: str, paragraph: int, claim: str, note: str = "", remove: bool = False) -> None:
    """Lesson call: `mark_evidence("puzanov-1957-11-13-a", 2, claim="C19", note="...")` puts ¶2 in the bank."""
    refs = tables()
    mark(excerpt_id, paragraph, claim, note, remove=remove, refs=refs)
    where = _(
        "Document {letter} (lesson {lesson}), ¶{n}",
        letter=refs["letter_of"][excerpt_id],
        lesson=refs["lesson_of"][excerpt_id][:2],
        n=paragraph,
    )
    if remove:
        print(_("Removed {where} from your evidence bank for claim {claim}.", where=where, claim=claim))
    else:
        print(
            _(
                "Saved {where} in your evidence bank as evidence bearing on claim {claim}; you will find it in "
                "lesson 08's essay planner.",
                where=where,
                claim=claim,
            )
        )


def items(document: dict[str, Any], refs: dict[str, Any], bank: dict[str, prompt_bank.Prompt]) -> list[Item]:
    """The evidence bank: every answered prompt and every marked paragraph, in lesson and document order."""
    found: list[Item] = []
    for pid, answer in prompt_bank.latest_answers(document).items():
        p = bank.get(pid)
        if p is None:  # an answer to a prompt this edition no longer has: keep it out of the plan, not lost
            continue
        found.append(
            Item(
                key=f"answer:{pid}",
                kind="answer",
                lesson=p.lesson,
                excerpt=p.document,
                letter=refs["letter_of"].get(p.document, "?"),
                paragraph=p.paragraph,
                claim=p.claim,
                text=answer["text"],
                question=p.prompt,
                time=answer["time"],
            )
        )
    marks: dict[str, dict[str, Any]] = {}
    for entry in document.get("evidence", []):
        marks[f"mark:{entry['excerpt']}:{entry['paragraph']}:{entry['claim']}"] = entry
    for key, entry in marks.items():
        if entry.get("removed") or entry["excerpt"] not in refs["lesson_of"]:
            continue
        found.append(
            Item(
                key=key,
                kind="mark",
                lesson=refs["lesson_of"][entry["excerpt"]],
                excerpt=entry["excerpt"],
                letter=refs["letter_of"][entry["excerpt"]],
                paragraph=entry["paragraph"],
                claim=entry["claim"],
                text=entry["note"],
                question="",
                time=entry["time"],
            )
        )
    return sorted(found, key=lambda i: (i.lesson, i.letter, i.paragraph, i.kind, i.key))


def explanation_of(claim: str, claims: dict[str, dict[str, Any]]) -> str:
    """'official', 'shen' or 'tian': the first explanation's claim met walking up from `claim` (see EXPLANATIONS)."""
    starts = {cid: name for name, (_label, ids) in EXPLANATIONS.items() if name != "tian" for cid in ids}
    seen = set()
    while claim and claim not in seen:
        if claim in starts:
            return starts[claim]
        seen.add(claim)
        claim = claims.get(claim, {}).get("target", "")
    return "tian"


def paper_claim_of(claim: str, claims: dict[str, dict[str, Any]]) -> str:
    """The paper's main claim (C01-C07, or the thesis C00 itself) that `claim` ultimately bears on."""
    seen = set()
    while claim in claims and claim not in seen and claim != THESIS:
        seen.add(claim)
        target = claims[claim]["target"]
        if target == THESIS or not target:
            return claim
        claim = target
    return claim


def grouped(bank_items: list[Item], claims: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """[{explanation, label, claims: [{claim, text, items}]}] in EXPLANATIONS order, empty groups left out."""
    groups = []
    for name, (label, ids) in EXPLANATIONS.items():
        mine = [i for i in bank_items if explanation_of(i.claim, claims) == name]
        if not mine:
            continue
        by_claim: dict[str, list[Item]] = {}
        for item in mine:
            by_claim.setdefault(paper_claim_of(item.claim, claims), []).append(item)
        groups.append(
            {
                "explanation": name,
                "label": _(label),
                "ids": ids,
                "claims": [
                    {"claim": c, "text": claims.get(c, {}).get("text", ""), "items": by_claim[c]}
                    for c in sorted(by_claim)
                ],
            }
        )
    return groups


# --- the plan -------------------------------------------------------------------------------------


def plan(document: dict[str, Any]) -> dict[str, Any]:
    saved = document.get("plan", {})
    return {"sort": dict(saved.get("sort", {})), "thesis": saved.get("thesis", ""), "counter": saved.get("counter", "")}


def save_plan(sort: dict[str, str], thesis: str, counter: str, path: Path | str | None = None) -> dict[str, Any]:
    """Save the sorting, thesis and counter-argument at once; returns the plan as stored."""
    bad = {k: v for k, v in sort.items() if v not in (*SIDES, "")}
    if bad:
        raise ValueError(_("Each item is sorted 'for', 'against' or left blank, not {values}.", values=bad))
    saved = {
        "sort": dict(sort),
        "thesis": thesis,
        "counter": counter,
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }

    def change(doc: dict[str, Any]) -> None:
        doc["plan"] = saved

    progress.update(change, path)
    return saved


def citation(item: Item) -> str:
    """How the outline cites an item: the document id and ¶ (what the essay cites), then where it was read."""
    return _(
        "{excerpt} ¶{n} (lesson {lesson}, Document {letter})",
        excerpt=item.excerpt,
        n=item.paragraph,
        lesson=item.lesson[:2],
        letter=item.letter,
    )


def empty_message() -> str:
    return _(
        "Your evidence bank is empty. Answer the document prompts in lessons 01-08 (each has at least four, "
        "after its documents) and press Save, or mark a paragraph with "
        "evidence_picker(...) or mark_evidence(...). Everything you save appears here."
    )


def outline_markdown(bank_items: list[Item], saved_plan: dict[str, Any], claims: dict[str, dict[str, Any]]) -> str:
    """The essay outline as Markdown: thesis, evidence for and against by explanation and claim, counter-argument."""
    sort = saved_plan.get("sort", {})
    lines = [
        "# "
        + _("Essay outline: why did China withdraw all its troops from North Korea in 1958, and whose plan was it?"),
        "",
        "## " + _("Thesis"),
        "",
        saved_plan.get("thesis", "").strip() or _("(not written yet)"),
        "",
    ]
    if not bank_items:
        lines += [empty_message(), ""]
    for group in grouped(bank_items, claims):
        lines += [
            "## " + _("Evidence on the explanation of {who} ({ids})", who=group["label"], ids=", ".join(group["ids"])),
            "",
        ]
        for claim in group["claims"]:
            lines += [f"### {claim['claim']}: {_short(claim['text'])}", ""]
            for side in (*SIDES, ""):
                mine = [i for i in claim["items"] if sort.get(i.key, "") == side]
                if not mine:
                    continue
                lines += ["**" + _(SIDE_LABELS[side]) + "**", ""]
                for item in mine:
                    text = " ".join(item.text.split())
                    if item.kind == "answer":
                        line = _(
                            "[{citation}] claim {claim}; your answer: {text}",
                            citation=citation(item),
                            claim=item.claim,
                            text=text,
                        )
                    else:
                        line = _(
                            "[{citation}] claim {claim}; your note: {text}",
                            citation=citation(item),
                            claim=item.claim,
                            text=text or _("(no note)"),
                        )
                    lines.append("- " + line)
                lines.append("")
    lines += ["## " + _("Counter-argument"), "", saved_plan.get("counter", "").strip() or _("(not written yet)"), ""]
    return "\n".join(lines)


def outline_path(progress_file: Path | str | None = None) -> Path:
    """essay-outline.md beside the progress file."""
    return Path(progress_file or settings.progress_path()).with_name(OUTLINE_NAME)


def write_outline(text: str, progress_file: Path | str | None = None) -> Path:
    out = outline_path(progress_file)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


def outline_for(
    document: dict[str, Any], refs: dict[str, Any] | None = None, bank: dict[str, prompt_bank.Prompt] | None = None
) -> str:
    """The outline of a saved progress document (used by the planner and by `one-voice progress --export`)."""
    refs = refs or tables()
    bank = bank if bank is not None else prompt_bank.load_all()
    return outline_markdown(items(document, refs, bank), plan(document), refs["claims"])


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
