"""Who knew what, when: what Beijing, Pyongyang and Moscow had received (and sent) by a given day.

Computed from the communications in events.csv (rows with `from_party` and `to_party`; `conveys`
names what passed). Pure part: `knowledge`, `sent`, `WhoKnewWhatState`, `view`. Shell:
`WhoKnewWhatExplorer`. Lessons call `who_knew_what(date="1958-01-22")`.

Rules the footnote states: an event dated only to the month (or year) counts from its first day;
a public statement counts as received by every other capital; a party's internal reports
(from a party to itself) are not communications and are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from course.display.controls import choice, focus_ring
from course.display.templating import render
from course.evidence.package import Evidence, localized
from course.explorers.base import Cache, Explorer
from course.i18n import N_, _, format_date

CAPITALS = ("PRC", "DPRK", "USSR")
FIRST_DAY, LAST_DAY = dt.date(1956, 11, 1), dt.date(1958, 2, 28)
DEFAULT_DAY = "1958-01-22"
PUBLIC = "public"
COLUMNS = [
    "date",
    "date_start",
    "date_precision",
    "from_party",
    "to_party",
    "conveys",
    "event_id",
    "event",
    "source_ids",
]
PARTY_NAMES = {
    "PRC": N_("Beijing (PRC)"),
    "DPRK": N_("Pyongyang (DPRK)"),
    "USSR": N_("Moscow (USSR)"),
    "US": N_("Washington (US)"),
    "ROK": N_("Seoul (ROK)"),
    "UN": N_("UN Command"),
    "other": N_("others"),
    "public": N_("the public"),
}
COMMUNICATIONS = Cache(limit=8)


def days(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> list[str]:
    """Every day of the explorer's range as an ISO string."""
    return [(first + dt.timedelta(n)).isoformat() for n in range((last - first).days + 1)]


def communications(events: pd.DataFrame) -> pd.DataFrame:
    """The events that passed something from one party to another, oldest first (cached per DataFrame)."""
    return COMMUNICATIONS.get(events, "communications", lambda: _communications(events))


def _communications(events: pd.DataFrame) -> pd.DataFrame:
    passed = events[
        events["from_party"].notna() & events["to_party"].notna() & (events["from_party"] != events["to_party"])
    ]
    records = passed.to_dict("records")
    frame = passed.rename(columns={"id": "event_id"})[COLUMNS].assign(
        conveys=[localized(row, "conveys") or None for row in records],
        event=[localized(row, "event") for row in records],
    )
    return frame.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)


def _until(frame: pd.DataFrame, date) -> pd.DataFrame:
    return frame[frame["date_start"] <= pd.Timestamp(date)]


def knowledge(events: pd.DataFrame, party: str, date) -> pd.DataFrame:
    """Communications `party` had received up to and including `date`: addressed to it, or public and from another party.

    A month-precision event counts from the first day of its month (year precision: of its year).
    """
    frame = communications(events)
    received = (frame["to_party"] == party) | ((frame["to_party"] == PUBLIC) & (frame["from_party"] != party))
    return _until(frame[received], date).reset_index(drop=True)


def sent(events: pd.DataFrame, party: str, date) -> pd.DataFrame:
    """Communications `party` had sent (to another party or to the public) up to and including `date`."""
    frame = communications(events)
    return _until(frame[frame["from_party"] == party], date).reset_index(drop=True)


@dataclass(frozen=True)
class WhoKnewWhatState:
    """The chosen day (ISO string)."""

    date: str = DEFAULT_DAY


@dataclass(frozen=True)
class WhoKnewWhatView:
    """Per capital, what it had received and sent by `date`, plus the rendered board and the log behind it."""

    date: str
    received: dict[str, pd.DataFrame]
    sent: dict[str, pd.DataFrame]
    readout: str
    footnote: str
    table_html: str
    log: pd.DataFrame
    log_html: str


def party_name(code: str) -> str:
    return _(PARTY_NAMES[code]) if code in PARTY_NAMES else code


def _item(row, counterpart_column: str, newest: bool) -> dict:
    """One communication as the board template shows it."""
    party = party_name(getattr(row, counterpart_column))
    return {
        "when": format_date(row.date, row.date_precision),
        "direction": _("from {party}", party=party)
        if counterpart_column == "from_party"
        else _("to {party}", party=party),
        "what": row.conveys if isinstance(row.conveys, str) else _("(not labelled)"),
        "approximate": row.date_precision != "day",
        "newest": newest,
        "event": row.event,
        "event_id": row.event_id,
        "source_ids": tuple(row.source_ids),
    }


def _cell(frame: pd.DataFrame, party: str, role: str, counterpart_column: str) -> dict:
    """One cell of the board, newest at the bottom; the latest day's items are bold and marked."""
    latest = frame["date_start"].max() if not frame.empty else None
    items = [_item(row, counterpart_column, row.date_start == latest) for row in frame.itertuples()]
    return {"party": party, "role": role, "items": items}


def _board_html(date: str, received: dict, sent_: dict) -> str:
    rows = [
        {"role": role, "heading": heading, "cells": [_cell(frames[p], p, role, counterpart) for p in CAPITALS]}
        for role, heading, frames, counterpart in (
            ("received", _("Had received"), received, "from_party"),
            ("sent", _("Had sent"), sent_, "to_party"),
        )
    ]
    return render(
        "explorers/who_knew_what_board.html.j2",
        caption=_("What each capital had received and sent by {date}", date=format_date(date)),
        capitals=[(p, party_name(p)) for p in CAPITALS],
        rows=rows,
    )


def _log(events: pd.DataFrame, date: str) -> pd.DataFrame:
    """The flat list behind the board: every communication up to the day, oldest first."""
    frame = _until(communications(events), date)
    return pd.DataFrame(
        {
            _("Date"): frame["date"],
            _("From"): frame["from_party"].map(party_name),
            _("To"): frame["to_party"].map(party_name),
            _("What passed"): frame["conveys"],
            _("Event id"): frame["event_id"],
            _("Source ids"): frame["source_ids"].map("; ".join),
        }
    ).reset_index(drop=True)


def view(state: WhoKnewWhatState, evidence: Evidence) -> WhoKnewWhatView:
    """For each capital, the communications received and sent by `state.date`, rendered as one table."""
    events = evidence.events
    received = {p: knowledge(events, p, state.date) for p in CAPITALS}
    sent_ = {p: sent(events, p, state.date) for p in CAPITALS}
    counts = {p: len(received[p]) for p in CAPITALS}
    readout = _(
        "By {date}, Beijing had received {prc} communications, Pyongyang {dprk} and Moscow {ussr}. The newest "
        "in each list are in bold and marked “◆ newest”; open any line to read what happened and its sources.",
        date=format_date(state.date),
        prc=counts["PRC"],
        dprk=counts["DPRK"],
        ussr=counts["USSR"],
    )
    footnote = _(
        "How this is counted: an event known only to the month (or the year) counts from the first day of "
        "that month (or year), so it may appear a few days too early. A public statement counts as received "
        "by every other capital. A party's internal reports (from a party to itself) are not listed. Only "
        "what the sources record is listed; a capital may have known more."
    )
    log = _log(events, state.date)
    rows = [["" if pd.isna(v) else v for v in row] for row in log.itertuples(index=False)]
    return WhoKnewWhatView(
        date=state.date,
        received=received,
        sent=sent_,
        readout=readout,
        footnote=footnote,
        table_html=_board_html(state.date, received, sent_),
        log=log,
        log_html=render("explorers/table.html.j2", columns=list(log.columns), rows=rows, caption=None, marked=None),
    )


def key_dates(events: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, ISO day) for each day in range on which a capital sent another capital something."""
    frame = communications(events)
    inside = frame[
        frame["from_party"].isin(CAPITALS)
        & frame["to_party"].isin(CAPITALS)
        & (frame["date_precision"] == "day")
        & frame["date"].between(days()[0], days()[-1])
    ]
    labels = []
    for date, group in inside.groupby("date", sort=True):
        what = "; ".join(
            f"{party_name(a)}→{party_name(b)}: {c}"
            for a, b, c in zip(group["from_party"], group["to_party"], group["conveys"])
        )
        labels.append((f"{date} — {what}", date))
    return labels


def _day(date: str) -> dt.date:
    """The ISO day `date` as a date, with a clear error when it is malformed or outside the explorer's range."""
    try:
        day = dt.date.fromisoformat(date)
    except (TypeError, ValueError):
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(
            _(
                "who_knew_what(date={date}): give a day as YYYY-MM-DD from {first} to {last}.",
                date=repr(date),
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            )
        )
    return day


class WhoKnewWhatExplorer(Explorer[WhoKnewWhatState, WhoKnewWhatView]):
    """The widget shell: a date field, a jump list and previous/next buttons; the board below."""

    pure_view = staticmethod(view)

    def __init__(self, date: str = DEFAULT_DAY, evidence: Evidence | None = None):
        day = _day(date)
        super().__init__(evidence)
        self.key_dates = key_dates(self.evidence.events)
        self._key_days = [d for _label, d in self.key_dates]
        # A labelled date field, not a slider (whose handle has no accessible name): type a day, or step it
        # with the arrow keys, or use the buttons and the jump list.
        self.date = widgets.DatePicker(
            description=_("Day"), value=day, min=FIRST_DAY, max=LAST_DAY, style={"description_width": "initial"}
        )
        # Radio buttons, not a dropdown: JupyterLab takes a dropdown's keys (course/display/controls.py).
        self.jump = choice(_("Jump to a message"), self.key_dates, None)
        self.previous = widgets.Button(
            description=_("◀ Previous message"),
            tooltip=_("Go back to the previous day on which a capital sent another one something"),
            layout=widgets.Layout(width="auto"),  # the whole label shows (the default width cut it)
        )
        self.next = widgets.Button(
            description=_("Next message ▶"),
            tooltip=_("Go on to the next day on which a capital sent another one something"),
            layout=widgets.Layout(width="auto"),
        )
        self.readout = widgets.HTML()
        self.board = widgets.HTML()
        self.footnote = widgets.HTML()
        self.log = widgets.HTML()
        self.log_panel = widgets.Accordion(
            children=[self.log], titles=(_("All communications up to this day as a table"),), selected_index=None
        )
        self.root = focus_ring(
            widgets.VBox(
                [
                    self.date,
                    widgets.HBox([self.previous, self.next]),
                    self.jump,
                    self.readout,
                    self.board,
                    self.footnote,
                    self.log_panel,
                ]
            )
        )
        self.watch(self.date)
        self.jump.observe(self._jumped, names="value")
        self.previous.on_click(lambda _b: self.step(-1))
        self.next.on_click(lambda _b: self.step(+1))
        self.update()

    def state(self) -> WhoKnewWhatState:
        """The chosen day; a cleared date field keeps the day last shown."""
        if self.date.value is None:
            return WhoKnewWhatState(self.current.date if self.current is not None else DEFAULT_DAY)
        return WhoKnewWhatState(date=self.date.value.isoformat())

    def go_to(self, day: str) -> None:
        """Show the ISO day `day` (what the buttons and the jump list do)."""
        self.date.value = dt.date.fromisoformat(day)

    def step(self, direction: int) -> None:
        """Move to the previous (-1) or next (+1) day on which a capital sent another one something."""
        current = self.state().date
        later = [d for d in self._key_days if d > current]
        earlier = [d for d in self._key_days if d < current]
        target = later[:1] if direction > 0 else earlier[-1:]
        if target:
            self.go_to(target[0])

    def _jumped(self, change) -> None:
        if change["new"]:
            self.go_to(change["new"])

    def show(self, shown: WhoKnewWhatView) -> None:
        self.jump.value = shown.date if shown.date in self._key_days else None
        self.readout.value = render("explorers/who_knew_what_readout.html.j2", view=shown)
        self.board.value = shown.table_html
        self.footnote.value = render("explorers/who_knew_what_footnote.html.j2", view=shown)
        self.log.value = shown.log_html


def who_knew_what(date: str = DEFAULT_DAY, evidence: Evidence | None = None) -> widgets.VBox:
    """One line for a lesson: the who-knew-what board, opened on `date` (ISO)."""
    return WhoKnewWhatExplorer(date=date, evidence=evidence).root
