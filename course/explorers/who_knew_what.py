"""Who knew what, when: what Beijing, Pyongyang and Moscow had received (and sent) by a given day.

Computed from the communications in events.csv (rows with `from_party` and `to_party`; `conveys`
names what passed). Pure part: `knowledge`, `sent`, `State`, `view`. Shell: `WhoKnewWhatExplorer`.
Lessons call `who_knew_what(date="1958-01-22")`.

Rules the footnote states: an event dated only to the month (or year) counts from its first day;
a public statement counts as received by every other capital; a party's internal reports
(from a party to itself) are not communications and are left out.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from course.evidence.package import Evidence, evidence as load_evidence
from course.display.cards import format_date
from course.i18n import t

CAPITALS = ("PRC", "DPRK", "USSR")
FIRST_DAY, LAST_DAY = dt.date(1956, 11, 1), dt.date(1958, 2, 28)
PUBLIC = "public"
COLUMNS = ["date", "date_start", "date_precision", "from_party", "to_party", "conveys", "event_id", "event",
           "source_ids"]


def days(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> list[str]:
    """Every day of the explorer's range as an ISO string (the slider's options)."""
    return [(first + dt.timedelta(n)).isoformat() for n in range((last - first).days + 1)]


_COMMUNICATIONS: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}


def communications(events: pd.DataFrame) -> pd.DataFrame:
    """The events that passed something from one party to another, oldest first (cached per DataFrame)."""
    hit = _COMMUNICATIONS.get(id(events))
    if hit is not None and hit[0] is events:
        return hit[1]
    passed = events[events["from_party"].notna() & events["to_party"].notna()
                    & (events["from_party"] != events["to_party"])]
    frame = passed.rename(columns={"id": "event_id"})[COLUMNS]
    frame = frame.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)
    if len(_COMMUNICATIONS) > 8:
        _COMMUNICATIONS.clear()
    _COMMUNICATIONS[id(events)] = (events, frame)
    return frame


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
class State:
    """The chosen day (ISO string)."""

    date: str = "1958-01-22"


@dataclass(frozen=True)
class KnowledgeView:
    """Per capital, what it had received and sent by `date`, plus the rendered table and its text alternative."""

    date: str
    received: dict[str, pd.DataFrame]
    sent: dict[str, pd.DataFrame]
    readout: str
    footnote: str
    table_html: str
    log: pd.DataFrame
    log_html: str


def _party_name(code: str) -> str:
    return t(f"who_knew_what.party_{code}")


def _item_html(row, counterpart_column: str, newest: bool) -> str:
    """One communication: date, from/to whom, what passed, the event id and its sources."""
    when = format_date(row.date, row.date_precision)
    direction = t(f"who_knew_what.{'from' if counterpart_column == 'from_party' else 'to'}",
                  party=_party_name(getattr(row, counterpart_column)))
    what = row.conveys if isinstance(row.conveys, str) else t("who_knew_what.unlabelled")
    head = f"{html.escape(when)} — {html.escape(direction)}: {html.escape(what)}"
    if row.date_precision != "day":
        head += f" <span class='ov-approx'>{html.escape(t('who_knew_what.approx'))}</span>"
    if newest:
        head = f"<strong>{head}</strong> <span class='ov-new'>{html.escape(t('who_knew_what.new'))}</span>"
    ids = ", ".join(f"<code>{html.escape(s)}</code>" for s in row.source_ids)
    mark = " class='ov-item ov-newest' style='background:#FFF3C4'" if newest else " class='ov-item'"
    details = (f"<small>{html.escape(row.event)}<br>{html.escape(t('who_knew_what.event'))} "
               f"<code>{html.escape(row.event_id)}</code>; {html.escape(t('who_knew_what.sources'))}: {ids}</small>")
    # The line says what passed; what happened and the sources are one click away (open for the newest).
    return (f"<li{mark} data-event='{html.escape(row.event_id)}'><details{' open' if newest else ''}>"
            f"<summary>{head}</summary>{details}</details></li>")


def _cell_html(frame: pd.DataFrame, party: str, role: str, counterpart_column: str) -> str:
    """One cell of the board, newest at the bottom; the latest day's items are bold and marked."""
    if frame.empty:
        body = f"<p class='ov-nothing'>{html.escape(t('who_knew_what.nothing'))}</p>"
    else:
        latest = frame["date_start"].max()
        items = "".join(_item_html(row, counterpart_column, row.date_start == latest) for row in frame.itertuples())
        body = f"<ol>{items}</ol>"
    return (f"<td class='ov-cell ov-{role}' data-party='{party}' data-role='{role}' "
            f"style='vertical-align:top;border:1px solid #888;padding:4px'>{body}</td>")


def _board_html(date: str, received: dict, sent_: dict) -> str:
    caption = html.escape(t("who_knew_what.caption", date=format_date(date)))
    heads = "".join(f"<th scope='col' data-party='{p}'>{html.escape(_party_name(p))}</th>" for p in CAPITALS)
    rows = ""
    for role, frames, counterpart in (("received", received, "from_party"), ("sent", sent_, "to_party")):
        cells = "".join(_cell_html(frames[p], p, role, counterpart) for p in CAPITALS)
        rows += f"<tr class='ov-{role}'><th scope='row'>{html.escape(t('who_knew_what.' + role))}</th>{cells}</tr>"
    return (f"<table class='ov-board' style='border-collapse:collapse;vertical-align:top'>"
            f"<caption>{caption}</caption><thead><tr><td></td>{heads}</tr></thead><tbody>{rows}</tbody></table>")


def _log(events: pd.DataFrame, date: str) -> pd.DataFrame:
    """The flat list behind the board: every communication up to the day, oldest first."""
    frame = _until(communications(events), date)
    return pd.DataFrame({
        "date": frame["date"], "from": frame["from_party"], "to": frame["to_party"], "what": frame["conveys"],
        "event id": frame["event_id"], "sources": frame["source_ids"].map("; ".join),
    }).reset_index(drop=True)


def view(state: State, evidence: Evidence) -> KnowledgeView:
    """For each capital, the communications received and sent by `state.date`, rendered as one table."""
    events = evidence.events
    received = {p: knowledge(events, p, state.date) for p in CAPITALS}
    sent_ = {p: sent(events, p, state.date) for p in CAPITALS}
    counts = {p: len(received[p]) for p in CAPITALS}
    readout = t("who_knew_what.readout", date=format_date(state.date), prc=counts["PRC"], dprk=counts["DPRK"],
                ussr=counts["USSR"])
    log = _log(events, state.date)
    return KnowledgeView(date=state.date, received=received, sent=sent_, readout=readout,
                         footnote=t("who_knew_what.footnote"), table_html=_board_html(state.date, received, sent_),
                         log=log, log_html=log.to_html(index=False, escape=True, na_rep="", classes="ov-table"))


def key_dates(events: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, ISO day) for each day in range on which a capital sent another capital something."""
    frame = communications(events)
    inside = frame[frame["from_party"].isin(CAPITALS) & frame["to_party"].isin(CAPITALS)
                   & (frame["date_precision"] == "day") & frame["date"].between(days()[0], days()[-1])]
    labels = []
    for date, group in inside.groupby("date", sort=True):
        what = "; ".join(f"{a}→{b}: {c}" for a, b, c in zip(group["from_party"], group["to_party"], group["conveys"]))
        labels.append((f"{date} — {what}", date))
    return labels


class WhoKnewWhatExplorer:
    """The widget shell: a day slider, a jump list and previous/next buttons; the board below."""

    def __init__(self, date: str = "1958-01-22", evidence: Evidence | None = None):
        self.evidence = evidence if evidence is not None else load_evidence()
        self.key_dates = key_dates(self.evidence.events)
        self._key_days = [d for _, d in self.key_dates]
        self.date = widgets.SelectionSlider(description=t("who_knew_what.date"), options=days(), value=date,
                                            continuous_update=False, style={"description_width": "initial"},
                                            layout=widgets.Layout(width="40em"))
        self.jump = widgets.Dropdown(description=t("who_knew_what.jump"),
                                     options=[(t("who_knew_what.jump_hint"), "")] + self.key_dates,
                                     style={"description_width": "initial"}, layout=widgets.Layout(width="40em"))
        self.previous = widgets.Button(description=t("who_knew_what.previous"), tooltip=t("who_knew_what.previous_tip"))
        self.next = widgets.Button(description=t("who_knew_what.next"), tooltip=t("who_knew_what.next_tip"))
        self.readout = widgets.HTML()
        self.board = widgets.HTML()
        self.footnote = widgets.HTML()
        self.log = widgets.HTML()
        self.log_panel = widgets.Accordion(children=[self.log], titles=(t("who_knew_what.log_title"),),
                                           selected_index=None)
        self.root = widgets.VBox([self.date, widgets.HBox([self.previous, self.next]), self.jump, self.readout,
                                  self.board, self.footnote, self.log_panel])
        self.date.observe(self._date_changed, names="value")
        self.jump.observe(self._jumped, names="value")
        self.previous.on_click(lambda _b: self.step(-1))
        self.next.on_click(lambda _b: self.step(+1))
        self.update()

    def state(self) -> State:
        return State(date=self.date.value)

    def step(self, direction: int) -> None:
        """Move to the previous (-1) or next (+1) day on which a capital sent another one something."""
        current = self.date.value
        later = [d for d in self._key_days if d > current]
        earlier = [d for d in self._key_days if d < current]
        target = (later[:1] if direction > 0 else earlier[-1:])
        if target:
            self.date.value = target[0]

    def _jumped(self, change) -> None:
        if change["new"]:
            self.date.value = change["new"]

    def _date_changed(self, _change) -> None:
        self.update()

    def update(self) -> KnowledgeView:
        """Re-render every output from the slider's day (timed by the benchmark)."""
        shown = view(self.state(), self.evidence)
        self.jump.value = shown.date if shown.date in self._key_days else ""
        self.readout.value = f"<div class='ov-readout' role='status'>{html.escape(shown.readout)}</div>"
        self.board.value = shown.table_html
        self.footnote.value = f"<p class='ov-footnote'><small>{html.escape(shown.footnote)}</small></p>"
        self.log.value = shown.log_html
        self.current = shown
        return shown


def who_knew_what(date: str = "1958-01-22", evidence: Evidence | None = None) -> widgets.VBox:
    """One line for a lesson: the who-knew-what board, opened on `date` (ISO)."""
    return WhoKnewWhatExplorer(date=date, evidence=evidence).root
