"""The progress file: saved at once, safe with two kernels, and never lost when damaged."""

from __future__ import annotations

import json
import multiprocessing
import warnings
from pathlib import Path

import pytest

from course.coursework import progress


@pytest.fixture
def progress_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "lesson" / ".one-voice-progress.json"
    path.parent.mkdir()
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(path))
    return path


def test_record_latest_and_attempts(progress_file):
    assert progress.attempts() == [] and progress.latest("q1") is None
    assert list(progress_file.parent.iterdir()) == [], "looking must not create files"
    progress.record("q1", "25 October 1958", False)
    progress.record("q2", ["a", "b"], True)
    progress.record("q1", "26 October 1958", True)
    assert [a["question"] for a in progress.attempts()] == ["q1", "q2", "q1"]
    latest = progress.latest("q1")
    assert latest["answer"] == "26 October 1958" and latest["correct"] is True
    assert latest["time"].endswith("+00:00")
    saved = json.loads(progress_file.read_text(encoding="utf-8"))
    assert saved["version"] == 2 and saved["attempts"][1] == {
        **saved["attempts"][1],
        "answer": ["a", "b"],
        "correct": True,
    }


def test_default_file_is_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("ONE_VOICE_PROGRESS", raising=False)
    monkeypatch.chdir(tmp_path)
    progress.record("q1", "x", False)
    assert (tmp_path / ".one-voice-progress.json").exists()
    assert progress.progress_path() == tmp_path / ".one-voice-progress.json"


def test_no_temporary_files_are_left_behind(progress_file):
    for n in range(5):
        progress.record("q", n, False)
    names = sorted(p.name for p in progress_file.parent.iterdir())
    assert names == [".one-voice-progress.json", ".one-voice-progress.json.lock"]


def test_works_without_fcntl(progress_file, monkeypatch):
    monkeypatch.setattr(progress, "fcntl", None)
    progress.record("q", "a", True)
    assert progress.latest("q")["answer"] == "a"
    assert not progress_file.with_name(progress_file.name + ".lock").exists()


def _write_many(path: str, writer: str, count: int, start) -> None:
    start.wait()
    for n in range(count):
        progress.record(f"{writer}-{n}", n, n % 2 == 0, path=path)


def test_two_kernels_writing_at_once_lose_nothing(progress_file):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [context.Process(target=_write_many, args=(str(progress_file), name, 200, start)) for name in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    saved = json.loads(progress_file.read_text(encoding="utf-8"))
    questions = [a["question"] for a in saved["attempts"]]
    assert len(questions) == 400
    for name in ("a", "b"):
        assert [q for q in questions if q.startswith(name)] == [f"{name}-{n}" for n in range(200)]


@pytest.mark.parametrize(
    "content, place",
    [
        (b'{"attempts": [', ": it is not valid JSON (Expecting value: line 1 column 15"),
        (b"", ": it is not valid JSON (Expecting value: line 1 column 1"),
        (b"\xff\xfe{\x00", ": it is not UTF-8 text."),
        (b'[{"question": "q"}]', ': the value [{"question": "q"}] is not an object in curly brackets.'),
        (b'{"answers": []}', ', key attempts: the key "attempts" is missing.'),
        (b'{"attempts": [{"question": "q", "answer": 1}]}', ', key attempts[0].correct: the key "correct" is missing.'),
        (
            b'{"attempts": [{"question": "q", "answer": 1, "correct": "yes", "time": "t"}]}',
            ', key attempts[0].correct: the value "yes" is not true or false.',
        ),
    ],
)
def test_a_damaged_file_is_kept_reported_and_replaced(progress_file, content, place):
    progress_file.write_bytes(content)
    with pytest.warns(progress.ProgressFileWarning) as caught:
        progress.record("q1", "new", True)
    kept = [p for p in progress_file.parent.iterdir() if ".corrupt-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == content
    message = str(caught[0].message)
    assert message.startswith(f"The self-check progress file could not be read. {progress_file}{place}"), message
    assert message.endswith(
        f" It was kept as {kept[0]} and a fresh progress file was started; earlier answers are in the kept file."
    ), message
    assert [a["answer"] for a in progress.attempts()] == ["new"]


def test_reading_a_damaged_file_also_sets_it_aside_once(progress_file):
    progress_file.write_text("not json", encoding="utf-8")
    with pytest.warns(progress.ProgressFileWarning):
        assert progress.latest("q1") is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert progress.attempts() == []
    assert len(list(progress_file.parent.glob("*.corrupt-*"))) == 1


def test_read_reports_damage_without_moving_the_file(progress_file):
    progress_file.write_text("[]", encoding="utf-8")
    with pytest.raises(progress.ProgressFileError) as caught:
        progress.read(progress_file)
    assert str(caught.value) == (
        f"{progress_file}: the value [] is not an object in curly brackets. Fix: the lessons "
        "write this file, not people: move it aside (it still holds the saved answers) and the "
        "next checked answer starts a fresh one."
    )
    assert progress_file.read_text(encoding="utf-8") == "[]"
