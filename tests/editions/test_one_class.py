"""examples/one-class.yml: a 75-minute edition whose lessons' prerequisites all hold, built by a command that
prints nothing but its summary (no kernel chatter, no warnings), with a progress bar only on a terminal."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.cli.main import main
from course.editions.build import BuildError, build
from course.editions.config import load_config
from course.editions.student import prepare
from course.settings import ROOT_DIR

ONE_CLASS = ROOT_DIR / "examples" / "one-class.yml"
EXAMPLE = ROOT_DIR / "examples" / "course.yml"
ONE_VOICE = Path(sys.executable).parent / "one-voice"


def test_every_lesson_of_the_one_class_edition_has_what_it_builds_on_before_it():
    built = prepare(load_config(ONE_CLASS))
    assert [item.choice.slug for item in built] == ["start-here", "moscow-first"]
    assert sum(item.lesson.minutes for item in built[1:]) <= 80  # one class, with Lesson 00 done before it
    for index, item in enumerate(built):
        before = {earlier.choice.slug for earlier in built[:index]}
        assert set(item.lesson.requires) <= before, (item.choice.slug, item.lesson.requires)
    assert load_config(ONE_CLASS).strict


def test_the_build_prints_only_its_summary_and_the_lessons_ran(tmp_path: Path):
    """The command as an instructor runs it (output not a terminal: no bar). Lessons are executed, so the kernel's
    "[IPKernelApp] WARNING | Kernel is running over TCP without encryption" would show here if it came back."""
    out = tmp_path / "one-class"
    result = subprocess.run(
        [str(ONE_VOICE), "build", "--config", str(ONE_CLASS), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        f"Wrote the student collection (2 lessons) to {out}. Students open notebooks/ after "
        "`pip install -e .` there, or launch it on Binder.\n"
    )
    executed = [nbformat.read(path, as_version=4) for path in sorted((out / "notebooks").glob("*.ipynb"))]
    assert len(executed) == 2
    for nb in executed:
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        assert code and all(cell.execution_count for cell in code)
    assert "Lesson 01 · Moscow first" in executed[1].cells[0].source


def test_a_missing_prerequisite_stops_a_strict_build_and_names_the_lessons(tmp_path: Path):
    config = tmp_path / "one-class.yml"
    config.write_text(
        ONE_CLASS.read_text(encoding="utf-8").replace("  - moscow-first\n", "  - moscow-first\n  - kims-two-plans\n"),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as error:
        build("student", tmp_path / "out", config)
    assert "02-kims-two-plans.ipynb builds on why-kim-agreed, which this course leaves out." in str(error.value)
    assert "strict: on" in str(error.value)
    assert not (tmp_path / "out").exists()


def test_strict_on_the_command_line_refuses_what_the_example_only_warns_about(tmp_path: Path, capsys):
    assert (
        main(
            [
                "build",
                "--edition",
                "instructor",
                "--config",
                str(EXAMPLE),
                "--strict",
                "--out",
                str(tmp_path / "strict"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("The build stopped; nothing was written.")
    assert "08-one-voice-different-intentions.ipynb builds on kims-two-plans, which this course leaves out." in err
    assert not (tmp_path / "strict").exists()
    assert main(["build", "--edition", "instructor", "--config", str(EXAMPLE), "--out", str(tmp_path / "lax")]) == 0
    assert "Warning: 08-one-voice-different-intentions.ipynb builds on kims-two-plans" in capsys.readouterr().err


def bar_output(terminal: bool, tmp_path: Path) -> str:
    from rich.console import Console

    from course.cli.editions import Bar

    stream = io.StringIO()
    with Bar(Console(file=stream, force_terminal=terminal, width=100)) as bar:
        build("instructor", tmp_path / ("t" if terminal else "f"), steps=bar)
    return stream.getvalue()


def test_the_progress_bar_counts_the_lessons_on_a_terminal_and_is_silent_elsewhere(tmp_path: Path):
    shown = bar_output(True, tmp_path)
    assert "9/9" in shown and "08-one-voice-different-intentions.ipynb" in shown
    assert bar_output(False, tmp_path) == ""


def test_quiet_references_are_still_rewritten_but_not_warned_about(tmp_path: Path):
    import warnings

    from course.editions.build import EditionWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", EditionWarning)
        built = prepare(load_config(ONE_CLASS))
    text = "\n".join(cell.source for cell in built[1].nb.cells if cell.cell_type == "markdown")
    assert "(not part of this course)" in text or ", not part of this course" in text
    loud = tmp_path / "loud.yml"
    loud.write_text(
        ONE_CLASS.read_text(encoding="utf-8").replace("left_out_references: quiet", "left_out_references: warn"),
        encoding="utf-8",
    )
    with pytest.warns(EditionWarning, match="01-moscow-first.ipynb refers to lesson 05 of the collection"):
        prepare(load_config(loud))


@pytest.mark.parametrize("edition", ["student", "instructor", "reader", "packet"])
def test_every_edition_prints_only_its_one_line_summary(tmp_path: Path, edition: str):
    if edition == "packet":
        from course.editions.packet import printer_problem

        if printer_problem():
            pytest.skip(printer_problem())
    out = tmp_path / edition
    result = subprocess.run(
        [str(ONE_VOICE), "build", "--edition", edition, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("Wrote the ") and str(out) in result.stdout
    assert "(9 lessons" in result.stdout and any(out.iterdir())
