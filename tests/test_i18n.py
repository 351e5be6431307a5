"""Messages: every one extracted into the catalogue, translations that keep their placeholders,
no English left outside the catalogue, and a second language that really changes what students see."""

from __future__ import annotations

import ast
import io
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from course import i18n
from tests.helpers import REPO

POT = REPO / "course" / "locales" / "course.pot"
ZH_PO = REPO / "course" / "locales" / "zh_Hans" / "LC_MESSAGES" / "course.po"
KEYWORDS = ["-k", "_", "-k", "_markup", "-k", "N_", "-k", "ngettext:1,2", "-k", "pgettext:1c,2"]


def msgids(path: Path) -> set:
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_the_catalogue_template_holds_exactly_the_messages_in_the_code(tmp_path):
    """`make messages` was run after the last change to a message (otherwise translators miss it)."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            *KEYWORDS,
            "--no-location",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    in_code, in_catalogue = msgids(fresh), msgids(POT)
    assert len(in_code) > 200
    assert in_code - in_catalogue == set(), "run `make messages`: new messages are missing from course.pot"
    assert in_catalogue - in_code == set(), "run `make messages`: course.pot holds messages the code no longer has"


def test_the_translation_catalogue_follows_the_template():
    assert msgids(ZH_PO) == msgids(POT), "run `make messages` to merge course.pot into the zh_Hans catalogue"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_translation_keeps_the_placeholders_of_its_source():
    with ZH_PO.open("rb") as handle:
        catalog = read_po(handle)
    checked = 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        targets = [message.string] if isinstance(message.string, str) else [s for s in message.string if s]
        for target in targets:
            assert placeholders(target) == placeholders(sources[-1]) | (
                placeholders(sources[0]) - {"n"}
            ) or placeholders(target) == placeholders(sources[0]), (message.id, target)
            checked += 1
    assert checked >= 40


def test_a_translation_with_a_wrong_placeholder_is_caught():
    """The check above, on a planted defect: a translator who renames {ids}."""
    assert placeholders("来源：{ids}") == placeholders("Sources: {ids}")
    assert placeholders("来源：{id}") != placeholders("Sources: {ids}")


# --- the release check: nothing left for a translator ------------------------------------------------------


def needs_translator(catalog) -> list[str]:
    """Messages a Chinese reader would not get in Chinese: no translation (gettext shows the English), or a
    translation flagged fuzzy (the English changed since; the compiled catalogue leaves it out)."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not strings or not all(strings):
            found.append(message.id if isinstance(message.id, str) else message.id[0])
    return found


def catalog_from(text: str):
    return read_po(io.BytesIO(text.encode("utf-8")), locale="zh_Hans")


def test_the_chinese_interface_catalogue_is_complete():
    """No untranslated and no fuzzy message in zh_Hans: a release with one would show students English."""
    with ZH_PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    assert len([m for m in catalog if m.id]) > 700
    assert needs_translator(catalog) == [], "translate these messages (and remove their fuzzy flag) before release"


def plant(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_the_release_check_catches_an_untranslated_and_a_fuzzy_message():
    """The check above on copies of the real catalogue, each with one planted defect."""
    text = ZH_PO.read_text(encoding="utf-8")
    assert needs_translator(catalog_from(text)) == []
    emptied = plant(text, 'msgid "Check"\nmsgstr "核对"\n', 'msgid "Check"\nmsgstr ""\n')
    assert needs_translator(catalog_from(emptied)) == ["Check"]
    plural = plant(text, 'msgstr[0] "不完全对：{n} 组中有 {right} 组配对正确。"', 'msgstr[0] ""')
    assert needs_translator(catalog_from(plural)) == ["Not quite: {right} of {n} pair is right."]
    fuzzy = plant(text, '\nmsgid "Correct."\n', '\n#, fuzzy\nmsgid "Correct."\n')
    assert needs_translator(catalog_from(fuzzy)) == ["Correct."]


# --- no English outside the catalogue --------------------------------------------------------------------

MARKERS = {"_", "_markup", "N_", "ngettext", "pgettext"}
SENTENCE = re.compile(r"^[A-Z][a-z]+(?: [a-z'’,;:()-]+){2,}.*[a-z.!?:)]$")
# Strings that look like English but are not shown to students or instructors as prose:
ALLOWED = {
    "course/editions/lesson_edits.py",  # patterns that read the lessons' own English prose (not messages)
    "course/editions/links.py",  # git command lines and URLs
}


def english_literals(path: Path) -> list[str]:
    """String constants that read like an English sentence and are not inside a gettext call or a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    marked, docstrings = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in MARKERS:
            marked.update(id(n) for n in ast.walk(node))
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in marked
        and id(node) not in docstrings
        and SENTENCE.match(node.value.strip())
    ]


def test_no_english_sentence_is_left_outside_the_catalogue():
    found = {}
    for path in sorted((REPO / "course").rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        if relative in ALLOWED:
            continue
        literals = english_literals(path)
        if literals:
            found[relative] = literals[:3]
    assert not found, found


def test_the_scan_finds_a_planted_english_sentence(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(
        'from course.i18n import _\n\ndef f():\n    """Docstring is fine."""\n'
        '    ok = _("Your answer was saved.")\n    return "Your answer was saved to the file."\n'
    )
    assert english_literals(planted) == ["Your answer was saved to the file."]


# --- a second language, for real ------------------------------------------------------------------------


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    yield
    i18n.translations.cache_clear()


def test_a_source_card_changes_language(chinese):
    from course.display.cards import source_card_html
    from course.evidence.package import evidence

    row = evidence().sources.iloc[0]
    page = source_card_html(row)
    assert "它能告诉我们什么" in page and "What it can tell us" not in page
    assert "原始史料" in page or "研究著作" in page


def test_dates_follow_the_language(chinese):
    assert i18n.format_date("1957-11-09") == "1957年11月9日"


def test_english_stays_the_default(monkeypatch):
    monkeypatch.delenv("ONE_VOICE_LANG", raising=False)
    assert i18n._("What it can tell us") == "What it can tell us"
    assert i18n.format_date("1957-11-09") == "9 November 1957"


def test_an_explorer_readout_changes_language(chinese):
    from course.evidence.package import evidence
    from course.explorers.force_balance import ForceBalanceState, view

    readout = view(ForceBalanceState(year=1956), evidence()).readout
    assert readout.startswith("1956年7月1日（最佳估计）"), readout
    assert "outnumbered" not in readout


def test_the_who_knew_what_board_changes_language(chinese):
    from course.evidence.package import evidence
    from course.explorers.who_knew_what import WhoKnewWhatState, view

    board = view(WhoKnewWhatState(date="1958-01-24"), evidence())
    assert board.readout.startswith("截至1958年1月24日，北京共收到"), board.readout
    assert "北京（中华人民共和国）" in board.table_html and "Beijing (PRC)" not in board.table_html
