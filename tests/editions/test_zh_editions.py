"""The Chinese editions: `one-voice build --lang zh_Hans` and `one-voice links --lang zh_Hans`.

The Chinese lessons are built for these tests into a scratch folder (never into notebooks/zh) from the
English lessons and the shipped catalogue, lessons.po: a message the translators have not finished is
given a stand-in written the way the translators write (“第04课”, “练习04.1”, “（1分”, “[目录]”), marked
【译】 at its end, so every lesson can be built whatever the state of the catalogue. Each edition is then built as an
instructor would, and the tests read what a student or an instructor would see.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import warnings
from pathlib import Path

import nbformat
import pytest

from course.catalog import Lesson
from course.cli.main import main
from course.editions import translation
from course.editions.build import BuildError, build, in_language
from course.editions.config import load_config
from course.editions.lesson_edits import Patterns, link_lessons
from course.editions.student import EditionWarning, prepare
from course.settings import ROOT_DIR

ENGLISH = ROOT_DIR / "notebooks"
MARK = "【译】"
# How the translators write what the editions rewrite (see lessons.po): the stand-ins follow them.
STAND_INS = [
    (re.compile(r"\bLessons (\d{2})–(\d{2})\b"), r"第\1—\2课"),
    (re.compile(r"\bLessons (\d{2}) and (\d{2})\b"), r"第\1课和第\2课"),
    (re.compile(r"\bLesson (\d{2})\b"), r"第\1课"),
    (re.compile(r"\bExercise (\d{2})\."), r"练习\1."),
    (re.compile(r"\((\d+(?:\.\d+)?) points?"), r"（\1分"),
    (re.compile(r"\[Contents\]\(\.\./README\.md\)"), "[目录](../README.md)"),
]


def stand_in(english: str) -> str:
    for pattern, chinese in STAND_INS:
        english = pattern.sub(chinese, english)
    return english + MARK


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    """A copy of the English lessons with their Chinese lessons in notebooks/zh, built from lessons.po."""
    root = tmp_path_factory.mktemp("zh-collection")
    folder = root / "notebooks"
    folder.mkdir()
    for path in translation.lesson_paths(ENGLISH):
        shutil.copy(path, folder / path.name)
    po = root / "lessons.po"
    shutil.copy(translation.po_path("zh_Hans"), po)
    translation.update("zh_Hans", folder, pot=root / "lessons.pot", po=po)
    catalog = translation.read_catalog(po, "zh_Hans")
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = stand_in(message.id)
            message.flags.discard("fuzzy")
    translation._write(catalog, po)
    outcomes = translation.build("zh_Hans", folder, po=po)
    assert all(outcome.written for outcome in outcomes), [o.missing[:2] for o in outcomes if not o.written]
    return folder


@pytest.fixture
def chinese(collection, monkeypatch) -> Path:
    """The scratch collection as notebooks/ (English) with notebooks/zh; the caller's interface in English."""
    monkeypatch.setenv("ONE_VOICE_NOTEBOOKS", str(collection))
    monkeypatch.delenv("ONE_VOICE_LANG", raising=False)
    return collection


def zh_lesson(collection: Path, stem: str):
    return nbformat.read(collection / "zh" / f"{stem}.ipynb", as_version=4)


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "course.yml"
    path.write_text(text, encoding="utf-8")
    return path


TWO_LESSONS = """\
title: 朝鲜撤军，1958
introduction: 两课，一周。
lessons:
  - kims-two-plans
  - slug: china-chooses
    points: {ex05-1-gain-loss: 8}
    due: 2026-03-06
"""


def markdown(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


# --- the patterns the edits read, in Chinese ------------------------------------------------------------------


def lesson(number: str, slug: str, title: str) -> Lesson:
    return Lesson.from_metadata(
        {"title": title, "question": "?", "minutes": 60, "difficulty": "x"}, slug=f"{number}-{slug}", number=number
    )


def test_chinese_mentions_of_lessons_are_renumbered_or_said_to_be_left_out(monkeypatch):
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    collection = {
        "02": lesson("02", "mao-proposes", "毛泽东提议"),
        "03": lesson("03", "why-kim-agreed", "金日成为何同意"),
        "04": lesson("04", "kims-two-plans", "金日成的两个方案"),
    }
    edition = {
        "why-kim-agreed": lesson("00", "why-kim-agreed", "金日成为何同意"),
        "kims-two-plans": lesson("01", "kims-two-plans", "金日成的两个方案"),
    }
    nb = nbformat.v4.new_notebook(metadata={"one_voice": {"language": "zh_Hans"}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 第04课 · 金日成的两个方案"),
        nbformat.v4.new_markdown_cell(
            "原则上同意（第03课）后回国。学过第04课（金日成的两个方案）会有帮助。"
            "毛泽东道歉（[第02课](02-mao-proposes.ipynb)），见[第03课](03-why-kim-agreed.ipynb)。"
        ),
    ]
    gone = link_lessons(nb, edition, collection)
    assert nb.cells[0].source == "# 第04课 · 金日成的两个方案"  # the title is renumber()'s business
    assert nb.cells[1].source == (
        "原则上同意（第00课）后回国。学过第01课（金日成的两个方案）会有帮助。"
        "毛泽东道歉（“毛泽东提议”一课，不在本课程中），见[第00课 · 金日成为何同意](00-why-kim-agreed.ipynb)。"
    )
    assert [lesson.slug for lesson in gone] == ["02-mao-proposes"]


def test_a_chinese_range_of_lessons_keeps_what_is_left_of_it(monkeypatch):
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    names = ["start-here", "balance-of-forces", "mao-proposes", "why-kim-agreed"]
    collection = {f"{n:02d}": lesson(f"{n:02d}", slug, slug) for n, slug in enumerate(names)}
    edition = {"balance-of-forces": lesson("00", "balance-of-forces", "b"), "why-kim-agreed": lesson("01", "x", "w")}
    nb = nbformat.v4.new_notebook(metadata={"one_voice": {"language": "zh_Hans"}})
    nb.cells = [nbformat.v4.new_markdown_cell("需要：第01—03课。")]
    link_lessons(nb, edition, collection)
    assert nb.cells[0].source == "需要：第00—01课。"


def test_the_patterns_follow_the_language_of_the_lesson_not_of_the_interface(monkeypatch):
    monkeypatch.setenv("ONE_VOICE_LANG", "en")
    translated = nbformat.v4.new_notebook(metadata={"one_voice": {"language": "zh_Hans"}})
    chinese = Patterns.of(translated)
    assert chinese.title_number.search('<div lang="zh-Hans">\n\n# 第05课 · 中国的选择')
    assert chinese.points.search("**练习05.1（6分，书面作答）。**")["open"] == "（"
    assert chinese.exercise.format(number="05") == "练习05."
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    english = Patterns.of(nbformat.v4.new_notebook(metadata={"one_voice": {}}))
    assert english.title_number.search("# Lesson 05 · China chooses")
    assert not english.reference.search("学过第04课")
    assert english.reference.search("Lessons 02 and 03")["numbers"] == "02 and 03"


# --- the editions --------------------------------------------------------------------------------------------


def test_the_instructor_edition_is_the_chinese_course_renumbered(chinese, tmp_path):
    out = tmp_path / "instructor"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EditionWarning)
        build("instructor", out, config(tmp_path, TWO_LESSONS), language="zh_Hans")
    first = nbformat.read(out / "source" / "00-kims-two-plans" / "00-kims-two-plans.ipynb", as_version=4)
    second = nbformat.read(out / "source" / "01-china-chooses" / "01-china-chooses.ipynb", as_version=4)
    title = first.cells[0].source
    assert title.startswith('<div lang="zh-Hans">\n\n# 第00课 · ')
    assert first.metadata.one_voice.title == zh_lesson(chinese, "04-kims-two-plans").metadata.one_voice.title
    nav = next(line for line in second.cells[0].source.splitlines() if "README.md" in line)
    assert nav.startswith("[← 第00课 · ") and "](00-kims-two-plans.ipynb)" in nav
    assert "[目录](../../README.md)" in nav  # from notebooks/zh, two levels up
    assert "截止日期：** 2026年3月6日" in second.cells[0].source
    text = markdown(second)
    assert "练习01.1（8分" in text and "练习05." not in text  # the new number, the config's points
    assert "第04课" not in text and "第01课" not in second.cells[0].source.split("\n# ")[0]
    assert "（不在本课程中）" in text or "不在本课程中" in text  # lesson 02, left out, in plain Chinese
    assert "](02-mao-proposes.ipynb)" not in text
    assert "BEGIN SOLUTION" in "\n".join(cell.source for cell in second.cells)  # the keys are merged
    rubrics = (out / "rubrics.md").read_text(encoding="utf-8")
    assert "## 第00课 · " in rubrics and "参考答案" in rubrics  # headings and labels in Chinese
    left_out = [str(w.message) for w in caught if issubclass(w.category, EditionWarning)]
    assert any("mao-proposes" in message and "本课程没有选这一课" in message for message in left_out)


def test_the_student_edition_keeps_the_chinese_lessons_in_notebooks_zh_and_runs_them_in_chinese(chinese, tmp_path):
    out = tmp_path / "student"
    course = config(tmp_path, "title: 第一周\nintroduction: 从这里开始。\nlessons:\n  - start-here\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EditionWarning)  # start-here mentions every lesson left out
        build("student", out, course, language="zh_Hans")
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("notebooks/**/*.ipynb")) == [
        "notebooks/zh/00-start-here.ipynb"
    ]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 第一周") and "## 课程地图" in readme and "## 如何运行课程" in readme
    assert "](notebooks/zh/00-start-here.ipynb)" in readme and "jupyter lab notebooks/zh/" in readme
    nb = nbformat.read(out / "notebooks" / "zh" / "00-start-here.ipynb", as_version=4)
    # the kernel ran in notebooks/zh, so the course map cell (code shared with English) answered in Chinese
    shown = json.dumps([cell.get("outputs", []) for cell in nb.cells if cell.cell_type == "code"], ensure_ascii=False)
    assert "核心问题" in shown and "Central question" not in shown
    assert zh_lesson(chinese, "00-start-here").metadata.one_voice.title in re.sub(r"<[^>]+>", "", shown)
    assert "href='00-start-here.ipynb'" in shown and "balance-of-forces" not in shown  # this course's map
    links = re.findall(r"\]\(([^)#\s]+)", markdown(nb))
    relative = [link for link in links if not re.match(r"^[a-z]+:", link)]
    assert relative and all((out / "notebooks" / "zh" / link).exists() for link in relative), relative


def test_the_reader_edition_is_marked_chinese(chinese, tmp_path):
    out = tmp_path / "reader"
    build("reader", out, language="zh_Hans")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in index and "核心问题" in index
    page = (out / "03-why-kim-agreed.html").read_text(encoding="utf-8")
    assert re.search(r"<html lang=[\"']zh-Hans[\"']>", page)
    assert "跳到课文" in page and "全部课程" in page and "Skip to the lesson" not in page
    title = zh_lesson(chinese, "03-why-kim-agreed").metadata.one_voice.title
    assert re.search(r"<h1[^>]*>[^<]*" + re.escape(title.split(" · ")[-1][:6]), page)
    assert 'href="index.html"' in page and "README.md" not in page  # the contents link, from notebooks/zh


def test_the_packet_edition_prints_the_chinese_course(chinese, tmp_path):
    from course.editions.packet import printer_problem

    if printer_problem():
        pytest.skip(printer_problem())
    from pypdf import PdfReader

    out = tmp_path / "packet"
    course = config(tmp_path, "title: 朝鲜撤军\nintroduction: 一课。\nlessons:\n  - china-chooses\n")
    build("packet", out, course, language="zh_Hans")
    assert sorted(path.name for path in out.iterdir()) == ["00-china-chooses.pdf"]
    text = " ".join(page.extract_text() for page in PdfReader(out / "00-china-chooses.pdf").pages)
    text = unicodedata.normalize("NFKC", text)  # the PDF's CJK radicals (⽂) read back as the characters (文)
    assert "第00课 · 中国的选择" in text and "核心问题" in text and "姓名" in text and "史料" in text
    assert "Central question" not in text and "Name:" not in text


def test_a_build_in_chinese_needs_the_chinese_lessons(tmp_path, monkeypatch):
    empty = tmp_path / "notebooks"
    empty.mkdir()
    for path in translation.lesson_paths(ENGLISH):
        shutil.copy(path, empty / path.name)
    monkeypatch.setenv("ONE_VOICE_NOTEBOOKS", str(empty))
    with pytest.raises(BuildError, match="translate build --lang zh_Hans"):
        build("reader", tmp_path / "out", language="zh_Hans")
    assert not (tmp_path / "out").exists()
    with pytest.raises(BuildError, match="fr"):
        build("reader", tmp_path / "out", language="fr")


def test_a_chinese_lesson_loses_the_same_self_checks_exercises_and_sections_as_the_english(chinese, tmp_path):
    course = config(
        tmp_path,
        "title: t\nintroduction: i\nlessons:\n  - {slug: china-chooses, selfchecks: off, exercises: off}\n",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EditionWarning)
        (english,) = prepare(load_config(course))
        with in_language("zh_Hans"):
            (item,) = prepare(load_config(course))
    original = zh_lesson(chinese, "05-china-chooses")
    assert "## 5. 练习" in markdown(original) and any("nbgrader" in cell.metadata for cell in original.cells)
    assert [cell.id for cell in item.nb.cells] == [cell.id for cell in english.nb.cells]
    assert len(item.nb.cells) < len(original.cells)
    numbers = [re.findall(r"^## (\d+)\. ", markdown(nb), flags=re.M) for nb in (item.nb, english.nb)]
    assert numbers[0] == numbers[1] == [str(n) for n in range(1, len(numbers[0]) + 1)]
    assert "## 5. 练习" not in markdown(item.nb) and not any("nbgrader" in cell.metadata for cell in item.nb.cells)
    assert not any("self_check(" in cell.source for cell in item.nb.cells if cell.cell_type == "code")


def test_a_lesson_not_translated_yet_is_still_known_to_the_references(collection, tmp_path, monkeypatch):
    partial = tmp_path / "notebooks"
    shutil.copytree(collection, partial)
    (partial / "zh" / "02-mao-proposes.ipynb").unlink()  # lessons.po not finished for it
    monkeypatch.setenv("ONE_VOICE_NOTEBOOKS", str(partial))
    with in_language("zh_Hans"), warnings.catch_warnings():
        warnings.simplefilter("ignore", EditionWarning)
        built = prepare(load_config(config(tmp_path, TWO_LESSONS)))
    text = markdown(built[1].nb)
    assert "](02-mao-proposes.ipynb)" not in text and "“Mao proposes: one offer, two explanations”一课" in text


def test_the_build_leaves_the_interface_as_it_found_it(chinese, tmp_path):
    course = config(tmp_path, TWO_LESSONS)
    with in_language("zh_Hans"):
        built = prepare(load_config(course))
    import os

    assert "ONE_VOICE_LANG" not in os.environ and os.environ["ONE_VOICE_NOTEBOOKS"] == str(chinese)
    assert [item.choice.notebook.parent.name for item in built] == ["zh", "zh"]


# --- launching ------------------------------------------------------------------------------------------------


def test_links_open_the_chinese_lessons(chinese, capsys):
    code = main(
        [
            "links",
            "--lang",
            "zh_Hans",
            "--repo",
            "https://github.com/owner/one-voice",
            "--hub",
            "https://hub.example.edu",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "urlpath=lab/tree/notebooks/zh/00-start-here.ipynb" in out  # Binder
    assert "urlpath=lab%2Ftree%2Fone-voice%2Fnotebooks%2Fzh%2F00-start-here.ipynb" in out  # nbgitpuller
    main(["links", "--lang", "zh_Hans", "--repo", "https://github.com/owner/one-voice", "--lesson", "05-china-chooses"])
    assert "notebooks/zh/05-china-chooses.ipynb" in capsys.readouterr().out
    main(["links", "--repo", "https://github.com/owner/one-voice"])
    english = capsys.readouterr().out
    assert "notebooks/00-start-here.ipynb" in english and "notebooks/zh" not in english
