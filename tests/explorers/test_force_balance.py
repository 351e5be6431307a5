"""The force-balance explorer: the paper's chart rebuilt, its readout checked against force_table."""

from __future__ import annotations

import base64
import dataclasses
import re
from html.parser import HTMLParser

import ipywidgets as widgets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.evidence.package import evidence, force_table
from course.explorers.charts import png_bytes
from course.explorers.force_balance import (
    SHOWN_SERIES,
    TABLE_SERIES,
    YEARS,
    ForceBalanceExplorer,
    ForceBalanceState,
    figure,
    force_balance,
    series_label,
    view,
)

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
ESTIMATE_WORD = {"low": "low", "strength": "best", "high": "high"}


class Visible(HTMLParser):
    """The text a student sees in an HTML fragment, plus the alt texts of its images."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.alts: list[str] = []
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt", ""))
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_data(self, data):
        self.parts.append(data)
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def visible(fragment: str) -> Visible:
    parser = Visible()
    parser.feed(fragment)
    return parser


def text_of(fragment: str) -> str:
    return "".join(visible(fragment).parts)


def chart_html(explorer: ForceBalanceExplorer) -> str:
    (output,) = explorer.chart.outputs
    return output["data"]["text/html"]


def expected_readout(year: int, estimate: str) -> str:
    """The readout, computed here from force_table without the explorer's helpers."""
    row = force_table(evidence().forces, estimate).loc[year]
    un, communist = int(row["US"] + row["other_UN"] + row["ROK"]), int(row["KPA"] + row["CPV"])
    return (
        f"1 July {year}, {ESTIMATE_WORD[estimate]} estimates: UN side : communist side = "
        f"7 : {7 * communist / un:.1f} ({un:,} against {communist:,})"
    )


@pytest.fixture(scope="module")
def ev():
    return evidence()


# --- pure view -------------------------------------------------------------------------------


def test_july_1956_best_reads_as_in_the_brief(ev):
    result = view(ForceBalanceState(year=1956, estimate="strength"), ev)
    assert result.ratio == "UN side : communist side = 7 : 5.9"
    assert result.numbers == "753,400 against 640,000"


@pytest.mark.parametrize("estimate", ["low", "strength", "high"])
@pytest.mark.parametrize("year", YEARS)
def test_readout_matches_force_table_for_every_year_and_estimate(ev, year, estimate):
    assert view(ForceBalanceState(year=year, estimate=estimate), ev).readout == expected_readout(year, estimate)


def test_comparison_names_the_larger_side_and_the_gap(ev):
    table = force_table(ev.forces, "strength")
    gap_1956 = int(table.loc[1956, "UN_incl_ROK"] - table.loc[1956, "communist"])
    assert gap_1956 > 0
    assert (
        f"UN side, including the ROK, outnumbered the communist side by {gap_1956:,}"
        in view(ForceBalanceState(), ev).comparison
    )
    gap_1953 = int(table.loc[1953, "communist"] - table.loc[1953, "UN_incl_ROK"])
    assert gap_1953 > 0
    assert (
        f"communist side outnumbered the UN side, including the ROK, by {gap_1953:,}"
        in view(ForceBalanceState(year=1953), ev).comparison
    )


def test_lines_and_bands_are_the_chosen_estimate_and_the_low_high_range(ev):
    result = view(ForceBalanceState(year=1957, estimate="high"), ev)
    high, low = force_table(ev.forces, "high"), force_table(ev.forces, "low")
    for series in SHOWN_SERIES:
        assert result.lines[series] == tuple(high[series])
        assert result.bands[series] == (tuple(low[series]), tuple(high[series]))


def test_series_toggles_choose_what_is_drawn_and_described(ev):
    result = view(ForceBalanceState(series=("CPV", "UN")), ev)
    assert list(result.lines) == ["CPV", "UN"]
    assert series_label("CPV") in result.text_alternative
    assert series_label("KPA") not in result.text_alternative
    assert view(ForceBalanceState(series=()), ev).lines == {}


def test_caption_says_reconstruction_and_1_july(ev):
    caption = view(ForceBalanceState(), ev).caption
    assert "reconstruction" in caption and "data/FORCES.md" in caption and "1 July" in caption
    assert "not the least or most favourable" in view(ForceBalanceState(estimate="low"), ev).caption
    assert "not the least or most favourable" not in caption


def test_table_gives_numbers_basis_and_sources_of_every_cell(ev):
    result = view(ForceBalanceState(estimate="low"), ev)
    table = result.table
    assert len(table) == len(YEARS) * len(TABLE_SERIES)
    stored = ev.forces.set_index(["year", "series"])
    low = force_table(ev.forces, "low")
    for row in table.itertuples():
        assert row.value == low.loc[row.year, row.series]
        if (row.year, row.series) in stored.index:
            cell = stored.loc[(row.year, row.series)]
            assert (row.basis, row.source_ids, row.low, row.high) == (cell.basis, cell.source_ids, cell.low, cell.high)
        else:
            assert row.basis.startswith("computed: ")
            parts = {"communist": ("KPA", "CPV"), "UN": ("US", "other_UN"), "UN_incl_ROK": ("ROK", "US", "other_UN")}[
                row.series
            ]
            expected = {s for p in parts for s in stored.loc[(row.year, p)].source_ids}
            assert set(row.source_ids) == expected


def test_unknown_estimate_is_refused(ev):
    with pytest.raises(ValueError):
        view(ForceBalanceState(estimate="median"), ev)


# --- figure ----------------------------------------------------------------------------------


def test_chart_changes_with_every_kind_of_control(ev):
    base = png_bytes(figure(view(ForceBalanceState(), ev)))
    assert base.startswith(b"\x89PNG")
    for changed in (
        ForceBalanceState(year=1957),
        ForceBalanceState(estimate="high"),
        ForceBalanceState(series=("KPA", "CPV")),
    ):
        assert png_bytes(figure(view(changed, ev))) != base


def test_figure_has_title_axis_labels_and_legend(ev):
    fig = figure(view(ForceBalanceState(series=("KPA", "ROK")), ev))
    (ax,) = fig.axes
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [series_label("KPA"), series_label("ROK")]
    styles = {(line.get_linestyle(), line.get_marker()) for line in ax.get_lines() if line.get_label()[0] != "_"}
    assert len(styles) == 2


# --- shell -----------------------------------------------------------------------------------


def test_shell_opens_on_the_requested_year_and_estimate(ev):
    explorer = ForceBalanceExplorer(year=1958, estimate="high", evidence=ev)
    assert text_of(explorer.readout.value) == expected_readout(1958, "high")
    assert explorer.year.description and explorer.estimate.description == "Estimate"
    assert all(box.description for box in explorer.series.values())


def test_driving_the_shell_updates_readout_chart_caption_and_table(ev):
    explorer = ForceBalanceExplorer(evidence=ev)
    assert text_of(explorer.readout.value) == expected_readout(1956, "strength")
    before_png, before_table = explorer.png, explorer.table.value
    explorer.year.value = 1954
    assert text_of(explorer.readout.value) == expected_readout(1954, "strength")
    assert explorer.png != before_png
    explorer.estimate.value = "low"
    assert text_of(explorer.readout.value) == expected_readout(1954, "low")
    assert "low estimates" in text_of(explorer.caption.value)
    assert explorer.table.value != before_table
    rows = visible(explorer.table.value).rows
    kpa_1954 = next(r for r in rows if r[:2] == ["1954", series_label("KPA")])
    cell = ev.forces.set_index(["year", "series"]).loc[(1954, "KPA")]
    assert kpa_1954[2] == f"{cell.low:,}" and kpa_1954[4] == cell.basis and kpa_1954[5] == "; ".join(cell.source_ids)


def test_unticking_a_series_removes_it_from_chart_and_text_alternative(ev):
    explorer = ForceBalanceExplorer(evidence=ev)
    before = explorer.png
    explorer.series["CPV"].value = False
    assert explorer.png != before
    (alt,) = visible(chart_html(explorer)).alts
    assert series_label("CPV") not in alt and series_label("KPA") in alt


def test_chart_is_the_png_with_its_text_alternative(ev):
    explorer = ForceBalanceExplorer(evidence=ev)
    page = chart_html(explorer)
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    assert base64.b64decode(encoded) == explorer.png
    assert visible(page).alts == [view(ForceBalanceState(), ev).text_alternative]


def test_table_is_one_click_away(ev):
    explorer = ForceBalanceExplorer(evidence=ev)
    assert isinstance(explorer.table_view, widgets.Accordion)
    assert explorer.table_view.selected_index is None
    assert explorer.table_view.children == (explorer.table,)
    assert explorer.table_view.get_title(0)


def test_entry_returns_the_root_widget(ev):
    root = force_balance(year=1955, evidence=ev)
    assert isinstance(root, widgets.VBox)
    readouts = [w for w in root.children if isinstance(w, widgets.HTML)]
    assert text_of(readouts[0].value) == expected_readout(1955, "strength")


@settings(max_examples=50, deadline=None)
@given(
    year=st.sampled_from(YEARS),
    estimate=st.sampled_from(["low", "strength", "high"]),
    shown=st.sets(st.sampled_from(SHOWN_SERIES)),
)
def test_any_choice_gives_a_true_readout_and_text_alternative(year, estimate, shown):
    result = view(ForceBalanceState(year=year, estimate=estimate, series=tuple(shown)), evidence())
    assert result.readout == expected_readout(year, estimate)
    assert all((series_label(s) + ":" in result.text_alternative) == (s in shown) for s in SHOWN_SERIES)
    assert len(result.table) == len(YEARS) * len(TABLE_SERIES)


SHARED: list[ForceBalanceExplorer] = []


@settings(max_examples=25, deadline=None)
@given(
    year=st.sampled_from(YEARS),
    estimate=st.sampled_from(["low", "strength", "high"]),
    toggled=st.sampled_from(SHOWN_SERIES),
)
def test_driving_the_shell_anywhere_keeps_readout_and_chart_true(year, estimate, toggled):
    """One explorer driven through a random walk of control changes (as a student would)."""
    if not SHARED:
        SHARED.append(ForceBalanceExplorer(evidence=evidence()))
    explorer = SHARED[0]
    explorer.estimate.value = estimate
    explorer.year.value = year
    explorer.series[toggled].value = not explorer.series[toggled].value
    assert text_of(explorer.readout.value) == expected_readout(year, estimate)
    (alt,) = visible(chart_html(explorer)).alts
    assert alt == view(explorer.state(), explorer.evidence).text_alternative
    assert all((series_label(s) + ":" in alt) == explorer.series[s].value for s in SHOWN_SERIES)


# --- escaping --------------------------------------------------------------------------------


def test_data_text_is_escaped_in_the_table(ev):
    forces = ev.forces.copy()
    forces.at[0, "basis"] = PAYLOADS[0]
    forces.at[1, "source_ids"] = (PAYLOADS[1], "tian-2014")
    explorer = ForceBalanceExplorer(year=int(forces.at[0, "year"]), evidence=dataclasses.replace(ev, forces=forces))
    page = explorer.table.value
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "&lt;img src=x" in page and "<img" not in page
    assert PAYLOADS[0] in text_of(page)
