"""Explorer: the balance of forces on the Korean peninsula, 1953–1958 (Tian 2014, §1, the chart).

The paper's chart lost its numbers, so this rebuilds it from our reconstruction (data/forces.csv)
and shows what the reconstruction cannot hide: every value has a low–high range. Students pick a
year and an estimate and read the balance in the paper's own form ("7 : 6").

Pure part: `State`, `view(state, evidence) -> View`, `figure(view)`. Shell: `ForceBalanceExplorer`.
Lessons call `force_balance(year=1956)`.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from course.evidence.package import ESTIMATES, Evidence, force_table
from course.evidence.package import evidence as load_evidence
from course.i18n import t

YEARS = tuple(range(1953, 1959))
SHOWN_SERIES = ("KPA", "CPV", "communist", "ROK", "UN", "UN_incl_ROK")
TABLE_SERIES = ("KPA", "CPV", "communist", "ROK", "US", "other_UN", "UN", "UN_incl_ROK")
COMPUTED_FROM = {"communist": ("KPA", "CPV"), "UN": ("US", "other_UN"), "UN_incl_ROK": ("ROK", "US", "other_UN")}

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
FIGURE_SIZE = (7.5, 4)
DPI = 90


def series_label(series: str) -> str:
    return t(f"force_balance.series_{series}")


def estimate_label(estimate: str) -> str:
    return t(f"force_balance.estimate_{estimate}")


def ratio_value(un_side: float, communist_side: float) -> float:
    """The communist side when the UN side is scaled to 7, as the paper states its 7:6."""
    return 7 * communist_side / un_side


def ratio_number(un_side: float, communist_side: float) -> str:
    """The x of "7 : x", to one decimal."""
    return f"{ratio_value(un_side, communist_side):.1f}"


def ratio_text(un_side: float, communist_side: float) -> str:
    return t("force_balance.ratio", communist=ratio_number(un_side, communist_side))


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def image_html(png: bytes, alt: str) -> str:
    """An <img> with a text alternative (IPython's Image cannot carry one)."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" style="max-width:100%">'


@dataclass(frozen=True)
class State:
    """What the student has chosen."""

    year: int = 1956
    estimate: str = "strength"
    series: tuple[str, ...] = SHOWN_SERIES


@dataclass(frozen=True)
class View:
    """Everything the student sees, computed from a State."""

    state: State
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
    values = {"year": year, "estimate": estimate}
    if un_side == communist_side:
        return t("force_balance.sides_equal", **values)
    key = "un_larger" if un_side > communist_side else "communist_larger"
    difference = abs(un_side - communist_side)
    return t(f"force_balance.{key}", difference=difference,
             percent=100 * difference / min(un_side, communist_side), **values)


def _table(forces: pd.DataFrame, tables: dict[str, pd.DataFrame], estimate: str) -> pd.DataFrame:
    """The numbers of one estimate, with range, basis and sources for every cell."""
    stored = {(row.year, row.series): row for row in forces.itertuples()}
    values = {name: table.to_dict() for name, table in tables.items()}
    records = []
    for year in YEARS:
        for series in TABLE_SERIES:
            parts = COMPUTED_FROM.get(series, (series,))
            if series in COMPUTED_FROM:
                basis = t("force_balance.basis_computed", parts=" + ".join(series_label(p) for p in parts))
            else:
                basis = stored[(year, series)].basis
            sources = dict.fromkeys(s for part in parts for s in stored[(year, part)].source_ids)
            records.append({
                "year": year, "series": series, "label": series_label(series),
                "value": int(values[estimate][series][year]),
                "low": int(values["low"][series][year]), "high": int(values["high"][series][year]),
                "basis": basis, "source_ids": tuple(sources),
            })
    return pd.DataFrame.from_records(records)


def _text_alternative(state: State, lines: dict[str, tuple[int, ...]], estimate: str) -> str:
    described = [t("force_balance.alt_series", label=series_label(s), first=values[0], last=values[-1])
                 for s, values in lines.items()]
    parts = [t("force_balance.alt_intro", estimate=estimate),
             "; ".join(described) + "." if described else t("force_balance.alt_none"),
             t("force_balance.alt_marker", year=state.year)]
    return " ".join(parts)


def view(state: State, evidence: Evidence) -> View:
    """The chart data, readout, caption and table for one choice of year, estimate and series."""
    if state.estimate not in ESTIMATES or state.year not in YEARS:
        raise ValueError(f"unknown estimate or year: {state.estimate!r}, {state.year!r}")
    tables = {estimate: force_table(evidence.forces, estimate) for estimate in ESTIMATES}
    chosen = tables[state.estimate]
    estimate = estimate_label(state.estimate)
    un_side, communist_side = int(chosen.loc[state.year, "UN_incl_ROK"]), int(chosen.loc[state.year, "communist"])
    ratio = ratio_text(un_side, communist_side)
    numbers = t("force_balance.numbers", un=un_side, communist=communist_side)
    shown = tuple(s for s in SHOWN_SERIES if s in state.series)
    lines = {s: tuple(int(v) for v in chosen[s]) for s in shown}
    bands = {s: (tuple(int(v) for v in tables["low"][s]), tuple(int(v) for v in tables["high"][s])) for s in shown}
    comparison = _comparison(state.year, estimate, un_side, communist_side)
    caption = t("force_balance.caption", estimate=estimate)
    if state.estimate != "strength":
        caption += " " + t("force_balance.caption_extreme", estimate=estimate)
    return View(
        state=state, un_side=un_side, communist_side=communist_side, ratio=ratio, numbers=numbers,
        readout=t("force_balance.readout", year=state.year, estimate=estimate, ratio=ratio, numbers=numbers),
        comparison=comparison, caption=caption,
        text_alternative=_text_alternative(state, lines, estimate) + " " + comparison,
        table=_table(evidence.forces, tables, state.estimate), lines=lines, bands=bands,
        y_max=max((max(high) for _, high in bands.values()), default=0),
    )


def figure(view: View) -> Figure:
    """The paper's six-series chart, with uncertainty bands and the chosen year marked."""
    fig = Figure(figsize=FIGURE_SIZE, dpi=DPI)
    ax = fig.add_subplot()
    for series, values in view.lines.items():
        colour, linestyle, marker, width = STYLES[series]
        low, high = view.bands[series]
        ax.fill(YEARS + YEARS[::-1], low + high[::-1], color=colour, alpha=0.13, linewidth=0)
        ax.plot(YEARS, values, color=colour, linestyle=linestyle, marker=marker, linewidth=width,
                markersize=5, label=series_label(series))
    year = view.state.year
    ax.axvline(year, color=MARKER_COLOUR, linestyle=(0, (1, 2)), linewidth=1.2)
    ax.set_xlim(YEARS[0] - 0.3, YEARS[-1] + 0.3)
    ax.set_ylim(0, max(view.y_max, 1) * 1.08)
    label = t("force_balance.chart_marker", year=year, communist=ratio_number(view.un_side, view.communist_side))
    align = {YEARS[0]: "left", YEARS[-1]: "right"}.get(year, "center")
    ax.annotate(label, xy=(year, 1), xycoords=("data", "axes fraction"), xytext=(0, -4), textcoords="offset points",
                ha=align, va="top", fontsize=8.5,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": MARKER_COLOUR, "linewidth": 0.6})
    ax.set_xticks(YEARS)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value / 1000:,.0f}"))
    ax.set_title(t("force_balance.chart_title", estimate=estimate_label(view.state.estimate)), fontsize=11,
                 y=1.0)  # a fixed position skips a costly layout pass
    ax.set_xlabel(t("force_balance.chart_x"))
    ax.set_ylabel(t("force_balance.chart_y"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    if view.lines:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=7.5, frameon=False)
    else:
        ax.text(0.5, 0.5, t("force_balance.chart_empty"), transform=ax.transAxes, ha="center", va="center")
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.29, top=0.92)
    return fig


def table_html(view: View) -> str:
    """The table behind the chart, every data-driven string escaped."""
    estimate = estimate_label(view.state.estimate)
    headers = [t("force_balance.col_year"), t("force_balance.col_series"),
               t("force_balance.col_value", estimate=estimate),
               t("force_balance.col_range"), t("force_balance.col_basis"), t("force_balance.col_sources")]
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    rows = []
    for row in view.table.itertuples():
        cells = [str(row.year), row.label, f"{row.value:,}", t("force_balance.range", low=row.low, high=row.high),
                 row.basis, "; ".join(row.source_ids)]
        style = ' style="font-weight:bold"' if row.year == view.state.year else ""
        rows.append(f"<tr{style}>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    caption = html.escape(t("force_balance.table_caption", estimate=estimate))
    return (f'<table class="one-voice-table"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


class ForceBalanceExplorer:
    """The widgets around `view`: year slider, estimate switch, series check boxes, readout, chart, table."""

    def __init__(self, year: int = 1956, estimate: str = "strength", evidence: Evidence | None = None):
        self.evidence = evidence if evidence is not None else load_evidence()
        wide = {"description_width": "initial"}
        self.year = widgets.SelectionSlider(options=YEARS, value=year, description=t("force_balance.control_year"),
                                            style=wide)
        self.estimate = widgets.ToggleButtons(
            options=[(estimate_label(e), e) for e in ESTIMATES], value=estimate,
            description=t("force_balance.control_estimate"),
            tooltips=[t(f"force_balance.estimate_tooltip_{e}") for e in ESTIMATES], style=wide)
        self.series = {s: widgets.Checkbox(value=True, description=series_label(s), indent=False,
                                           layout=widgets.Layout(width="auto")) for s in SHOWN_SERIES}
        self.readout = widgets.HTML()
        self.chart = widgets.Output()
        self.caption = widgets.HTML()
        self.table = widgets.HTML()
        self.table_view = widgets.Accordion(children=[self.table], titles=(t("force_balance.table_title"),))
        self.table_view.selected_index = None
        self.png = b""
        self.root = widgets.VBox([
            widgets.HBox([self.year, self.estimate]),
            widgets.HBox([widgets.Label(t("force_balance.control_series"))] + list(self.series.values()),
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.readout, self.chart, self.caption, self.table_view,
        ])
        for control in (self.year, self.estimate, *self.series.values()):
            control.observe(self._changed, names="value")
        self.update()

    def state(self) -> State:
        return State(year=self.year.value, estimate=self.estimate.value,
                     series=tuple(s for s, box in self.series.items() if box.value))

    def _changed(self, _change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Re-render every output from the current controls."""
        current = view(self.state(), self.evidence)
        self.png = png_bytes(figure(current))
        self.chart.outputs = ()
        self.chart.append_display_data(HTML(image_html(self.png, current.text_alternative)))
        self.readout.value = f"<p><strong>{html.escape(current.readout)}</strong></p>"
        self.caption.value = (f"<p>{html.escape(current.comparison)}</p>"
                              f"<p><small>{html.escape(current.caption)}</small></p>")
        self.table.value = table_html(current)


def force_balance(year: int = 1956, estimate: str = "strength", evidence: Evidence | None = None) -> widgets.Widget:
    """One line for a lesson: the force-balance explorer, opened at `year` and `estimate`."""
    return ForceBalanceExplorer(year=year, estimate=estimate, evidence=evidence).root
