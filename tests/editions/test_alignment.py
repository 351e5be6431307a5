"""The alignment matrix in the instructor guide is the one the lessons and banks generate, and it follows them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from course.cli.main import main
from course.editions.alignment import END, START, AlignmentError, block_in, markdown, replace_block, rows
from course.settings import PACKAGE_DIR, ROOT_DIR, notebooks_dir, selfchecks_dir

GUIDE = ROOT_DIR / "docs" / "instructor-guide.md"
PROMPTS = PACKAGE_DIR / "coursework" / "prompts"


def test_the_guide_holds_exactly_the_generated_matrix():
    """Fails when a lesson, a bank or a prompt file changed without `one-voice alignment --write`."""
    text = GUIDE.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert block_in(text) == markdown(rows()), (
        "docs/instructor-guide.md's alignment matrix is out of date: run "
        "`.venv/bin/one-voice alignment --write docs/instructor-guide.md`"
    )


def test_every_lesson_has_a_row_with_its_points():
    items = rows()
    assert [row.lesson.slug for row in items] == [p.stem for p in sorted(notebooks_dir().glob("[0-9][0-9]-*.ipynb"))]
    for row in items:
        nb = json.loads((notebooks_dir() / row.lesson.filename).read_text(encoding="utf-8"))
        points = sum(
            c["metadata"]["nbgrader"]["points"] for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
        )
        assert row.points == points and row.points > 0, row.lesson.slug
        assert row.objectives and row.verbs, row.lesson.slug


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path, Path]:
    folders = []
    for name, source in (("notebooks", notebooks_dir()), ("prompts", PROMPTS), ("banks", selfchecks_dir())):
        shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns(".*"))
        folders.append(tmp_path / name)
    return tuple(folders)


def test_the_matrix_follows_the_lessons_prompts_banks_and_points(copies):
    notebooks, prompts, banks = copies
    before = markdown(rows(notebooks, prompts, banks))
    path = notebooks / "02-mao-proposes.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    title = "".join(nb["cells"][0]["source"])
    nb["cells"][0]["source"] = title.replace("- **compare** the reasons", "- **narrate** the reasons")
    written = next(
        c for c in nb["cells"] if c["cell_type"] == "markdown" and c["metadata"].get("nbgrader", {}).get("grade")
    )
    written["metadata"]["nbgrader"]["points"] = 9
    path.write_text(json.dumps(nb), encoding="utf-8")
    bank = json.loads((banks / "02-mao-proposes.json").read_text(encoding="utf-8"))
    for item in bank:
        item["skill"] = "arithmetic"
    (banks / "02-mao-proposes.json").write_text(json.dumps(bank), encoding="utf-8")
    (prompts / "02-mao-proposes.json").unlink()

    after = markdown(rows(notebooks, prompts, banks))
    assert after != before
    row = next(line for line in after.splitlines() if line.startswith("| 02 |"))
    assert "contextualise, source, narrate, corroborate, evaluate" in row
    assert "02.2 (9, written)" in row and "1 + 9 = 10 |" in row
    arithmetic = next(line for line in after.splitlines() if line.startswith("| Arithmetic |"))
    assert arithmetic.split("|")[4].strip() == f"0 / {len(bank)}"  # column 02: no prompts left, every check arithmetic
    sourcing = next(line for line in after.splitlines() if line.startswith("| Sourcing |"))
    assert sourcing.split("|")[4].strip() == "–"


def test_an_objective_without_a_bold_verb_names_the_file(copies):
    notebooks, prompts, banks = copies
    path = notebooks / "03-why-kim-agreed.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "".join(nb["cells"][0]["source"]).replace("- **explain** the KWP", "- explain the KWP")
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(
        AlignmentError, match=r"03-why-kim-agreed\.ipynb: the objective \"explain the KWP.*no verb in bold"
    ):
        rows(notebooks, prompts, banks)


def test_the_command_rewrites_only_the_block_between_the_markers(tmp_path: Path, capsys):
    guide = tmp_path / "guide.md"
    guide.write_text(f"# Guide\n\nBefore.\n\n{START}\n| stale | table |\n{END}\n\nAfter.\n", encoding="utf-8")
    assert main(["alignment", "--write", str(guide)]) == 0
    text = guide.read_text(encoding="utf-8")
    assert text.startswith("# Guide\n\nBefore.\n\n") and text.endswith(f"{END}\n\nAfter.\n")
    assert block_in(text) == markdown(rows()) and "stale" not in text
    assert capsys.readouterr().out == f"Alignment matrix in {guide} updated (9 lessons).\n"


def test_a_file_without_markers_is_refused_with_the_fix(tmp_path: Path, capsys):
    guide = tmp_path / "guide.md"
    guide.write_text("# Guide without markers\n", encoding="utf-8")
    assert main(["alignment", "--write", str(guide)]) == 1
    err = capsys.readouterr().err
    assert f"{guide}: the alignment markers are missing" in err and START in err
    assert guide.read_text(encoding="utf-8") == "# Guide without markers\n"
    with pytest.raises(AlignmentError):
        replace_block(f"{END}\n{START}\n", "x", guide)  # markers in the wrong order
