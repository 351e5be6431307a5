"""Three capitals: a classroom simulation built on the communications in events.csv.

Three teams (Beijing, Pyongyang, Moscow) play eight dated rounds from November 1957 to February
1958. In each round a team holds only the messages its capital had received by that day, plus what
it had itself sent; it decides what to send next. The instructor sheet says, round by round, what
each team now holds, what the capitals actually did next (with source ids), discussion questions
and the timing of a 50-75 minute class.

Who received what comes from the who-knew-what board's pure functions (`knowledge`, `sent`), made
stricter in one way: a message counts only from the day it had surely arrived. That day is

* the received date where the sources give one (`RECEIVED`, with the reason);
* for an event the sources date only to the month (or year), the last day of that month (or
  year), so it may appear late but never early (the board counts it from a day within the period);
* otherwise the date it was sent: the same day for a conversation, an inference for a letter.

Pure part: `rounds`, `holdings`, `received_on`, `simulation`. Writing: `write_simulation`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from course.display.templating import render
from course.editions.student import EditionWarning
from course.evidence.package import Evidence
from course.evidence.package import evidence as load_evidence
from course.explorers.who_knew_what import PUBLIC, knowledge, sent
from course.i18n import N_, _, format_date

TEAMS = ("PRC", "DPRK", "USSR")
TEAM_NAMES = {"PRC": N_("Beijing"), "DPRK": N_("Pyongyang"), "USSR": N_("Moscow")}
PARTY_NAMES = {
    **TEAM_NAMES,
    "US": N_("Washington"),
    "ROK": N_("Seoul"),
    "UN": N_("the UN Command"),
    "other": N_("others"),
    PUBLIC: N_("the public"),
}
FILE_NAMES = {"PRC": "beijing", "DPRK": "pyongyang", "USSR": "moscow"}
END = "1958-02-20"  # the instructor sheet's "what happened next" after the last round runs to here

# Received dates the sources give, where they differ from the date sent: (day, why, sources).
RECEIVED = {
    "1957-12-16-kim-first-letter": (
        "1957-12-17",
        N_(
            "Kim handed this letter to the Chinese ambassador, Qiao Xiaoguang, on 17 December 1957, so Beijing "
            "had it on that day at the earliest."
        ),
        ("mao-chronicle-v3", "tian-2014"),
    ),
}
SAME_DAY_KINDS = ("conversation", "meeting")


@dataclass(frozen=True)
class Round:
    """One round: its day, a neutral scene in our words, and questions for the discussion after it.

    The scene is printed on every team's handout, so it says only what all three capitals knew by then."""

    number: int
    date: str
    scene: str
    questions: tuple[str, ...]
    scene_ids: tuple[str, ...] = ()


ROUNDS = (
    Round(
        1,
        "1957-11-08",
        N_(
            "Moscow, November 1957. The delegations of the communist parties, Mao Zedong's and "
            "Kim Il-sung's among them, are in the Soviet capital for the 40th anniversary of the "
            "October Revolution and a meeting of communist parties."
        ),
        (
            N_(
                "Compare the three files: which messages about a withdrawal of foreign troops from Korea does each "
                "capital hold, and from whom?"
            ),
            N_(
                "Moscow's file holds Mao's remarks of 1956 about a withdrawal; Pyongyang's does not. How could that "
                "difference shape the talks to come?"
            ),
        ),
        scene_ids=("1957-11-02-mao-arrives-moscow",),
    ),
    Round(
        2,
        "1957-11-12",
        N_("Moscow, three days after the first talk between Mao and Kim."),
        (
            N_(
                "By 12 November Moscow had heard of Mao's proposal from two sides. What did each account stress, and "
                "what did each leave out?"
            ),
            N_("Kim promised only to consider the proposal. What would each team need to know before answering it?"),
        ),
    ),
    Round(
        3,
        "1957-12-15",
        N_("Mid-December 1957. The delegations have gone home from Moscow."),
        (
            N_("What must be settled before the Chinese delegation arrives, and who should hear about it first?"),
            N_(
                "Pyongyang set its report on the Moscow trip, with its call for foreign troops to leave Korea, for "
                "publication on 6 December. What does a public call commit each capital to?"
            ),
        ),
    ),
    Round(
        4,
        "1957-12-20",
        N_("A few days before Christmas 1957."),
        (
            N_(
                "Pyongyang's plan reached Beijing by letter and Moscow through a conversation with the Soviet "
                "ambassador; Beijing's ambassador then briefed his Soviet colleague. Who had the fullest picture on "
                "20 December, and who the thinnest?"
            ),
            N_("The plan gives the United Nations a part. Which team gains and which loses by that?"),
        ),
    ),
    Round(
        5,
        "1957-12-31",
        N_("The end of 1957. The coming visit of a Chinese government delegation has been announced in the press."),
        (
            N_(
                "Beijing now holds two different plans from Pyongyang. Should it answer before it has consulted "
                "Moscow? Why?"
            ),
            N_(
                "Pyongyang cannot know how its second letter was received. What does each team's file say about what "
                "the others think?"
            ),
        ),
    ),
    Round(
        6,
        "1958-01-16",
        N_("Mid-January 1958."),
        (
            N_(
                "Pyongyang's file holds nothing new from Beijing since the end of December. What can a team read "
                "into silence, and how should it act on it?"
            ),
            N_(
                "In the meeting in which Beijing set out its plan, Moscow's ambassador handed over Soviet proposals "
                "for easing international tension. How do the two fit together?"
            ),
        ),
    ),
    Round(
        7,
        "1958-01-27",
        N_("Late January 1958."),
        (
            N_(
                "Beijing's answer chose one of Pyongyang's two plans and changed it. Compare the answer with the two "
                "letters: whose wishes does it meet?"
            ),
            N_(
                "Beijing's answer says that Moscow fully agrees. How could Pyongyang's team check that, with only "
                "its own file?"
            ),
        ),
    ),
    Round(
        8,
        "1958-02-07",
        N_(
            "Early February 1958. A public statement has been made, and answered. The Chinese "
            "delegation's visit to Pyongyang is still to come."
        ),
        (
            N_("What does a public statement do that a letter does not, and for whom?"),
            N_(
                "Which questions are still open for the talks during the delegation's visit, judging only by each "
                "team's file?"
            ),
        ),
    ),
)

DEBRIEF = (
    N_(
        "Where did your team's messages differ from what your capital actually sent, and what in your file (or "
        "missing from it) explains the difference?"
    ),
    N_("Which capital learned something important last, and from whom? What did that delay change?"),
    N_(
        "The files list only what the sources record: a capital may have known more. Which of your decisions might "
        "have changed if you had known what was missing?"
    ),
    N_(
        "Tian Wuxiong's paper is titled 同声异气. Using your files, where did the three capitals speak with one "
        "voice, and where did they differ?"
    ),
)
PROMPT = N_(
    "What do you send, to whom, and why? Write your message (at most 80 words), name its addressee (another "
    "capital, or the public), and give your reasons in two or three sentences. You may decide to send "
    "nothing: then say why."
)
TIMING = (  # (minutes, what), for the 75-minute class
    (
        5,
        N_(
            "Briefing: the three teams, the rules (use only your file; every message goes through the instructor), "
            "the handouts of round 1."
        ),
    ),
    (
        48,
        N_(
            "Eight rounds of about six minutes: read the new messages (2 min), decide and write (3 min), hand the "
            "message to the instructor, who reads out what actually happened next (1 min)."
        ),
    ),
    (17, N_("Debrief: compare the teams' messages with what was sent; the debrief questions.")),
    (5, N_("Reserve.")),
)
SHORT_ROUNDS = (1, 2, 4, 5, 7)  # the 50-minute path; the skipped rounds' handouts go out with the next round


def _day(value) -> dt.date:
    return value.date() if isinstance(value, pd.Timestamp) else dt.date.fromisoformat(str(value)[:10])


def period_end(date: str, precision: str) -> dt.date:
    """The last day of the period an ISO date names at `precision` ('day', 'month' or 'year')."""
    parts = [int(p) for p in date.split("-")]
    if precision == "year":
        return dt.date(parts[0], 12, 31)
    if precision == "month":
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(*parts[:3])


def received_on(row) -> tuple[dt.date, str]:
    """The day from which a communication surely counts as received, and how that day is known (a sentence)."""
    if row.event_id in RECEIVED:
        day, why, sources = RECEIVED[row.event_id]
        return dt.date.fromisoformat(day), _("{why} (sources: {sources})", why=_(why), sources=", ".join(sources))
    if row.date_precision != "day":
        end = period_end(row.date, row.date_precision)
        if row.date_precision == "month":
            return end, _(
                "The sources give only the month: counted from its last day, {date}.", date=format_date(end.isoformat())
            )
        return end, _(
            "The sources give only the year: counted from its last day, {date}.", date=format_date(end.isoformat())
        )
    day = _day(row.date_start)
    if row.to_party == PUBLIC:
        return day, _("Public: counted as known to every other capital from the day it appeared (inferred).")
    if row.kind in SAME_DAY_KINDS:
        return day, _("Told face to face, to your capital's leaders or its representative: received the same day.")
    return day, _("The sources do not give the day it arrived: counted from the day it was sent (inferred).")


@dataclass(frozen=True)
class Message:
    event_id: str
    date: str
    precision: str
    from_party: str
    to_party: str
    conveys: str
    text: str
    source_ids: tuple[str, ...]
    received: dt.date
    how_known: str


def _messages(frame: pd.DataFrame, events: pd.DataFrame, date: str) -> list[Message]:
    """The rows of `frame` (a knowledge()/sent() result) that had surely arrived by `date`, oldest first."""
    kinds = events.set_index("id")["kind"]
    day = dt.date.fromisoformat(date)
    out = []
    for row in frame.assign(kind=frame["event_id"].map(kinds)).itertuples():
        received, how = received_on(row)
        if received <= day:
            out.append(
                Message(
                    row.event_id,
                    row.date,
                    row.date_precision,
                    row.from_party,
                    row.to_party,
                    row.conveys if isinstance(row.conveys, str) else "",
                    row.event,
                    tuple(row.source_ids),
                    received,
                    how,
                )
            )
    return sorted(out, key=lambda m: (m.received, m.date, m.event_id))


def holdings(events: pd.DataFrame, team: str, date: str) -> list[Message]:
    """What `team`'s capital had received by `date` (the board's `knowledge`, counted from the day received)."""
    return _messages(knowledge(events, team, date), events, date)


def sent_by(events: pd.DataFrame, team: str, date: str) -> list[Message]:
    """What `team`'s capital had sent by `date` (the board's `sent`, with the same rule)."""
    return _messages(sent(events, team, date), events, date)


@dataclass(frozen=True)
class Handout:
    round: Round
    team: str
    previous_date: str | None
    new: list[Message]
    earlier: list[Message]
    sent: list[Message]


@dataclass(frozen=True)
class RoundSheet:
    round: Round
    handouts: dict[str, Handout]
    scene_events: list[dict]
    next_events: list[dict]
    next_until: str


@dataclass(frozen=True)
class Simulation:
    rounds: list[RoundSheet]
    sources: list[dict]


def _event_dicts(events: pd.DataFrame, mask) -> list[dict]:
    rows = events[mask]
    return [
        {
            "id": r.id,
            "date": r.date,
            "precision": r.date_precision,
            "text": r.event,
            "from_party": r.from_party if isinstance(r.from_party, str) else "",
            "to_party": r.to_party if isinstance(r.to_party, str) else "",
            "source_ids": tuple(r.source_ids),
        }
        for r in rows.itertuples()
    ]


def simulation(evidence: Evidence, rounds: tuple[Round, ...] = ROUNDS) -> Simulation:
    """Every round's handouts and instructor notes, from the evidence."""
    events = evidence.events
    sheets = []
    for index, round_ in enumerate(rounds):
        previous = rounds[index - 1].date if index else None
        handouts = {}
        for team in TEAMS:
            held = holdings(events, team, round_.date)
            cut = dt.date.fromisoformat(previous) if previous else None
            handouts[team] = Handout(
                round_,
                team,
                previous,
                new=[m for m in held if cut is None or m.received > cut],
                earlier=[m for m in held if cut is not None and m.received <= cut],
                sent=sent_by(events, team, round_.date),
            )
        until = rounds[index + 1].date if index + 1 < len(rounds) else END
        after = (events["date_start"] > pd.Timestamp(round_.date)) & (events["date_start"] <= pd.Timestamp(until))
        sheets.append(
            RoundSheet(
                round_,
                handouts,
                _event_dicts(events, events["id"].isin(round_.scene_ids)),
                _event_dicts(events, after),
                until,
            )
        )
    cited = sorted(
        {
            s
            for sheet in sheets
            for h in sheet.handouts.values()
            for m in h.new + h.earlier + h.sent
            for s in m.source_ids
        }
        | {s for sheet in sheets for e in sheet.next_events + sheet.scene_events for s in e["source_ids"]}
    )
    known = evidence.sources.set_index("id")
    sources = [{"id": s, "title": _source_title(known.loc[s]) if s in known.index else s} for s in cited]
    return Simulation(sheets, sources)


def _source_title(row) -> str:
    title = row["title_en"] if isinstance(row.get("title_en"), str) and row["title_en"] else row["title"]
    return str(title)


# --- rendering -------------------------------------------------------------------------------------


def _context(sim: Simulation) -> dict:
    return {
        "sim": sim,
        "teams": TEAMS,
        "team_name": lambda code: _(TEAM_NAMES[code]),
        "party_name": lambda code: _(PARTY_NAMES.get(code, code)) if code else "",
        "tr": lambda message: _(message),
        "prompt": _(PROMPT),
        "rounds_total": len(sim.rounds),
        "debrief": [_(q) for q in DEBRIEF],
        "timing": [(m, _(w)) for m, w in TIMING],
        "total_minutes": sum(m for m, _w in TIMING),
        "short_rounds": SHORT_ROUNDS,
        "handout_name": handout_name,
    }


def handout_markdown(sim: Simulation, sheet: RoundSheet, team: str) -> str:
    return render("editions/simulation_handout.md.j2", handout=sheet.handouts[team], sheet=sheet, **_context(sim))


def handout_html(sim: Simulation, sheet: RoundSheet, team: str) -> str:
    """A team's handout for one round, as a printable HTML page."""
    return render("editions/simulation_handout.html.j2", handout=sheet.handouts[team], sheet=sheet, **_context(sim))


def instructor_markdown(sim: Simulation) -> str:
    return render("editions/simulation_instructor.md.j2", **_context(sim))


def instructor_sheet_html(sim: Simulation) -> str:
    """The instructor sheet as a printable HTML page."""
    return render("editions/simulation_instructor.html.j2", **_context(sim))


def handout_name(sheet: RoundSheet, team: str) -> str:
    return f"round-{sheet.round.number}-{sheet.round.date}-{FILE_NAMES[team]}"


def write_simulation(out: Path, evidence: Evidence | None = None, pdf: bool = True) -> list[Path]:
    """Write the instructor sheet and every team's handout (Markdown, HTML and, with Chromium, PDF) into `out`."""
    from course.editions.print_pdf import chromium_missing, print_pdfs

    sim = simulation(evidence if evidence is not None else load_evidence())
    out = Path(out)
    (out / "handouts").mkdir(parents=True, exist_ok=True)
    pages = [(out / "instructor-sheet", instructor_markdown(sim), instructor_sheet_html(sim))]
    for sheet in sim.rounds:
        for team in TEAMS:
            pages.append(
                (
                    out / "handouts" / handout_name(sheet, team),
                    handout_markdown(sim, sheet, team),
                    handout_html(sim, sheet, team),
                )
            )
    written = []
    for stem, markdown, page in pages:
        for suffix, text in ((".md", markdown), (".html", page)):
            path = stem.with_suffix(suffix)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    if pdf:
        why = chromium_missing()
        if why:
            warnings.warn(
                EditionWarning(
                    _(
                        "The PDFs were not made: {why}. The Markdown and HTML files are complete; "
                        "print the HTML files from a browser, or install Chromium and build "
                        "again.",
                        why=why,
                    )
                ),
                stacklevel=2,
            )
        else:
            jobs = [(stem.with_suffix(".html"), stem.with_suffix(".pdf")) for stem, _m, _p in pages]
            print_pdfs(jobs)
            written += [target for _source, target in jobs]
    return written
