"""Explorer: the balance of forces on the Korean peninsula, 1953–1958 (Tian 2014, §1, the chart).

The paper's chart lost its numbers, so this rebuilds it from our reconstruction (data/forces.csv)
and shows what the reconstruction cannot hide: every value has a low–high range. Students pick a
year and an estimate and read the balance in the paper's own form ("7 : 6").

Pure part: `ForceBalanceState`, `view(state, evidence) -> ForceBalanceView`, `figure(view)`.
Shell: `ForceBalanceExplorer`. Lessons call `force_balance(year=1956)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML

from course.display.controls import focus_ring
from course.display.templating import render
from course.evidence.package import ESTIMATES, Evidence, force_table
from course.explorers.base import Cache, Explorer
from course.explorers.charts import cached_png, image_html, new_figure, ratio_number, ratio_text, thousands_axis
from course.i18n import N_, _

if TYPE_CHECKING:
    from matplotlib.figure import Figure

YEARS = tuple(range(1953, 1959))
SHOWN_SERIES = ("KPA", "CPV", "communist", "ROK", "UN", "UN_incl_ROK")
TABLE_SERIES = ("KPA", "CPV", "communist", "ROK", "US", "other_UN", "UN", "UN_incl_ROK")
COMPUTED_FROM = {"communist": ("KPA", "CPV"), "UN": ("US", "other_UN"), "UN_incl_ROK": ("ROK", "US", "other_UN")}

SERIES_LABELS = {
    "KPA": N_("KPA (North Korean army)"),
    "CPV": N_("CPV (Chinese People's Volunteers)"),
    "communist": N_("Communist total (KPA + CPV)"),
    "ROK": N_("ROK (South Korean forces)"),
    "US": N_("US forces"),
    "other_UN": N_("Other UN contingents"),
    "UN": N_("UN forces (US + other UN, without ROK)"),
    "UN_incl_ROK": N_("UN forces including ROK"),
}
ESTIMATE_LABELS = {"low": N_("low"), "strength": N_("best"), "high": N_("high")}
# How a stored best estimate was reached (forces.csv `basis`), as the table shows it.
BASIS_LABELS = {"reported": N_("reported"), "derived": N_("derived"), "interpolated": N_("interpolated")}
ESTIMATE_TOOLTIPS = {
    "low": N_("The lowest figure the sources allow, for every series"),
    "strength": N_("Our best estimate for every series"),
    "high": N_("The highest figure the sources allow, for every series"),
}

# Okabe–Ito colours, each with its own line style and marker: colour never carries meaning alone.
# Communist series in warm colours, UN side in cool ones; the two totals are drawn thicker.
STYLES = {
    "KPA": ("#E69F00", "-.", "^", 1.6),
    "CPV": ("#CC79A7", "--", "s", 1.6),
    "communist": ("#D55E00", "-", "o", 2.6),
    "ROK": ("#56B4E9", ":", "v", 2.0),
    "UN": ("#009E73", "--", "P", 1.6),
    "UN_incl_ROK": ("#0072B2", "-", "D", 2.6),
}
MARKER_COLOUR = "#000000"
TABLES = Cache(limit=16)  # the three estimates' tables and the table rows, per forces frame


def series_label(series: str) -> str:
    return _(SERIES_LABELS[series])


def estimate_label(estimate: str) -> str:
    return _(ESTIMATE_LABELS[estimate])


def basis_label(basis) -> str:
    """A `basis` code in the current language (a value outside the codes as it is)."""
    return _(BASIS_LABELS[basis]) if basis in BASIS_LABELS else basis


@dataclass(frozen=True)
class ForceBalanceState:
    """What the student has chosen."""

    year: int = 1956
    estimate: str = "strength"
    series: tuple[str, ...] = SHOWN_SERIES


@dataclass(frozen=True)
class ForceBalanceView:
    """Everything the student sees, computed from a ForceBalanceState."""

    state: ForceBalanceState
    un_side: int
    communist_side: int
    ratio: str
    numbers: str
    readout: str
    comparison: str
    caption: str
    text_alternative: str
    table: pd.DataFrame
    lines: dict[str, tuple[int, ...]]
    bands: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]
    y_max: int


def _comparison(year: int, estimate: str, un_side: int, communist_side: int) -> str:
    """Which side is larger, by how much, relative to the smaller side."""
    if un_side == communist_side:
        return _("On 1 July {year} ({estimate} estimates) the two sides were equal.", year=year, estimate=estimate)
    difference = abs(un_side - communist_side)
    values = {
        "year": year,
        "estimate": estimate,
        "difference": difference,
        "percent": 100 * difference / min(un_side, communist_side),
    }
    if un_side > communist_side:
        return _(
            "On 1 July {year} ({estimate} estimates) the UN side, including the ROK, outnumbered the communist "
            "side by {difference:,} ({percent:.1f} %).",
            **values,
        )
    return _(
        "On 1 July {year} ({estimate} estimates) the communist side outnumbered the UN side, including the ROK, "
        "by {difference:,} ({percent:.1f} %).",
        **values,
    )


def _tables(forces: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return TABLES.get(forces, "estimates", lambda: {e: force_table(forces, e) for e in ESTIMATES})


def _table(forces: pd.DataFrame, estimate: str) -> pd.DataFrame:
    """The numbers of one estimate, with range, basis and sources for every cell."""
    return TABLES.get(forces, ("table", estimate), lambda: _build_table(forces, _tables(forces), estimate))


def _build_table(forces: pd.DataFrame, tables: dict[str, pd.DataFrame], estimate: str) -> pd.DataFrame:
    stored = {(row.year, row.series): row for row in forces.itertuples()}
    values = {name: table.to_dict() for name, table in tables.items()}
    records = []
    for year in YEARS:
        for series in TABLE_SERIES:
            parts = COMPUTED_FROM.get(series, (series,))
            if series in COMPUTED_FROM:
                basis = _("computed: {parts}", parts=" + ".join(series_label(p) for p in parts))
            else:
                basis = basis_label(stored[(year, series)].basis)
            sources = dict.fromkeys(s for part in parts for s in stored[(year, part)].source_ids)
            records.append(
                {
                    "year": year,
                    "series": series,
                    "label": series_label(series),
                    "value": int(values[estimate][series][year]),
                    "low": int(values["low"][series][year]),
                    "high": int(values["high"][series][year]),
                    "basis": basis,
                    "source_ids": tuple(sources),
                }
            )
    return pd.DataFrame.from_records(records)


def _text_alternative(state: ForceBalanceState, lines: dict[str, tuple[int, ...]], estimate: str) -> str:
    parts = [
        _(
            "Line chart of troop strengths on the Korean peninsula on 1 July of each year, 1953–1958, {estimate} "
            "estimates, with shaded low–high ranges.",
            estimate=estimate,
        )
    ]
    if lines:
        parts += [
            _("{label}: {first:,} in 1953, {last:,} in 1958.", label=series_label(s), first=values[0], last=values[-1])
            for s, values in lines.items()
        ]
    else:
        parts.append(_("No series is shown."))
    parts.append(_("A vertical line marks {year}.", year=state.year))
    return " ".join(parts)


def check(year, estimate) -> None:
    """A clear error for a year or an estimate the explorer does not have."""
    if estimate not in ESTIMATES or year not in YEARS:
        raise ValueError(
            _(
                "force_balance(year={year}, estimate={estimate}): choose a year from {first} to {last} "
                "and an estimate among {estimates}.",
                year=repr(year),
                estimate=repr(estimate),
                first=YEARS[0],
                last=YEARS[-1],
                estimates=", ".join(map(repr, ESTIMATES)),
            )
        )


def view(state: ForceBalanceState, evidence: Evidence) -> ForceBalanceView:
    """The chart data, readout, caption and table for one choice of year, estimate and series."""
    check(state.year, state.estimate)
    tables = _tables(evidence.forces)
    chosen = tables[state.estimate]
    estimate = estimate_label(state.estimate)
    un_side, communist_side = int(chosen.loc[state.year, "UN_incl_ROK"]), int(chosen.loc[state.year, "communist"])
    ratio = ratio_text(un_side, communist_side)
    numbers = _("{un:,} against {communist:,}", un=un_side, communist=communist_side)
    shown = tuple(s for s in SHOWN_SERIES if s in state.series)
    lines = {s: tuple(int(v) for v in chosen[s]) for s in shown}
    bands = {s: (tuple(int(v) for v in tables["low"][s]), tuple(int(v) for v in tables["high"][s])) for s in shown}
    comparison = _comparison(state.year, estimate, un_side, communist_side)
    caption = _(
        "Armed forces on the Korean peninsula, 1953–1958, rebuilt after the chart in Tian 2014, §1. Lines: "
        "{estimate} estimates; shaded bands: the low–high range the sources allow. Each year point is 1 July. "
        "The figures are our reconstruction from public sources, not the paper's own (unpublished) numbers: "
        "see data/FORCES.md.",
        estimate=estimate,
    )
    if state.estimate != "strength":
        caption += " " + _(
            "'{estimate}' takes the {estimate} figure for every series on both sides at once, so its "
            "ratio is not the least or most favourable case for either side.",
            estimate=estimate,
        )
    return ForceBalanceView(
        state=state,
        un_side=un_side,
        communist_side=communist_side,
        ratio=ratio,
        numbers=numbers,
        readout=_(
            "1 July {year}, {estimate} estimates: {ratio} ({numbers})",
            year=state.year,
            estimate=estimate,
            ratio=ratio,
            numbers=numbers,
        ),
        comparison=comparison,
        caption=caption,
        text_alternative=_text_alternative(state, lines, estimate) + " " + comparison,
        table=_table(evidence.forces, state.estimate),
        lines=lines,
        bands=bands,
        y_max=max((max(high) for _low, high in bands.values()), default=0),
    )


def figure(view: ForceBalanceView) -> Figure:
    """The paper's six-series chart, with uncertainty bands and the chosen year marked."""
    fig = new_figure()
    ax = fig.add_subplot()
    for series, values in view.lines.items():
        colour, linestyle, marker, width = STYLES[series]
        low, high = view.bands[series]
        ax.fill(YEARS + YEARS[::-1], low + high[::-1], color=colour, alpha=0.13, linewidth=0)
        ax.plot(
            YEARS,
            values,
            color=colour,
            linestyle=linestyle,
            marker=marker,
            linewidth=width,
            markersize=5,
            label=series_label(series),
        )
    year = view.state.year
    ax.axvline(year, color=MARKER_COLOUR, linestyle=(0, (1, 2)), linewidth=1.2)
    ax.set_xlim(YEARS[0] - 0.3, YEARS[-1] + 0.3)
    ax.set_ylim(0, max(view.y_max, 1) * 1.08)
    label = _(
        "{year}: UN side 7 : {communist} communist side",
        year=year,
        communist=ratio_number(view.un_side, view.communist_side),
    )
    align = {YEARS[0]: "left", YEARS[-1]: "right"}.get(year, "center")
    ax.annotate(
        label,
        xy=(year, 1),
        xycoords=("data", "axes fraction"),
        xytext=(0, -4),
        textcoords="offset points",
        ha=align,
        va="top",
        fontsize=8.5,
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": MARKER_COLOUR, "linewidth": 0.6},
    )
    ax.set_xticks(YEARS)
    thousands_axis(ax.yaxis)
    ax.set_title(
        _(
            "Forces on the Korean peninsula, 1 July 1953–1958 ({estimate} estimates)",
            estimate=estimate_label(view.state.estimate),
        ),
        fontsize=11,
        y=1.0,
    )  # a fixed position skips a costly layout pass
    ax.set_xlabel(_("Year (strength on 1 July)"))
    ax.set_ylabel(_("Troops (thousands)"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    if view.lines:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=7.5, frameon=False)
    else:
        ax.text(0.5, 0.5, _("No series selected"), transform=ax.transAxes, ha="center", va="center")
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.29, top=0.92)
    return fig


def chart_png(view: ForceBalanceView, evidence: Evidence) -> bytes:
    """The chart of this view as PNG, drawn once per state and forces table."""
    return cached_png(evidence.forces, ("force_balance", view.state), lambda: figure(view))


def table_html(view: ForceBalanceView) -> str:
    """The table behind the chart (the chosen year's rows in bold)."""
    estimate = estimate_label(view.state.estimate)
    columns = [
        _("Year"),
        _("Series"),
        _("Troops ({estimate})", estimate=estimate),
        _("Range (low–high)"),
        _("Basis"),
        _("Source ids"),
    ]
    rows, marked = [], set()
    for n, row in enumerate(view.table.itertuples()):
        rows.append(
            [row.year, row.label, f"{row.value:,}", f"{row.low:,}–{row.high:,}", row.basis, "; ".join(row.source_ids)]
        )
        if row.year == view.state.year:
            marked.add(n)
    caption = _(
        "Strength on 1 July, {estimate} estimates, with the low–high range; totals are computed from the "
        "rows above them.",
        estimate=estimate,
    )
    return render("explorers/table.html.j2", columns=columns, rows=rows, caption=caption, marked=marked)


class ForceBalanceExplorer(Explorer[ForceBalanceState, ForceBalanceView]):
    """The widgets around `view`: year and estimate buttons, series check boxes, readout, chart, table."""

    pure_view = staticmethod(view)

    def __init__(self, year: int = 1956, estimate: str = "strength", evidence: Evidence | None = None):
        check(year, estimate)
        super().__init__(evidence)
        wide = {"description_width": "initial"}
        # Buttons, not a slider: each year is a button named by its text, reachable with Tab.
        self.year = widgets.ToggleButtons(
            options=[(str(y), y) for y in YEARS],
            value=year,
            description=_("Year (1 July)"),
            style={**wide, "button_width": "auto"},  # the whole year shows (4em cut it to "19…")
        )
        self.estimate = widgets.ToggleButtons(
            options=[(estimate_label(e), e) for e in ESTIMATES],
            value=estimate,
            description=_("Estimate"),
            tooltips=[_(ESTIMATE_TOOLTIPS[e]) for e in ESTIMATES],
            style=wide,
        )
        self.series = {
            s: widgets.Checkbox(
                value=True, description=series_label(s), indent=False, layout=widgets.Layout(width="auto")
            )
            for s in SHOWN_SERIES
        }
        self.readout = widgets.HTML()
        self.chart = widgets.Output()
        self.caption = widgets.HTML()
        self.table = widgets.HTML()
        self.table_view = widgets.Accordion(
            children=[self.table], titles=(_("Table: the numbers behind the chart, with basis and sources"),)
        )
        self.table_view.selected_index = None
        self.png = b""
        self.root = focus_ring(
            widgets.VBox(
                [
                    self.year,
                    self.estimate,
                    widgets.HBox(
                        [widgets.Label(_("Series shown:"))] + list(self.series.values()),
                        layout=widgets.Layout(flex_flow="row wrap"),
                    ),
                    self.readout,
                    self.chart,
                    self.caption,
                    self.table_view,
                ]
            )
        )
        self.watch(self.year, self.estimate, *self.series.values())
        self.update()

    def state(self) -> ForceBalanceState:
        return ForceBalanceState(
            year=self.year.value,
            estimate=self.estimate.value,
            series=tuple(s for s, box in self.series.items() if box.value),
        )

    def show(self, shown: ForceBalanceView) -> None:
        self.png = chart_png(shown, self.evidence)
        self.chart.outputs = ()
        self.chart.append_display_data(HTML(image_html(self.png, shown.text_alternative)))
        self.readout.value = render("explorers/force_balance_readout.html.j2", view=shown)
        self.caption.value = render("explorers/force_balance_caption.html.j2", view=shown)
        self.table.value = table_html(shown)


def force_balance(year: int = 1956, estimate: str = "strength", evidence: Evidence | None = None) -> widgets.Widget:
    """One line for a lesson: the force-balance explorer, opened at `year` and `estimate`."""
    return ForceBalanceExplorer(year=year, estimate=estimate, evidence=evidence).root
