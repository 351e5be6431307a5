"""Argument map: walk the paper's argument (data/claims.csv) node by node.

Pick a node and see what it is (kind, text, sources, whether it is hedged), what it bears on and how,
and what bears on it, grouped by relation; the children are buttons that navigate. An outline shows
the whole map (or one lesson's slice: its nodes plus their ancestors up to the thesis). Counter-claims
and hedged nodes carry a text badge and a distinct border style, never colour alone.

Pure part: `slice_for`, `children`, `path_to_thesis`, `State` and `view(state, evidence)`.
Shell: `ArgumentMapExplorer`. Lessons call `argument_map(lesson=...)`; lesson 08 calls `argument_map()`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from course.evidence.package import Evidence, evidence as load_evidence
from course.i18n import t

RELATIONS = ("supports", "rebuts", "qualifies")
OPTION_WIDTH = 70  # characters of text in a dropdown or button label
OUTLINE_WIDTH = 110


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
    """The start of a text, cut at a word boundary, with an ellipsis when cut."""
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def badge_text(kind: str, hedged: bool) -> str:
    """'inference — hedged', 'counter-claim', ...: the words that mark a node, so colour is never needed."""
    return t(f"argument_map.kind_{kind}") + (t("argument_map.hedged_suffix") if hedged else "")


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
    return f"{row['id']} — {short(row['text'])}"


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


_SLICES: dict[tuple[int, str | None], tuple[pd.DataFrame, _Slice]] = {}


def _prepared(claims: pd.DataFrame, lesson: str | None) -> _Slice:
    hit = _SLICES.get((id(claims), lesson))
    if hit is not None and hit[0] is claims:
        return hit[1]
    frame = slice_for(claims, lesson)
    records = {r["id"]: r for r in claims.to_dict("records")}
    below: dict[str, list[str]] = {}
    for node in sorted(records):
        parent = _target(records[node]["target"])
        if parent is not None:
            below.setdefault(parent, []).append(node)
    ids = tuple(frame["id"])
    table = _table(frame)
    prepared = _Slice(frame=frame, ids=ids, records=records, below={k: tuple(v) for k, v in below.items()},
                      options=tuple((option_label(records[i]), i) for i in ids), table=table,
                      table_html=table.to_html(index=False, escape=True, classes="ov-table"))
    if len(_SLICES) > 32:
        _SLICES.clear()
    _SLICES[(id(claims), lesson)] = (claims, prepared)
    return prepared


@dataclass(frozen=True)
class State:
    """The lesson whose slice is shown (None: the whole map) and the node picked."""

    lesson: str | None = None
    selected: str | None = None


@dataclass(frozen=True)
class MapView:
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


def _badge(kind: str, hedged: bool) -> str:
    return (f"<span class='ov-badge' data-kind='{html.escape(kind)}' "
            f"style='border:{border_style(kind, hedged)};padding:0 4px;font-size:90%'>"
            f"{html.escape(badge_text(kind, hedged))}</span>")


def _node_html(row: dict) -> str:
    kind, hedged = row["kind"], bool(row["hedged"])
    sources = ", ".join(f"<code>{html.escape(s)}</code>" for s in (row["source_ids"] or ()))
    where = f"{t('argument_map.section', section=row['section'])} · {t('argument_map.lesson', lesson=row['lesson'])}"
    parts = [f"<div class='ov-node' data-id='{html.escape(row['id'])}' data-kind='{html.escape(kind)}' "
             f"data-hedged='{str(hedged).lower()}' style='border:{border_style(kind, hedged)};padding:6px;margin:4px 0'>",
             f"<div><b>{html.escape(row['id'])}</b> {_badge(kind, hedged)} <small>{html.escape(where)}</small></div>",
             f"<div>{html.escape(row['text'])}</div>"]
    if isinstance(row.get("text_zh"), str) and row["text_zh"]:
        parts.append(f"<div lang='zh'>{html.escape(row['text_zh'])}</div>")
    parts.append(f"<div><small>{html.escape(t('argument_map.sources'))}: {sources}</small></div>")
    if isinstance(row.get("note"), str) and row["note"]:
        parts.append(f"<div><small>{html.escape(t('argument_map.note'))}: {html.escape(row['note'])}</small></div>")
    parts.append("</div>")
    return "".join(parts)


def _parent_html(node: dict, by_id: dict[str, dict]) -> str:
    parent_id = _target(node["target"])
    heading = f"<h4>{html.escape(t('argument_map.parent_heading'))}</h4>"
    if parent_id is None or parent_id not in by_id:
        return heading + f"<p>{html.escape(t('argument_map.no_parent'))}</p>"
    parent = by_id[parent_id]
    relation = t(f"argument_map.relation_{node['relation']}") if isinstance(node["relation"], str) else ""
    line = t("argument_map.parent_line", relation=relation, target=parent_id)
    return (heading + f"<p>{html.escape(line)}</p>"
            f"<div class='ov-parent' data-id='{html.escape(parent_id)}' style='border:{border_style(parent['kind'], bool(parent['hedged']))};padding:4px'>"
            f"<b>{html.escape(parent_id)}</b> {_badge(parent['kind'], bool(parent['hedged']))} {html.escape(parent['text'])}</div>")


def _outline_html(prepared: _Slice, selected: str) -> str:
    """The slice as nested lists, from its roots down, every string escaped."""
    ids = set(prepared.ids)
    roots = [i for i in prepared.ids if _target(prepared.records[i]["target"]) not in ids]

    def items(nodes, seen: frozenset[str]) -> str:
        out = []
        for node in nodes:
            if node in seen:
                continue
            row = prepared.records[node]
            relation = (f"<i>{html.escape(t('argument_map.relation_' + row['relation']))}</i> "
                        if isinstance(row["relation"], str) else "")
            label = (f"{_badge(row['kind'], bool(row['hedged']))} {relation}<b>{html.escape(node)}</b> "
                     f"<span title='{html.escape(row['text'], quote=True)}'>{html.escape(short(row['text'], OUTLINE_WIDTH))}</span>")
            if node == selected:
                label = f"<mark>{label}</mark> <b>{html.escape(t('argument_map.selected_marker'))}</b>"
            inside = [c for c in prepared.below.get(node, ()) if c in ids]
            nested = items(inside, seen | {node})
            current = " aria-current='true'" if node == selected else ""
            out.append(f"<li data-id='{html.escape(node)}'{current}>{label}{nested}</li>")
        return f"<ul>{''.join(out)}</ul>" if out else ""

    caption = f"<p><small>{html.escape(t('argument_map.outline_caption'))}</small></p>"
    return caption + f"<div class='ov-outline'>{items(roots, frozenset())}</div>"


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    yes, no = t("argument_map.yes"), t("argument_map.no")
    return pd.DataFrame({
        t("argument_map.col_id"): frame["id"],
        t("argument_map.col_kind"): frame["kind"].map(lambda k: t(f"argument_map.kind_{k}")),
        t("argument_map.col_hedged"): frame["hedged"].map(lambda h: yes if h else no),
        t("argument_map.col_relation"): frame["relation"].map(lambda r: r if isinstance(r, str) else ""),
        t("argument_map.col_target"): frame["target"].map(lambda v: _target(v) or ""),
        t("argument_map.col_section"): frame["section"],
        t("argument_map.col_lesson"): frame["lesson"],
        t("argument_map.col_text"): frame["text"],
        t("argument_map.col_sources"): frame["source_ids"].map(lambda ids: "; ".join(ids or ())),
    }).reset_index(drop=True)


def view(state: State, evidence: Evidence) -> MapView:
    """The picked node with its parent and children, the path to the thesis, and the slice as outline and table."""
    prepared = _prepared(evidence.claims, state.lesson)
    if not prepared.ids:
        raise ValueError(t("argument_map.unknown_lesson", lesson=state.lesson))
    selected = state.selected if state.selected in prepared.ids else default_node(prepared.frame, state.lesson)
    node = prepared.records[selected]
    kids = prepared.below.get(selected, ())
    inside = [k for k in kids if k in prepared.ids]
    groups = tuple((relation, ids) for relation in RELATIONS
                   if (ids := tuple(k for k in inside if prepared.records[k]["relation"] == relation)))
    others = tuple(k for k in kids if k not in prepared.ids)
    note = ""
    if not kids:
        note = f"<p>{html.escape(t('argument_map.no_children'))}</p>"
    elif others:
        note = f"<p><small>{html.escape(t('argument_map.outside_slice', ids=', '.join(others)))}</small></p>"
    path = path_to_thesis(evidence.claims, selected)
    parent_id = _target(node["target"])
    return MapView(
        lesson=state.lesson, slice_ids=prepared.ids, options=prepared.options, selected=selected,
        node_html=_node_html(node), parent_id=parent_id,
        parent_relation=node["relation"] if isinstance(node["relation"], str) else None,
        parent_html=_parent_html(node, prepared.records), children=groups, other_children=others,
        children_note_html=note, path=path,
        path_html=f"<div class='ov-path'>{html.escape(t('argument_map.path', path=' → '.join(path)))}</div>",
        outline_html=_outline_html(prepared, selected), table=prepared.table, table_html=prepared.table_html)


class ArgumentMapExplorer:
    """The widget shell: a picker, the node, its parent (with a button), its children as buttons, outline and table."""

    def __init__(self, lesson: str | None = None, evidence: Evidence | None = None):
        self.evidence = evidence if evidence is not None else load_evidence()
        self.lesson = lesson or None
        first = view(State(self.lesson), self.evidence)
        self.pick = widgets.Dropdown(description=t("argument_map.control_claim"), options=list(first.options),
                                     value=first.selected, tooltip=t("argument_map.control_claim_tooltip"),
                                     style={"description_width": "initial"}, layout=widgets.Layout(width="100%"))
        self.path = widgets.HTML()
        self.node = widgets.HTML()
        self.parent = widgets.HTML()
        self.parent_button = widgets.Button(layout=widgets.Layout(width="auto"))
        self.parent_button.on_click(lambda _button: self.go(self.current.parent_id))
        self.children_heading = widgets.HTML(f"<h4>{html.escape(t('argument_map.children_heading'))}</h4>")
        self.children_box = widgets.VBox()
        self.child_buttons: dict[str, widgets.Button] = {}
        self.outline = widgets.HTML()
        self.table = widgets.HTML()
        self.panels = widgets.Accordion(children=[self.outline, self.table], selected_index=0,
                                        titles=(t("argument_map.outline_title", count=len(first.slice_ids)),
                                                t("argument_map.table_title")))
        self.pick.observe(lambda _change: self.update(), names="value")
        self.root = widgets.VBox([self.pick, self.path, self.node, self.parent, self.parent_button,
                                  self.children_heading, self.children_box, self.panels])
        self.update()

    def go(self, node_id: str | None) -> None:
        """Navigate to a node (what the parent and child buttons do)."""
        if node_id is not None and node_id in self.current.slice_ids:
            self.pick.value = node_id

    def _button(self, row: dict) -> widgets.Button:
        hedged = bool(row["hedged"])
        label = f"{row['id']} · {badge_text(row['kind'], hedged)} · {short(row['text'], 60)}"
        button = widgets.Button(description=label,
                                tooltip=t("argument_map.go_to_tooltip", id=row["id"], text=short(row["text"], 300)),
                                layout=widgets.Layout(width="auto", max_width="100%",
                                                      border=border_style(row["kind"], hedged)))
        button.on_click(lambda _button, node=row["id"]: self.go(node))
        return button

    def _children_widgets(self, shown: MapView) -> list[widgets.Widget]:
        rows = _prepared(self.evidence.claims, self.lesson).records
        self.child_buttons = {}
        parts: list[widgets.Widget] = []
        for relation, ids in shown.children:
            parts.append(widgets.HTML(f"<b>{html.escape(t('argument_map.group_' + relation))} ({len(ids)})</b>"))
            for node in ids:
                self.child_buttons[node] = self._button(rows[node])
                parts.append(self.child_buttons[node])
        if shown.children_note_html:
            parts.append(widgets.HTML(shown.children_note_html))
        return parts

    def update(self) -> MapView:
        """Re-render every output for the picked node (timed by the benchmark)."""
        shown = view(State(self.lesson, self.pick.value), self.evidence)
        self.current = shown
        self.path.value = shown.path_html
        self.node.value = shown.node_html
        self.parent.value = shown.parent_html
        if shown.parent_id is None:
            self.parent_button.layout.display = "none"
        else:
            parent_label = option_label(_prepared(self.evidence.claims, self.lesson).records[shown.parent_id])
            self.parent_button.description = t("argument_map.go_to", label=short(parent_label, 60))
            self.parent_button.layout.display = None
        self.children_box.children = self._children_widgets(shown)
        self.outline.value = shown.outline_html
        self.table.value = shown.table_html
        return shown


def argument_map(lesson: str | None = None, evidence: Evidence | None = None) -> widgets.VBox:
    """One line for a lesson: the map of that lesson's nodes and their ancestors (the whole map without a lesson)."""
    return ArgumentMapExplorer(lesson=lesson, evidence=evidence).root


__all__ = ["RELATIONS", "State", "MapView", "children", "path_to_thesis", "slice_for", "short", "badge_text",
           "border_style", "default_node", "view", "ArgumentMapExplorer", "argument_map"]
