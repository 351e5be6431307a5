"""Each lesson plan in docs/lessons/ matches its notebook: the minute-by-minute table runs from 0 without gaps or
overlaps and ends at the lesson's stated time (notebook metadata one_voice.minutes), and the plan names every
"Your turn" prompt of the lesson (course/coursework/prompts/<slug>.json)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLUGS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
ROW = re.compile(r"^\|\s*(\d+)\s*[–-]\s*(\d+)\s*\|")


def stated_minutes(slug):
    meta = json.loads((ROOT / "notebooks" / f"{slug}.ipynb").read_text(encoding="utf-8"))["metadata"]
    return meta["one_voice"]["minutes"]


def minute_table(plan):
    """(heading minutes, [(start, end), ...]) of the plan's "### Minute by minute (N minutes)" table."""
    text = plan.read_text(encoding="utf-8")
    m = re.search(r"^### Minute by minute \((\d+) minutes\)\n(.*?)(?=^#|\Z)", text, re.M | re.S)
    assert m, f"{plan}: no '### Minute by minute (N minutes)' section; add one with a | start–end | table"
    matches = (ROW.match(line) for line in m.group(2).splitlines())
    rows = [(int(x.group(1)), int(x.group(2))) for x in matches if x]
    assert rows, f"{plan}: the minute-by-minute section has no '| start–end |' rows"
    return int(m.group(1)), rows


def test_every_lesson_has_a_plan():
    assert len(SLUGS) == 9
    missing = [s for s in SLUGS if not (ROOT / "docs" / "lessons" / f"{s}.md").exists()]
    assert not missing, f"no plan in docs/lessons/ for {missing}"


@pytest.mark.parametrize("slug", SLUGS)
def test_minute_table_sums_to_stated_time(slug):
    plan = ROOT / "docs" / "lessons" / f"{slug}.md"
    minutes = stated_minutes(slug)
    heading, rows = minute_table(plan)
    assert heading == minutes, f"{plan}: heading says {heading} minutes, the notebook's metadata {minutes}"
    assert rows[0][0] == 0, f"{plan}: the table starts at minute {rows[0][0]}, not 0"
    for (a, b), (c, d) in zip(rows, rows[1:]):
        assert b == c, f"{plan}: row {a}–{b} is followed by {c}–{d} (gap or overlap)"
    for a, b in rows:
        assert b > a, f"{plan}: row {a}–{b} is empty or runs backwards"
    assert sum(b - a for a, b in rows) == minutes, (
        f"{plan}: the rows add up to {sum(b - a for a, b in rows)} minutes, the lesson states {minutes}"
    )
    head = plan.read_text(encoding="utf-8")[:600]
    assert re.search(rf"·\s+{minutes} minutes", head), f"{plan}: the header line does not say {minutes} minutes"


@pytest.mark.parametrize("slug", SLUGS)
def test_plan_names_every_prompt(slug):
    plan = ROOT / "docs" / "lessons" / f"{slug}.md"
    ids = [p["id"] for p in json.loads((ROOT / "course" / "coursework" / "prompts" / f"{slug}.json").read_text())]
    assert ids, f"course/coursework/prompts/{slug}.json has no prompts"
    text = plan.read_text(encoding="utf-8")
    missing = [i for i in ids if i not in text]
    assert not missing, f"{plan}: prompts not named in the plan: {missing}"
