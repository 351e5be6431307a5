"""The Chinese edition says each recurring term one way: the glossary (docs/zh/glossary.md) is kept.

Two checks per glossary row: the variants in its 不用 column appear nowhere in our Chinese text,
and wherever an English message names a proper noun of the glossary, its translation uses the
glossary's Chinese. Quotations keep the wording of their time, so text in quotation marks and
documents' own Chinese are not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course.i18n import LOCALE_DIR
from tests.helpers import REPO

GLOSSARY = REPO / "docs" / "zh" / "glossary.md"
# Rows whose note starts "国名" are states: Chinese abbreviates them in compounds (驻朝, 中苏, 美韩), so their
# English names are not required to come out whole.
ROW = re.compile(r"^\|([^|]+)\|([^|]+)\|([^|]*)\|([^|]*)\|$", flags=re.M)
QUOTED = re.compile(r"“[^”]*”|「[^」]*」|《[^》]*》")


def glossary_rows(text: str) -> list[tuple[list[str], list[str], list[str], bool]]:
    """(English forms, Chinese forms, forbidden variants, is a state) for each row of the glossary table."""
    rows = []
    for english, chinese, avoid, _note in ROW.findall(text):
        english, chinese = english.strip(), chinese.strip()
        if english == "English" or set(english) <= {"-"}:
            continue
        forms = [f.strip() for f in re.split(r"[,/]|\(|\)", english) if re.search("[A-Za-z]", f)]
        chinese_forms = [f.strip() for f in re.split(r"[（）/；]", chinese) if f.strip()]
        state = _note.strip().startswith("国名")
        rows.append((forms, chinese_forms, [v.strip() for v in avoid.split(";") if v.strip()], state))
    return rows


ROWS = glossary_rows(GLOSSARY.read_text(encoding="utf-8"))


def catalogue_pairs() -> list[tuple[str, str, str]]:
    """(where, English, Chinese) for every translated message of every Chinese catalogue."""
    from babel.messages.pofile import read_po

    pairs = []
    for po in sorted((LOCALE_DIR / "zh_Hans" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if ids[0] and strings[0]:
                    pairs.append((f"{po.name} {message.context or ''}", ids[0], strings[0]))
    return pairs


def data_pairs() -> list[tuple[str, str, str]]:
    """(where, English, Chinese) for every `<column>_zh` twin in the data package."""
    import pandas as pd

    pairs = []
    for path in sorted((REPO / "data").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in frame.columns:
            english = column.removesuffix("_zh")
            if column.endswith("_zh") and english in frame.columns and path.name != "paragraphs.csv":
                for row, (en, zh) in enumerate(zip(frame[english], frame[column]), start=2):
                    if zh:
                        pairs.append((f"{path.name} row {row} {column}", en, zh))
    return pairs


PAIRS = catalogue_pairs() + data_pairs()


def test_the_glossary_is_read_with_its_forbidden_variants():
    rows = {forms[0]: (chinese, avoid) for forms, chinese, avoid, _state in ROWS}
    assert rows["Chinese People's Volunteers"] == (["中国人民志愿军", "志愿军"], ["中国志愿军"])
    assert "北朝鲜" in rows["North Korea"][1]


def forbidden_uses(pairs, rows) -> list[str]:
    found = []
    for where, _english, chinese in pairs:
        ours = QUOTED.sub("", chinese)
        found += [f"{where}: {variant}" for _f, _c, avoid, _s in rows for variant in avoid if variant in ours]
    return found


def test_no_forbidden_variant_in_our_chinese():
    found = forbidden_uses(PAIRS, ROWS)
    assert not found, found[:5]


def test_the_variant_check_finds_a_planted_variant():
    assert forbidden_uses([("planted", "North Korea", "北朝鲜军队南下。")], ROWS) != []


# Proper nouns whose English form is unambiguous in running text (names, armies, states).
def _proper(forms: list[str]) -> bool:
    return forms[0][0].isupper() and forms[0] not in {"FRUS", "Tian 2014"} and not forms[0].startswith("Tian 2014")


def missing_terms(pairs, rows) -> list[str]:
    found = []
    for where, english, chinese in pairs:
        english = re.sub(r'"[^"]*"|“[^”]*”', "", english)  # quoted words are the source's, or literal values
        english = re.sub(r"\b\w+/\w+\b", "", english)  # a pair such as "KPA/CPV" is named as one side (朝中方面)
        for forms, chinese_forms, _avoid, state in rows:
            if state or not _proper(forms):
                continue
            named = any(re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", english) for form in forms if len(form) > 2)
            if named and not any(form in chinese for form in chinese_forms):
                found.append(f"{where}: '{forms[0]}' → expected {chinese_forms[0]}")
    return found


def test_proper_nouns_are_translated_as_the_glossary_says():
    found = missing_terms(PAIRS, ROWS)
    assert not found, f"{len(found)} messages: " + "; ".join(found[:5])


def test_the_term_check_finds_a_name_in_another_form():
    assert missing_terms([("planted", "Puzanov wrote", "普札诺夫写道")], ROWS) != []


@pytest.mark.parametrize("path", sorted((REPO / "notebooks" / "zh").glob("*.ipynb")), ids=lambda p: p.stem)
def test_no_forbidden_variant_in_the_built_chinese_lessons(path: Path):
    """Our prose as built (the documents the lessons show keep their own wording, so outputs are not read)."""
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = QUOTED.sub("", "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"))
    found = [variant for _f, _c, avoid, _s in ROWS for variant in avoid if variant in text]
    assert not found, found
