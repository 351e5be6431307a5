"""Source reader: filter the evidence base's sources and read their cards.

Pure part: `SourceReaderState` (the filter values) and `view(state, evidence) -> SourceReaderView`.
Shell: `SourceReaderExplorer` (ipywidgets). Lessons call `source_reader(lesson=...)`.
Cards come from `course.display.cards.source_card_html`, so a source looks the same in a lesson and here.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from course.display.cards import display_title, source_card_html
from course.display.controls import choice, focus_ring
from course.display.templating import render
from course.evidence.package import Evidence, localized
from course.explorers.base import Cache, Explorer
from course.i18n import N_, _
from course.settings import data_suffix

ANY = ""  # the "All" choice of every filter
MAX_CARDS = 25
SEARCHED_COLUMNS = (
    "id",
    "title",
    "title_en",
    "creator",
    "date",
    "archive",
    "reference",
    "audience",
    "translator",
    "excerpt",
    "excerpt_en",
    "can_tell",
    "cannot_tell",
    "note",
)
# In another language the search also reads these columns' twins (`can_tell_zh`), which the cards show.
TRANSLATED_COLUMNS = (
    "title",
    "creator",
    "archive",
    "reference",
    "audience",
    "translator",
    "excerpt",
    "can_tell",
    "cannot_tell",
    "note",
)
TABLE_COLUMNS = ("id", "date", "type", "party", "language", "primary", "title")
TABLE_HEADERS = (
    N_("Id"),
    N_("Date"),
    N_("Type"),
    N_("Whose document"),
    N_("Language"),
    N_("Primary"),
    N_("Title"),
)
PREPARED = Cache(limit=8)

TYPE_LABELS = {
    "archival": N_("archival document"),
    "published_document": N_("published document"),
    "chronicle": N_("chronicle (nianpu)"),
    "document_collection": N_("document collection"),
    "newspaper": N_("newspaper"),
    "official_history": N_("official history"),
    "monograph": N_("monograph"),
    "article": N_("article"),
    "biography": N_("biography"),
    "dataset": N_("dataset"),
    "microfilm": N_("microfilm"),
    "working_paper": N_("working paper"),
    "web_page": N_("web page"),
}
LANGUAGE_LABELS = {
    "zh": N_("Chinese"),
    "ru": N_("Russian"),
    "en": N_("English"),
    "ko": N_("Korean"),
    "other": N_("other"),
}
PARTY_LABELS = {
    "PRC": N_("PRC (China)"),
    "DPRK": N_("DPRK (North Korea)"),
    "USSR": N_("USSR (Soviet Union)"),
    "US": N_("United States"),
    "ROK": N_("ROK (South Korea)"),
    "UN": N_("United Nations"),
    "other": N_("other"),
}


@dataclass(frozen=True)
class SourceReaderState:
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
class SourceReaderView:
    """What the student sees: the count line, the cards (at most MAX_CARDS) and the table of every match."""

    ids: tuple[str, ...]
    shown_ids: tuple[str, ...]
    count_line: str
    more_line: str
    cards_html: str
    table: pd.DataFrame
    table_html: str


def prepared(sources: pd.DataFrame) -> pd.DataFrame:
    """Sources in reading order (date, then id; undated last) with `year` and a lower-case search text.

    Cached per DataFrame object: the controls never change it.
    """
    return PREPARED.get(sources, "prepared", lambda: _prepare(sources))


def _prepare(sources: pd.DataFrame) -> pd.DataFrame:
    frame = sources.copy()
    frame["year"] = pd.to_numeric(frame["date"].str[:4], errors="coerce").astype("Int64")
    frame["sort_date"] = frame["date"].map(_first_day)
    suffix = data_suffix()
    twins = [f"{column}_{suffix}" for column in TRANSLATED_COLUMNS] if suffix else []
    searched = list(SEARCHED_COLUMNS) + [column for column in twins if column in frame.columns]
    frame["haystack"] = frame[searched].apply(
        lambda row: "\n".join(v for v in row if isinstance(v, str)).casefold(), axis=1
    )
    return frame.sort_values(["sort_date", "id"], na_position="last", kind="stable").reset_index(drop=True)


def _first_day(date) -> str | None:
    """'1957' -> '1957-01-01', '1957-12' -> '1957-12-01': a date known only to the year or month sorts first."""
    if not isinstance(date, str):
        return None
    return date + "-01" * (2 - date.count("-"))


def year_span(sources: pd.DataFrame) -> tuple[int, int]:
    """First and last year among the dated sources."""
    years = prepared(sources)["year"].dropna()
    return int(years.min()), int(years.max())


def _mask(frame: pd.DataFrame, state: SourceReaderState, span: tuple[int, int]) -> pd.Series:
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


def view(state: SourceReaderState, evidence: Evidence) -> SourceReaderView:
    """The sources matching every filter, in date-then-id order, with the first MAX_CARDS as cards.

    Undated sources are kept only while the year range spans every year (a narrower range asks for a date).
    """
    frame = prepared(evidence.sources)
    matches = frame[_mask(frame, state, year_span(evidence.sources))]
    shown = matches.head(MAX_CARDS)
    count_line = _("{shown} of {total} sources", shown=len(matches), total=len(frame))
    more_line = (
        _(
            "Showing {limit} of {total}; narrow the filters to see the rest (or open the table).",
            limit=MAX_CARDS,
            total=len(matches),
        )
        if len(matches) > MAX_CARDS
        else ""
    )
    cards = [source_card_html(row) for _index, row in shown.iterrows()]
    table = _table(matches)
    rows = [[_cell_text(value) for value in row] for row in table.itertuples(index=False)]
    return SourceReaderView(
        ids=tuple(matches["id"]),
        shown_ids=tuple(shown["id"]),
        count_line=count_line,
        more_line=more_line,
        cards_html=render("explorers/source_cards.html.j2", cards=cards),
        table=table,
        table_html=render(
            "explorers/table.html.j2", columns=[_(h) for h in TABLE_HEADERS], rows=rows, caption=None, marked=None
        ),
    )


def _label(value, labels: dict[str, str]) -> object:
    return _(labels[value]) if value in labels else value


def _table(matches: pd.DataFrame) -> pd.DataFrame:
    """One row per match: codes as words and the title in the current language."""
    return pd.DataFrame(
        {
            "id": matches["id"],
            "date": matches["date"],
            "type": matches["type"].map(lambda v: _label(v, TYPE_LABELS)),
            "party": matches["party"].map(lambda v: _label(v, PARTY_LABELS)),
            "language": matches["language"].map(lambda v: _label(v, LANGUAGE_LABELS)),
            "primary": matches["primary"],
            "title": [display_title(row) for row in matches.to_dict("records")],
        },
        columns=list(TABLE_COLUMNS),
    ).reset_index(drop=True)


def _cell_text(value) -> object:
    """A table cell: yes/no for the `primary` flag, nothing for a missing value."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if pd.isna(value) else value


def _options(values, labels: dict[str, str] | None = None, translate: bool = True) -> list[tuple[str, str]]:
    """Filter choices: All first, then the values present in the data, labelled (a value without a label as itself).

    Labels are messages to translate, or (`translate=False`) text already in the current language.
    """
    present = sorted({v for v in values if isinstance(v, str) and v})
    labels = labels or {}
    shown = (lambda label: _(label)) if translate else (lambda label: label)
    return [(_("All"), ANY)] + [(shown(labels[v]) if v in labels else v, v) for v in present]


def _archive_names(sources: pd.DataFrame) -> dict[str, str]:
    """Each archive's name in the current language (its `archive_zh` twin in Chinese), by the name in `archive`."""
    return {row["archive"]: localized(row, "archive") for row in sources.to_dict("records") if _present(row["archive"])}


def _present(value) -> bool:
    return isinstance(value, str) and bool(value)


class SourceReaderExplorer(Explorer[SourceReaderState, SourceReaderView]):
    """The widget shell: labelled filters on top (the short ones first, for fewer Tab presses), the count line, the
    cards, the table one click away."""

    pure_view = staticmethod(view)

    def __init__(self, lesson: str | None = None, evidence: Evidence | None = None):
        super().__init__(evidence)
        sources = self.evidence.sources
        self.span = year_span(sources)
        lessons = {slug for row in sources["lessons"] if isinstance(row, tuple) for slug in row}
        style = {"description_width": "initial"}
        # Radio buttons and number boxes, not dropdowns: JupyterLab takes a dropdown's keys (course/display/controls.py).
        self.lesson = choice(_("Lesson"), _options(lessons), ANY, horizontal=True)
        self.type = choice(_("Type"), _options(sources["type"], TYPE_LABELS), ANY, horizontal=True)
        self.archive = choice(_("Archive"), _options(sources["archive"], _archive_names(sources), translate=False), ANY)
        self.language = choice(_("Language"), _options(sources["language"], LANGUAGE_LABELS), ANY, horizontal=True)
        self.party = choice(_("Whose document"), _options(sources["party"], PARTY_LABELS), ANY, horizontal=True)
        # Two labelled year boxes, not a range slider: a slider's handles have no accessible name.
        self.year_from = widgets.BoundedIntText(
            description=_("From year"), value=self.span[0], min=self.span[0], max=self.span[1], style=style
        )
        self.year_to = widgets.BoundedIntText(
            description=_("To year"), value=self.span[1], min=self.span[0], max=self.span[1], style=style
        )
        self.primary_only = widgets.Checkbox(description=_("Primary sources only"), value=False, indent=False)
        self.text = widgets.Text(
            description=_("Search"), placeholder=_("a word, a name, an id…"), continuous_update=False, style=style
        )
        self.count = widgets.HTML()
        self.cards = widgets.HTML()
        self.table = widgets.HTML()
        self.table_panel = widgets.Accordion(
            children=[self.table], titles=(_("All matching sources as a table"),), selected_index=None
        )
        if lesson:
            self.lesson.value = lesson
        self.controls = (
            self.lesson,
            self.type,
            self.archive,
            self.language,
            self.party,
            self.year_from,
            self.year_to,
            self.primary_only,
            self.text,
        )
        self.root = focus_ring(
            widgets.VBox(
                [
                    self.lesson,
                    widgets.HBox([self.primary_only, self.text]),
                    widgets.HBox([self.year_from, self.year_to], layout=widgets.Layout(flex_flow="row wrap")),
                    self.type,
                    self.language,
                    self.party,
                    self.archive,
                    self.count,
                    self.table_panel,
                    self.cards,
                ]
            )
        )
        self.watch(*self.controls)
        self.update()

    def state(self) -> SourceReaderState:
        """The control values as a pure state (a "from" year after the "to" year reads as the same range)."""
        first, last = sorted((self.year_from.value, self.year_to.value))
        return SourceReaderState(
            lesson=self.lesson.value,
            type=self.type.value,
            archive=self.archive.value,
            language=self.language.value,
            party=self.party.value,
            years=(first, last),
            primary_only=bool(self.primary_only.value),
            text=self.text.value,
        )

    def show(self, shown: SourceReaderView) -> None:
        self.count.value = render("explorers/source_count.html.j2", view=shown)
        self.cards.value = shown.cards_html
        self.table.value = shown.table_html


def source_reader(lesson: str | None = None, evidence: Evidence | None = None) -> widgets.VBox:
    """One line for a lesson: the source reader, optionally preselecting a lesson's sources."""
    return SourceReaderExplorer(lesson=lesson, evidence=evidence).root


__all__ = [
    "ANY",
    "MAX_CARDS",
    "SourceReaderState",
    "SourceReaderView",
    "view",
    "prepared",
    "year_span",
    "SourceReaderExplorer",
    "source_reader",
]
