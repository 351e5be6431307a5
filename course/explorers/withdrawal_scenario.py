"""Explorer: what the CPV withdrawal did to the balance, and what the KPA would need to make up for it.

Tian 2014 (§1, §2.2) argues that the roughly 300,000 Chinese troops were what kept the peninsula in
balance, and that Soviet diplomats doubted the DPRK could replace them. Students take the CPV out,
change the other forces within plausible limits, and see how many North Korean soldiers it would
take to get back to the July 1956 balance.

Pure part: `WithdrawalScenarioState`, `default_state(evidence)`, `view(state, evidence) ->
WithdrawalScenarioView`, `figure(view)`. Shell: `WithdrawalScenarioExplorer`. Lessons call
`withdrawal_scenario()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as widgets
from IPython.display import HTML

from course.display.cards import display_title
from course.display.controls import focus_ring
from course.display.templating import render
from course.evidence.package import Evidence, force_table
from course.explorers.base import Explorer
from course.explorers.charts import cached_png, image_html, new_figure, ratio_number, ratio_text, thousands_axis
from course.i18n import N_, _

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BASE_YEAR = 1957
COMPARISON_YEAR = 1956
PUZANOV_SOURCE = "puzanov-1957-06-04"
CPV_SHARE = (0, 100, 5)
KPA_CHANGE = (-20, 100, 5)
ROK_THOUSANDS = (600, 720, 1)
US_THOUSANDS = (40, 80, 1)
X_MAX = 850_000  # fixed, so bar lengths can be compared as the values change

# Okabe–Ito colours plus hatching: every segment is told apart without colour too.
SEGMENTS = {
    "ROK": ("#56B4E9", "//"),
    "US": ("#0072B2", ".."),
    "other_UN": ("#009E73", "xx"),
    "KPA": ("#D55E00", "\\\\"),
    "CPV": ("#E69F00", "oo"),
}
PART_LABELS = {"ROK": N_("ROK"), "US": N_("US"), "other_UN": N_("other UN"), "KPA": N_("KPA"), "CPV": N_("CPV")}
CONTROL_LABELS = {
    "cpv": N_("CPV still in Korea (%)"),
    "kpa": N_("KPA change from 1957 (%)"),
    "rok": N_("ROK (thousands)"),
    "us": N_("US (thousands)"),
}
BAR_HEIGHT = 0.55


@dataclass(frozen=True)
class WithdrawalScenarioState:
    """The controls' values: CPV share and KPA change in %, ROK and US in thousands of troops."""

    cpv_share: int
    kpa_change: int
    rok_thousands: int
    us_thousands: int


@dataclass(frozen=True)
class WithdrawalScenarioView:
    """The scenario's forces, balance, answer and the sentences the student reads."""

    state: WithdrawalScenarioState
    parts: dict[str, int]
    un_side: int
    communist_side: int
    ratio: str
    ratio_1956: str
    ratio_1956_number: str
    needed_communist: int
    extra_kpa: int
    extra_kpa_shown: int
    sides_text: str
    balance_text: str
    question: str
    answer: str
    assumptions: str
    source_note: str
    text_alternative: str


def _best(evidence: Evidence):
    return force_table(evidence.forces, "strength")


def default_state(evidence: Evidence) -> WithdrawalScenarioState:
    """July 1957 at best estimates, in whole thousands, with every CPV soldier still there."""
    base = _best(evidence).loc[BASE_YEAR]
    return WithdrawalScenarioState(
        cpv_share=100, kpa_change=0, rok_thousands=round(base["ROK"] / 1000), us_thousands=round(base["US"] / 1000)
    )


def extra_kpa_needed(un_side: int, communist_side: int, un_1956: int, communist_1956: int) -> int:
    """Soldiers to add so that communist/UN reaches the 1956 ratio (rounded up; 0 if it already does)."""
    shortfall = un_side * communist_1956 - communist_side * un_1956
    return max(0, -(-shortfall // un_1956))


def _source_note(evidence: Evidence) -> str:
    rows = evidence.sources[evidence.sources.id == PUZANOV_SOURCE]
    titles = [display_title(row) for row in rows.to_dict("records")]
    values = {"source_id": PUZANOV_SOURCE}
    if len(titles):
        return _(
            "Why this matters: on 4 June 1957, when the North Korean foreign minister Nam Il (南日) tentatively "
            "raised a unilateral withdrawal, the Soviet ambassador A. M. Puzanov (Пузанов) objected, as he "
            "recorded in his journal: without the Chinese troops the North would have to enlist many more "
            "soldiers and spend more on its army, and its economy could not bear that (source id {source_id}: "
            "{title}; discussed in Tian 2014, §2.2).",
            title=titles[0],
            **values,
        )
    return _(
        "Why this matters: on 4 June 1957, when the North Korean foreign minister Nam Il (南日) tentatively "
        "raised a unilateral withdrawal, the Soviet ambassador A. M. Puzanov (Пузанов) objected, as he "
        "recorded in his journal: without the Chinese troops the North would have to enlist many more "
        "soldiers and spend more on its army, and its economy could not bear that (source id {source_id}; "
        "discussed in Tian 2014, §2.2).",
        **values,
    )


def view(state: WithdrawalScenarioState, evidence: Evidence) -> WithdrawalScenarioView:
    """The scenario's two sides, its balance against July 1956, and the KPA needed to restore it."""
    best = _best(evidence)
    base, then = best.loc[BASE_YEAR], best.loc[COMPARISON_YEAR]
    parts = {
        "ROK": state.rok_thousands * 1000,
        "US": state.us_thousands * 1000,
        "other_UN": int(base["other_UN"]),
        "KPA": round(int(base["KPA"]) * (100 + state.kpa_change) / 100),
        "CPV": round(int(base["CPV"]) * state.cpv_share / 100),
    }
    un_side = parts["ROK"] + parts["US"] + parts["other_UN"]
    communist_side = parts["KPA"] + parts["CPV"]
    un_1956, communist_1956 = int(then["UN_incl_ROK"]), int(then["communist"])
    extra = extra_kpa_needed(un_side, communist_side, un_1956, communist_1956)
    shown = -(-extra // 100) * 100
    ratio, ratio_1956 = ratio_text(un_side, communist_side), ratio_text(un_1956, communist_1956)
    sides_text = _(
        "UN side {un:,} (ROK {rok:,} + US {us:,} + other UN {other_un:,}) against communist side "
        "{communist:,} (KPA {kpa:,} + CPV {cpv:,}).",
        un=un_side,
        communist=communist_side,
        rok=parts["ROK"],
        us=parts["US"],
        other_un=parts["other_UN"],
        kpa=parts["KPA"],
        cpv=parts["CPV"],
    )
    balance_text = _(
        "Balance now: {ratio}. On 1 July 1956 (best estimates) it was {ratio_1956}.", ratio=ratio, ratio_1956=ratio_1956
    )
    if extra:
        answer = _(
            "About {extra:,} more: a {percent:.1f} % increase of the KPA (from {kpa:,} to {needed_kpa:,}).",
            extra=shown,
            percent=100 * shown / parts["KPA"],
            kpa=parts["KPA"],
            needed_kpa=parts["KPA"] + shown,
        )
    else:
        answer = _("None: the balance is already at least as favourable to the communist side as in July 1956.")
    assumptions = _(
        "Starting values are the 1 July 1957 best estimates (ROK {rok_1957:,} and US {us_1957:,}, shown "
        "in whole thousands; KPA {kpa_1957:,}; CPV {cpv_1957:,}). Other UN contingents are fixed at the "
        "1957 best estimate, {other_un:,}. All figures are our reconstruction (data/FORCES.md), each with "
        "a wide range; read the answer as an order of magnitude. It is rounded up to the next hundred.",
        rok_1957=int(base["ROK"]),
        us_1957=int(base["US"]),
        kpa_1957=int(base["KPA"]),
        cpv_1957=int(base["CPV"]),
        other_un=parts["other_UN"],
    )
    return WithdrawalScenarioView(
        state=state,
        parts=parts,
        un_side=un_side,
        communist_side=communist_side,
        ratio=ratio,
        ratio_1956=ratio_1956,
        ratio_1956_number=ratio_number(un_1956, communist_1956),
        needed_communist=communist_side + shown,
        extra_kpa=extra,
        extra_kpa_shown=shown,
        sides_text=sides_text,
        balance_text=balance_text,
        question=_("How many more KPA soldiers would restore the July 1956 balance in this scenario?"),
        answer=answer,
        assumptions=assumptions,
        source_note=_source_note(evidence),
        text_alternative=_(
            "Two horizontal stacked bars. {sides} {balance} KPA soldiers needed to restore the July "
            "1956 balance (dashed box): {answer}",
            sides=sides_text,
            balance=balance_text,
            answer=answer,
        ),
    )


def _bar(ax, y: float, names: tuple[str, ...], parts: dict[str, int]) -> int:
    """One stacked bar, each segment labelled inside when there is room; returns its length."""
    left = 0
    for name in names:
        colour, hatch = SEGMENTS[name]
        width = parts[name]
        label = _(PART_LABELS[name])
        ax.barh(
            y,
            width,
            left=left,
            height=BAR_HEIGHT,
            color=colour,
            hatch=hatch,
            edgecolor="#222222",
            linewidth=0.6,
            label=label,
        )
        if width >= 60_000:
            _segment_label(ax, left + width / 2, y, f"{label}\n{width / 1000:,.0f}")
        left += width
    return left


def _segment_label(ax, x: float, y: float, text: str) -> None:
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=8,
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )


def figure(view: WithdrawalScenarioView) -> Figure:
    """The two sides as stacked bars, with the KPA shortfall against the 1956 balance as a dashed box."""
    fig = new_figure()
    ax = fig.add_subplot()
    _bar(ax, 1, ("ROK", "US", "other_UN"), view.parts)
    communist_end = _bar(ax, 0, ("KPA", "CPV"), view.parts)
    if view.extra_kpa_shown:
        ax.barh(
            0,
            view.extra_kpa_shown,
            left=communist_end,
            height=BAR_HEIGHT,
            fill=False,
            edgecolor="#000000",
            linestyle="--",
            linewidth=1.4,
            label=_("KPA soldiers needed to restore the July 1956 balance"),
        )
        if view.extra_kpa_shown >= 60_000:
            _segment_label(
                ax, communist_end + view.extra_kpa_shown / 2, 0, _("+{extra:,}\nneeded", extra=view.extra_kpa_shown)
            )
    labels = [_("Communist side\n{total:,}", total=view.communist_side), _("UN side\n{total:,}", total=view.un_side)]
    ax.set_yticks([0, 1], labels)
    ax.set_ylim(-0.5, 1.5)
    ax.set_xlim(0, X_MAX)
    thousands_axis(ax.xaxis)
    ax.set_xlabel(_("Troops (thousands)"))
    ax.set_title(
        _("Scenario: {ratio} (1 July 1956: 7 : {ratio_1956})", ratio=view.ratio, ratio_1956=view.ratio_1956_number),
        fontsize=10,
        y=1.0,
    )  # a fixed position skips a layout pass
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.17, right=0.98, bottom=0.32, top=0.92)
    return fig


def chart_png(view: WithdrawalScenarioView, evidence: Evidence) -> bytes:
    """The chart of this view as PNG, drawn once per state and forces table."""
    return cached_png(evidence.forces, ("withdrawal_scenario", view.state), lambda: figure(view))


class WithdrawalScenarioExplorer(Explorer[WithdrawalScenarioState, WithdrawalScenarioView]):
    """Four number boxes around `view`, with a text readout, the bar chart and the link to Puzanov's objection."""

    pure_view = staticmethod(view)

    def __init__(self, evidence: Evidence | None = None):
        super().__init__(evidence)
        start = default_state(self.evidence)
        wide = {"description_width": "14em"}
        layout = widgets.Layout(width="22em")

        # Labelled number boxes, not sliders: the slider handle of ipywidgets has no accessible name.
        # Arrow keys step by `step`; a typed value is kept within the bounds when the box is left.
        def box(key: str, bounds: tuple[int, int, int], value: int) -> widgets.BoundedIntText:
            low, high, step = bounds
            return widgets.BoundedIntText(
                value=value,
                min=low,
                max=high,
                step=step,
                description=_(CONTROL_LABELS[key]),
                continuous_update=False,
                style=wide,
                layout=layout,
            )

        self.cpv_share = box("cpv", CPV_SHARE, start.cpv_share)
        self.kpa_change = box("kpa", KPA_CHANGE, start.kpa_change)
        self.rok = box("rok", ROK_THOUSANDS, start.rok_thousands)
        self.us = box("us", US_THOUSANDS, start.us_thousands)
        self.readout = widgets.HTML()
        self.chart = widgets.Output()
        self.notes = widgets.HTML()
        self.png = b""
        self.root = focus_ring(
            widgets.VBox([self.cpv_share, self.kpa_change, self.rok, self.us, self.readout, self.chart, self.notes])
        )
        self.watch(self.cpv_share, self.kpa_change, self.rok, self.us)
        self.update()

    def state(self) -> WithdrawalScenarioState:
        return WithdrawalScenarioState(
            cpv_share=self.cpv_share.value,
            kpa_change=self.kpa_change.value,
            rok_thousands=self.rok.value,
            us_thousands=self.us.value,
        )

    def show(self, shown: WithdrawalScenarioView) -> None:
        self.readout.value = render("explorers/withdrawal_readout.html.j2", view=shown)
        self.png = chart_png(shown, self.evidence)
        self.chart.outputs = ()
        self.chart.append_display_data(HTML(image_html(self.png, shown.text_alternative)))
        self.notes.value = render("explorers/withdrawal_notes.html.j2", view=shown)


def withdrawal_scenario(evidence: Evidence | None = None) -> widgets.Widget:
    """One line for a lesson: the withdrawal-scenario explorer, starting from July 1957."""
    return WithdrawalScenarioExplorer(evidence=evidence).root
