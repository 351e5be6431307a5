"""The translation machinery: lessons cut into messages, merged catalogues, and built translated lessons."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from course.editions import translation
from course.settings import notebooks_dir
from tests.zh_checks import cell_shape

LESSONS = translation.lesson_paths()


def _flat(text: str) -> str:
    """Markdown as rendered text sees it: line breaks inside a paragraph are spaces."""
    return re.sub(r"\s+", " ", re.sub(r"\n\s*>\s*", " ", text)).strip()


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_markdown_cell_is_cut_into_messages_and_put_back_whole(path):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            assert _flat(translation.assemble(translation.segments(source), str)) == _flat(source), cell["id"]


def test_a_cell_is_cut_by_paragraph_list_item_heading_and_table_row():
    source = (
        "## 2. Documents\n\nFirst paragraph,\nwrapped.\n\n- one item\n  continued\n- two\n\n"
        "| § | heading |\n|---|---|\n| §1 | Background |"
    )
    pieces = translation.segments(source)
    assert [p.text for p in pieces] == [
        "2. Documents",
        "First paragraph, wrapped.",
        "one item continued",
        "two",
        "| § | heading |",
        None,
        "| §1 | Background |",
    ]
    shout = translation.assemble(pieces, str.upper)
    assert shout.startswith("## 2. DOCUMENTS\n\nFIRST PARAGRAPH, WRAPPED.\n\n- ONE ITEM CONTINUED\n- TWO")
    assert "\n|---|---|\n" in shout


@pytest.fixture
def lessons_copy(tmp_path: Path) -> Path:
    """Two lessons in a scratch folder, with their own template and catalogue."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for path in LESSONS[:2]:
        shutil.copy(path, folder / path.name)
    return folder


def _translate_all(po: Path, mark: str = "【译】") -> None:
    catalog = translation.read_catalog(po, "zh_Hans")
    for message in catalog:
        if message.id:
            message.string = mark + message.id
            message.flags.discard("fuzzy")
    translation._write(catalog, po)


def test_a_complete_catalogue_builds_lessons_that_keep_every_code_cell_id_and_tag(lessons_copy, tmp_path):
    po = tmp_path / "lessons.po"
    translation.update("zh_Hans", lessons_copy, pot=tmp_path / "lessons.pot", po=po)
    _translate_all(po)
    outcomes = translation.build("zh_Hans", lessons_copy, po=po)
    assert [o.missing for o in outcomes] == [[], []]
    for outcome in outcomes:
        english = json.loads((lessons_copy / f"{outcome.slug}.ipynb").read_text(encoding="utf-8"))
        chinese = json.loads(outcome.written.read_text(encoding="utf-8"))
        assert outcome.written.parent.name == "zh"

        assert cell_shape(chinese) == cell_shape(english)
        assert not any("execution" in c["metadata"] for c in chinese["cells"])
        assert [c["source"] for c in chinese["cells"] if c["cell_type"] == "code"] == [
            c["source"] for c in english["cells"] if c["cell_type"] == "code"
        ]
        first = "".join(chinese["cells"][0]["source"])
        assert first.startswith('<div lang="zh-Hans">') and "【译】" in first
        assert chinese["metadata"]["one_voice"]["title"].startswith("【译】")
        assert chinese["metadata"]["one_voice"]["language"] == "zh_Hans"


def test_links_out_of_the_lessons_folder_climb_one_level_and_lesson_links_stay():
    text = "[README](../README.md) · [next](01-balance-of-forces.ipynb) · [data](../data/FORCES.md#cpv) · [web](https://x.org)"
    assert translation._relink(text) == (
        "[README](../../README.md) · [next](01-balance-of-forces.ipynb) · [data](../../data/FORCES.md#cpv) · "
        "[web](https://x.org)"
    )


def test_a_changed_english_paragraph_becomes_fuzzy_and_stops_its_lesson(lessons_copy, tmp_path):
    po, pot = tmp_path / "lessons.po", tmp_path / "lessons.pot"
    translation.update("zh_Hans", lessons_copy, pot=pot, po=po)
    _translate_all(po)
    changed = lessons_copy / LESSONS[1].name
    notebook = json.loads(changed.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "markdown" and len("".join(c["source"])) > 200)
    cell["source"] = ["".join(cell["source"]).replace(" the ", " the very ", 1)]
    changed.write_text(json.dumps(notebook), encoding="utf-8")

    counts = translation.update("zh_Hans", lessons_copy, pot=pot, po=po)
    assert counts["fuzzy"] == 1 and counts["untranslated"] == 0
    outcomes = {o.slug: o for o in translation.build("zh_Hans", lessons_copy, po=po)}
    assert outcomes[LESSONS[0].stem].written is not None
    stopped = outcomes[LESSONS[1].stem]
    assert stopped.written is None
    assert len(stopped.missing) == 1 and stopped.missing[0].startswith("[fuzzy]")
    assert cell["id"] in stopped.missing[0]


def test_the_command_names_each_lesson_that_needs_a_translator(lessons_copy, tmp_path, monkeypatch, capsys):
    from course.cli.main import main

    monkeypatch.setenv("ONE_VOICE_NOTEBOOKS", str(lessons_copy))
    monkeypatch.setattr(translation, "po_path", lambda language: tmp_path / "lessons.po")
    monkeypatch.setattr(translation, "TEMPLATE", tmp_path / "lessons.pot")
    monkeypatch.setattr(translation, "update", _update_in(lessons_copy, tmp_path))
    assert main(["translate", "update"]) == 0
    assert main(["translate", "build"]) == 1
    err = capsys.readouterr().err
    assert f"{LESSONS[0].stem}: not written" in err and f"{LESSONS[1].stem}: not written" in err
    assert "lessons.po" in err


def _update_in(folder: Path, tmp_path: Path):
    real = translation.update

    def update(language: str):
        return real(language, folder, pot=tmp_path / "lessons.pot", po=tmp_path / "lessons.po")

    return update


def test_a_kernel_in_the_chinese_lessons_folder_speaks_chinese(tmp_path, monkeypatch):
    from course import settings

    monkeypatch.delenv("ONE_VOICE_LANG", raising=False)
    (tmp_path / "zh").mkdir()
    monkeypatch.chdir(tmp_path / "zh")
    assert settings.language() == "zh_Hans"
    monkeypatch.chdir(tmp_path)
    assert settings.language() == "en"
    monkeypatch.setenv("ONE_VOICE_LANG", "en")
    monkeypatch.chdir(tmp_path / "zh")
    assert settings.language() == "en"


def test_the_shipped_template_is_a_fresh_extraction_of_the_lessons():
    """`make messages` was run after the last change to the English lessons."""
    fresh = translation.template(notebooks_dir())
    shipped = translation.read_catalog(translation.TEMPLATE)
    assert [(m.context, m.id) for m in shipped if m.id] == [(m.context, m.id) for m in fresh if m.id]
