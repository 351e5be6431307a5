"""Plan comparison: predict how each withdrawal plan works, then reveal what the sources say.

A grid with the plans as columns (Kim's two plans of December 1957, the official history's version of
them, China's revision, the DPRK statement of 5 February 1958) and five dimensions as rows. The student
picks a plan, predicts each dimension from a small closed vocabulary, and reveals cells one row at a
time (or all at once); a revealed cell shows our wording, its sources, and whether the prediction matched.

Pure part: `PlanComparisonState`, the transitions `predict` / `reveal` / `reveal_all`, and `view(state, evidence)`.
Shell: `PlanComparisonExplorer`. Lessons call `plan_comparison(plans=[...])`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import ipywidgets as widgets
import pandas as pd

from course.display.cards import display_title
from course.display.controls import choice, focus_ring
from course.display.templating import render
from course.evidence.package import Evidence, localized
from course.explorers.base import Cache, Explorer
from course.i18n import N_, _, locale

PLANS = ("kim-first", "kim-second", "official-history", "china-revision", "dprk-statement")
DIMENSIONS = ("initiator", "responder", "un_role", "channel", "timetable")

# The closed vocabulary the student predicts from, per dimension (labels in CATEGORY_LABELS).
VOCABULARY = {
    "initiator": ("DPRK", "PRC", "USSR", "UN"),
    "responder": ("DPRK", "PRC", "USSR", "UN"),
    "un_role": ("addressed", "kept_out"),
    "channel": ("letter", "statement"),
    "timetable": ("end_1958", "batches_1958", "none"),
}

# Each cell of data/plans.csv in the closed vocabulary, so that a prediction can be graded. The
# official history describes two plans, so its cells accept either plan's answer (plan 1 first).
# Kept here until plans.csv has a `category` column; test_plan_comparison checks it covers the data.
CATEGORIES = {
    ("kim-first", "initiator"): ("DPRK",),
    ("kim-first", "responder"): ("PRC",),
    ("kim-first", "un_role"): ("addressed",),
    ("kim-first", "channel"): ("letter",),
    ("kim-first", "timetable"): ("end_1958",),
    ("kim-second", "initiator"): ("PRC",),
    ("kim-second", "responder"): ("DPRK",),
    ("kim-second", "un_role"): ("kept_out",),
    ("kim-second", "channel"): ("statement",),
    ("kim-second", "timetable"): ("none",),
    ("official-history", "initiator"): ("DPRK",),
    ("official-history", "responder"): ("PRC", "USSR"),
    ("official-history", "un_role"): ("kept_out", "addressed"),
    ("official-history", "channel"): ("statement", "letter"),
    ("official-history", "timetable"): ("none",),
    ("china-revision", "initiator"): ("DPRK",),
    ("china-revision", "responder"): ("PRC",),
    ("china-revision", "un_role"): ("kept_out",),
    ("china-revision", "channel"): ("statement",),
    ("china-revision", "timetable"): ("batches_1958",),
    ("dprk-statement", "initiator"): ("DPRK",),
    ("dprk-statement", "responder"): ("PRC",),
    ("dprk-statement", "un_role"): ("kept_out",),
    ("dprk-statement", "channel"): ("statement",),
    ("dprk-statement", "timetable"): ("none",),
}

PLAN_LABELS = {
    "kim-first": N_("Kim's first plan (letter of 16 Dec 1957)"),
    "kim-second": N_("Kim's second plan (letter of 25 Dec 1957)"),
    "official-history": N_("Kim's two plans as the official PLA history tells them"),
    "china-revision": N_("China's revision (approved 31 Dec 1957, sent 24 Jan 1958)"),
    "dprk-statement": N_("DPRK government statement (5 Feb 1958)"),
}
DIMENSION_LABELS = {
    "initiator": N_("Who opens (initiator)"),
    "responder": N_("Who answers (responder)"),
    "un_role": N_("The UN's role"),
    "channel": N_("Channel: letter or public statement"),
    "timetable": N_("Timetable"),
}
# The buttons: one whole label per dimension ("Reveal initiator"), and its tooltip.
REVEAL_LABELS = {
    "initiator": (N_("Reveal initiator"), N_("Show what the sources say about the initiator for the chosen plan")),
    "responder": (N_("Reveal responder"), N_("Show what the sources say about the responder for the chosen plan")),
    "un_role": (N_("Reveal UN's role"), N_("Show what the sources say about the UN's role for the chosen plan")),
    "channel": (N_("Reveal channel"), N_("Show what the sources say about the channel for the chosen plan")),
    "timetable": (N_("Reveal timetable"), N_("Show what the sources say about the timetable for the chosen plan")),
}
CATEGORY_LABELS = {
    ("initiator", "DPRK"): N_("the DPRK (Pyongyang)"),
    ("initiator", "PRC"): N_("the PRC (Beijing)"),
    ("initiator", "USSR"): N_("the USSR (Moscow)"),
    ("initiator", "UN"): N_("the United Nations"),
    ("responder", "DPRK"): N_("the DPRK (Pyongyang)"),
    ("responder", "PRC"): N_("the PRC (Beijing)"),
    ("responder", "USSR"): N_("the USSR (Moscow)"),
    ("responder", "UN"): N_("the United Nations"),
    ("un_role", "addressed"): N_("the DPRK writes to the UN directly"),
    ("un_role", "kept_out"): N_("the UN is not approached directly"),
    ("channel", "letter"): N_("a letter"),
    ("channel", "statement"): N_("a public statement"),
    ("timetable", "end_1958"): N_("one deadline: the end of 1958"),
    ("timetable", "batches_1958"): N_("set batches, the last by the end of 1958"),
    ("timetable", "none"): N_("no date in the sources"),
}
CITATIONS = Cache(limit=8)


Key = tuple[str, str]  # (plan, dimension)


@dataclass(frozen=True)
class PlanComparisonState:
    """Which plans are shown, which one is being predicted, the predictions made and the cells revealed."""

    plans: tuple[str, ...] = PLANS
    focus: str = PLANS[0]
    predictions: tuple[tuple[Key, str], ...] = ()
    revealed: frozenset[Key] = field(default_factory=frozenset)

    def prediction(self, plan: str, dimension: str) -> str | None:
        return dict(self.predictions).get((plan, dimension))


def predict(state: PlanComparisonState, plan: str, dimension: str, category: str) -> PlanComparisonState:
    """Record (or, with an empty category, withdraw) a prediction; a revealed cell keeps its prediction."""
    if (plan, dimension) in state.revealed:
        return state
    if category and category not in VOCABULARY[dimension]:
        raise ValueError(
            _(
                "{category} is not one of the choices for {dimension}; choose one of: {choices}.",
                category=repr(category),
                dimension=dimension,
                choices=", ".join(VOCABULARY[dimension]),
            )
        )
    chosen = dict(state.predictions)
    chosen.pop((plan, dimension), None)
    if category:
        chosen[(plan, dimension)] = category
    return replace(state, predictions=tuple(sorted(chosen.items())))


def reveal(state: PlanComparisonState, plan: str, dimension: str) -> PlanComparisonState:
    return replace(state, revealed=state.revealed | {(plan, dimension)})


def reveal_all(state: PlanComparisonState) -> PlanComparisonState:
    return replace(state, revealed=state.revealed | {(p, d) for p in state.plans for d in DIMENSIONS})


def category_label(dimension: str, category: str) -> str:
    return _(CATEGORY_LABELS[(dimension, category)])


def plan_label(plan: str) -> str:
    return _(PLAN_LABELS[plan])


def dimension_label(dimension: str) -> str:
    return _(DIMENSION_LABELS[dimension])


def either(labels: list[str]) -> str:
    """'a letter or a public statement', in the current language's way of listing alternatives."""
    from babel.lists import format_list

    return format_list(labels, style="or", locale=locale()) if labels else ""


@dataclass(frozen=True)
class Cell:
    """One cell as the student sees it; value and sources are None while it is hidden."""

    plan: str
    dimension: str
    revealed: bool
    value: str | None
    source_ids: tuple[str, ...]
    hedged: bool
    note: str | None
    accepted: tuple[str, ...]
    prediction: str | None
    matched: bool | None  # None until a predicted cell is revealed


@dataclass(frozen=True)
class PlanComparisonView:
    cells: tuple[Cell, ...]
    table: pd.DataFrame  # dimensions x plans, "?" where hidden
    grid_html: str
    score_line: str
    caption: str
    notes_html: str

    def cell(self, plan: str, dimension: str) -> Cell:
        return next(c for c in self.cells if c.plan == plan and c.dimension == dimension)


def _rows(plans: pd.DataFrame) -> dict[Key, pd.Series]:
    return {(row["plan"], row["dimension"]): row for _index, row in plans.iterrows()}


def _cell(state: PlanComparisonState, rows: dict[Key, pd.Series], plan: str, dimension: str) -> Cell:
    key = (plan, dimension)
    shown = key in state.revealed
    row = rows.get(key)
    prediction = state.prediction(plan, dimension)
    accepted = CATEGORIES.get(key, ())
    matched = (prediction in accepted) if shown and prediction is not None else None
    if not shown or row is None:
        return Cell(plan, dimension, shown, None, (), False, None, accepted, prediction, matched)
    return Cell(
        plan,
        dimension,
        True,
        localized(row, "value"),
        tuple(row["source_ids"] or ()),
        bool(row["hedged"]),
        localized(row, "note") or None,
        accepted,
        prediction,
        matched,
    )


def _citations(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> short citation (title in the current language, date). Cached per DataFrame and language."""
    return CITATIONS.get(
        sources,
        "citations",
        lambda: {row["id"]: _short_citation(display_title(row), row["date"]) for row in sources.to_dict("records")},
    )


def _short_citation(title, date) -> str:
    """The title, plus the year when the title does not already give it."""
    title = title if isinstance(title, str) else ""
    year = date[:4] if isinstance(date, str) else ""
    return _("{title}, {year}", title=title, year=year) if year and year not in title else title


def _feedback(cell: Cell) -> str:
    if cell.prediction is None:
        return _("No prediction made.")
    said = category_label(cell.dimension, cell.prediction)
    if cell.matched:
        if len(cell.accepted) > 1:
            return _(
                "✓ Your prediction (“{prediction}”) matches one of the two plans in this account.", prediction=said
            )
        return _("✓ Your prediction (“{prediction}”) matches the sources.", prediction=said)
    answer = either([category_label(cell.dimension, c) for c in cell.accepted])
    return _(
        "✗ Your prediction (“{prediction}”) does not match: the sources say {answer}.", prediction=said, answer=answer
    )


def _cell_context(cell: Cell, citations: dict[str, str]) -> dict:
    """What the grid template needs for one cell."""
    context = {
        "plan": cell.plan,
        "dimension": cell.dimension,
        "revealed": cell.revealed,
        "value": cell.value,
        "hedged": cell.hedged,
        "prediction": None,
        "answer": "",
        "sources": [],
        "mark": "",
        "feedback": "",
    }
    if cell.prediction is not None:
        context["prediction"] = category_label(cell.dimension, cell.prediction)
    if cell.revealed and cell.value is not None:
        context["answer"] = either([category_label(cell.dimension, c) for c in cell.accepted])
        context["sources"] = [(s, citations.get(s)) for s in cell.source_ids]
        context["mark"] = "match" if cell.matched else "mismatch" if cell.matched is False else "unpredicted"
        context["feedback"] = _feedback(cell)
    return context


def _grid_html(state: PlanComparisonState, cells: dict[Key, Cell], citations: dict[str, str], caption: str) -> str:
    columns = [(p, plan_label(p), p == state.focus) for p in state.plans]
    rows = [(dimension_label(d), [_cell_context(cells[(p, d)], citations) for p in state.plans]) for d in DIMENSIONS]
    return render("explorers/plan_comparison_grid.html.j2", caption=caption, columns=columns, rows=rows)


def _notes_html(state: PlanComparisonState, cells: dict[Key, Cell]) -> str:
    shown = [cells[(p, d)] for p in state.plans for d in DIMENSIONS if cells[(p, d)].value is not None]
    if not shown:
        return render("explorers/plan_comparison_no_notes.html.j2")
    columns = [_("Plan"), _("Dimension"), _("What the sources say"), _("Hedged"), _("Source ids"), _("How we know")]
    rows = [
        [
            plan_label(c.plan),
            dimension_label(c.dimension),
            c.value,
            _("yes") if c.hedged else _("no"),
            "; ".join(c.source_ids),
            c.note or "",
        ]
        for c in shown
    ]
    return render("explorers/table.html.j2", columns=columns, rows=rows, caption=None, marked=None)


def view(state: PlanComparisonState, evidence: Evidence) -> PlanComparisonView:
    """The grid for these plans: hidden cells as '?', revealed ones with text, sources and graded prediction."""
    rows = _rows(evidence.plans)
    cells = {(p, d): _cell(state, rows, p, d) for p in state.plans for d in DIMENSIONS}
    ordered = tuple(cells[(p, d)] for p in state.plans for d in DIMENSIONS)
    hidden = _("?")
    table = pd.DataFrame(
        [
            [
                cells[(p, d)].value if cells[(p, d)].revealed and cells[(p, d)].value is not None else hidden
                for p in state.plans
            ]
            for d in DIMENSIONS
        ],
        index=list(DIMENSIONS),
        columns=list(state.plans),
    )
    checked = [c for c in ordered if c.matched is not None]
    score = _(
        "Revealed {revealed} of {total} cells. Predictions checked: {checked}; matching the sources: {matched}.",
        revealed=sum(c.revealed for c in ordered),
        total=len(ordered),
        checked=len(checked),
        matched=sum(bool(c.matched) for c in checked),
    )
    caption = _(
        "The withdrawal plans compared (Tian 2014, §3–§5). Columns are plans, rows are what is compared; "
        "“?” marks a cell not yet revealed. Revealed cells give the plan in our own words, its sources, and "
        "whether your prediction matched."
    )
    return PlanComparisonView(
        cells=ordered,
        table=table,
        grid_html=_grid_html(state, cells, _citations(evidence.sources), caption),
        score_line=score,
        caption=caption,
        notes_html=_notes_html(state, cells),
    )


class PlanComparisonExplorer(Explorer[PlanComparisonState, PlanComparisonView]):
    """The widget shell: a plan chooser, one prediction choice and Reveal button per dimension, the grid."""

    pure_view = staticmethod(view)

    def __init__(self, plans=None, evidence: Evidence | None = None):
        super().__init__(evidence)
        shown = tuple(plans) if plans is not None else PLANS
        unknown = [p for p in shown if p not in PLANS]
        if unknown or not shown:
            raise ValueError(
                _(
                    "plan_comparison(plans=...) got unknown plans {unknown}; choose from: {plans}.",
                    unknown=", ".join(map(repr, unknown)) or "none",
                    plans=", ".join(PLANS),
                )
            )
        self._state = PlanComparisonState(plans=shown, focus=shown[0])
        # Radio buttons, not dropdowns: JupyterLab takes a dropdown's keys (course/display/controls.py).
        self.plan = choice(
            _("Predict for:"),
            [(plan_label(p), p) for p in shown],
            shown[0],
            tooltip=_("Choose the plan whose cells you want to predict and reveal"),
        )
        self.predictions = {
            d: choice(
                dimension_label(d),
                [(category_label(d, c), c) for c in VOCABULARY[d]],
                None,
                horizontal=True,
                description_width="17em",
            )
            for d in DIMENSIONS
        }
        self.reveal = {
            d: widgets.Button(
                description=_(REVEAL_LABELS[d][0]), tooltip=_(REVEAL_LABELS[d][1]), layout=widgets.Layout(width="auto")
            )
            for d in DIMENSIONS
        }
        self.reveal_all = widgets.Button(
            description=_("Reveal all"), tooltip=_("Show every cell of the grid with its sources"), button_style="info"
        )
        self.status = widgets.HTML()
        self.grid = widgets.HTML()
        self.notes = widgets.HTML()
        self.notes_panel = widgets.Accordion(
            children=[self.notes],
            titles=(_("How we know: notes and sources for the revealed cells"),),
            selected_index=None,
        )
        self.plan.observe(self._plan_changed, names="value")
        for dimension, control in self.predictions.items():
            control.observe(lambda change, d=dimension: self._predicted(d, change["new"]), names="value")
            self.reveal[dimension].on_click(lambda _button, d=dimension: self._reveal(d))
        self.reveal_all.on_click(lambda _button: self._apply(reveal_all(self._state)))
        rows = [widgets.HBox([self.predictions[d], self.reveal[d]]) for d in DIMENSIONS]
        self.root = focus_ring(
            widgets.VBox([self.plan, *rows, self.reveal_all, self.status, self.grid, self.notes_panel])
        )
        self.update()

    def state(self) -> PlanComparisonState:
        return self._state

    def _plan_changed(self, change) -> None:
        self._apply(replace(self._state, focus=change["new"]))

    def _predicted(self, dimension: str, category: str) -> None:
        if not self._quiet:
            self._apply(predict(self._state, self._state.focus, dimension, category))

    def _reveal(self, dimension: str) -> None:
        self._apply(reveal(self._state, self._state.focus, dimension))

    def _apply(self, state: PlanComparisonState) -> None:
        self._state = state
        self.update()

    def show(self, shown: PlanComparisonView) -> None:
        """Show the focus plan's predictions, lock the rows already revealed for it, and render the grid."""
        with self.quietly():
            for dimension, control in self.predictions.items():
                control.value = self._state.prediction(self._state.focus, dimension) or None
                done = (self._state.focus, dimension) in self._state.revealed
                control.disabled = done
                self.reveal[dimension].disabled = done
        self.status.value = render("explorers/plan_comparison_status.html.j2", view=shown)
        self.grid.value = shown.grid_html
        self.notes.value = shown.notes_html


def plan_comparison(plans=None, evidence: Evidence | None = None) -> widgets.VBox:
    """One line for a lesson: the predict-then-reveal grid (default: all five plans)."""
    return PlanComparisonExplorer(plans=plans, evidence=evidence).root


__all__ = [
    "PLANS",
    "DIMENSIONS",
    "VOCABULARY",
    "CATEGORIES",
    "PlanComparisonState",
    "Cell",
    "PlanComparisonView",
    "predict",
    "reveal",
    "reveal_all",
    "category_label",
    "view",
    "PlanComparisonExplorer",
    "plan_comparison",
]
