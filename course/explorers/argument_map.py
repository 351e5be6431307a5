"""Argument map: walk the paper's argument (data/claims.csv) node by node.

Pick a node and see what it is (kind, text, sources, whether it is hedged), what it bears on and how,
and what bears on it, grouped by relation; the children are buttons that navigate. An outline shows
the whole map (or one lesson's slice: its nodes plus their ancestors up to the thesis). Counter-claims
and hedged nodes carry a text badge and a distinct border style, never colour alone.

Pure part: `slice_for`, `children`, `path_to_thesis`, `ArgumentMapState` and `view(state, evidence)`.
Shell: `ArgumentMapExplorer`. Lessons call `argument_map(lesson=...)`; lesson 08 calls `argument_map()`.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from course.display.controls import choice, focus_ring
from course.display.templating import render
from course.evidence.package import Evidence, localized
from course.explorers.base import Cache, Explorer
from course.i18n import N_, _

RELATIONS = ("supports", "rebuts", "qualifies")
OPTION_WIDTH = 70  # characters of text in a choice or button label
OUTLINE_WIDTH = 110
KIND_LABELS = {
    "thesis": N_("thesis"),
    "claim": N_("claim"),
    "subclaim": N_("sub-claim"),
    "evidence": N_("evidence"),
    "counterclaim": N_("counter-claim"),
    "inference": N_("inference"),
}
HEDGED_KIND_LABELS = {
    "thesis": N_("thesis — hedged"),
    "claim": N_("claim — hedged"),
    "subclaim": N_("sub-claim — hedged"),
    "evidence": N_("evidence — hedged"),
    "counterclaim": N_("counter-claim — hedged"),
    "inference": N_("inference — hedged"),
}
RELATION_LABELS = {"supports": N_("supports"), "rebuts": N_("rebuts"), "qualifies": N_("qualifies")}
GROUP_LABELS = {
    "supports": N_("Supported by ({count})"),
    "rebuts": N_("Rebutted by ({count})"),
    "qualifies": N_("Qualified by ({count})"),
}
SLICES = Cache(limit=32)


def _target(value) -> str | None:
    return value if isinstance(value, str) and value else None


def children(claims: pd.DataFrame, node_id: str) -> pd.DataFrame:
    """The nodes whose target is `node_id`, in id order."""
    return claims[claims["target"] == node_id].sort_values("id", kind="stable")


def path_to_thesis(claims: pd.DataFrame, node_id: str) -> tuple[str, ...]:
    """`node_id`, its target, that node's target, ... up to a node with no target (a cycle stops the walk)."""
    parents = dict(zip(claims["id"], claims["target"].map(_target)))
    path: list[str] = []
    current: str | None = node_id
    while current is not None and current in parents and current not in path:
        path.append(current)
        current = parents[current]
    return tuple(path)


def slice_for(claims: pd.DataFrame, lesson: str | None = None) -> pd.DataFrame:
    """One lesson's nodes plus every ancestor up to the thesis (all nodes when `lesson` is None), in id order."""
    ordered = claims.sort_values("id", kind="stable")
    if not lesson:
        return ordered.reset_index(drop=True)
    keep = {node for start in ordered.loc[ordered["lesson"] == lesson, "id"] for node in path_to_thesis(claims, start)}
    return ordered[ordered["id"].isin(keep)].reset_index(drop=True)


def short(text: str, width: int = OPTION_WIDTH) -> str:
    """The start of a text, cut at a word boundary (Chinese, which has none, at the width), with an ellipsis when cut."""
    if len(text) <= width:
        return text
    cut = text[:width]
    at_space = cut.rsplit(" ", 1)[0]
    if len(at_space) >= width // 2:
        cut = at_space
    return cut.rstrip(",;:，；：、") + "…"


def badge_text(kind: str, hedged: bool) -> str:
    """'inference — hedged', 'counter-claim', ...: the words that mark a node, so colour is never needed."""
    labels = HEDGED_KIND_LABELS if hedged else KIND_LABELS
    return _(labels[kind]) if kind in labels else kind


def relation_label(relation) -> str:
    return _(RELATION_LABELS[relation]) if isinstance(relation, str) and relation in RELATION_LABELS else ""


def border_style(kind: str, hedged: bool) -> str:
    """CSS border: double for the thesis, dashed for counter-claims, dotted for hedged nodes (with the badge)."""
    if kind == "thesis":
        return "4px double #000000"
    if kind == "counterclaim":
        return "2px dashed #D55E00"
    if hedged:
        return "2px dotted #0072B2"
    if kind == "evidence":
        return "1px solid #009E73"
    return "1px solid #000000"


def option_label(row) -> str:
    return _("{id} — {text}", id=row["id"], text=short(localized(row, "text")))


@dataclass(frozen=True)
class _Slice:
    """What does not depend on the picked node, computed once per claims table and lesson."""

    frame: pd.DataFrame
    ids: tuple[str, ...]
    records: dict[str, dict]  # every claim, as plain dicts (fast to read)
    below: dict[str, tuple[str, ...]]  # every claim's children, in id order
    options: tuple[tuple[str, str], ...]
    table: pd.DataFrame
    table_html: str


def _prepared(claims: pd.DataFrame, lesson: str | None) -> _Slice:
    return SLICES.get(claims, ("slice", lesson), lambda: _prepare(claims, lesson))


def _prepare(claims: pd.DataFrame, lesson: str | None) -> _Slice:
    frame = slice_for(claims, lesson)
    records = {r["id"]: r for r in claims.to_dict("records")}
    below: dict[str, list[str]] = {}
    for node in sorted(records):
        parent = _target(records[node]["target"])
        if parent is not None:
            below.setdefault(parent, []).append(node)
    ids = tuple(frame["id"])
    table = _table(frame)
    rows = [list(row) for row in table.itertuples(index=False)]
    return _Slice(
        frame=frame,
        ids=ids,
        records=records,
        below={k: tuple(v) for k, v in below.items()},
        options=tuple((option_label(records[i]), i) for i in ids),
        table=table,
        table_html=render("explorers/table.html.j2", columns=list(table.columns), rows=rows, caption=None, marked=None),
    )


@dataclass(frozen=True)
class ArgumentMapState:
    """The lesson whose slice is shown (None: the whole map) and the node picked."""

    lesson: str | None = None
    selected: str | None = None


@dataclass(frozen=True)
class ArgumentMapView:
    lesson: str | None
    slice_ids: tuple[str, ...]
    options: tuple[tuple[str, str], ...]  # (label, id) for the picker
    selected: str
    node_html: str
    parent_id: str | None
    parent_relation: str | None
    parent_html: str
    children: tuple[tuple[str, tuple[str, ...]], ...]  # (relation, child ids in the slice), relations in order
    other_children: tuple[str, ...]  # children that belong to other lessons' slices
    children_note_html: str
    path: tuple[str, ...]
    path_html: str
    outline_html: str
    table: pd.DataFrame
    table_html: str


def default_node(claims: pd.DataFrame, lesson: str | None) -> str:
    """A lesson's first node, or the thesis for the whole map."""
    ordered = claims.sort_values("id", kind="stable")
    if lesson:
        own = ordered[ordered["lesson"] == lesson]
        if not own.empty:
            return str(own.iloc[0]["id"])
    theses = ordered[ordered["kind"] == "thesis"]
    return str((theses if not theses.empty else ordered).iloc[0]["id"])


def _badge(row: dict) -> dict:
    """What the badge macro shows for a node: its kind, its words, its border."""
    kind, hedged = row["kind"], bool(row["hedged"])
    return {"kind": kind, "text": badge_text(kind, hedged), "border": border_style(kind, hedged)}


def _node(row: dict) -> dict:
    """A node in the current language (`text_zh` and `note_zh` in the Chinese edition)."""
    return {
        "id": row["id"],
        "kind": row["kind"],
        "hedged": bool(row["hedged"]),
        "badge": _badge(row),
        "where": _("Tian 2014, {section} · lesson {lesson}", section=row["section"], lesson=row["lesson"]),
        "text": localized(row, "text"),
        "sources": tuple(row["source_ids"] or ()),
        "note": localized(row, "note") or None,
    }


def _parent_line(relation, target: str) -> str:
    if relation == "supports":
        return _("This node supports {target}:", target=target)
    if relation == "rebuts":
        return _("This node rebuts {target}:", target=target)
    if relation == "qualifies":
        return _("This node qualifies {target}:", target=target)
    return _("This node bears on {target}:", target=target)


def _parent_html(node: dict, by_id: dict[str, dict]) -> str:
    parent_id = _target(node["target"])
    if parent_id is None or parent_id not in by_id:
        return render("explorers/argument_map_parent.html.j2", parent=None, line="")
    return render(
        "explorers/argument_map_parent.html.j2",
        parent=_node(by_id[parent_id]),
        line=_parent_line(node["relation"], parent_id),
    )


def _outline_html(prepared: _Slice, selected: str) -> str:
    """The slice as nested lists, from its roots down."""
    ids = set(prepared.ids)
    roots = [i for i in prepared.ids if _target(prepared.records[i]["target"]) not in ids]

    def items(nodes, seen: frozenset[str]) -> list[dict]:
        out = []
        for node in nodes:
            if node in seen:
                continue
            row = prepared.records[node]
            inside = [c for c in prepared.below.get(node, ()) if c in ids]
            out.append(
                {
                    "id": node,
                    "badge": _badge(row),
                    "relation": relation_label(row["relation"]),
                    "text": localized(row, "text"),
                    "short": short(localized(row, "text"), OUTLINE_WIDTH),
                    "selected": node == selected,
                    "children": items(inside, seen | {node}),
                }
            )
        return out

    return render("explorers/argument_map_outline.html.j2", items=items(roots, frozenset()))


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    yes, no = _("yes"), _("no")
    return pd.DataFrame(
        {
            _("Id"): frame["id"],
            _("Kind"): frame["kind"].map(lambda k: badge_text(k, False)),
            _("Hedged"): frame["hedged"].map(lambda h: yes if h else no),
            _("Relation"): frame["relation"].map(lambda r: r if isinstance(r, str) else ""),
            _("Bears on"): frame["target"].map(lambda v: _target(v) or ""),
            _("Section"): frame["section"],
            _("Lesson"): frame["lesson"],
            _("Text"): [localized(row, "text") for row in frame.to_dict("records")],
            _("Source ids"): frame["source_ids"].map(lambda ids: "; ".join(ids or ())),
        }
    ).reset_index(drop=True)


def view(state: ArgumentMapState, evidence: Evidence) -> ArgumentMapView:
    """The picked node with its parent and children, the path to the thesis, and the slice as outline and table."""
    prepared = _prepared(evidence.claims, state.lesson)
    if not prepared.ids:
        raise ValueError(_("No claims belong to lesson {lesson}.", lesson=state.lesson))
    selected = state.selected if state.selected in prepared.ids else default_node(prepared.frame, state.lesson)
    node = prepared.records[selected]
    kids = prepared.below.get(selected, ())
    inside = [k for k in kids if k in prepared.ids]
    groups = tuple(
        (relation, ids)
        for relation in RELATIONS
        if (ids := tuple(k for k in inside if prepared.records[k]["relation"] == relation))
    )
    others = tuple(k for k in kids if k not in prepared.ids)
    path = path_to_thesis(evidence.claims, selected)
    parent_id = _target(node["target"])
    return ArgumentMapView(
        lesson=state.lesson,
        slice_ids=prepared.ids,
        options=prepared.options,
        selected=selected,
        node_html=render("explorers/argument_map_node.html.j2", node=_node(node)),
        parent_id=parent_id,
        parent_relation=node["relation"] if isinstance(node["relation"], str) else None,
        parent_html=_parent_html(node, prepared.records),
        children=groups,
        other_children=others,
        children_note_html=render("explorers/argument_map_children_note.html.j2", kids=kids, others=others),
        path=path,
        path_html=render(
            "explorers/argument_map_path.html.j2", path=_("Path to the thesis: {path}", path=" → ".join(path))
        ),
        outline_html=_outline_html(prepared, selected),
        table=prepared.table,
        table_html=prepared.table_html,
    )


class ArgumentMapExplorer(Explorer[ArgumentMapState, ArgumentMapView]):
    """The widget shell: a picker, the node, its parent (with a button), its children as buttons, outline and table."""

    pure_view = staticmethod(view)

    def __init__(self, lesson: str | None = None, evidence: Evidence | None = None):
        super().__init__(evidence)
        self.lesson = lesson or None
        first = view(ArgumentMapState(self.lesson), self.evidence)
        self.pick = choice(
            _("Claim:"),
            list(first.options),
            first.selected,
            tooltip=_("Choose a node of the argument; its parent and children appear below"),
        )
        self.path = widgets.HTML()
        self.node = widgets.HTML()
        self.parent = widgets.HTML()
        self.parent_button = widgets.Button(layout=widgets.Layout(width="auto"))
        self.parent_button.on_click(lambda _button: self.go(self.current.parent_id))
        self.children_heading = widgets.HTML(render("explorers/argument_map_children_heading.html.j2"))
        self.children_box = widgets.VBox()
        self.child_buttons: dict[str, widgets.Button] = {}
        self.outline = widgets.HTML()
        self.table = widgets.HTML()
        self.panels = widgets.Accordion(
            children=[self.outline, self.table],
            selected_index=0,
            titles=(
                _("Outline of the argument ({count} nodes)", count=len(first.slice_ids)),
                _("Table: every node in this map, with its sources"),
            ),
        )
        self.watch(self.pick)
        self.root = focus_ring(
            widgets.VBox(
                [
                    self.pick,
                    self.path,
                    self.node,
                    self.parent,
                    self.parent_button,
                    self.children_heading,
                    self.children_box,
                    self.panels,
                ]
            )
        )
        self.update()

    def state(self) -> ArgumentMapState:
        return ArgumentMapState(self.lesson, self.pick.value)

    def go(self, node_id: str | None) -> None:
        """Navigate to a node (what the parent and child buttons do)."""
        if node_id is not None and node_id in self.current.slice_ids:
            self.pick.value = node_id

    def _button(self, row: dict) -> widgets.Button:
        hedged = bool(row["hedged"])
        text = localized(row, "text")
        label = _("{id} · {kind} · {text}", id=row["id"], kind=badge_text(row["kind"], hedged), text=short(text, 60))
        button = widgets.Button(
            description=label,
            tooltip=_("Open {id}: {text}", id=row["id"], text=short(text, 300)),
            layout=widgets.Layout(width="auto", max_width="100%", border=border_style(row["kind"], hedged)),
        )
        button.on_click(lambda _button, node=row["id"]: self.go(node))
        return button

    def _children_widgets(self, shown: ArgumentMapView) -> list[widgets.Widget]:
        rows = _prepared(self.evidence.claims, self.lesson).records
        self.child_buttons = {}
        parts: list[widgets.Widget] = []
        for relation, ids in shown.children:
            parts.append(
                widgets.HTML(
                    render("explorers/argument_map_group.html.j2", heading=_(GROUP_LABELS[relation], count=len(ids)))
                )
            )
            for node in ids:
                self.child_buttons[node] = self._button(rows[node])
                parts.append(self.child_buttons[node])
        if shown.children_note_html:
            parts.append(widgets.HTML(shown.children_note_html))
        return parts

    def show(self, shown: ArgumentMapView) -> None:
        self.path.value = shown.path_html
        self.node.value = shown.node_html
        self.parent.value = shown.parent_html
        if shown.parent_id is None:
            self.parent_button.layout.display = "none"
        else:
            parent_label = option_label(_prepared(self.evidence.claims, self.lesson).records[shown.parent_id])
            self.parent_button.description = _("Go to {label}", label=short(parent_label, 60))
            self.parent_button.layout.display = None
        self.children_box.children = self._children_widgets(shown)
        self.outline.value = shown.outline_html
        self.table.value = shown.table_html


def argument_map(lesson: str | None = None, evidence: Evidence | None = None) -> widgets.VBox:
    """One line for a lesson: the map of that lesson's nodes and their ancestors (the whole map without a lesson)."""
    return ArgumentMapExplorer(lesson=lesson, evidence=evidence).root


__all__ = [
    "RELATIONS",
    "ArgumentMapState",
    "ArgumentMapView",
    "children",
    "path_to_thesis",
    "slice_for",
    "short",
    "badge_text",
    "border_style",
    "default_node",
    "view",
    "ArgumentMapExplorer",
    "argument_map",
]
