"""The lessons ask every prompt of the bank once, as a cell tagged `prompt`, after their documents (issue 12 item 3),
and lesson 08 opens the essay planner in its essay exercise (item 4)."""

from __future__ import annotations

import json
import re

import pytest

from course.coursework import prompts as bank
from tests.helpers import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
CALL = re.compile(r'^prompt\("(?P<id>[a-z0-9-]+)"\)$')


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell) -> str:
    return "".join(cell["source"])


def tagged(path) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(cells(path)) if "prompt" in c.get("metadata", {}).get("tags", [])]


def problems(path) -> list[str]:
    """What is wrong with a lesson's prompt cells: one message per defect, naming the cell and the fix."""
    name, found = path.stem, []
    every = cells(path)
    wanted = [p.id for p in bank.load_all().values() if p.lesson == name]
    asked = []
    for i, cell in tagged(path):
        m = CALL.match(source(cell).strip())
        if cell["cell_type"] != "code" or not m or "\n" in source(cell).strip():
            found.append(f'{name} cell {i}: a `prompt` cell must be a code cell of one line prompt("<id>")')
            continue
        asked.append(m["id"])
    untagged = [
        i
        for i, c in enumerate(every)
        if c["cell_type"] == "code" and "prompt(" in source(c) and "prompt" not in c.get("metadata", {}).get("tags", [])
    ]
    found += [f"{name} cell {i}: calls prompt() but is not tagged `prompt`" for i in untagged]
    if sorted(asked) != sorted(wanted):
        found.append(f"{name}: asks {sorted(asked)}, the bank has {sorted(wanted)}; add or remove prompt cells")
    documents = [i for i, c in enumerate(every) if c["cell_type"] == "code" and source(c).startswith("show_document(")]
    section3 = next((i for i, c in enumerate(every) if re.search(r"^## 3\. ", source(c), re.M)), len(every))
    for i, _cell in tagged(path):
        if documents and i < max(documents) and not name.startswith("00"):
            found.append(f"{name} cell {i}: a prompt before the last document; move it after the documents")
        if i > section3 and not name.startswith("00"):
            found.append(f"{name} cell {i}: a prompt after section 3; keep prompts in section 2, Documents")
    setup = next(source(c) for c in every if c["cell_type"] == "code")
    if tagged(path) and not re.search(r"\bprompt\b", setup):
        found.append(f"{name}: the setup cell does not import prompt")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_prompt_of_the_bank_is_asked_once_in_its_lesson(path):
    assert not problems(path)
    if path.stem[:2] != "00":
        assert len(tagged(path)) >= 4


def test_the_check_catches_a_missing_and_a_malformed_prompt_cell(tmp_path):
    path = next(p for p in NOTEBOOKS if p.stem.startswith("02"))
    nb = json.loads(path.read_text(encoding="utf-8"))
    index, first = tagged(path)[0]
    nb["cells"][index]["source"] = [source(first) + "\nprint(1)"]
    del nb["cells"][tagged(path)[1][0]]["metadata"]["tags"]
    broken = tmp_path / path.name
    broken.write_text(json.dumps(nb), encoding="utf-8")
    found = problems(broken)
    assert any("must be a code cell of one line" in m for m in found), found
    assert any("is not tagged `prompt`" in m for m in found), found
    assert any("asks [" in m for m in found), found


def test_lesson_08_opens_the_planner_in_its_essay_exercise_and_every_lesson_01_08_a_picker():
    for path in NOTEBOOKS[1:]:
        calls = [source(c) for c in cells(path) if c["cell_type"] == "code"]
        assert f'evidence_picker("{path.stem}")' in calls, path.stem
    final = NOTEBOOKS[-1]
    every = cells(final)
    planner = next(i for i, c in enumerate(every) if source(c) == "essay_planner()")
    essay = next(
        i
        for i, c in enumerate(every)
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "ex08-2-final-argument"
    )
    exercise = next(i for i, c in enumerate(every) if source(c).startswith("**Exercise 08.2"))
    assert exercise < planner < essay
    assert "essay_planner" in source(next(c for c in every if c["cell_type"] == "code"))
