"""The plan comparison: the data cover the grid, predictions are graded against the sources, the shell reveals."""

from __future__ import annotations

import dataclasses
import re

import markupsafe
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.evidence.package import evidence
from course.explorers.plan_comparison import (
    CATEGORIES,
    DIMENSIONS,
    PLANS,
    VOCABULARY,
    PlanComparisonExplorer,
    PlanComparisonState,
    category_label,
    plan_comparison,
    predict,
    reveal,
    reveal_all,
    view,
)
from course.settings import data_dir

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@pytest.fixture(scope="module")
def ev():
    return evidence()


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """plans.csv read directly, independently of course.data."""
    return pd.read_csv(data_dir() / "plans.csv", keep_default_na=False, dtype=str, encoding="utf-8")


def raw_value(raw: pd.DataFrame, plan: str, dimension: str) -> str:
    return raw[(raw["plan"] == plan) & (raw["dimension"] == dimension)]["value"].item()


def escaped(text: str) -> str:
    """`text` as the templates escape it (Jinja2 autoescape: markupsafe)."""
    return str(markupsafe.escape(text))


def revealed_keys(grid_html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'<td data-plan="([^"]+)" data-dimension="([^"]+)" data-state="revealed">', grid_html))


def plain(html_text: str) -> str:
    return re.sub(r"<[^>]+>", " ", html_text)


# --- the data -------------------------------------------------------------------------------------------


def test_plans_csv_fills_the_grid_once(raw):
    assert len(raw) == 25
    assert set(zip(raw["plan"], raw["dimension"])) == {(p, d) for p in PLANS for d in DIMENSIONS}
    assert not raw.duplicated(["plan", "dimension"]).any()
    assert open(data_dir() / "plans.csv", "rb").read(3) != b"\xef\xbb\xbf"


def test_every_cell_has_a_category_from_its_vocabulary(raw):
    assert set(CATEGORIES) == set(zip(raw["plan"], raw["dimension"]))
    for (plan, dimension), accepted in CATEGORIES.items():
        assert accepted and set(accepted) <= set(VOCABULARY[dimension]), (plan, dimension)
        for category in accepted:
            assert category_label(dimension, category)


def test_kims_second_plan_is_marked_second_hand(raw):
    second = raw[raw["plan"] == "kim-second"]
    assert (second["hedged"] == "true").all()
    assert second["source_ids"].str.contains("zhou-yudin-1958-01-08").all()


def test_silent_sources_are_said_so_and_hedged(raw):
    silent = raw[raw["value"].str.startswith("Not stated in the sources")]
    assert set(zip(silent["plan"], silent["dimension"])) == {
        ("kim-second", "timetable"),
        ("official-history", "timetable"),
    }
    assert (silent["hedged"] == "true").all()


def test_categories_tell_tians_story():
    """Kim's plans differ in who opens; the official account has the DPRK open both; China keeps the UN out."""
    assert CATEGORIES[("kim-first", "initiator")] == ("DPRK",)
    assert CATEGORIES[("kim-second", "initiator")] == ("PRC",)
    assert CATEGORIES[("official-history", "initiator")] == ("DPRK",)
    assert CATEGORIES[("kim-first", "un_role")] == ("addressed",)
    assert CATEGORIES[("china-revision", "un_role")] == ("kept_out",)
    assert CATEGORIES[("china-revision", "channel")] == ("statement",)


# --- the pure part --------------------------------------------------------------------------------------


def test_nothing_is_shown_before_a_reveal(ev, raw):
    shown = view(PlanComparisonState(), ev)
    assert (shown.table == "?").all().all()
    assert revealed_keys(shown.grid_html) == set()
    for value in raw["value"]:
        assert escaped(value) not in shown.grid_html
    assert shown.score_line.startswith("Revealed 0 of 25 cells")


def test_a_revealed_cell_shows_its_text_sources_and_grade(ev, raw):
    state = reveal(predict(PlanComparisonState(), "kim-first", "initiator", "DPRK"), "kim-first", "initiator")
    shown = view(state, ev)
    cell = shown.cell("kim-first", "initiator")
    assert cell.value == raw_value(raw, "kim-first", "initiator")
    assert shown.table.loc["initiator", "kim-first"] == cell.value
    assert escaped(cell.value) in shown.grid_html
    assert "<code>kim-mao-letter-1957-12-16</code>" in shown.grid_html
    assert cell.matched is True and "✓" in shown.grid_html
    assert revealed_keys(shown.grid_html) == {("kim-first", "initiator")}
    assert shown.table.drop(index="initiator").eq("?").all().all()


def test_a_wrong_prediction_is_answered_with_the_sources_category(ev):
    state = reveal(predict(PlanComparisonState(), "kim-second", "initiator", "DPRK"), "kim-second", "initiator")
    shown = view(state, ev)
    assert shown.cell("kim-second", "initiator").matched is False
    assert "does not match: the sources say the PRC (Beijing)" in plain(shown.grid_html)
    assert "hedged: second-hand or inferred" in shown.grid_html


def test_the_official_account_accepts_either_of_its_two_plans(ev):
    for category in ("letter", "statement"):
        state = reveal(
            predict(PlanComparisonState(), "official-history", "channel", category), "official-history", "channel"
        )
        cell = view(state, ev).cell("official-history", "channel")
        assert cell.matched is True
        assert "one of the two plans" in view(state, ev).grid_html


def test_a_revealed_prediction_cannot_be_changed_and_bad_ones_are_refused():
    state = reveal(predict(PlanComparisonState(), "kim-first", "channel", "letter"), "kim-first", "channel")
    assert predict(state, "kim-first", "channel", "statement") == state
    with pytest.raises(ValueError):
        predict(PlanComparisonState(), "kim-first", "channel", "telegram")
    cleared = predict(predict(PlanComparisonState(), "kim-first", "channel", "letter"), "kim-first", "channel", "")
    assert cleared.prediction("kim-first", "channel") is None


def test_reveal_all_covers_only_the_plans_shown(ev):
    state = reveal_all(PlanComparisonState(plans=("kim-first", "kim-second", "official-history")))
    shown = view(state, ev)
    assert revealed_keys(shown.grid_html) == {(p, d) for p in state.plans for d in DIMENSIONS}
    assert 'data-plan="dprk-statement"' not in shown.grid_html
    assert list(shown.table.columns) == ["kim-first", "kim-second", "official-history"]


# --- the shell ------------------------------------------------------------------------------------------


def test_shell_predict_then_reveal_a_row(ev, raw):
    explorer = PlanComparisonExplorer(evidence=ev)
    explorer.predictions["responder"].value = "PRC"
    assert "Your prediction: the PRC (Beijing)" in explorer.grid.value
    explorer.reveal["responder"].click()
    assert escaped(raw_value(raw, "kim-first", "responder")) in explorer.grid.value
    assert "✓ Your prediction (“the PRC (Beijing)”) matches the sources." in explorer.grid.value
    assert "Revealed 1 of 25 cells. Predictions checked: 1; matching the sources: 1." in explorer.status.value
    assert explorer.predictions["responder"].disabled and explorer.reveal["responder"].disabled


def test_shell_keeps_predictions_per_plan(ev, raw):
    explorer = PlanComparisonExplorer(evidence=ev)
    explorer.predictions["initiator"].value = "DPRK"
    explorer.reveal["initiator"].click()
    explorer.plan.value = "kim-second"
    assert explorer.predictions["initiator"].value is None and not explorer.predictions["initiator"].disabled
    explorer.predictions["initiator"].value = "DPRK"
    explorer.reveal["initiator"].click()
    assert escaped(raw_value(raw, "kim-second", "initiator")) in explorer.grid.value
    assert "✗ Your prediction (“the DPRK (Pyongyang)”) does not match" in explorer.grid.value
    assert "Predictions checked: 2; matching the sources: 1." in explorer.status.value
    explorer.plan.value = "kim-first"
    assert explorer.predictions["initiator"].value == "DPRK" and explorer.predictions["initiator"].disabled


def test_shell_reveal_all_and_notes(ev, raw):
    explorer = PlanComparisonExplorer(plans=["kim-first", "kim-second", "official-history"], evidence=ev)
    explorer.reveal_all.click()
    assert len(revealed_keys(explorer.grid.value)) == 15
    assert "Revealed 15 of 15 cells" in explorer.status.value
    note = raw[(raw["plan"] == "kim-second") & (raw["dimension"] == "initiator")]["note"].item()
    assert str(markupsafe.escape(note)) in explorer.notes.value
    assert 'data-state="hidden"' not in explorer.grid.value


def test_entry_point_returns_the_widget_and_refuses_unknown_plans(ev):
    root = plan_comparison(["kim-first", "kim-second", "official-history"], evidence=ev)
    assert root.children[0].options[0][1] == "kim-first"
    with pytest.raises(ValueError):
        PlanComparisonExplorer(plans=["kim-third"], evidence=ev)


# --- properties -----------------------------------------------------------------------------------------

KEYS = [(p, d) for p in PLANS for d in DIMENSIONS]
actions = st.lists(
    st.one_of(
        st.tuples(st.just("predict"), st.sampled_from(KEYS), st.integers(0, 3)),
        st.tuples(st.just("reveal"), st.sampled_from(KEYS), st.just(0)),
        st.tuples(st.just("all"), st.just(KEYS[0]), st.just(0)),
    ),
    max_size=30,
)


@settings(max_examples=50, deadline=None)
@given(plans=st.lists(st.sampled_from(PLANS), min_size=1, max_size=5, unique=True), steps=actions)
def test_any_sequence_of_actions_renders_what_was_revealed(plans, steps):
    ev = evidence()
    state = PlanComparisonState(plans=tuple(plans), focus=plans[0])
    made: dict = {}
    opened: set = set()
    for kind, (plan, dimension), pick in steps:
        if plan not in plans:
            continue
        if kind == "predict":
            category = ("",) + VOCABULARY[dimension]
            category = category[pick % len(category)]
            state = predict(state, plan, dimension, category)
            if (plan, dimension) in opened:
                continue  # a revealed cell keeps the prediction it had
            if category:
                made[(plan, dimension)] = category
            else:
                made.pop((plan, dimension), None)
        elif kind == "reveal":
            state = reveal(state, plan, dimension)
            opened.add((plan, dimension))
        else:
            state = reveal_all(state)
            opened |= {(p, d) for p in plans for d in DIMENSIONS}
    shown = view(state, ev)
    assert revealed_keys(shown.grid_html) == opened
    plans_frame = ev.plans.set_index(["plan", "dimension"])
    checked = matched = 0
    for plan in plans:
        for dimension in DIMENSIONS:
            value = plans_frame.loc[(plan, dimension), "value"]
            if (plan, dimension) in opened:
                assert shown.table.loc[dimension, plan] == value
            else:
                assert shown.table.loc[dimension, plan] == "?"
            if (plan, dimension) in opened and (plan, dimension) in made:
                checked += 1
                matched += made[(plan, dimension)] in CATEGORIES[(plan, dimension)]
    assert f"Predictions checked: {checked}; matching the sources: {matched}." in shown.score_line


@settings(max_examples=25, deadline=None)
@given(clicks=st.lists(st.tuples(st.sampled_from(PLANS), st.sampled_from(DIMENSIONS)), max_size=8))
def test_shell_reveal_clicks_show_exactly_those_cells(clicks):
    explorer = PlanComparisonExplorer(evidence=evidence())
    for plan, dimension in clicks:
        explorer.plan.value = plan
        explorer.reveal[dimension].click()
    assert revealed_keys(explorer.grid.value) == set(clicks)


# --- escaping -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_data_text_is_escaped(ev, payload):
    plans = ev.plans.copy()
    first = (plans["plan"] == "kim-first") & (plans["dimension"] == "initiator")
    plans.loc[first, "value"] = payload
    plans.loc[first, "note"] = payload
    sources = ev.sources.copy()
    sources.loc[sources["id"] == "kim-mao-letter-1957-12-16", "title_en"] = payload
    hostile = dataclasses.replace(ev, plans=plans, sources=sources)
    explorer = PlanComparisonExplorer(evidence=hostile)
    explorer.reveal_all.click()
    for rendered in (explorer.grid.value, explorer.notes.value):
        assert "&lt;script&gt;" in rendered or "&lt;img src=x" in rendered
        assert "<script>" not in rendered and "<img src=x" not in rendered
