"""The Chinese lessons (notebooks/zh): complete, reviewed, in step with the English, in our own words.

These are the release checks of the Chinese edition: a lesson with an untranslated or fuzzy message,
a Chinese notebook that lags behind its English source, or English prose left in Chinese fails here.
"""

from __future__ import annotations

import json
import re

import pytest

from course.editions import translation
from course.settings import notebooks_dir
from tests.zh_checks import cell_shape

LANGUAGE = "zh_Hans"
ENGLISH = translation.lesson_paths()
CHINESE_DIR = notebooks_dir() / translation.FOLDERS[LANGUAGE]
CATALOGUE = translation.read_catalog(translation.po_path(LANGUAGE), LANGUAGE)


def _lesson(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _chinese(path):
    return _lesson(CHINESE_DIR / path.name)


def _markdown(notebook: dict) -> str:
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


LESSON_IDS = [p.stem for p in ENGLISH]


@pytest.mark.parametrize("path", ENGLISH, ids=LESSON_IDS)
def test_every_message_of_the_lesson_is_translated_and_reviewed(path):
    _, missing = translation.translate_notebook(_lesson(path), path.stem, CATALOGUE, LANGUAGE)
    assert not missing, f"{len(missing)} messages need a translator in lessons.po, e.g. {missing[:3]}"


@pytest.mark.parametrize("path", ENGLISH, ids=LESSON_IDS)
def test_the_chinese_lesson_is_in_step_with_the_english(path):
    """Same code cells, ids and tags; the prose is what the catalogue gives now (`make notebooks` was run)."""
    english, chinese = _lesson(path), _chinese(path)
    expected, _ = translation.translate_notebook(english, path.stem, CATALOGUE, LANGUAGE)

    assert cell_shape(chinese) == cell_shape(english)
    assert [c["source"] for c in chinese["cells"] if c["cell_type"] == "code"] == [
        c["source"] for c in english["cells"] if c["cell_type"] == "code"
    ]
    assert _markdown(chinese) == _markdown(expected), "run `make notebooks` to rebuild the Chinese lessons"
    assert chinese["metadata"]["one_voice"] == expected["metadata"]["one_voice"]


def test_no_chinese_lesson_is_left_without_its_english_source():
    assert sorted(p.name for p in CHINESE_DIR.glob("*.ipynb")) == [p.name for p in ENGLISH]


# What may stay in Latin script in Chinese prose: code and ids, link targets, HTML, titles in italics,
# and what a translator puts in parentheses (an English title or a name beside its Chinese form).
ALLOWED_LATIN = re.compile(
    r"<span lang=\"en\">[^<]*</span>|`[^`]*`|\]\([^)]*\)|<[^>]+>|\*[^*\n]+\*|\([^)]*\)|（[^）]*）"
)
# Six Latin-script words in a row is a sentence left untranslated: the longest names and titles in our
# prose outside parentheses and italics (e.g. "Neutral Nations Supervisory Commission") have four.
ENGLISH_RUN = re.compile(r"(?:\b[A-Za-z][A-Za-z'’-]*\b[\s,;:]+){5}\b[A-Za-z][A-Za-z'’-]*\b")


def english_left(markdown: str) -> list[str]:
    return ENGLISH_RUN.findall(ALLOWED_LATIN.sub(" ", markdown.replace("**", "")))


def test_the_english_check_finds_an_untranslated_sentence():
    assert english_left("金日成同意了。This sentence was never translated at all.") != []
    assert english_left("见 `frus-1958-60-v18-d235` 与 *Foreign Relations of the United States*（FRUS）。") == []


@pytest.mark.parametrize("path", ENGLISH, ids=LESSON_IDS)
def test_no_english_sentence_is_left_in_the_chinese_prose(path):
    left = english_left(_markdown(_chinese(path)))
    assert not left, left[:3]


@pytest.mark.parametrize("path", ENGLISH, ids=LESSON_IDS)
def test_the_chinese_prose_is_tagged_as_chinese(path):
    for cell in _chinese(path)["cells"]:
        if translation._translated(cell):
            assert "".join(cell["source"]).startswith('<div lang="zh-Hans">'), cell["id"]


@pytest.mark.parametrize("path", ENGLISH, ids=LESSON_IDS)
def test_the_chinese_lessons_do_not_copy_the_paper(path, paper_text):
    """Summaries of Tian in Chinese are our own words: no 20-character run of the paper (titles aside)."""
    paper = re.sub(r"\s+", "", paper_text)
    text = re.sub(r"《[^》]*》", "", re.sub(r"\s+", "", _markdown(_chinese(path))))
    runs = {
        text[i : i + 20] for i in range(max(0, len(text) - 19)) if re.search(r"[\u4e00-\u9fff]{10}", text[i : i + 20])
    }
    copied = [run for run in runs if run in paper]
    assert not copied, copied[:3]


def unrendered_emphasis(markdown: str) -> list[str]:
    """Asterisks CommonMark leaves as text: `**时间：**约` does not close, since a closing marker after
    punctuation must be followed by a space or punctuation (JupyterLab's renderer follows the same rule)."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(markdown)
    text = re.sub(r"<[^>]+>", "", re.sub(r"<code>.*?</code>", "", html))
    return re.findall(r".{0,10}\*+.{0,10}", text)


def test_the_emphasis_check_finds_a_marker_that_does_not_close():
    assert unrendered_emphasis("**时间：**约75分钟") != []
    assert unrendered_emphasis("**时间**：约75分钟，`a*b`") == []


@pytest.mark.parametrize("path", ENGLISH, ids=LESSON_IDS)
def test_bold_and_italic_render_in_the_chinese_prose(path):
    left = unrendered_emphasis(_markdown(_chinese(path)))
    assert not left, left[:3]


def interface_labels() -> dict[str, str]:
    """The interface's messages and their Chinese (what a button or a menu shows)."""
    from course.i18n import LOCALE_DIR

    interface = translation.read_catalog(LOCALE_DIR / LANGUAGE / "LC_MESSAGES" / "course.po", LANGUAGE)
    return {m.id: m.string for m in interface if isinstance(m.id, str) and m.id and m.string and not m.fuzzy}


def labels_not_as_shown(pairs, labels: dict[str, str]) -> list[str]:
    """Lesson messages that name a control in bold or italics without the name the Chinese control shows."""
    found = []
    for where, english, chinese in pairs:
        for label in re.findall(r"\*\*([^*]+)\*\*|(?<!\*)\*([^*]+)\*(?!\*)", english):
            label = "".join(label)
            shown = labels.get(label, "").rstrip(":：")  # "Central question:" is bolded without its colon in Chinese
            if label in labels and len(label) > 3 and shown not in chinese:
                found.append(f"{where}: “{label}” is shown as “{shown}”")
    return found


def test_the_label_check_finds_a_button_named_otherwise():
    labels = {"Save": "保存"}
    assert labels_not_as_shown([("x", "Press **Save**.", "按 **存盘**。")], labels) != []
    assert labels_not_as_shown([("x", "Press **Save**.", "按 **保存**。")], labels) == []


def test_the_lessons_name_controls_as_the_chinese_interface_shows_them():
    pairs = [(m.context, m.id, m.string) for m in CATALOGUE if m.id and m.string]
    found = labels_not_as_shown(pairs, interface_labels())
    assert not found, f"{len(found)}: " + "; ".join(found[:6])
