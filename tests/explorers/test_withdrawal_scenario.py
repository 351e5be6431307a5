"""The withdrawal scenario: balances and the KPA needed after the CPV leaves, checked against force_table."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from html.parser import HTMLParser

import ipywidgets as widgets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.evidence.package import evidence, force_table
from course.explorers.charts import png_bytes
from course.explorers.withdrawal_scenario import (
    PUZANOV_SOURCE,
    WithdrawalScenarioExplorer,
    WithdrawalScenarioState,
    default_state,
    extra_kpa_needed,
    figure,
    view,
    withdrawal_scenario,
)

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.alts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt", ""))
        elif tag == "p" and self.parts:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def text_of(fragment: str) -> str:
    parser = Visible()
    parser.feed(fragment)
    return "".join(parser.parts)


def expected(cpv_share: int, kpa_change: int, rok_k: int, us_k: int) -> dict[str, str]:
    """The readout lines computed here, with exact fractions, from force_table."""
    best = force_table(evidence().forces, "strength")
    y57, y56 = best.loc[1957], best.loc[1956]
    kpa = round(int(y57["KPA"]) * (100 + kpa_change) / 100)
    cpv = round(int(y57["CPV"]) * cpv_share / 100)
    rok, us, other = rok_k * 1000, us_k * 1000, int(y57["other_UN"])
    un, communist = rok + us + other, kpa + cpv
    un56, com56 = int(y56["ROK"] + y56["US"] + y56["other_UN"]), int(y56["KPA"] + y56["CPV"])
    missing = Fraction(un * com56, un56) - communist
    if missing <= 0:
        answer = "None: the balance is already at least as favourable to the communist side as in July 1956."
    else:
        shown = math.ceil(math.ceil(missing) / 100) * 100
        answer = (
            f"About {shown:,} more: a {100 * shown / kpa:.1f} % increase of the KPA (from {kpa:,} to {kpa + shown:,})."
        )
    return {
        "sides": (
            f"UN side {un:,} (ROK {rok:,} + US {us:,} + other UN {other:,}) against communist side "
            f"{communist:,} (KPA {kpa:,} + CPV {cpv:,})."
        ),
        "balance": (
            f"Balance now: UN side : communist side = 7 : {7 * communist / un:.1f}. On 1 July 1956 "
            f"(best estimates) it was UN side : communist side = 7 : {7 * com56 / un56:.1f}."
        ),
        "answer": answer,
    }


def expected_readout(*values: int) -> str:
    lines = expected(*values)
    return (
        f"{lines['sides']} {lines['balance']} How many more KPA soldiers would restore the July 1956 balance "
        f"in this scenario? {lines['answer']}"
    )


@pytest.fixture(scope="module")
def ev():
    return evidence()


@pytest.fixture(scope="module")
def start(ev):
    return default_state(ev)


# --- pure part -------------------------------------------------------------------------------


def test_defaults_are_july_1957_best_estimates(ev, start):
    y57 = force_table(ev.forces, "strength").loc[1957]
    assert start == WithdrawalScenarioState(
        cpv_share=100, kpa_change=0, rok_thousands=round(y57["ROK"] / 1000), us_thousands=round(y57["US"] / 1000)
    )
    assert abs(start.rok_thousands * 1000 - y57["ROK"]) <= 500 and abs(start.us_thousands * 1000 - y57["US"]) <= 500


@pytest.mark.parametrize(
    "values",
    [(100, 0, 682, 71), (0, 0, 682, 71), (0, 50, 600, 40), (100, 50, 682, 71), (35, -20, 720, 80), (0, 20, 650, 50)],
)
def test_view_agrees_with_a_direct_computation(ev, values):
    result = view(WithdrawalScenarioState(*values), ev)
    lines = expected(*values)
    assert (result.sides_text, result.balance_text, result.answer) == tuple(lines.values())


def test_after_a_full_withdrawal_the_kpa_must_grow_by_most_of_itself(ev, start):
    result = view(dataclasses.replace(start, cpv_share=0), ev)
    assert result.parts["CPV"] == 0
    assert result.extra_kpa_shown > 0.5 * result.parts["KPA"]
    assert "increase of the KPA" in result.answer


def test_answer_is_none_when_the_balance_is_already_as_favourable(ev, start):
    result = view(dataclasses.replace(start, kpa_change=50), ev)
    assert result.extra_kpa == 0 and result.answer.startswith("None")


def test_extra_kpa_restores_the_ratio_and_no_fewer_would():
    assert extra_kpa_needed(700, 500, 7, 6) == 100
    assert extra_kpa_needed(700, 600, 7, 6) == 0
    assert extra_kpa_needed(700, 650, 7, 6) == 0
    assert extra_kpa_needed(701, 500, 7, 6) == 101  # 600.86 -> round up, never short


@settings(max_examples=50, deadline=None)
@given(
    un=st.integers(1, 2_000_000),
    communist=st.integers(0, 2_000_000),
    un56=st.integers(1, 2_000_000),
    com56=st.integers(1, 2_000_000),
)
def test_extra_kpa_is_the_smallest_number_that_reaches_the_1956_ratio(un, communist, un56, com56):
    extra = extra_kpa_needed(un, communist, un56, com56)
    assert extra >= 0
    assert Fraction(communist + extra, un) >= Fraction(com56, un56)
    if extra:
        assert Fraction(communist + extra - 1, un) < Fraction(com56, un56)


def test_notes_fix_other_un_and_cite_puzanov_by_id(ev, start):
    result = view(start, ev)
    other = int(force_table(ev.forces, "strength").loc[1957, "other_UN"])
    assert f"Other UN contingents are fixed at the 1957 best estimate, {other:,}" in result.assumptions
    assert "reconstruction" in result.assumptions and "data/FORCES.md" in result.assumptions
    assert f"source id {PUZANOV_SOURCE}" in result.source_note and "4 June 1957" in result.source_note
    assert '"' not in result.source_note and "“" not in result.source_note  # cited, not quoted
    assert PUZANOV_SOURCE in set(ev.sources.id)


def test_chart_changes_with_each_slider(ev, start):
    base = png_bytes(figure(view(start, ev)))
    assert base.startswith(b"\x89PNG")
    for field, value in (("cpv_share", 0), ("kpa_change", 20), ("rok_thousands", 600), ("us_thousands", 40)):
        assert png_bytes(figure(view(dataclasses.replace(start, **{field: value}), ev))) != base


def test_chart_has_two_stacked_bars_with_hatches(ev, start):
    fig = figure(view(dataclasses.replace(start, cpv_share=0), ev))
    (ax,) = fig.axes
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[:5] == ["ROK", "US", "other UN", "KPA", "CPV"]
    hatched = [patch for patch in ax.patches if patch.get_hatch()]
    assert len({patch.get_hatch() for patch in hatched}) == 5
    assert [tick.get_text().split("\n")[0] for tick in ax.get_yticklabels()] == ["Communist side", "UN side"]


# --- shell -----------------------------------------------------------------------------------


def test_number_boxes_have_the_promised_labels_and_ranges(ev, start):
    explorer = WithdrawalScenarioExplorer(evidence=ev)
    assert explorer.cpv_share.description == "CPV still in Korea (%)"
    assert (explorer.cpv_share.min, explorer.cpv_share.max, explorer.cpv_share.step) == (0, 100, 5)
    assert (explorer.kpa_change.min, explorer.kpa_change.max, explorer.kpa_change.step) == (-20, 100, 5)
    assert (explorer.rok.min, explorer.rok.max, explorer.rok.step) == (600, 720, 1)
    assert (explorer.us.min, explorer.us.max, explorer.us.step) == (40, 80, 1)
    assert explorer.state() == start
    assert all(s.description for s in (explorer.kpa_change, explorer.rok, explorer.us))


def test_driving_the_shell_updates_readout_and_chart(ev, start):
    explorer = WithdrawalScenarioExplorer(evidence=ev)
    assert text_of(explorer.readout.value) == expected_readout(100, 0, start.rok_thousands, start.us_thousands)
    before = explorer.png
    explorer.cpv_share.value = 0
    assert text_of(explorer.readout.value) == expected_readout(0, 0, start.rok_thousands, start.us_thousands)
    assert explorer.png != before
    explorer.kpa_change.value = 30
    explorer.rok.value = 640
    explorer.us.value = 45
    assert text_of(explorer.readout.value) == expected_readout(0, 30, 640, 45)
    (output,) = explorer.chart.outputs
    parser = Visible()
    parser.feed(output["data"]["text/html"])
    assert parser.alts == [view(explorer.state(), ev).text_alternative]


def test_entry_returns_the_root_widget(ev):
    root = withdrawal_scenario(evidence=ev)
    assert isinstance(root, widgets.VBox)
    boxes = [w for w in root.children if isinstance(w, widgets.BoundedIntText)]
    assert [s.description for s in boxes] == [
        "CPV still in Korea (%)",
        "KPA change from 1957 (%)",
        "ROK (thousands)",
        "US (thousands)",
    ]


REACHABLE = dict(
    cpv=st.sampled_from(range(0, 101, 5)),
    kpa=st.sampled_from(range(-20, 101, 5)),
    rok=st.integers(600, 720),
    us=st.integers(40, 80),
)


@settings(max_examples=50, deadline=None)
@given(**REACHABLE)
def test_any_reachable_state_gives_the_directly_computed_lines(cpv, kpa, rok, us):
    result = view(WithdrawalScenarioState(cpv, kpa, rok, us), evidence())
    lines = expected(cpv, kpa, rok, us)
    assert (result.sides_text, result.balance_text, result.answer) == tuple(lines.values())
    assert result.un_side == sum(result.parts[p] for p in ("ROK", "US", "other_UN"))
    assert result.communist_side == result.parts["KPA"] + result.parts["CPV"]


SHARED: list[WithdrawalScenarioExplorer] = []


@settings(max_examples=20, deadline=None)
@given(**REACHABLE)
def test_any_reachable_position_reads_true(cpv, kpa, rok, us):
    """One explorer moved from position to position, as a student would."""
    if not SHARED:
        SHARED.append(WithdrawalScenarioExplorer(evidence=evidence()))
    explorer = SHARED[0]
    explorer.cpv_share.value, explorer.kpa_change.value, explorer.rok.value, explorer.us.value = cpv, kpa, rok, us
    assert text_of(explorer.readout.value) == expected_readout(cpv, kpa, rok, us)


# --- escaping --------------------------------------------------------------------------------


def test_source_title_is_escaped(ev):
    sources = ev.sources.copy()
    sources.loc[sources.id == PUZANOV_SOURCE, "title_en"] = PAYLOADS[0] + PAYLOADS[1]
    explorer = WithdrawalScenarioExplorer(evidence=dataclasses.replace(ev, sources=sources))
    page = explorer.notes.value
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "&lt;img src=x" in page and "<img" not in page
    assert PAYLOADS[0] in text_of(page)
