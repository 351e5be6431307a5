"""`one-voice progress`: a student's self-check progress, as a summary or as a hand-in file.

The hand-in file also carries the written answers to document prompts, the evidence bank and lesson 08's
essay outline (Markdown, with citations by document id and ¶): in OUT.json as "answers", "evidence", "plan" and
"outline"; beside OUT.csv (one row per self-check question and per answered prompt) as OUT.outline.md.

Read-only: a damaged progress file is reported, not moved (the kernel side does the setting aside).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from course import settings
from course.coursework import evidence_bank, progress, prompts
from course.coursework import selfchecks as checks
from course.i18n import _, ngettext

OTHER = ""  # lesson key for attempts at questions the bank does not know
CSV_COLUMNS = ("lesson", "question", "attempts", "correct", "latest_answer", "latest_time")


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "progress", help=_("summarise a student's self-check answers, or write a hand-in file")
    )
    parser.add_argument(
        "--file",
        type=Path,
        default=None,
        help=_(
            "the progress file (default: ONE_VOICE_PROGRESS, else ./.one-voice-progress.json, "
            "else notebooks/.one-voice-progress.json)"
        ),
    )
    parser.add_argument(
        "--export",
        type=Path,
        default=None,
        metavar="OUT.json|OUT.csv",
        help=_(
            "write a hand-in file instead of the summary: OUT.json (every attempt) or OUT.csv (one row per question)"
        ),
    )
    parser.set_defaults(run=run)


def default_file() -> Path:
    """ONE_VOICE_PROGRESS, else the file here, else the one the lessons write in notebooks/."""
    if settings.progress_override():
        return settings.progress_override()
    here = Path.cwd() / settings.PROGRESS_FILE_NAME
    return here if here.exists() else settings.notebooks_dir() / settings.PROGRESS_FILE_NAME


def per_question(attempts: list[dict[str, Any]], bank: dict[str, checks.Question]) -> list[dict[str, Any]]:
    """One row per attempted question: how many tries, and whether the latest answer is correct."""
    rows: dict[str, dict[str, Any]] = {}
    for attempt in attempts:
        qid = attempt["question"]
        row = rows.setdefault(
            qid, {"lesson": bank[qid].lesson if qid in bank else OTHER, "question": qid, "attempts": 0}
        )
        row.update(
            attempts=row["attempts"] + 1,
            correct=attempt["correct"],
            latest_answer=attempt["answer"],
            latest_time=attempt["time"],
        )
    return sorted(rows.values(), key=lambda r: (r["lesson"] == OTHER, r["lesson"], r["question"]))


def per_lesson(rows: list[dict[str, Any]], bank: dict[str, checks.Question]) -> list[dict[str, Any]]:
    """Every lesson in the bank (attempted or not), then any unknown questions."""
    lessons = sorted({q.lesson for q in bank.values()} | {r["lesson"] for r in rows}, key=lambda s: (s == OTHER, s))
    summary = []
    for lesson in lessons:
        mine = [r for r in rows if r["lesson"] == lesson]
        total = sum(1 for q in bank.values() if q.lesson == lesson) if lesson != OTHER else len(mine)
        summary.append(
            {
                "lesson": lesson,
                "questions": total,
                "attempted": len(mine),
                "correct": sum(1 for r in mine if r["correct"]),
            }
        )
    return summary


def run(args: argparse.Namespace) -> int:
    path = args.file or default_file()
    if not path.exists():
        print(
            _(
                "No progress file at {file}: no self-check answers have been saved there yet. Give the path with "
                "--file.",
                file=path,
            ),
            file=sys.stderr,
        )
        return 1
    try:
        document = progress.read_document(path)
        attempts = document["attempts"]
    except progress.ProgressFileError as error:
        print(_("The progress file could not be read. {problem} Nothing was changed.", problem=error), file=sys.stderr)
        return 1
    bank = checks.load_all()
    rows = per_question(attempts, bank)
    if args.export is None:
        print(_("Self-check progress in {file}; saved attempts: {attempts}.", file=path, attempts=len(attempts)))
        for lesson in per_lesson(rows, bank):
            name = lesson["lesson"] or _("(questions not in this collection's bank)")
            print(
                ngettext(
                    "  {lesson}: {attempted} of {n} question attempted, {correct} correct (latest answer)",
                    "  {lesson}: {attempted} of {n} questions attempted, {correct} correct (latest answer)",
                    lesson["questions"],
                    lesson=name,
                    attempted=lesson["attempted"],
                    correct=lesson["correct"],
                )
            )
        answered = answer_rows(document)
        print(
            _(
                "Written answers to document prompts: {answers}; paragraphs marked as evidence: {marks}.",
                answers=len(answered),
                marks=len([e for e in _marks(document) if not e.get("removed")]),
            )
        )
        return 0
    return _export(args.export, path, attempts, rows, bank, document)


def answer_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The latest answer to every prompt, with its lesson, document, paragraph and claim (blank answers left out)."""
    known = prompts.load_all()
    found = []
    for pid, answer in prompts.latest_answers(document).items():
        p = known.get(pid)
        found.append(
            {
                "lesson": p.lesson if p else OTHER,
                "prompt": pid,
                "document": p.document if p else "",
                "paragraph": p.paragraph if p else None,
                "claim": p.claim if p else "",
                "text": answer["text"],
                "time": answer["time"],
            }
        )
    return sorted(found, key=lambda r: (r["lesson"] == OTHER, r["lesson"], r["prompt"]))


def _marks(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The latest mark per excerpt, paragraph and claim."""
    latest = {(e["excerpt"], e["paragraph"], e["claim"]): e for e in document["evidence"]}
    return list(latest.values())


def _export(out: Path, source: Path, attempts: list, rows: list, bank: dict, document: dict) -> int:
    suffix = out.suffix.lower()
    if suffix not in (".json", ".csv"):
        print(_("Cannot export to {file}: the name must end in .json or .csv.", file=out), file=sys.stderr)
        return 2
    outline = evidence_bank.outline_for(document)
    answers = answer_rows(document)
    if suffix == ".json":
        document = {
            "progress_file": str(source),
            "exported": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "lessons": per_lesson(rows, bank),
            "questions": rows,
            "attempts": attempts,
            "answers": answers,
            "evidence": [e for e in _marks(document) if not e.get("removed")],
            "plan": evidence_bank.plan(document),
            "outline": outline,
        }
        out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif suffix == ".csv":
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for row in rows:
                answer = row["latest_answer"]
                text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
                writer.writerow({**row, "latest_answer": text})
            for answer in answers:
                writer.writerow(
                    {
                        "lesson": answer["lesson"],
                        "question": answer["prompt"],
                        "attempts": "",
                        "correct": "",
                        "latest_answer": answer["text"],
                        "latest_time": answer["time"],
                    }
                )
        beside = out.with_name(out.stem + ".outline.md")
        beside.write_text(outline, encoding="utf-8")
        print(_("Wrote the essay outline to {file}.", file=beside))
    print(ngettext("Wrote {n} question to {file}.", "Wrote {n} questions to {file}.", len(rows), file=out))
    print(
        ngettext("Wrote {n} written answer to {file}.", "Wrote {n} written answers to {file}.", len(answers), file=out)
    )
    return 0
