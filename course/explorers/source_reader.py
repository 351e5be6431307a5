"""Source reader: filter the evidence base's sources and read their cards.

Pure part: `State` (the filter values) and `view(state, evidence) -> SourceView`.
Shell: `SourceReaderExplorer` (ipywidgets). Lessons call `source_reader(lesson=...)`.
Cards come from `lesson.source_card_html`, so a source looks the same in a lesson and here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from course.evidence.package import Evidence, evidence as load_evidence
from course.display.cards import source_card_html
from course.i18n import t

ANY = ""  # the "All" choice of every dropdown
MAX_CARDS = 25
SEARCHED_COLUMNS = ("id", "title", "title_en", "creator", "date", "archive", "reference", "audience", "translator",
                    "excerpt", "excerpt_en", "can_tell", "cannot_tell", "note")
TABLE_COLUMNS = ("id", "date", "type", "party", "language", "primary", "title_en")


@dataclass(frozen=True)
class State:
    """The filter values; ANY means "no filter". `years` is an inclusive (first, last) pair or None for all years."""

    lesson: str = ANY
    type: str = ANY
    archive: str = ANY
    language: str = ANY
    party: str = ANY
    years: tuple[int, int] | None = None
    primary_only: bool = False
    text: str = ""


@dataclass(frozen=True)
class SourceView:
    """What the student sees: the count line, the cards (at most MAX_CARDS) and the table of every match."""

    ids: tuple[str, ...]
    shown_ids: tuple[str, ...]
    count_line: str
    more_line: str
    cards_html: str
    table: pd.DataFrame
    table_html: str


_PREPARED: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}


def prepared(sources: pd.DataFrame) -> pd.DataFrame:
    """Sources in reading order (date, then id; undated last) with `year` and a lower-case search text.

    Cached per DataFrame object: the controls never change it.
    """
    hit = _PREPARED.get(id(sources))
    if hit is not None and hit[0] is sources:
        return hit[1]
    frame = sources.copy()
    frame["year"] = pd.to_numeric(frame["date"].str[:4], errors="coerce").astype("Int64")
    frame["sort_date"] = frame["date"].map(_first_day)
    frame["haystack"] = frame[list(SEARCHED_COLUMNS)].apply(
        lambda row: "\n".join(v for v in row if isinstance(v, str)).casefold(), axis=1)
    frame = frame.sort_values(["sort_date", "id"], na_position="last", kind="stable").reset_index(drop=True)
    if len(_PREPARED) > 8:
        _PREPARED.clear()
    _PREPARED[id(sources)] = (sources, frame)
    return frame


def _first_day(date) -> str | None:
    """'1957' -> '1957-01-01', '1957-12' -> '1957-12-01': a date known only to the year or month sorts first."""
    if not isinstance(date, str):
        return None
    return date + "-01" * (2 - date.count("-"))


def year_span(sources: pd.DataFrame) -> tuple[int, int]:
    """First and last year among the dated sources."""
    years = prepared(sources)["year"].dropna()
    return int(years.min()), int(years.max())


def _mask(frame: pd.DataFrame, state: State, span: tuple[int, int]) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    if state.lesson != ANY:
        keep &= frame["lessons"].map(lambda lessons: isinstance(lessons, tuple) and state.lesson in lessons)
    for column in ("type", "archive", "language", "party"):
        wanted = getattr(state, column)
        if wanted != ANY:
            keep &= frame[column] == wanted
    if state.primary_only:
        keep &= frame["primary"]
    if state.years is not None and tuple(state.years) != span:
        first, last = state.years
        keep &= frame["year"].between(first, last).fillna(False).astype(bool)
    needle = state.text.strip().casefold()
    if needle:
        keep &= frame["haystack"].str.contains(needle, regex=False)
    return keep


def view(state: State, evidence: Evidence) -> SourceView:
    """The sources matching every filter, in date-then-id order, with the first MAX_CARDS as cards.

    Undated sources are kept only while the year range spans every year (a narrower range asks for a date).
    """
    frame = prepared(evidence.sources)
    matches = frame[_mask(frame, state, year_span(evidence.sources))]
    shown = matches.head(MAX_CARDS)
    count_line = t("source_reader.count", shown=len(matches), total=len(frame))
    more_line = t("source_reader.more", limit=MAX_CARDS, total=len(matches)) if len(matches) > MAX_CARDS else ""
    if matches.empty:
        cards_html = f"<p class='ov-empty'>{html.escape(t('source_reader.none'))}</p>"
    else:
        cards_html = "".join(source_card_html(row) for _, row in shown.iterrows())
    table = matches[list(TABLE_COLUMNS)].reset_index(drop=True)
    return SourceView(ids=tuple(matches["id"]), shown_ids=tuple(shown["id"]), count_line=count_line,
                      more_line=more_line, cards_html=cards_html, table=table,
                      table_html=table.to_html(index=False, escape=True, na_rep="", classes="ov-table"))


def _options(values, label=str) -> list[tuple[str, str]]:
    """Dropdown choices: All first, then the values present in the data, labelled."""
    present = sorted({v for v in values if isinstance(v, str) and v})
    return [(t("source_reader.all"), ANY)] + [(label(v), v) for v in present]


def _label(kind: str):
    def label(value: str) -> str:
        try:
            return t(f"source_reader.{kind}_{value}")
        except KeyError:
            return value
    return label


class SourceReaderExplorer:
    """The widget shell: labelled filters on top, the count line, the cards, the table one click away."""

    def __init__(self, lesson: str | None = None, evidence: Evidence | None = None):
        self.evidence = evidence if evidence is not None else load_evidence()
        sources = self.evidence.sources
        self.span = year_span(sources)
        lessons = {slug for row in sources["lessons"] if isinstance(row, tuple) for slug in row}
        style = {"description_width": "initial"}
        self.lesson = widgets.Dropdown(description=t("source_reader.lesson"), options=_options(lessons), style=style)
        self.type = widgets.Dropdown(description=t("source_reader.type"),
                                     options=_options(sources["type"], _label("type")), style=style)
        self.archive = widgets.Dropdown(description=t("source_reader.archive"), options=_options(sources["archive"]),
                                        style=style, layout=widgets.Layout(width="32em"))
        self.language = widgets.Dropdown(description=t("source_reader.language"),
                                         options=_options(sources["language"], _label("language")), style=style)
        self.party = widgets.Dropdown(description=t("source_reader.party"),
                                      options=_options(sources["party"], _label("party")), style=style)
        self.years = widgets.SelectionRangeSlider(description=t("source_reader.years"),
                                                  options=[(str(y), y) for y in range(self.span[0], self.span[1] + 1)],
                                                  index=(0, self.span[1] - self.span[0]), style=style,
                                                  continuous_update=False, layout=widgets.Layout(width="32em"))
        self.primary_only = widgets.Checkbox(description=t("source_reader.primary_only"), value=False, indent=False)
        self.text = widgets.Text(description=t("source_reader.search"), placeholder=t("source_reader.search_hint"),
                                 continuous_update=False, style=style)
        self.count = widgets.HTML()
        self.cards = widgets.HTML()
        self.table = widgets.HTML()
        self.table_panel = widgets.Accordion(children=[self.table], titles=(t("source_reader.table_title"),),
                                             selected_index=None)
        if lesson:
            self.lesson.value = lesson
        self.controls = (self.lesson, self.type, self.archive, self.language, self.party, self.years,
                         self.primary_only, self.text)
        self.root = widgets.VBox([
            widgets.HBox([self.lesson, self.type, self.language, self.party], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.archive, self.years], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.primary_only, self.text]),
            self.count, self.table_panel, self.cards,
        ])
        for control in self.controls:
            control.observe(self._changed, names="value")
        self.update()

    def state(self) -> State:
        """The control values as a pure State."""
        return State(lesson=self.lesson.value, type=self.type.value, archive=self.archive.value,
                     language=self.language.value, party=self.party.value, years=tuple(self.years.value),
                     primary_only=bool(self.primary_only.value), text=self.text.value)

    def _changed(self, _change) -> None:
        self.update()

    def update(self) -> SourceView:
        """Re-render every output from the current controls (timed by the benchmark)."""
        shown = view(self.state(), self.evidence)
        more = f"<div class='ov-more'>{html.escape(shown.more_line)}</div>" if shown.more_line else ""
        self.count.value = f"<div class='ov-count' role='status'><b>{html.escape(shown.count_line)}</b></div>{more}"
        self.cards.value = shown.cards_html
        self.table.value = shown.table_html
        self.current = shown
        return shown


def source_reader(lesson: str | None = None, evidence: Evidence | None = None) -> widgets.VBox:
    """One line for a lesson: the source reader, optionally preselecting a lesson's sources."""
    return SourceReaderExplorer(lesson=lesson, evidence=evidence).root


__all__ = ["ANY", "MAX_CARDS", "State", "SourceView", "view", "prepared", "year_span", "SourceReaderExplorer",
           "source_reader"]
