"""`one-voice progress`: the summary a student reads and the hand-in file an instructor collects."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from course.cli.main import main
from course.coursework import progress


@pytest.fixture
def saved(tmp_path, monkeypatch) -> Path:
    """A progress file with a wrong-then-right answer, a wrong ordering and one unknown question."""
    path = tmp_path / "notebooks" / ".one-voice-progress.json"
    path.parent.mkdir()
    monkeypatch.delenv("ONE_VOICE_PROGRESS", raising=False)
    progress.record("start-cpv-last-troops", "25 October 1958", False, path=path)
    progress.record("start-cpv-last-troops", "26 October 1958", True, path=path)
    progress.record("start-order-events", ["a", "b", "c", "d"], False, path=path)
    progress.record("old-retired-question", "x", True, path=path)
    return path


def test_summary_per_lesson(saved, capsys):
    assert main(["progress", "--file", str(saved)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Self-check progress in {saved}; saved attempts: 4."
    assert "  00-start-here: 2 of 3 questions attempted, 1 correct (latest answer)" in lines
    assert (
        lines[-2] == "  (questions not in this collection's bank): 1 of 1 question attempted, 1 correct (latest answer)"
    )  # ngettext: singular
    assert lines[-1] == "Written answers to document prompts: 0; paragraphs marked as evidence: 0."


def test_default_file_env_then_here_then_notebooks(saved, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ONE_VOICE_NOTEBOOKS", str(saved.parent))
    monkeypatch.chdir(tmp_path)
    assert main(["progress"]) == 0
    assert str(saved) in capsys.readouterr().out
    here = tmp_path / ".one-voice-progress.json"
    progress.record("start-paper-author", "x", False, path=here)
    assert main(["progress"]) == 0
    assert f"in {here}; saved attempts: 1." in capsys.readouterr().out
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(saved))
    assert main(["progress"]) == 0
    assert f"in {saved}; saved attempts: 4." in capsys.readouterr().out


def test_export_csv_has_one_row_per_question(saved, tmp_path, capsys):
    out = tmp_path / "hand-in.csv"
    assert main(["progress", "--file", str(saved), "--export", str(out)]) == 0
    assert capsys.readouterr().out.strip().splitlines() == [
        f"Wrote the essay outline to {out.with_name('hand-in.outline.md')}.",
        f"Wrote 3 questions to {out}.",
        f"Wrote 0 written answers to {out}.",
    ]
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["lesson"], r["question"], r["attempts"], r["correct"]) for r in rows] == [
        ("00-start-here", "start-cpv-last-troops", "2", "True"),
        ("00-start-here", "start-order-events", "1", "False"),
        ("", "old-retired-question", "1", "True"),
    ]
    assert rows[0]["latest_answer"] == "26 October 1958"
    assert json.loads(rows[1]["latest_answer"]) == ["a", "b", "c", "d"]


def test_export_json_keeps_every_attempt(saved, tmp_path):
    out = tmp_path / "hand-in.json"
    assert main(["progress", "--file", str(saved), "--export", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["progress_file"] == str(saved)
    assert [a["answer"] for a in document["attempts"]][:2] == ["25 October 1958", "26 October 1958"]
    start = next(lesson for lesson in document["lessons"] if lesson["lesson"] == "00-start-here")
    assert start == {"lesson": "00-start-here", "questions": 3, "attempted": 2, "correct": 1}


def test_unknown_export_format_is_refused(saved, tmp_path, capsys):
    out = tmp_path / "hand-in.xlsx"
    assert main(["progress", "--file", str(saved), "--export", str(out)]) == 2
    assert "must end in .json or .csv" in capsys.readouterr().err and not out.exists()


def test_missing_file_is_explained(tmp_path, capsys):
    missing = tmp_path / "nowhere.json"
    assert main(["progress", "--file", str(missing)]) == 1
    assert capsys.readouterr().err.startswith(f"No progress file at {missing}")


def test_damaged_file_is_reported_and_left_alone(tmp_path, capsys):
    damaged = tmp_path / ".one-voice-progress.json"
    damaged.write_text("{oops", encoding="utf-8")
    assert main(["progress", "--file", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"The progress file could not be read. {damaged}: it is not valid JSON (Expecting "), err
    assert "Fix: the lessons write this file" in err and err.rstrip().endswith("Nothing was changed.")
    assert damaged.read_text(encoding="utf-8") == "{oops" and len(list(tmp_path.iterdir())) == 1


def test_console_script_has_the_subcommand(saved):
    script = Path(sys.executable).with_name("one-voice")
    result = subprocess.run([str(script), "progress", "--file", str(saved)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "00-start-here: 2 of 3 questions attempted" in result.stdout


@pytest.fixture
def with_answers(saved):
    """The same file plus two written answers (one rewritten), a marked paragraph and a sorted plan."""
    from course.coursework import evidence_bank, prompts

    prompts.save_answer("l02-sourcing-puzanov", "first draft", path=saved)
    prompts.save_answer("l02-sourcing-puzanov", "Puzanov was not there; Kim told him.", path=saved)
    prompts.save_answer("l01-corroboration-nsc-forecast", "The NSC expected the Chinese to stay.", path=saved)
    evidence_bank.mark("puzanov-1957-11-13-b", 4, "C14", "friendly advice", path=saved)
    evidence_bank.save_plan({"answer:l02-sourcing-puzanov": "for"}, "My thesis.", "My counter.", path=saved)
    return saved


def test_summary_counts_answers_and_marks(with_answers, capsys):
    assert main(["progress", "--file", str(with_answers)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Written answers to document prompts: 2; paragraphs marked as evidence: 1."
    )


def test_export_json_includes_the_answers_the_bank_and_the_outline(with_answers, tmp_path):
    out = tmp_path / "hand-in.json"
    assert main(["progress", "--file", str(with_answers), "--export", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [
        (a["lesson"], a["prompt"], a["document"], a["paragraph"], a["claim"], a["text"]) for a in document["answers"]
    ] == [
        (
            "01-balance-of-forces",
            "l01-corroboration-nsc-forecast",
            "frus-1955-57-v23p2-d196-a",
            3,
            "C12",
            "The NSC expected the Chinese to stay.",
        ),
        (
            "02-mao-proposes",
            "l02-sourcing-puzanov",
            "puzanov-1957-11-13-a",
            1,
            "C19",
            "Puzanov was not there; Kim told him.",
        ),
    ]
    assert [(e["excerpt"], e["paragraph"], e["claim"]) for e in document["evidence"]] == [
        ("puzanov-1957-11-13-b", 4, "C14")
    ]
    assert document["plan"] == {
        "sort": {"answer:l02-sourcing-puzanov": "for"},
        "thesis": "My thesis.",
        "counter": "My counter.",
    }
    outline = document["outline"]
    assert "## Thesis\n\nMy thesis." in outline and "## Counter-argument\n\nMy counter." in outline
    assert (
        "- [puzanov-1957-11-13-a ¶1 (lesson 02, Document D)] claim C19; your answer: Puzanov was not there" in outline
    )
    assert "- [puzanov-1957-11-13-b ¶4 (lesson 02, Document E)] claim C14; your note: friendly advice" in outline
    assert "first draft" not in outline
    assert [a["answer"] for a in document["attempts"]][:2] == ["25 October 1958", "26 October 1958"]  # still there


def test_export_csv_adds_answer_rows_and_writes_the_outline_beside_it(with_answers, tmp_path, capsys):
    out = tmp_path / "hand-in.csv"
    assert main(["progress", "--file", str(with_answers), "--export", str(out)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"Wrote 2 written answers to {out}."
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["question"], r["latest_answer"], r["correct"]) for r in rows[-2:]] == [
        ("l01-corroboration-nsc-forecast", "The NSC expected the Chinese to stay.", ""),
        ("l02-sourcing-puzanov", "Puzanov was not there; Kim told him.", ""),
    ]
    outline = out.with_name("hand-in.outline.md").read_text(encoding="utf-8")
    assert outline.startswith("# Essay outline") and "frus-1955-57-v23p2-d196-a ¶3" in outline
