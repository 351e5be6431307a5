"""The source reader: filters agree with a direct pandas filter, the shell shows what the filters select."""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

import ipywidgets as widgets
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.evidence.package import evidence
from course.explorers.source_reader import ANY, MAX_CARDS, SourceReaderExplorer, SourceReaderState, source_reader, view

TEXT_COLUMNS = [
    "id",
    "title",
    "title_en",
    "creator",
    "date",
    "archive",
    "reference",
    "audience",
    "translator",
    "excerpt",
    "excerpt_en",
    "can_tell",
    "cannot_tell",
    "note",
]
PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def expected_ids(sources: pd.DataFrame, state: SourceReaderState) -> list[str]:
    """The filter written out directly on the DataFrame, independently of course.source_reader."""
    keep = pd.Series(True, index=sources.index)
    if state.lesson:
        keep &= sources["lessons"].apply(lambda lessons: isinstance(lessons, tuple) and state.lesson in lessons)
    for column in ("type", "archive", "language", "party"):
        if getattr(state, column):
            keep &= sources[column].eq(getattr(state, column)).fillna(False)
    if state.primary_only:
        keep &= sources["primary"]
    year = sources["date"].str.slice(0, 4).astype(float)
    full = (int(year.min()), int(year.max()))
    if state.years is not None and tuple(state.years) != full:
        keep &= year.between(*state.years)
    if state.text.strip():
        text = sources[TEXT_COLUMNS].fillna("").astype(str).agg("\n".join, axis=1).str.lower()
        keep &= text.str.contains(state.text.strip().lower(), regex=False)
    chosen = sources[keep].copy()
    chosen["when"] = pd.to_datetime(
        chosen["date"].map(lambda d: None if not isinstance(d, str) else d + "-01" * (2 - d.count("-")))
    )
    return chosen.sort_values(["when", "id"], na_position="last")["id"].tolist()


def card_ids(cards_html: str) -> list[str]:
    return re.findall(r"<div class='ov-card' data-source='([^']+)'", cards_html)


def count_text(explorer: SourceReaderExplorer) -> str:
    return re.sub(r"<[^>]+>", " ", explorer.count.value)


@pytest.fixture(scope="module")
def ev():
    return evidence()


@lru_cache(maxsize=1)
def shared_explorer() -> SourceReaderExplorer:
    """One shell reused by the property test (building widgets per example would only be slow)."""
    return SourceReaderExplorer(evidence=evidence())


def reset(explorer: SourceReaderExplorer) -> None:
    for control in (explorer.lesson, explorer.type, explorer.archive, explorer.language, explorer.party):
        control.value = ANY
    explorer.year_from.value, explorer.year_to.value = explorer.span
    explorer.primary_only.value = False
    explorer.text.value = ""


# -- the pure view ---------------------------------------------------------------------------------------------


def test_no_filter_lists_every_source_once(ev):
    shown = view(SourceReaderState(), ev)
    assert sorted(shown.ids) == sorted(ev.sources["id"])
    assert list(shown.ids) == expected_ids(ev.sources, SourceReaderState())
    assert shown.count_line == f"{len(ev.sources)} of {len(ev.sources)} sources"


def test_cards_are_limited_and_say_so(ev):
    shown = view(SourceReaderState(), ev)
    assert len(ev.sources) > MAX_CARDS, "the limit is only exercised when there are more sources than cards"
    assert card_ids(shown.cards_html) == list(shown.ids[:MAX_CARDS]) == list(shown.shown_ids)
    assert shown.more_line.startswith(f"Showing {MAX_CARDS} of {len(ev.sources)}; narrow the filters")
    assert len(shown.table) == len(ev.sources)


def test_narrow_filter_has_no_more_line(ev):
    state = SourceReaderState(lesson="06-moscow-first", primary_only=True)
    shown = view(state, ev)
    assert 0 < len(shown.ids) <= MAX_CARDS
    assert shown.more_line == ""
    assert card_ids(shown.cards_html) == expected_ids(ev.sources, state)


def test_narrow_year_range_drops_undated_sources(ev):
    undated = ev.sources.loc[ev.sources["date"].isna(), "id"].tolist()
    assert undated, "the data has an undated source (the SourceReaderState Department microfilm)"
    assert set(undated) <= set(view(SourceReaderState(), ev).ids)
    narrow = view(SourceReaderState(years=(1957, 1958)), ev)
    assert not set(undated) & set(narrow.ids)
    assert all(ev.sources.set_index("id").loc[i, "date"][:4] in ("1957", "1958") for i in narrow.ids)


def test_search_is_case_insensitive_and_finds_original_script(ev):
    lower, upper = view(SourceReaderState(text="puzanov"), ev), view(SourceReaderState(text="PUZANOV"), ev)
    assert lower.ids == upper.ids and "puzanov-1957-11-13" in lower.ids
    chinese = view(SourceReaderState(text="尤金"), ev)
    assert list(chinese.ids) == expected_ids(ev.sources, SourceReaderState(text="尤金"))


def test_no_match_says_so(ev):
    shown = view(SourceReaderState(text="no source says zqxj"), ev)
    assert shown.ids == () and shown.count_line == f"0 of {len(ev.sources)} sources"
    assert "No source matches" in shown.cards_html


def test_card_shows_excerpt_translation_and_translator(ev):
    row = ev.sources.set_index("id").loc["puzanov-1957-06-04"]
    html_out = view(SourceReaderState(text="puzanov-1957-06-04"), ev).cards_html
    assert row["translator"] == "Gary Goldberg (NKIDP)"
    assert "(English: Gary Goldberg (NKIDP))" in html_out
    assert "What it cannot tell us" in html_out


# -- the shell -------------------------------------------------------------------------------------------------


def test_shell_filters_by_lesson_party_and_primary(ev):
    explorer = SourceReaderExplorer(evidence=ev)
    explorer.lesson.value = "06-moscow-first"
    explorer.party.value = "PRC"
    explorer.primary_only.value = True
    state = SourceReaderState(lesson="06-moscow-first", party="PRC", primary_only=True)
    ids = expected_ids(ev.sources, state)
    assert ids, "lesson 6 has primary Chinese documents"
    assert f"{len(ids)} of {len(ev.sources)} sources" in count_text(explorer)
    assert card_ids(explorer.cards.value) == ids
    assert "Showing" not in explorer.count.value


def test_shell_entry_preselects_lesson(ev):
    root = source_reader(lesson="04-kims-two-plans", evidence=ev)
    choice = root.children[0]
    assert choice.description == "Lesson" and choice.value == "04-kims-two-plans"
    ids = expected_ids(ev.sources, SourceReaderState(lesson="04-kims-two-plans"))
    (count,) = [c.value for c in root.children if isinstance(c, widgets.HTML) and "ov-x-count" in c.value]
    assert f"{len(ids)} of {len(ev.sources)} sources" in count


def test_shell_year_slider_and_search(ev):
    explorer = SourceReaderExplorer(evidence=ev)
    explorer.year_from.value = explorer.year_to.value = 1958
    explorer.text.value = "Yudin"
    ids = expected_ids(ev.sources, SourceReaderState(years=(1958, 1958), text="Yudin"))
    assert "zhang-yudin-1958-01-23" in ids
    assert card_ids(explorer.cards.value) == ids
    assert f"{len(ids)} of {len(ev.sources)} sources" in count_text(explorer)


def test_shell_without_filters_shows_limit_line(ev):
    explorer = SourceReaderExplorer(evidence=ev)
    assert f"Showing {MAX_CARDS} of {len(ev.sources)}; narrow the filters" in explorer.count.value
    assert len(card_ids(explorer.cards.value)) == MAX_CARDS
    assert explorer.table.value.count("<tr") == len(ev.sources) + 1  # header + one row per source


def test_every_control_is_labelled(ev):
    explorer = SourceReaderExplorer(evidence=ev)
    assert all(control.description for control in explorer.controls)


# -- properties ------------------------------------------------------------------------------------------------


def _choices(column: str) -> list[str]:
    return [ANY] + sorted({v for v in evidence().sources[column] if isinstance(v, str)})


@st.composite
def states(draw) -> SourceReaderState:
    sources = evidence().sources
    lessons = sorted({slug for row in sources["lessons"] if isinstance(row, tuple) for slug in row})
    years = sources["date"].dropna().str.slice(0, 4).astype(int)
    first, last = sorted(draw(st.lists(st.integers(int(years.min()), int(years.max())), min_size=2, max_size=2)))
    words = ["", "", "puzanov", "Mao", "withdraw", "撤军", "金日成", "frus", "1958", "yudin"]
    text = draw(st.one_of(st.sampled_from(words), st.text(alphabet="abcdeimnoprstu -", max_size=4)))
    return SourceReaderState(
        lesson=draw(st.sampled_from([ANY] + lessons)),
        type=draw(st.sampled_from(_choices("type"))),
        archive=draw(st.sampled_from(_choices("archive"))),
        language=draw(st.sampled_from(_choices("language"))),
        party=draw(st.sampled_from(_choices("party"))),
        years=(first, last),
        primary_only=draw(st.booleans()),
        text=text,
    )


@settings(max_examples=50, deadline=None)
@given(states())
def test_random_filters_match_a_direct_pandas_filter(state):
    explorer = shared_explorer()
    reset(explorer)
    explorer.lesson.value, explorer.type.value, explorer.archive.value = state.lesson, state.type, state.archive
    explorer.language.value, explorer.party.value = state.language, state.party
    explorer.year_from.value, explorer.year_to.value = state.years
    explorer.primary_only.value, explorer.text.value = state.primary_only, state.text
    ids = expected_ids(evidence().sources, state)
    assert list(explorer.current.ids) == ids
    assert card_ids(explorer.cards.value) == ids[:MAX_CARDS]
    assert f"{len(ids)} of {len(evidence().sources)} sources" in count_text(explorer)
    assert ("narrow the filters" in explorer.count.value) == (len(ids) > MAX_CARDS)


# -- escaping --------------------------------------------------------------------------------------------------


def test_data_text_is_escaped(ev):
    sources = ev.sources.copy()
    first = view(SourceReaderState(), ev).ids[0]
    row = sources["id"] == first
    sources.loc[row, "excerpt"] = PAYLOADS[0]
    sources.loc[row, "excerpt_en"] = PAYLOADS[1]
    sources.loc[row, "creator"] = PAYLOADS[0]
    sources.loc[row, "url"] = "javascript:alert(1)"
    damaged = dataclasses.replace(ev, sources=sources)
    shown = view(SourceReaderState(), damaged)
    assert shown.ids[0] == first
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.cards_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown.cards_html
    assert "<script>" not in shown.cards_html and "<img" not in shown.cards_html
    assert "javascript:" not in shown.cards_html
    explorer = SourceReaderExplorer(evidence=damaged)
    explorer.text.value = "alert(1)"
    assert card_ids(explorer.cards.value) == [first]
    assert "<script>" not in explorer.cards.value + explorer.table.value
    assert "&lt;script&gt;" in explorer.cards.value
