"""Who knew what, when: received/sent lists computed from the communications in events.csv."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import lru_cache
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.evidence.package import evidence
from course.explorers.who_knew_what import (
    CAPITALS,
    WhoKnewWhatExplorer,
    WhoKnewWhatState,
    days,
    knowledge,
    sent,
    view,
    who_knew_what,
)

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
REVISED_PLAN = "1958-01-08-zhou-tells-yudin-plan"
ENDORSEMENT = "1958-01-23-zhang-yudin-soviet-endorsement"
REPLY = "1958-01-24-mao-replies-kim"


class CellText(HTMLParser):
    """Collect the visible text of each <td data-party=... data-role=...> and the event ids in it."""

    def __init__(self):
        super().__init__()
        self.text: dict[tuple[str, str], str] = {}
        self.events: dict[tuple[str, str], list[str]] = {}
        self.newest: dict[tuple[str, str], list[str]] = {}
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-party" in attrs:
            self.cell = (attrs["data-party"], attrs["data-role"])
            self.text[self.cell], self.events[self.cell], self.newest[self.cell] = "", [], []
        elif tag == "li" and self.cell:
            self.events[self.cell].append(attrs["data-event"])
            if "ov-x-newest" in attrs.get("class", ""):
                self.newest[self.cell].append(attrs["data-event"])

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None

    def handle_data(self, data):
        if self.cell:
            self.text[self.cell] += data


def cells(board_html: str) -> CellText:
    parser = CellText()
    parser.feed(board_html)
    return parser


def tiny_events(rows) -> pd.DataFrame:
    """A hand-made events table in the shape course.data gives (date_start added, sorted)."""
    frame = pd.DataFrame(rows, columns=["id", "date", "date_precision", "from_party", "to_party", "conveys"])
    frame["event"] = "what happened"
    frame["source_ids"] = [("tian-2014",)] * len(frame)
    frame["date_start"] = pd.to_datetime(frame["date"].map(lambda d: d + "-01" * (2 - d.count("-"))))
    return frame.sort_values(["date_start", "id"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def ev():
    return evidence()


# -- pure functions on hand-made data ---------------------------------------------------------------------------


def test_knowledge_counts_day_month_public_and_skips_internal():
    events = tiny_events(
        [
            ("a-letter", "1957-12-16", "day", "DPRK", "PRC", "first plan"),
            ("b-month", "1957-11", "month", "DPRK", "PRC", "agreement"),
            ("c-public", "1957-12-06", "day", "DPRK", "public", "call"),
            ("d-internal", "1957-12-30", "day", "PRC", "PRC", "draft"),
            ("e-later", "1958-01-24", "day", "PRC", "DPRK", "reply"),
            ("f-no-party", "1957-12-01", "day", None, None, None),
        ]
    )
    assert knowledge(events, "PRC", "1957-10-31").empty
    assert knowledge(events, "PRC", "1957-11-01")["event_id"].tolist() == ["b-month"]
    assert knowledge(events, "PRC", "1957-12-16")["event_id"].tolist() == ["b-month", "c-public", "a-letter"]
    assert knowledge(events, "PRC", "1958-02-28")["event_id"].tolist() == ["b-month", "c-public", "a-letter"]
    assert knowledge(events, "DPRK", "1958-01-23").empty
    assert knowledge(events, "DPRK", "1958-01-24")["event_id"].tolist() == ["e-later"]
    assert sent(events, "DPRK", "1958-02-28")["event_id"].tolist() == ["b-month", "c-public", "a-letter"]
    assert sent(events, "PRC", "1958-02-28")["event_id"].tolist() == ["e-later"]


# -- the decisive sequence in the real data ---------------------------------------------------------------------


def test_moscow_had_the_plan_before_pyongyang_had_the_reply(ev):
    on_23 = view(WhoKnewWhatState("1958-01-23"), ev)
    moscow = on_23.received["USSR"]
    plan = moscow[moscow["event_id"] == REVISED_PLAN]
    assert plan["from_party"].tolist() == ["PRC"] and plan["conveys"].tolist() == ["China's revised plan"]
    assert ENDORSEMENT in on_23.sent["USSR"]["event_id"].tolist()
    assert ENDORSEMENT in on_23.received["PRC"]["event_id"].tolist()
    assert REPLY not in on_23.received["DPRK"]["event_id"].tolist()
    on_24 = view(WhoKnewWhatState("1958-01-24"), ev)
    reply = on_24.received["DPRK"]
    assert reply[reply["event_id"] == REPLY]["from_party"].tolist() == ["PRC"]


def test_shell_shows_each_capitals_column_as_the_date_moves(ev):
    explorer = WhoKnewWhatExplorer(date="1958-01-22", evidence=ev)
    board = cells(explorer.board.value)
    assert ENDORSEMENT not in board.events[("PRC", "received")]
    assert "China's revised plan" in board.text[("USSR", "received")]

    explorer.go_to("1958-01-23")
    board = cells(explorer.board.value)
    assert "China's revised plan" in board.text[("USSR", "received")]
    assert "Soviet endorsement" in board.text[("USSR", "sent")]
    assert "reply to Kim" not in board.text[("DPRK", "received")]
    assert board.newest[("PRC", "received")] == [ENDORSEMENT]
    assert "23 January 1958" in explorer.readout.value

    explorer.date.value = dt.date(1958, 1, 24)
    board = cells(explorer.board.value)
    dprk = board.text[("DPRK", "received")]
    assert "reply to Kim" in dprk and "from Beijing (PRC)" in dprk
    assert board.newest[("DPRK", "received")] == [REPLY]
    assert "newest" in dprk.split("reply to Kim", 1)[1][:20]
    assert "<strong>24 January 1958" in explorer.board.value


def test_every_capital_has_both_rows(ev):
    board = cells(WhoKnewWhatExplorer(evidence=ev).board.value)
    assert set(board.text) == {(p, role) for p in CAPITALS for role in ("received", "sent")}


def test_buttons_step_through_the_communications(ev):
    explorer = WhoKnewWhatExplorer(date="1958-01-22", evidence=ev)
    explorer.next.click()
    assert explorer.date.value == dt.date(1958, 1, 23) and explorer.current.date == "1958-01-23"
    explorer.next.click()
    assert explorer.date.value == dt.date(1958, 1, 24)
    explorer.previous.click()
    assert explorer.date.value == dt.date(1958, 1, 23)
    assert explorer.jump.value == "1958-01-23"


def test_jump_list_moves_the_date(ev):
    explorer = WhoKnewWhatExplorer(evidence=ev)
    explorer.jump.value = "1958-01-08"
    assert explorer.date.value == dt.date(1958, 1, 8)
    board = cells(explorer.board.value)
    assert board.newest[("USSR", "received")] == [REVISED_PLAN]
    explorer.go_to("1958-01-09")
    assert explorer.jump.value is None


def test_entry_and_footnote(ev):
    root = who_knew_what(date="1957-11-09", evidence=ev)
    day = root.children[0]
    assert day.description == "Day" and day.value == dt.date(1957, 11, 9)
    assert (day.min, day.max) == (dt.date(1956, 11, 1), dt.date(1958, 2, 28))
    footnote = root.children[5].value
    assert "first day of that month" in footnote


# -- properties ------------------------------------------------------------------------------------------------


def direct_received(events: pd.DataFrame, party: str, day: str) -> list[str]:
    """Received ids, computed row by row (independently of course.who_knew_what)."""
    limit = pd.Timestamp(day)
    found = []
    for row in events.itertuples():
        if not isinstance(row.from_party, str) or not isinstance(row.to_party, str) or row.from_party == row.to_party:
            continue
        addressed = row.to_party == party or (row.to_party == "public" and row.from_party != party)
        if addressed and row.date_start <= limit:
            found.append(row.id)
    return sorted(found)


@lru_cache(maxsize=1)
def shared_explorer() -> WhoKnewWhatExplorer:
    return WhoKnewWhatExplorer(evidence=evidence())


day_strategy = st.integers(0, len(days()) - 1).map(lambda n: days()[n])


@settings(max_examples=50, deadline=None)
@given(day_strategy, day_strategy)
def test_knowledge_never_shrinks_and_matches_direct_computation(first, second):
    early, late = sorted((first, second))
    events = evidence().events
    for party in CAPITALS:
        before = set(knowledge(events, party, early)["event_id"])
        after = set(knowledge(events, party, late)["event_id"])
        assert before <= after
        assert set(sent(events, party, early)["event_id"]) <= set(sent(events, party, late)["event_id"])
        assert sorted(before) == direct_received(events, party, early)
    explorer = shared_explorer()
    explorer.go_to(late)
    board = cells(explorer.board.value)
    for party in CAPITALS:
        assert sorted(board.events[(party, "received")]) == direct_received(events, party, late)


# -- escaping --------------------------------------------------------------------------------------------------


def test_event_text_is_escaped(ev):
    events = ev.events.copy()
    row = events["id"] == REPLY
    events.loc[row, "event"] = PAYLOADS[0]
    events.loc[row, "conveys"] = PAYLOADS[1]
    damaged = dataclasses.replace(ev, events=events)
    explorer = WhoKnewWhatExplorer(date="1958-01-24", evidence=damaged)
    page = explorer.board.value + explorer.log.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in explorer.board.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>" not in page and "<img" not in page
