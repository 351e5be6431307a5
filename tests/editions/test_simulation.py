"""Three capitals: no team's handout holds a message its capital had not yet received; the build writes it all.

The leak check reads the handouts the build wrote (what students get) and judges every event id in
them against data/events.csv directly, with its own rule for when a message had surely arrived: the
received day the simulation's RECEIVED table takes from the sources, else the last day of the period
the date names (a month-precision event on the month's last day). It does not use the module's
`knowledge()`/`received_on()` logic, so a mistake there shows up here.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
import unicodedata

import pandas as pd
import pytest

from course.cli.main import main
from course.editions import simulation as sim
from course.evidence.package import evidence
from course.explorers.who_knew_what import communications
from tests.helpers import REPO
from tests.labkit import chromium_missing

EVENTS = {row["id"]: row for row in csv.DictReader((REPO / "data" / "events.csv").open(encoding="utf-8"))}
TEAM_OF_FILE = {name: code for code, name in sim.FILE_NAMES.items()}
EVENT_ID = re.compile(r"event `([^`]+)`", re.IGNORECASE)


def surely_arrived(event_id: str) -> dt.date:
    """The day by which the message had surely reached its addressee (never earlier than it can have been sent)."""
    row = EVENTS[event_id]
    parts = [int(p) for p in row["date"].split("-")]
    if row["date_precision"] == "year":
        sent_by = dt.date(parts[0], 12, 31)
    elif row["date_precision"] == "month":
        sent_by = dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    else:
        sent_by = dt.date(*parts)
    if event_id in sim.RECEIVED:
        return max(sent_by, dt.date.fromisoformat(sim.RECEIVED[event_id][0]))
    return sent_by


def leaks(markdown: str, team: str, date: str) -> list[str]:
    """Every message in a handout that `team`'s capital had neither sent nor surely received by `date`."""
    day = dt.date.fromisoformat(date)
    problems = []
    for event_id in EVENT_ID.findall(markdown):
        row = EVENTS.get(event_id)
        if row is None:
            problems.append(f"{event_id}: not in events.csv")
            continue
        sender, addressee = row["from_party"], row["to_party"]
        if not sender or not addressee or sender == addressee:
            problems.append(f"{event_id}: not a communication between parties")
        elif sender != team and addressee != team and addressee != "public":
            problems.append(f"{event_id}: addressed to {addressee}, not to {team}")
        if surely_arrived(event_id) > day:
            problems.append(f"{event_id}: arrived by {surely_arrived(event_id)}, after the round's day {date}")
    return problems


def expected_received(team: str, date: str) -> set[str]:
    """Every message addressed to `team` (or public, from another party) that had surely arrived by `date`."""
    day = dt.date.fromisoformat(date)
    return {
        i
        for i, r in EVENTS.items()
        if r["from_party"]
        and r["to_party"]
        and r["from_party"] != r["to_party"]
        and r["from_party"] != team
        and r["to_party"] in (team, "public")
        and surely_arrived(i) <= day
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The simulation built through the command line, as an instructor would (PDFs too when Chromium is here)."""
    out = tmp_path_factory.mktemp("simulation") / "sim"
    assert main(["build", "--edition", "simulation", "--out", str(out)]) == 0
    return out


def handouts(out):
    """(round, team, Markdown text) for every handout file the build wrote."""
    found = []
    for path in sorted((out / "handouts").glob("round-*.md")):
        number, date, team = re.fullmatch(r"round-(\d+)-(\d{4}-\d\d-\d\d)-(\w+)", path.stem).groups()
        found.append((sim.ROUNDS[int(number) - 1], TEAM_OF_FILE[team], path.read_text(encoding="utf-8")))
    return found


def test_no_handout_holds_a_message_its_capital_had_not_yet_received(built):
    every = handouts(built)
    assert len(every) == len(sim.ROUNDS) * len(sim.TEAMS) == 24
    for round_, team, text in every:
        assert leaks(text, team, round_.date) == [], (round_.number, team)


def test_every_handout_holds_every_message_that_had_arrived(built):
    """The other half: the leak check is not passed by leaving messages out."""
    for round_, team, text in handouts(built):
        shown = set(EVENT_ID.findall(text))
        missing = expected_received(team, round_.date) - shown
        assert not missing, (round_.number, team, sorted(missing))
        assert expected_received(team, round_.date), (round_.number, team)  # every file holds something
    late = dict(((r.number, t), txt) for r, t, txt in handouts(built))
    # Kim's first letter (16 Dec) reached Beijing on 17 Dec: in round 4 (20 Dec), not in round 3 (15 Dec).
    assert "1957-12-16-kim-first-letter" in late[(4, "PRC")] and "1957-12-16-kim-first-letter" not in late[(3, "PRC")]
    assert "1957-12-16-kim-first-letter" not in late[(4, "USSR")]


def test_the_leak_check_catches_a_planted_message(built):
    rounds = {(r.number, t): txt for r, t, txt in handouts(built)}
    early = rounds[(1, "DPRK")]
    future = early + "\n- 24 January 1958 — from Beijing: reply to Kim (event `1958-01-24-mao-replies-kim`)\n"
    assert leaks(future, "DPRK", "1957-11-08") == [
        "1958-01-24-mao-replies-kim: arrived by 1958-01-24, after the round's day 1957-11-08"
    ]
    overheard = rounds[(2, "DPRK")] + "\n- (event `1957-11-09-mao-briefs-yudin`)\n"
    assert leaks(overheard, "DPRK", "1957-11-12") == ["1957-11-09-mao-briefs-yudin: addressed to USSR, not to DPRK"]


def test_the_boards_month_rule_would_leak_and_the_simulation_does_not(monkeypatch):
    """Kim agreed "a few days after" 9 Nov 1957 (month precision, sorted to 15 Nov). On a round of 20 Nov
    the board's rule (count from the sorted day) would give it to Beijing; the simulation waits for 30 Nov."""
    ev = evidence()
    probe = (sim.Round(1, "1957-11-20", "", ()),)
    honest = sim.simulation(ev, rounds=probe)
    text = sim.handout_markdown(honest, honest.rounds[0], "PRC")
    assert leaks(text, "PRC", "1957-11-20") == []
    monkeypatch.setattr(sim, "received_on", lambda row: (row.date_start.date(), "as sent"))
    naive = sim.simulation(ev, rounds=probe)
    text = sim.handout_markdown(naive, naive.rounds[0], "PRC")
    assert leaks(text, "PRC", "1957-11-20") == [
        "1957-11-kim-agrees-second-talk: arrived by 1957-11-30, after the round's day 1957-11-20"
    ]


def test_a_handout_built_from_everyone_s_mail_fails_the_check(monkeypatch):
    """A planted defect in the generator: every team gets every communication."""
    ev = evidence()

    def everything(events, party, date):
        frame = communications(events)
        return frame[frame["date_start"] <= pd.Timestamp(date)].reset_index(drop=True)

    monkeypatch.setattr(sim, "knowledge", everything)
    broken = sim.simulation(ev, rounds=sim.ROUNDS[:2])
    text = sim.handout_markdown(broken, broken.rounds[1], "DPRK")
    assert "1957-11-09-mao-briefs-yudin: addressed to USSR, not to DPRK" in leaks(text, "DPRK", "1957-11-12")


def test_the_build_writes_the_expected_files(built):
    names = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    stems = ["instructor-sheet"] + [
        f"handouts/round-{r.number}-{r.date}-{f}" for r in sim.ROUNDS for f in ("beijing", "pyongyang", "moscow")
    ]
    expected = {f"{s}{suffix}" for s in stems for suffix in (".md", ".html")}
    if chromium_missing() is None:
        expected |= {f"{s}.pdf" for s in stems}
    assert names == expected
    sheet = (built / "instructor-sheet.md").read_text(encoding="utf-8")
    for number, title in ((1, "8 November 1957"), (4, "20 December 1957"), (8, "7 February 1958")):
        assert f"## Round {number} · {title}" in sheet
    # What happened next after round 7 (27 Jan) includes the DPRK statement of 5 Feb, with its sources.
    after_seven = sheet.split("## Round 7")[1].split("## Round 8")[0]
    assert "`1958-02-05-dprk-government-statement`" in after_seven and "`dprk-statement-1958-02-05`" in after_seven
    assert "`1957-11-09-mao-offers-withdrawal`" not in after_seven
    handout = (built / "handouts" / "round-1-1957-11-08-pyongyang.md").read_text(encoding="utf-8")
    assert "What do you send, to whom, and why?" in handout and "What actually happened" not in handout


def test_without_chromium_the_build_says_so_and_writes_the_rest(tmp_path, monkeypatch, capsys):
    from course.editions import print_pdf

    monkeypatch.setattr(print_pdf, "chromium_missing", lambda: "Chromium is not installed (test)")
    out = tmp_path / "sim"
    assert main(["build", "--edition", "simulation", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Warning: The PDFs were not made: Chromium is not installed (test)." in err
    assert not list(out.rglob("*.pdf"))
    assert len(list((out / "handouts").glob("*.md"))) == len(list((out / "handouts").glob("*.html"))) == 24


def _pdf_text(path) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split()), len(reader.pages)


def test_the_pdfs_hold_the_handouts_text(built):
    why = chromium_missing()
    if why:
        pytest.skip(f"no PDFs without Chromium: {why}")
    pytest.importorskip("pypdf", reason="pypdf reads the PDFs' text (pip install -e '.[test]')")
    text, pages = _pdf_text(built / "instructor-sheet.pdf")
    assert 8 <= pages <= 40
    for round_ in sim.ROUNDS:
        assert f"Round {round_.number} · " in text
    for path in sorted((built / "handouts").glob("*.md")):
        markdown = path.read_text(encoding="utf-8")
        text, pages = _pdf_text(path.with_suffix(".pdf"))
        assert 1 <= pages <= 4, path.name
        number = re.match(r"round-(\d+)-", path.name).group(1)
        assert f"Round {number} of 8" in text, path.name
        first = EVENT_ID.search(markdown).group(1)  # the first message on the handout
        expected = [EVENTS[first]["conveys"]]
        full = re.search(r"Event `([^`]+)`", markdown)  # the first message printed in full, with its summary
        if full:
            expected.append(EVENTS[full.group(1)]["event"].split(";")[0])
        for words in expected:
            assert " ".join(words.split()) in text, (path.name, words)
