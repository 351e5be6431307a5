"""Integrity of the bank of document prompts (course/coursework/prompts/<lesson>.json, issue 12 item 3).

Every prompt must point to a document on its own lesson's page and to a paragraph that exists, bear on a
claim of the argument map, rest its historian's reading on places that resolve (an excerpt paragraph, a
source row, or a section of Tian's paper from the README's § key), and keep that reading short.
Lessons 01-08 need at least four prompts covering all four skills.

The checks live in `bank_problems()`, which returns one message per defect (file, prompt, what is wrong,
how to fix it); the planted-defect tests below prove that each check can fail.
"""

from __future__ import annotations

import copy
import csv
import json
import re

import pytest

from tests.helpers import REPO

PROMPTS = REPO / "course" / "coursework" / "prompts"
DATA = REPO / "data"
SKILLS = ("sourcing", "contextualisation", "corroboration", "close-reading")
FIELDS = {"id", "skill", "document", "paragraph", "prompt", "reading", "evidence", "claim"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXCERPT_REF = re.compile(r"^(?P<excerpt>[a-z0-9-]+) ¶(?P<n>[1-9][0-9]*)$")
TIAN_REF = re.compile(r"^Tian 2014, §(?P<section>\d+(?:\.\d+)?)$")
DOC_LETTERS = re.compile(r"Documents? ([A-H](?:(?:, | and )[A-H])*)\b")
READING_WORDS = (40, 90)
MIN_PROMPTS = 4


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_tables() -> dict:
    """The reference tables a prompt may point to, read with the csv module (no course imports)."""
    excerpts = _rows("excerpts.csv")
    letters: dict[str, str] = {}
    by_lesson: dict[str, list[dict[str, str]]] = {}
    for row in excerpts:
        by_lesson.setdefault(row["lesson"], []).append(row)
    for rows in by_lesson.values():  # the reader labels a lesson's excerpts A, B, C... in `order`
        for i, row in enumerate(sorted(rows, key=lambda r: int(r["order"]))):
            letters[row["id"]] = chr(ord("A") + i)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return {
        "lesson_of": {row["id"]: row["lesson"] for row in excerpts},
        "source_of": {row["id"]: row["source_id"] for row in excerpts},
        "letter_of": letters,
        "paragraphs": {(row["excerpt_id"], int(row["n"])) for row in _rows("paragraphs.csv")},
        "claims": {row["id"] for row in _rows("claims.csv")},
        "sources": {row["id"] for row in _rows("sources.csv")},
        "sections": set(re.findall(r"^\| §(\d(?:\.\d)?) \|", readme, flags=re.M)),
    }


def load_bank() -> dict[str, list]:
    """{lesson slug: list of prompts} for every JSON file in the prompts folder."""
    bank = {}
    for path in sorted(PROMPTS.glob("*.json")):
        try:
            bank[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path.relative_to(REPO)}: not valid JSON ({exc}); fix the syntax at that line")
    return bank


def lessons() -> list[str]:
    return sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _evidence_problem(item: object, tables: dict) -> str | None:
    if not isinstance(item, str):
        return f"evidence item {item!r} is not a string"
    m = EXCERPT_REF.match(item)
    if m and m["excerpt"] in tables["lesson_of"]:
        if (m["excerpt"], int(m["n"])) not in tables["paragraphs"]:
            return f"evidence {item!r}: excerpt has no ¶{m['n']} in data/paragraphs.csv"
        return None
    if item in tables["sources"]:
        return None
    m = TIAN_REF.match(item)
    if m:
        if m["section"] not in tables["sections"]:
            return f"evidence {item!r}: §{m['section']} is not in the README § key"
        return None
    return (
        f"evidence {item!r} resolves to nothing: write '<excerpt-id> ¶<n>', a source id from "
        f"data/sources.csv, or 'Tian 2014, §x.y' with a § from the README key"
    )


def bank_problems(bank: dict[str, list], tables: dict, lesson_slugs: list[str]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    for slug in sorted(set(lesson_slugs) - set(bank)):
        problems.append(f"prompts/{slug}.json: missing; every lesson needs a prompts file")
    for slug in sorted(set(bank) - set(lesson_slugs)):
        problems.append(f"prompts/{slug}.json: no notebook notebooks/{slug}.ipynb; rename it to a lesson slug")
    for slug, prompts in bank.items():
        where_file = f"prompts/{slug}.json"
        if not isinstance(prompts, list):
            problems.append(f"{where_file}: must be a JSON list of prompts")
            continue
        skills = set()
        for i, p in enumerate(prompts):
            where = f"{where_file}[{i}] ({p.get('id', '?') if isinstance(p, dict) else '?'})"
            if not isinstance(p, dict) or set(p) != FIELDS:
                got = sorted(p) if isinstance(p, dict) else type(p).__name__
                problems.append(f"{where}: fields must be exactly {sorted(FIELDS)}, got {got}")
                continue
            pid = p["id"]
            if not isinstance(pid, str) or not ID_PATTERN.match(pid):
                problems.append(f"{where}: id must be lowercase [a-z0-9-] words joined by '-'")
            elif pid in seen:
                problems.append(f"{where}: id {pid!r} already used in {seen[pid]}; make it unique")
            else:
                seen[pid] = where_file
            if p["skill"] not in SKILLS:
                problems.append(f"{where}: skill {p['skill']!r} is not one of {SKILLS}")
            skills.add(p["skill"])
            doc = p["document"]
            if doc not in tables["lesson_of"]:
                problems.append(f"{where}: document {doc!r} is not an excerpt id in data/excerpts.csv")
            else:
                if tables["lesson_of"][doc] != slug:
                    problems.append(
                        f"{where}: document {doc!r} belongs to lesson {tables['lesson_of'][doc]}, "
                        f"not {slug}; tie the prompt to a document on this lesson's page"
                    )
                if type(p["paragraph"]) is not int or (doc, p["paragraph"]) not in tables["paragraphs"]:
                    problems.append(f"{where}: paragraph {p['paragraph']!r} is not a ¶ of {doc} in data/paragraphs.csv")
                named = {ch for group in DOC_LETTERS.findall(p["prompt"]) for ch in re.findall(r"[A-H]", group)}
                if tables["letter_of"][doc] not in named:
                    problems.append(
                        f"{where}: the prompt never names its own document as the reader labels "
                        f"it ('Document {tables['letter_of'][doc]}')"
                    )
                own = {doc, tables["source_of"][doc]}
                if not any(isinstance(e, str) and (e in own or e.startswith(doc + " ¶")) for e in p["evidence"]):
                    problems.append(f"{where}: no evidence item points to its own document {doc}; add '{doc} ¶<n>'")
            if p["claim"] not in tables["claims"]:
                problems.append(f"{where}: claim {p['claim']!r} is not an id in data/claims.csv")
            if not isinstance(p["prompt"], str) or not p["prompt"].strip():
                problems.append(f"{where}: empty prompt")
            words = len(p["reading"].split()) if isinstance(p["reading"], str) else 0
            if not READING_WORDS[0] <= words <= READING_WORDS[1]:
                problems.append(
                    f"{where}: reading has {words} words; keep it within {READING_WORDS[0]}-{READING_WORDS[1]}"
                )
            if not isinstance(p["evidence"], list) or not p["evidence"]:
                problems.append(f"{where}: evidence must be a non-empty list")
            else:
                problems += [f"{where}: {msg}" for e in p["evidence"] if (msg := _evidence_problem(e, tables))]
        if slug[:2] != "00":
            if len(prompts) < MIN_PROMPTS:
                problems.append(f"{where_file}: {len(prompts)} prompts; lessons 01-08 need at least {MIN_PROMPTS}")
            missing = [s for s in SKILLS if s not in skills]
            if missing:
                problems.append(f"{where_file}: no prompt for skill(s) {missing}; every lesson 01-08 needs all four")
        elif not prompts:
            problems.append(f"{where_file}: lesson 00 needs at least one prompt")
    return problems


@pytest.fixture(scope="module")
def tables():
    return load_tables()


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_the_bank_has_no_integrity_problems(bank, tables):
    problems = bank_problems(bank, tables, lessons())
    assert not problems, "\n".join(problems)


def test_the_bank_covers_every_lesson_with_real_prompts(bank):
    assert set(bank) == set(lessons()) and len(lessons()) >= 9
    assert sum(len(v) for slug, v in bank.items() if slug[:2] != "00") >= MIN_PROMPTS * 8


def test_the_side_by_side_translation_prompt_pairs_the_published_english_with_tians_chinese(bank, tables):
    """At least one close-reading prompt rests on both halves of an excerpt pair marked SIDE-BY-SIDE."""
    notes = {row["id"]: row["note"] for row in _rows("excerpts.csv")}
    pairs = {
        (a, b) for a, note in notes.items() for b in re.findall(r"SIDE-BY-SIDE PAIR with excerpt ([a-z0-9-]+)", note)
    }
    assert pairs, "data/excerpts.csv no longer marks a SIDE-BY-SIDE PAIR in its notes"
    found = []
    for prompts in bank.values():
        for p in prompts:
            cited = {EXCERPT_REF.match(e)["excerpt"] for e in p["evidence"] if EXCERPT_REF.match(e)}
            if p["skill"] == "close-reading" and any(a in cited and b in cited for a, b in pairs):
                found.append(p["id"])
    assert found, f"no close-reading prompt cites both excerpts of a pair {sorted(pairs)}"


# Planted defects: each check must catch a damaged copy of the real bank.


def _damaged(bank, slug, index, **changes):
    damaged = copy.deepcopy(bank)
    damaged[slug][index].update(changes)
    return damaged


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"skill": "analysis"}, "is not one of"),
        ({"document": "frus-1958-60-v18-d247-l08"}, "belongs to lesson"),
        ({"document": "no-such-excerpt"}, "is not an excerpt id"),
        ({"paragraph": 99}, "is not a ¶ of"),
        ({"paragraph": "2"}, "is not a ¶ of"),
        ({"claim": "C999"}, "is not an id in data/claims.csv"),
        ({"reading": "Too short to be a reading."}, "words; keep it within"),
        ({"reading": "word " * 91}, "words; keep it within"),
        ({"evidence": ["Tian 2014, §9.9"]}, "is not in the README § key"),
        ({"evidence": ["frus-1955-57-v23p2-d172-a ¶42"]}, "has no ¶42"),
        ({"evidence": ["somewhere in the archives"]}, "resolves to nothing"),
        ({"evidence": ["Tian 2014, §2.1"]}, "no evidence item points to its own document"),
        ({"id": "L01 Bad Id"}, "id must be lowercase"),
        ({"prompt": "What does the memorandum say about the Chinese?"}, "never names its own document"),
    ],
)
def test_each_check_catches_a_planted_defect(bank, tables, changes, expected):
    slug = "01-balance-of-forces"
    problems = bank_problems(_damaged(bank, slug, 0, **changes), tables, lessons())
    assert any(expected in msg and f"prompts/{slug}.json[0]" in msg for msg in problems), problems


def test_duplicate_ids_missing_skills_and_missing_files_are_caught(bank, tables):
    dup = _damaged(bank, "02-mao-proposes", 0, id=bank["01-balance-of-forces"][0]["id"])
    assert any("already used" in m for m in bank_problems(dup, tables, lessons()))
    one_skill = copy.deepcopy(bank)
    one_skill["03-why-kim-agreed"] = [p for p in one_skill["03-why-kim-agreed"] if p["skill"] == "sourcing"]
    msgs = bank_problems(one_skill, tables, lessons())
    assert any("03-why-kim-agreed.json: no prompt for skill" in m for m in msgs)
    assert any("03-why-kim-agreed.json:" in m and "need at least 4" in m for m in msgs)
    gone = {k: v for k, v in bank.items() if k != "05-china-chooses"}
    assert any("05-china-chooses.json: missing" in m for m in bank_problems(gone, tables, lessons()))
