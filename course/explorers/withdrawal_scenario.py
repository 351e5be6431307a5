"""Explorer: what the CPV withdrawal did to the balance, and what the KPA would need to make up for it.

Tian 2014 (§1, §2.2) argues that the roughly 300,000 Chinese troops were what kept the peninsula in
balance, and that Soviet diplomats doubted the DPRK could replace them. Students take the CPV out,
change the other forces within plausible limits, and see how many North Korean soldiers it would
take to get back to the July 1956 balance.

Pure part: `State`, `default_state(evidence)`, `view(state, evidence) -> View`, `figure(view)`.
Shell: `WithdrawalScenarioExplorer`. Lessons call `withdrawal_scenario()`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
from IPython.display import HTML
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from course.evidence.package import Evidence, force_table
from course.evidence.package import evidence as load_evidence
from course.explorers.force_balance import DPI, FIGURE_SIZE, image_html, png_bytes, ratio_number, ratio_text
from course.i18n import t

BASE_YEAR = 1957
COMPARISON_YEAR = 1956
PUZANOV_SOURCE = "puzanov-1957-06-04"
CPV_SHARE = (0, 100, 5)
KPA_CHANGE = (-20, 100, 5)
ROK_THOUSANDS = (600, 720, 1)  # step 1 so that the data default (e.g. 682) is on the grid the browser snaps to
US_THOUSANDS = (40, 80, 1)
X_MAX = 850_000  # fixed, so bar lengths can be compared as the sliders move

# Okabe–Ito colours plus hatching: every segment is told apart without colour too.
SEGMENTS = {
    "ROK": ("#56B4E9", "//"),
    "US": ("#0072B2", ".."),
    "other_UN": ("#009E73", "xx"),
    "KPA": ("#D55E00", "\\\\"),
    "CPV": ("#E69F00", "oo"),
}
BAR_HEIGHT = 0.55


@dataclass(frozen=True)
class State:
    """The slider values: CPV share and KPA change in %, ROK and US in thousands of troops."""

    cpv_share: int
    kpa_change: int
    rok_thousands: int
    us_thousands: int


@dataclass(frozen=True)
class View:
    """The scenario's forces, balance, answer and the sentences the student reads."""

    state: State
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
    answer: str
    assumptions: str
    source_note: str
    text_alternative: str


def _best(evidence: Evidence):
    return force_table(evidence.forces, "strength")


def default_state(evidence: Evidence) -> State:
    """July 1957 at best estimates, on the sliders' whole-thousand scale, with every CPV soldier still there."""
    base = _best(evidence).loc[BASE_YEAR]
    return State(cpv_share=100, kpa_change=0, rok_thousands=round(base["ROK"] / 1000),
                 us_thousands=round(base["US"] / 1000))


def extra_kpa_needed(un_side: int, communist_side: int, un_1956: int, communist_1956: int) -> int:
    """Soldiers to add so that communist/UN reaches the 1956 ratio (rounded up; 0 if it already does)."""
    shortfall = un_side * communist_1956 - communist_side * un_1956
    return max(0, -(-shortfall // un_1956))


def _source_note(evidence: Evidence) -> str:
    titles = evidence.sources.loc[evidence.sources.id == PUZANOV_SOURCE, "title_en"]
    title = t("withdrawal_scenario.source_title", title=titles.iloc[0]) if len(titles) else ""
    return t("withdrawal_scenario.source", source_id=PUZANOV_SOURCE, title=title)


def view(state: State, evidence: Evidence) -> View:
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
    sides_text = t("withdrawal_scenario.sides", un=un_side, communist=communist_side, rok=parts["ROK"],
                   us=parts["US"], other_un=parts["other_UN"], kpa=parts["KPA"], cpv=parts["CPV"])
    balance_text = t("withdrawal_scenario.balance", ratio=ratio, ratio_1956=ratio_1956)
    if extra:
        answer = t("withdrawal_scenario.answer_more", extra=shown, percent=100 * shown / parts["KPA"],
                   kpa=parts["KPA"], needed_kpa=parts["KPA"] + shown)
    else:
        answer = t("withdrawal_scenario.answer_none")
    assumptions = t("withdrawal_scenario.assumptions", rok_1957=int(base["ROK"]), us_1957=int(base["US"]),
                    kpa_1957=int(base["KPA"]), cpv_1957=int(base["CPV"]), other_un=parts["other_UN"])
    return View(
        state=state, parts=parts, un_side=un_side, communist_side=communist_side, ratio=ratio,
        ratio_1956=ratio_1956, ratio_1956_number=ratio_number(un_1956, communist_1956),
        needed_communist=communist_side + shown, extra_kpa=extra, extra_kpa_shown=shown,
        sides_text=sides_text, balance_text=balance_text, answer=answer, assumptions=assumptions,
        source_note=_source_note(evidence),
        text_alternative=t("withdrawal_scenario.alt", sides=sides_text, balance=balance_text, answer=answer),
    )


def _bar(ax, y: float, names: tuple[str, ...], parts: dict[str, int]) -> int:
    """One stacked bar, each segment labelled inside when there is room; returns its length."""
    left = 0
    for name in names:
        colour, hatch = SEGMENTS[name]
        width = parts[name]
        ax.barh(y, width, left=left, height=BAR_HEIGHT, color=colour, hatch=hatch, edgecolor="#222222",
                linewidth=0.6, label=t(f"withdrawal_scenario.part_{name}"))
        if width >= 60_000:
            _segment_label(ax, left + width / 2, y, f"{t(f'withdrawal_scenario.part_{name}')}\n{width / 1000:,.0f}")
        left += width
    return left


def _segment_label(ax, x: float, y: float, text: str) -> None:
    ax.text(x, y, text, ha="center", va="center", fontsize=8,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def figure(view: View) -> Figure:
    """The two sides as stacked bars, with the KPA shortfall against the 1956 balance as a dashed box."""
    fig = Figure(figsize=FIGURE_SIZE, dpi=DPI)
    ax = fig.add_subplot()
    _bar(ax, 1, ("ROK", "US", "other_UN"), view.parts)
    communist_end = _bar(ax, 0, ("KPA", "CPV"), view.parts)
    if view.extra_kpa_shown:
        ax.barh(0, view.extra_kpa_shown, left=communist_end, height=BAR_HEIGHT, fill=False, edgecolor="#000000",
                linestyle="--", linewidth=1.4, label=t("withdrawal_scenario.part_needed"))
        if view.extra_kpa_shown >= 60_000:
            _segment_label(ax, communist_end + view.extra_kpa_shown / 2, 0,
                           t("withdrawal_scenario.needed_short", extra=view.extra_kpa_shown))
    labels = [t("withdrawal_scenario.side_communist", total=view.communist_side),
              t("withdrawal_scenario.side_un", total=view.un_side)]
    ax.set_yticks([0, 1], labels)
    ax.set_ylim(-0.5, 1.5)
    ax.set_xlim(0, X_MAX)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value / 1000:,.0f}"))
    ax.set_xlabel(t("withdrawal_scenario.chart_x"))
    ax.set_title(t("withdrawal_scenario.chart_title", ratio=view.ratio, ratio_1956=view.ratio_1956_number),
                 fontsize=10, y=1.0)  # a fixed position skips a costly layout pass
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.17, right=0.98, bottom=0.32, top=0.92)
    return fig


class WithdrawalScenarioExplorer:
    """Four sliders around `view`, with a text readout, the bar chart and the link to Puzanov's objection."""

    def __init__(self, evidence: Evidence | None = None):
        self.evidence = evidence if evidence is not None else load_evidence()
        start = default_state(self.evidence)
        wide = {"description_width": "14em"}
        layout = widgets.Layout(width="32em")

        def slider(key: str, bounds: tuple[int, int, int], value: int) -> widgets.IntSlider:
            low, high, step = bounds
            return widgets.IntSlider(value=value, min=low, max=high, step=step, description=t(key),
                                     style=wide, layout=layout)

        self.cpv_share = slider("withdrawal_scenario.control_cpv", CPV_SHARE, start.cpv_share)
        self.kpa_change = slider("withdrawal_scenario.control_kpa", KPA_CHANGE, start.kpa_change)
        self.rok = slider("withdrawal_scenario.control_rok", ROK_THOUSANDS, start.rok_thousands)
        self.us = slider("withdrawal_scenario.control_us", US_THOUSANDS, start.us_thousands)
        self.readout = widgets.HTML()
        self.chart = widgets.Output()
        self.notes = widgets.HTML()
        self.png = b""
        self.root = widgets.VBox([self.cpv_share, self.kpa_change, self.rok, self.us,
                                  self.readout, self.chart, self.notes])
        for control in (self.cpv_share, self.kpa_change, self.rok, self.us):
            control.observe(self._changed, names="value")
        self.update()

    def state(self) -> State:
        return State(cpv_share=self.cpv_share.value, kpa_change=self.kpa_change.value,
                     rok_thousands=self.rok.value, us_thousands=self.us.value)

    def _changed(self, _change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Re-render the readout and the chart from the current sliders."""
        current = view(self.state(), self.evidence)
        self.readout.value = (
            f"<p>{html.escape(current.sides_text)}</p><p><strong>{html.escape(current.balance_text)}</strong></p>"
            f"<p>{html.escape(t('withdrawal_scenario.question'))} <strong>{html.escape(current.answer)}</strong></p>")
        self.png = png_bytes(figure(current))
        self.chart.outputs = ()
        self.chart.append_display_data(HTML(image_html(self.png, current.text_alternative)))
        self.notes.value = (f"<p>{html.escape(current.source_note)}</p>"
                            f"<p><small>{html.escape(current.assumptions)}</small></p>")


def withdrawal_scenario(evidence: Evidence | None = None) -> widgets.Widget:
    """One line for a lesson: the withdrawal-scenario explorer, starting from July 1957."""
    return WithdrawalScenarioExplorer(evidence=evidence).root
