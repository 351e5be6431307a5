"""The argument map: slices, children and paths agree with pandas; the shell navigates; every string is escaped."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import markupsafe
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.evidence.package import evidence
from course.explorers.argument_map import (
    ArgumentMapExplorer,
    ArgumentMapState,
    argument_map,
    badge_text,
    border_style,
    children,
    path_to_thesis,
    slice_for,
    view,
)

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@pytest.fixture(scope="module")
def ev():
    return evidence()


@pytest.fixture(scope="module")
def claims(ev) -> pd.DataFrame:
    return ev.claims


def direct_children(claims: pd.DataFrame, node: str) -> list[str]:
    return sorted(claims.loc[claims["target"] == node, "id"])


def direct_ancestors(claims: pd.DataFrame, node: str) -> set[str]:
    """Walk the target column by hand (a loop, not course.argument_map)."""
    target = {row.id: row.target for row in claims.itertuples()}
    seen = set()
    while isinstance(node, str) and node not in seen:
        seen.add(node)
        node = target.get(node)
    return seen


def escaped(text: str) -> str:
    """`text` as the templates escape it (Jinja2 autoescape: markupsafe)."""
    return str(markupsafe.escape(text))


class OutlineParser(HTMLParser):
    """Record, for each <li data-id>, the data-id of the <li> it is nested in."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.parent_of: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            node = dict(attrs)["data-id"]
            self.parent_of[node] = self.stack[-1] if self.stack else None
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag == "li":
            self.stack.pop()


def lessons_with_claims(claims: pd.DataFrame) -> list[str]:
    return sorted(set(claims["lesson"]))


# --- pure functions -------------------------------------------------------------------------------------


def test_children_are_the_nodes_that_target_it(claims):
    for node in claims["id"]:
        assert list(children(claims, node)["id"]) == direct_children(claims, node)


def test_every_path_climbs_by_targets_to_the_thesis(claims):
    thesis = claims.loc[claims["kind"] == "thesis", "id"].item()
    target = dict(zip(claims["id"], claims["target"]))
    for node in claims["id"]:
        path = path_to_thesis(claims, node)
        assert path[0] == node and path[-1] == thesis
        assert all(target[a] == b for a, b in zip(path, path[1:]))


def test_path_stops_on_a_cycle():
    loop = pd.DataFrame({"id": ["C01", "C02"], "target": ["C02", "C01"]})
    assert path_to_thesis(loop, "C01") == ("C01", "C02")


def test_a_lesson_slice_is_its_nodes_and_their_ancestors(claims):
    for lesson in lessons_with_claims(claims):
        expected = set().union(*(direct_ancestors(claims, n) for n in claims.loc[claims["lesson"] == lesson, "id"]))
        got = slice_for(claims, lesson)
        assert set(got["id"]) == expected, lesson
        assert list(got["id"]) == sorted(got["id"])
        assert "C00" in set(got["id"])


def test_lesson_05_slice(claims):
    ids = list(slice_for(claims, "05-china-chooses")["id"])
    assert ids == ["C00", "C04", "C45", "C46", "C47", "C48", "C49", "C50", "C51"]


def test_the_whole_map_is_every_node(claims):
    assert len(slice_for(claims)) == len(claims)


def test_badges_carry_the_meaning_in_words():
    assert badge_text("inference", True) == "inference — hedged"
    assert badge_text("counterclaim", False) == "counter-claim"
    assert "dashed" in border_style("counterclaim", False)
    assert "dotted" in border_style("inference", True)
    assert "solid" in border_style("claim", False)


# --- view -----------------------------------------------------------------------------------------------


def test_view_of_c03_in_lesson_04(ev, claims):
    shown = view(ArgumentMapState("04-kims-two-plans", "C03"), ev)
    assert dict(shown.children) == {"supports": ("C35", "C37", "C40", "C41"), "rebuts": ("C33",)}
    assert shown.parent_id == "C00" and shown.parent_relation == "supports"
    assert shown.path == ("C03", "C00")
    assert escaped(claims.loc[claims["id"] == "C03", "text"].item()) in shown.node_html


def test_counterclaims_and_hedged_nodes_are_drawn_differently(ev):
    counter = view(ArgumentMapState(None, "C33"), ev)
    assert "counter-claim" in counter.node_html and "dashed" in counter.node_html
    hedged = view(ArgumentMapState(None, "C42"), ev)
    assert "inference — hedged" in hedged.node_html and "dotted" in hedged.node_html
    plain = view(ArgumentMapState(None, "C03"), ev)
    assert "hedged" not in plain.node_html.split("<div>", 2)[1]


def test_outline_nests_every_node_under_its_target(ev, claims):
    for lesson in [None, *lessons_with_claims(claims)]:
        shown = view(ArgumentMapState(lesson), ev)
        parser = OutlineParser()
        parser.feed(shown.outline_html)
        assert set(parser.parent_of) == set(shown.slice_ids)
        target = dict(zip(claims["id"], claims["target"]))
        for node, parent in parser.parent_of.items():
            assert parent == (target[node] if isinstance(target[node], str) else None)


def test_selected_node_is_marked_in_words(ev):
    shown = view(ArgumentMapState("05-china-chooses", "C48"), ev)
    assert '<li data-id="C48" aria-current="true">' in shown.outline_html
    assert "◀ selected" in shown.outline_html


def test_children_outside_a_lesson_slice_are_named_not_hidden(ev, claims):
    shown = view(ArgumentMapState("08-one-voice-different-intentions", "C00"), ev)
    inside = {c for _, ids in shown.children for c in ids}
    assert inside | set(shown.other_children) == set(direct_children(claims, "C00"))
    assert not inside & set(shown.other_children)
    assert all(c in shown.children_note_html for c in shown.other_children)


def test_a_lesson_without_claims_is_refused(ev):
    with pytest.raises(ValueError, match="00-start-here"):
        view(ArgumentMapState("00-start-here"), ev)


# --- the shell ------------------------------------------------------------------------------------------


def test_shell_pick_lists_children_and_navigates(ev, claims):
    explorer = ArgumentMapExplorer(lesson="04-kims-two-plans", evidence=ev)
    assert explorer.pick.value == "C03"
    assert sorted(explorer.child_buttons) == direct_children(claims, "C03")
    assert explorer.child_buttons["C33"].description.startswith("C33 · counter-claim · ")
    assert "dashed" in explorer.child_buttons["C33"].layout.border
    explorer.child_buttons["C37"].click()
    assert explorer.pick.value == "C37"
    assert escaped(claims.loc[claims["id"] == "C37", "text"].item()) in explorer.node.value
    assert "This node supports C03:" in explorer.parent.value
    assert sorted(explorer.child_buttons) == direct_children(claims, "C37")
    explorer.parent_button.click()
    assert explorer.pick.value == "C03"


def test_shell_whole_map_from_the_thesis(ev, claims):
    explorer = ArgumentMapExplorer(evidence=ev)
    assert explorer.pick.value == "C00"
    assert len(explorer.pick.options) == len(claims)
    assert explorer.parent_button.layout.display == "none"
    assert "This is the thesis" in explorer.parent.value
    explorer.pick.value = "C77"
    assert explorer.child_buttons == {}
    assert "Nothing in this map bears directly on this node." in explorer.children_box.children[-1].value
    assert "qualifies C75" in explorer.parent.value


def test_entry_point_shows_one_lessons_slice(ev):
    root = argument_map(lesson="05-china-chooses", evidence=ev)
    picker = root.children[0]
    assert [value for _, value in picker.options] == ["C00", "C04", "C45", "C46", "C47", "C48", "C49", "C50", "C51"]
    assert picker.value == "C04"


# --- properties -----------------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_any_pick_shows_only_true_children(data):
    ev = evidence()
    claims = ev.claims
    lesson = data.draw(st.sampled_from([None, *lessons_with_claims(claims)]))
    ids = list(slice_for(claims, lesson)["id"])
    node = data.draw(st.sampled_from(ids))
    shown = view(ArgumentMapState(lesson, node), ev)
    assert shown.selected == node
    truth = claims.set_index("id")
    for relation, kids in shown.children:
        for kid in kids:
            assert truth.loc[kid, "target"] == node and truth.loc[kid, "relation"] == relation
    listed = {k for _, kids in shown.children for k in kids} | set(shown.other_children)
    assert listed == set(direct_children(claims, node))
    target = truth.loc[node, "target"]
    assert shown.parent_id == (target if isinstance(target, str) else None)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_shell_navigation_by_buttons_stays_consistent(data):
    ev = evidence()
    claims = ev.claims
    explorer = ArgumentMapExplorer(
        lesson=data.draw(st.sampled_from([None, "04-kims-two-plans", "06-moscow-first"])), evidence=ev
    )
    for _ in range(data.draw(st.integers(1, 6))):
        if explorer.child_buttons and data.draw(st.booleans()):
            explorer.child_buttons[data.draw(st.sampled_from(sorted(explorer.child_buttons)))].click()
        elif explorer.current.parent_id is not None:
            explorer.parent_button.click()
        node = explorer.pick.value
        shown_kids = set(explorer.child_buttons)
        assert shown_kids <= set(direct_children(claims, node))
        assert f'data-id="{node}"' in explorer.node.value


# --- escaping -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_claim_text_is_escaped(ev, payload):
    claims = ev.claims.copy()
    for node in ("C03", "C37"):
        row = claims["id"] == node
        claims.loc[row, "text"] = payload
        claims.loc[row, "text_zh"] = payload
        claims.loc[row, "note"] = payload
    explorer = ArgumentMapExplorer(evidence=dataclasses.replace(ev, claims=claims))
    explorer.pick.value = "C37"
    rendered = [explorer.node.value, explorer.parent.value, explorer.outline.value, explorer.table.value]
    for html_text in rendered:
        assert "&lt;script&gt;" in html_text or "&lt;img src=x" in html_text
        assert "<script>" not in html_text and "<img src=x" not in html_text
