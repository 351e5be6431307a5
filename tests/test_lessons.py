"""The lessons' structure: the anatomy of GUIDE §4, links that resolve, ids and dates that exist in the data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course.catalog import lessons
from course.coursework.selfchecks import load_all
from course.display.cards import cast_html, show_cast
from course.evidence.package import evidence
from course.settings import notebooks_dir
from tests.helpers import REPO

LESSON_PATHS = sorted(notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
TEACHING = [p for p in LESSON_PATHS if not p.name.startswith("00-")]
ANATOMY = [
    "## 1. Context",
    "## 2. Documents",
    "## 3. Explore",
    "## 4. Check your understanding",
    "## 5. Exercise",
    "## Summary",
]
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # the lessons' prose is English
DATE_IN_PROSE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (19\d\d)\b")


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def markdown(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "markdown")


def code(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "code")


def ids(path: Path):
    return [pytest.param(p, id=p.stem) for p in path]


def test_the_sequence_is_complete():
    slugs = [lesson.slug for lesson in lessons()]
    assert slugs == [
        "00-start-here",
        "01-balance-of-forces",
        "02-mao-proposes",
        "03-why-kim-agreed",
        "04-kims-two-plans",
        "05-china-chooses",
        "06-moscow-first",
        "07-where-the-troops-went",
        "08-one-voice-different-intentions",
    ]


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_title_cell_has_question_time_objectives_and_navigation(path):
    first = "".join(cells(path)[0]["source"])
    assert first.startswith(f"# Lesson {path.name[:2]} ·")
    assert re.search(r"\*\*(Central question|The question of the whole collection):?\*\*", first)
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", first) and "**Difficulty:**" in first
    objectives = re.findall(
        r"^- \*\*(explain|source|corroborate|compare|evaluate|contextualise|describe|use|cite|"
        r"identify|weigh|assess|calculate|read)",
        first,
        flags=re.M | re.I,
    )
    assert 3 <= len(objectives) <= 6
    assert "](../README.md)" in first


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_one_setup_cell_of_imports_and_no_definitions(path):
    sources = ["".join(c["source"]) for c in cells(path) if c["cell_type"] == "code"]
    assert all(line.startswith(("from course", "import ")) or not line.strip() for line in sources[0].splitlines())
    for source in sources:
        assert not re.search(r"^\s*(def|class) ", source, flags=re.M), source
        assert "read_csv" not in source and "open(" not in source
        assert len(source.splitlines()) <= 6, source


@pytest.mark.parametrize("path", ids(TEACHING))
def test_anatomy_headings_in_order(path):
    text = markdown(path)
    positions = [text.find(heading) for heading in ANATOMY]
    assert all(p >= 0 for p in positions), [h for h, p in zip(ANATOMY, positions) if p < 0]
    assert positions == sorted(positions)


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_headings_do_not_skip_levels(path):
    levels = [len(m) for m in re.findall(r"^(#+) ", markdown(path), flags=re.M)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_navigation_links_resolve(path):
    for target in re.findall(r"\]\(([^)#\s]+\.(?:ipynb|md))\)", markdown(path)):
        assert (path.parent / target).resolve().exists(), target


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_at_least_three_selfchecks_that_exist(path):
    asked = re.findall(r'check\("([^"]+)"\)', code(path))
    known = set(load_all())
    assert len(asked) >= 3 and set(asked) <= known


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_a_graded_exercise_with_nbgrader_metadata(path):
    graded = [c for c in cells(path) if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert graded and all(c["metadata"]["nbgrader"]["points"] > 0 for c in graded)


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_cited_ids_exist(path):
    ev = evidence()
    text = markdown(path) + code(path)
    sources, events = set(ev.sources.id), set(ev.events.id)
    for cited in re.findall(r'show_source\("([^"]+)"\)', text):
        assert cited in sources, cited
    people = set(ev.people.id)
    for listed in re.findall(r"show_cast\((?:ids=)?\[([^\]]*)\]", text):
        for person in re.findall(r'"([^"]+)"', listed):
            assert person in people, person
    for listed in re.findall(r"show_(?:event|timeline)\((?:ids=)?\[?([^)]*)\)", text):
        for event_id in re.findall(r'"(\d{4}[^"]*)"', listed):
            assert event_id in events, event_id
    for backticked in re.findall(r"`([a-z][a-z0-9]*(?:-[a-z0-9]+){2,})`", markdown(path)):
        assert backticked in sources or backticked in events, backticked
    claims = set(ev.claims.id)
    for claim in re.findall(r"\bC\d{2}\b", markdown(path)):
        assert claim in claims, claim


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_dates_in_prose_are_dates_in_the_data(path):
    ev = evidence()
    known = set(ev.events.date) | set(ev.sources.date.dropna())
    for day, month, year in DATE_IN_PROSE.findall(markdown(path)):
        iso = f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}"
        assert iso in known, f"{day} {month} {year} is not the date of any event or source"


MAP_CALL = re.compile(r'argument_map\((?:lesson=)?(?:"([^"]*)")?\)')


def lessons_whose_claims_are_not_shown(claim_lessons: set[str], code_by_lesson: dict[str, str]) -> set[str]:
    """Lessons that own claims in data/claims.csv but never open the argument map on them.

    A lesson shows its own claims by calling `argument_map(lesson="<its slug>")` or `argument_map()`;
    a later lesson that opens the whole map does not count for them (students of that lesson would
    meet its claims only at the end of the course).
    """
    shown = set()
    for lesson, source in code_by_lesson.items():
        for chosen in MAP_CALL.findall(source):
            shown.add(chosen or lesson)
    return claim_lessons - shown


def test_every_claim_is_shown_in_its_own_lesson():
    codes = {path.stem: code(path) for path in LESSON_PATHS}
    missing = lessons_whose_claims_are_not_shown(set(evidence().claims.lesson), codes)
    assert not missing, sorted(missing)


def test_the_claim_check_catches_a_lesson_that_no_longer_opens_its_map():
    """The planted defect: lesson 03 without its map call is reported, although lesson 08 opens the whole map."""
    codes = {path.stem: code(path) for path in LESSON_PATHS}
    planted = dict(codes, **{"03-why-kim-agreed": codes["03-why-kim-agreed"].replace("argument_map(", "print(")})
    assert "argument_map()" in codes["08-one-voice-different-intentions"]
    assert lessons_whose_claims_are_not_shown(set(evidence().claims.lesson), planted) == {"03-why-kim-agreed"}


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_lessons_do_not_copy_the_paper(path, paper_text):
    paper = re.sub(r"\s+", "", paper_text)
    text = re.sub(r"《[^》]*》", "", re.sub(r"\s+", "", markdown(path)))  # a cited title is not copied prose
    runs = {
        text[i : i + 20] for i in range(max(0, len(text) - 19)) if re.search(r"[\u4e00-\u9fff]{10}", text[i : i + 20])
    }
    copied = [run for run in runs if run in paper]
    assert not copied, copied[:3]


# --- the cast list: one script per name in prose, the other forms one call away -------------------------------


def test_the_cast_gives_every_form_of_a_name_with_its_language_in_the_order_asked():
    people = evidence().people.set_index("id").loc[["puzanov", "kim-il-sung", "tito"]].reset_index()
    page = cast_html(people)
    assert page.index("A. M. Puzanov") < page.index("Kim Il-sung") < page.index("Josip Broz Tito")
    assert "<span lang='ru'>Александр Михайлович Пузанов</span>" in page
    assert "<span lang='ko'>김일성</span>" in page and "<span lang='zh-Hans'>金日成</span>" in page
    assert "<span lang='sr'>Јосип Броз Тито</span>" in page
    assert "<th scope='row'>Kim Il-sung</th>" in page and "<caption>" in page


def test_the_cast_escapes_what_it_shows():
    people = evidence().people.head(1).assign(name_en="<b>Mao</b>", role="a & b")
    page = cast_html(people)
    assert "&lt;b&gt;Mao&lt;/b&gt;" in page and "a &amp; b" in page and "<b>Mao" not in page


def test_an_unknown_person_is_named_with_the_file_and_the_fix():
    with pytest.raises(KeyError) as caught:
        show_cast(["mao-zedong", "kim-il-song"])
    message = str(caught.value)
    assert "kim-il-song" in message and "data/people.csv" in message and "Fix:" in message
    assert "mao-zedong," not in message


@pytest.mark.parametrize("path", ids(LESSON_PATHS))
def test_every_lesson_opens_its_cast(path):
    assert re.search(r"show_cast\(", code(path)), "add a show_cast([...]) cell where the lesson introduces its people"


# --- the § key: our section numbers mapped to the paper's own (unnumbered) headings --------------------------

README = REPO / "README.md"
SECTION_ROW = re.compile(r"^\| §(\d(?:\.\d)?) \| ([^|]+) \| ([^|]+) \|$", flags=re.M)


LANG_SPAN = re.compile(r"<span lang=\"[^\"]+\">([^<]*)</span>")


def section_key(text: str) -> dict[str, tuple[str, str]]:
    """The key's rows, read as text (the lesson tags the Chinese headings with their language)."""
    return {number: (zh.strip(), en.strip()) for number, zh, en in SECTION_ROW.findall(LANG_SPAN.sub(r"\1", text))}


def test_lesson_00_and_the_readme_carry_the_same_section_key():
    key = section_key(markdown(LESSON_PATHS[0]))
    assert len(key) == 18 and {"1", "2", "2.1", "3.3", "7"} <= set(key)
    assert key == section_key(README.read_text(encoding="utf-8"))


def test_every_section_the_lessons_and_the_argument_map_cite_is_in_the_key():
    key = section_key(markdown(LESSON_PATHS[0]))
    for path in LESSON_PATHS:
        cited = set(re.findall(r"§(\d(?:\.\d)?)(?!\d)", markdown(path)))
        assert cited <= set(key), (path.name, sorted(cited - set(key)))
    sections = {s.lstrip("§") for s in evidence().claims.section.dropna()}
    assert sections <= set(key), sorted(sections - set(key))


def test_the_key_gives_the_papers_headings_in_the_papers_order(paper_text):
    paper = paper_text
    key = section_key(markdown(LESSON_PATHS[0]))
    ordered = sorted(key, key=lambda n: tuple(int(p) for p in n.split(".")))
    positions = [paper.find(key[n][0]) for n in ordered]
    assert all(p >= 0 for p in positions), [key[n][0] for n, p in zip(ordered, positions) if p < 0]
    assert positions == sorted(positions)
