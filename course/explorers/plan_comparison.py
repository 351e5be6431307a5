"""Plan comparison: predict how each withdrawal plan works, then reveal what the sources say.

A grid with the plans as columns (Kim's two plans of December 1957, the official history's version of
them, China's revision, the DPRK statement of 5 February 1958) and five dimensions as rows. The student
picks a plan, predicts each dimension from a small closed vocabulary, and reveals cells one row at a
time (or all at once); a revealed cell shows our wording, its sources, and whether the prediction matched.

Pure part: `State`, the transitions `predict` / `reveal` / `reveal_all`, and `view(state, evidence)`.
Shell: `PlanComparisonExplorer`. Lessons call `plan_comparison(plans=[...])`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace

import ipywidgets as widgets
import pandas as pd

from course.evidence.package import Evidence, evidence as load_evidence
from course.i18n import t

PLANS = ("kim-first", "kim-second", "official-history", "china-revision", "dprk-statement")
DIMENSIONS = ("initiator", "responder", "un_role", "channel", "timetable")

# The closed vocabulary the student predicts from, per dimension (labels in the message catalogue).
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

Key = tuple[str, str]  # (plan, dimension)


@dataclass(frozen=True)
class State:
    """Which plans are shown, which one is being predicted, the predictions made and the cells revealed."""

    plans: tuple[str, ...] = PLANS
    focus: str = PLANS[0]
    predictions: tuple[tuple[Key, str], ...] = ()
    revealed: frozenset[Key] = field(default_factory=frozenset)

    def prediction(self, plan: str, dimension: str) -> str | None:
        return dict(self.predictions).get((plan, dimension))


def predict(state: State, plan: str, dimension: str, category: str) -> State:
    """Record (or, with an empty category, withdraw) a prediction; a revealed cell keeps its prediction."""
    if (plan, dimension) in state.revealed:
        return state
    if category and category not in VOCABULARY[dimension]:
        raise ValueError(f"{category!r} is not in the vocabulary of {dimension!r}")
    chosen = dict(state.predictions)
    chosen.pop((plan, dimension), None)
    if category:
        chosen[(plan, dimension)] = category
    return replace(state, predictions=tuple(sorted(chosen.items())))


def reveal(state: State, plan: str, dimension: str) -> State:
    return replace(state, revealed=state.revealed | {(plan, dimension)})


def reveal_all(state: State) -> State:
    return replace(state, revealed=state.revealed | {(p, d) for p in state.plans for d in DIMENSIONS})


def category_label(dimension: str, category: str) -> str:
    return t(f"plan_comparison.cat_{dimension}_{category}")


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
class ComparisonView:
    cells: tuple[Cell, ...]
    table: pd.DataFrame  # dimensions x plans, "?" where hidden
    grid_html: str
    score_line: str
    caption: str
    notes_html: str

    def cell(self, plan: str, dimension: str) -> Cell:
        return next(c for c in self.cells if c.plan == plan and c.dimension == dimension)


def _rows(plans: pd.DataFrame) -> dict[Key, pd.Series]:
    return {(row["plan"], row["dimension"]): row for _, row in plans.iterrows()}


def _cell(state: State, rows: dict[Key, pd.Series], plan: str, dimension: str) -> Cell:
    key = (plan, dimension)
    shown = key in state.revealed
    row = rows.get(key)
    prediction = state.prediction(plan, dimension)
    accepted = CATEGORIES.get(key, ())
    matched = (prediction in accepted) if shown and prediction is not None else None
    if not shown or row is None:
        return Cell(plan, dimension, shown, None, (), False, None, accepted, prediction, matched)
    return Cell(plan, dimension, True, row["value"], tuple(row["source_ids"] or ()), bool(row["hedged"]),
                row["note"] if isinstance(row["note"], str) else None, accepted, prediction, matched)


_CITATIONS: dict[int, tuple[pd.DataFrame, dict[str, str]]] = {}


def _citations(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> short citation (English title, date). Cached per DataFrame: the controls never change it."""
    hit = _CITATIONS.get(id(sources))
    if hit is not None and hit[0] is sources:
        return hit[1]
    table = {row.id: _short_citation(row.title_en, row.date) for row in sources.itertuples()}
    if len(_CITATIONS) > 8:
        _CITATIONS.clear()
    _CITATIONS[id(sources)] = (sources, table)
    return table


def _short_citation(title, date) -> str:
    """English title, plus the year when the title does not already give it."""
    title = title if isinstance(title, str) else ""
    year = date[:4] if isinstance(date, str) else ""
    return f"{title}, {year}" if year and year not in title else title


def _citation(citations: dict[str, str], source_id: str) -> str:
    """'id' plus its short citation, both escaped."""
    code = f"<code>{html.escape(source_id)}</code>"
    text = citations.get(source_id)
    return f"{code} <small>({html.escape(text)})</small>" if text else code


def _feedback(cell: Cell) -> str:
    if cell.prediction is None:
        return t("plan_comparison.no_prediction")
    said = category_label(cell.dimension, cell.prediction)
    if cell.matched:
        key = "matched_one_of" if len(cell.accepted) > 1 else "matched"
        return t(f"plan_comparison.{key}", prediction=said)
    answer = t("plan_comparison.answer_join").join(category_label(cell.dimension, c) for c in cell.accepted)
    return t("plan_comparison.mismatched", prediction=said, answer=answer)


def _cell_html(cell: Cell, citations: dict[str, str]) -> str:
    attrs = f"data-plan='{html.escape(cell.plan)}' data-dimension='{html.escape(cell.dimension)}'"
    if not cell.revealed:
        guess = ""
        if cell.prediction is not None:
            said = category_label(cell.dimension, cell.prediction)
            guess = f"<div class='ov-guess'>{html.escape(t('plan_comparison.your_prediction', prediction=said))}</div>"
        return (f"<td {attrs} data-state='hidden'><span aria-label='{html.escape(t('plan_comparison.hidden_label'))}'>"
                f"{html.escape(t('plan_comparison.hidden'))}</span>{guess}</td>")
    if cell.value is None:
        return f"<td {attrs} data-state='missing'>{html.escape(t('plan_comparison.missing'))}</td>"
    badge = (f" <span class='ov-badge' style='border:1px dotted #000;padding:0 3px'>"
             f"{html.escape(t('plan_comparison.hedged'))}</span>") if cell.hedged else ""
    answer = t("plan_comparison.answer_join").join(category_label(cell.dimension, c) for c in cell.accepted)
    short = f"<div><i>{html.escape(t('plan_comparison.category', answer=answer))}</i></div>" if answer else ""
    cited = "; ".join(_citation(citations, s) for s in cell.source_ids)
    mark = "ov-match" if cell.matched else "ov-mismatch" if cell.matched is False else "ov-unpredicted"
    return (f"<td {attrs} data-state='revealed'><div>{html.escape(cell.value)}{badge}</div>{short}"
            f"<div class='ov-sources'><small>{html.escape(t('plan_comparison.sources'))}: {cited}</small></div>"
            f"<div class='{mark}'>{html.escape(_feedback(cell))}</div></td>")


def _grid_html(state: State, cells: dict[Key, Cell], citations: dict[str, str], caption: str) -> str:
    head = "".join(
        f"<th scope='col' data-plan='{html.escape(p)}'>{html.escape(t(f'plan_comparison.plan_{p}'))}"
        + (f" <small>{html.escape(t('plan_comparison.focus_marker'))}</small>" if p == state.focus else "") + "</th>"
        for p in state.plans)
    body = "".join(
        f"<tr><th scope='row'>{html.escape(t(f'plan_comparison.dimension_{d}'))}</th>"
        + "".join(_cell_html(cells[(p, d)], citations) for p in state.plans) + "</tr>"
        for d in DIMENSIONS)
    return (f"<table class='ov-plans' style='border-collapse:collapse' border='1' cellpadding='4'>"
            f"<caption>{html.escape(caption)}</caption><thead><tr>"
            f"<th scope='col'>{html.escape(t('plan_comparison.column_dimension'))}</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _notes_html(state: State, cells: dict[Key, Cell]) -> str:
    shown = [cells[(p, d)] for p in state.plans for d in DIMENSIONS if cells[(p, d)].value is not None]
    if not shown:
        return f"<p>{html.escape(t('plan_comparison.notes_none'))}</p>"
    frame = pd.DataFrame({
        t("plan_comparison.col_plan"): [c.plan for c in shown],
        t("plan_comparison.col_dimension"): [c.dimension for c in shown],
        t("plan_comparison.col_value"): [c.value for c in shown],
        t("plan_comparison.col_hedged"): [t("plan_comparison.yes") if c.hedged else t("plan_comparison.no") for c in shown],
        t("plan_comparison.col_sources"): ["; ".join(c.source_ids) for c in shown],
        t("plan_comparison.col_note"): [c.note or "" for c in shown],
    })
    return frame.to_html(index=False, escape=True, classes="ov-table")


def view(state: State, evidence: Evidence) -> ComparisonView:
    """The grid for these plans: hidden cells as '?', revealed ones with text, sources and graded prediction."""
    rows = _rows(evidence.plans)
    cells = {(p, d): _cell(state, rows, p, d) for p in state.plans for d in DIMENSIONS}
    ordered = tuple(cells[(p, d)] for p in state.plans for d in DIMENSIONS)
    table = pd.DataFrame(
        [[cells[(p, d)].value if cells[(p, d)].revealed and cells[(p, d)].value is not None else t("plan_comparison.hidden")
          for p in state.plans] for d in DIMENSIONS],
        index=list(DIMENSIONS), columns=list(state.plans))
    checked = [c for c in ordered if c.matched is not None]
    score = t("plan_comparison.score", revealed=sum(c.revealed for c in ordered), total=len(ordered),
              checked=len(checked), matched=sum(bool(c.matched) for c in checked))
    caption = t("plan_comparison.caption")
    return ComparisonView(cells=ordered, table=table, grid_html=_grid_html(state, cells, _citations(evidence.sources), caption),
                          score_line=score, caption=caption, notes_html=_notes_html(state, cells))


class PlanComparisonExplorer:
    """The widget shell: a plan chooser, one prediction dropdown and Reveal button per dimension, the grid."""

    def __init__(self, plans=None, evidence: Evidence | None = None):
        self.evidence = evidence if evidence is not None else load_evidence()
        shown = tuple(plans) if plans is not None else PLANS
        unknown = [p for p in shown if p not in PLANS]
        if unknown or not shown:
            raise ValueError(f"unknown plans {unknown}; choose from {', '.join(PLANS)}")
        self._state = State(plans=shown, focus=shown[0])
        self._syncing = False
        style = {"description_width": "initial"}
        self.plan = widgets.Dropdown(description=t("plan_comparison.control_plan"),
                                     options=[(t(f"plan_comparison.plan_{p}"), p) for p in shown], value=shown[0],
                                     tooltip=t("plan_comparison.control_plan_tooltip"), style=style,
                                     layout=widgets.Layout(width="36em"))
        self.predictions = {
            d: widgets.Dropdown(description=t(f"plan_comparison.dimension_{d}"),
                                options=[(t("plan_comparison.choose"), "")]
                                + [(category_label(d, c), c) for c in VOCABULARY[d]],
                                value="", style={"description_width": "17em"}, layout=widgets.Layout(width="36em"))
            for d in DIMENSIONS}
        self.reveal = {
            d: widgets.Button(description=t("plan_comparison.reveal_row", dimension=t(f"plan_comparison.short_{d}")),
                              tooltip=t("plan_comparison.reveal_row_tooltip", dimension=t(f"plan_comparison.short_{d}")),
                              layout=widgets.Layout(width="auto"))
            for d in DIMENSIONS}
        self.reveal_all = widgets.Button(description=t("plan_comparison.reveal_all"),
                                         tooltip=t("plan_comparison.reveal_all_tooltip"), button_style="info")
        self.status = widgets.HTML()
        self.grid = widgets.HTML()
        self.notes = widgets.HTML()
        self.notes_panel = widgets.Accordion(children=[self.notes], titles=(t("plan_comparison.notes_title"),),
                                             selected_index=None)
        self.plan.observe(self._plan_changed, names="value")
        for dimension, dropdown in self.predictions.items():
            dropdown.observe(lambda change, d=dimension: self._predicted(d, change["new"]), names="value")
            self.reveal[dimension].on_click(lambda _button, d=dimension: self._reveal(d))
        self.reveal_all.on_click(lambda _button: self._apply(reveal_all(self._state)))
        rows = [widgets.HBox([self.predictions[d], self.reveal[d]]) for d in DIMENSIONS]
        self.root = widgets.VBox([self.plan, *rows, self.reveal_all, self.status, self.grid, self.notes_panel])
        self.update()

    def state(self) -> State:
        return self._state

    def _plan_changed(self, change) -> None:
        self._state = replace(self._state, focus=change["new"])
        self.update()

    def _predicted(self, dimension: str, category: str) -> None:
        if not self._syncing:
            self._apply(predict(self._state, self._state.focus, dimension, category))

    def _reveal(self, dimension: str) -> None:
        self._apply(reveal(self._state, self._state.focus, dimension))

    def _apply(self, state: State) -> None:
        self._state = state
        self.update()

    def _sync_controls(self) -> None:
        """Show the focus plan's predictions; lock the rows already revealed for it."""
        self._syncing = True
        try:
            for dimension, dropdown in self.predictions.items():
                dropdown.value = self._state.prediction(self._state.focus, dimension) or ""
                done = (self._state.focus, dimension) in self._state.revealed
                dropdown.disabled = done
                self.reveal[dimension].disabled = done
        finally:
            self._syncing = False

    def update(self) -> ComparisonView:
        """Re-render every output from the current state (timed by the benchmark)."""
        shown = view(self._state, self.evidence)
        self._sync_controls()
        self.status.value = f"<div class='ov-count' role='status'><b>{html.escape(shown.score_line)}</b></div>"
        self.grid.value = shown.grid_html
        self.notes.value = shown.notes_html
        self.current = shown
        return shown


def plan_comparison(plans=None, evidence: Evidence | None = None) -> widgets.VBox:
    """One line for a lesson: the predict-then-reveal grid (default: all five plans)."""
    return PlanComparisonExplorer(plans=plans, evidence=evidence).root


__all__ = ["PLANS", "DIMENSIONS", "VOCABULARY", "CATEGORIES", "State", "Cell", "ComparisonView", "predict",
           "reveal", "reveal_all", "category_label", "view", "PlanComparisonExplorer", "plan_comparison"]
