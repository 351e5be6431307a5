"""What lessons show from the evidence base: source cards, timelines, the cast list, the course map.

Lessons never type a date, a number or a citation twice: they ask for an event, a card or a
timeline, and these functions render it from `data/` through the templates in `templates/`.
Each `*_html` function is pure (data in, escaped HTML out); each `show_*` displays it.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, display

from course.display.scripts import lang_of
from course.display.templating import render
from course.evidence.package import evidence, localized
from course.i18n import _, format_date
from course.settings import data_suffix

__all__ = [
    "cast_html",
    "course_map_html",
    "display_title",
    "event_html",
    "show_cast",
    "show_course_map",
    "show_event",
    "show_source",
    "show_timeline",
    "source_card_html",
    "sources_line_html",
    "timeline_html",
]


def _present(value) -> bool:
    """True for a non-empty string (missing cells arrive as None or NaN)."""
    return isinstance(value, str) and bool(value)


def _text(value) -> str:
    return value if _present(value) else ""


def sources_line_html(source_ids) -> str:
    return render("display/sources_line.html.j2", ids=list(source_ids))


def display_title(row) -> str:
    """A source's title in the current language: `title_en` in English; in Chinese, `title_zh`, or
    `title` itself where the source's own title is Chinese (then `title_zh` is left empty)."""
    title, english = _text(row.get("title")), _text(row.get("title_en"))
    if data_suffix():
        if _present(row.get(f"title_{data_suffix()}")):
            return row[f"title_{data_suffix()}"]
        if lang_of(title, "").startswith("zh"):
            return title
    return english or title


def _event(row: pd.Series) -> dict:
    return {
        "when": format_date(row["date"], row["date_precision"]),
        "text": localized(row, "event"),
        "source_ids": list(row["source_ids"]),
    }


def event_html(row: pd.Series) -> str:
    return render("display/timeline.html.j2", single=_event(row))


def timeline_html(events: pd.DataFrame) -> str:
    return render("display/timeline.html.j2", events=[_event(row) for _, row in events.iterrows()])


def show_timeline(lesson: str | None = None, ids: list[str] | None = None) -> None:
    """Display the dated events of one lesson (or the events named), oldest first."""
    events = evidence().events
    if ids is not None:
        events = events[events.id.isin(ids)]
    elif lesson is not None:
        events = events[events.lesson == lesson]
    display(HTML(timeline_html(events)))


def show_event(event_id: str) -> None:
    """Display one dated event with its sources."""
    events = evidence().events
    display(HTML(event_html(events[events.id == event_id].iloc[0])))


def _card(row: pd.Series) -> dict:
    """The fields of a card, decided here so the template only lays them out.

    Where only a translation is quoted (excerpt == excerpt_en), it is shown once. Where a Russian
    record is known only through the Chinese words Tian quotes, the card says so: the student is
    reading a translation of a translation. Language tags follow each text's script. In Chinese, a
    quotation that is not Chinese is followed by its `excerpt_zh`: our translation, or the document's
    own Chinese words where a work quotes them (`excerpt_zh_source` names it).
    """
    original, english = _text(row["excerpt"]), _text(row["excerpt_en"])
    only_translation = original == english
    relayed = row["language"] != "zh" and not only_translation and lang_of(original, "").startswith("zh")
    translator = ""
    if english and _present(row["translator"]):
        translator = (
            _("our translation, One Voice, 1958") if row["translator"] == "ours" else localized(row, "translator")
        )
    heading = display_title(row)
    title_original = "" if row["title"] in (row["title_en"], heading) else _text(row["title"])
    chinese = _text(localized(row, "excerpt"))
    chinese = "" if chinese == original else chinese
    chinese_source = _text(row.get("excerpt_zh_source", "")) if chinese else ""
    url = row["url"] if _present(row["url"]) and row["url"].startswith(("https://", "http://")) else ""
    return {
        "id": row["id"],
        "title": heading,
        "primary": bool(row["primary"]),
        "title_original": title_original,
        "title_lang": lang_of(title_original),
        "creator": localized(row, "creator"),
        "date": format_date(row["date"]) if _present(row["date"]) else "",
        "audience": localized(row, "audience"),
        "archive": ", ".join(p for p in (localized(row, "archive"), localized(row, "reference")) if _present(p)),
        "quote": original,
        "quote_lang": "en" if only_translation else lang_of(original),
        "relayed": relayed,
        "english": "" if only_translation else english,
        "translator": translator,
        "chinese": chinese,
        "chinese_source": chinese_source,
        "can_tell": localized(row, "can_tell"),
        "cannot_tell": localized(row, "cannot_tell"),
        "note": localized(row, "note"),
        "url": url,
    }


def source_card_html(row: pd.Series) -> str:
    """A document card: citation, who wrote it for whom and when, the excerpt, what it can and cannot tell."""
    return render("display/source_card.html.j2", card=_card(row))


def show_source(source_id: str) -> None:
    """Display the card of one source."""
    sources = evidence().sources
    display(HTML(source_card_html(sources[sources.id == source_id].iloc[0])))


def cast_html(people: pd.DataFrame) -> str:
    """A cast list: one English form per name for running prose, the other forms beside it, each with its lang."""
    rows = [
        {
            "name_en": p["name_en"],
            "name_zh": _text(p["name_zh"]),
            "zh_lang": lang_of(_text(p["name_zh"]), "zh-Hans"),
            "name_other": _text(p["name_other"]),
            "other_lang": lang_of(_text(p["name_other"])),
            "role": localized(p, "role"),
        }
        for _index, p in people.iterrows()
    ]
    return render("display/cast.html.j2", people=rows)


def show_cast(ids: list[str] | None = None) -> None:
    """Display the people named (in that order), or everyone in data/people.csv."""
    people = evidence().people
    if ids is not None:
        unknown = [i for i in ids if i not in set(people.id)]
        if unknown:
            raise KeyError(
                _(
                    "No person with the id {ids} in data/people.csv. Fix: use ids from the first column "
                    "of data/people.csv, e.g. {example}.",
                    ids=", ".join(unknown),
                    example=people.id.iloc[0],
                )
            )
        people = people.set_index("id").loc[list(ids)].reset_index()
    display(HTML(cast_html(people)))


def course_map_html() -> str:
    """The lessons of this collection as an HTML table, read from the notebooks' metadata (in Chinese, those of
    notebooks/zh: the lessons a Chinese lesson links to)."""
    from course import settings
    from course.catalog import lessons

    folders = {language: folder for folder, language in settings.FOLDER_LANGUAGES.items()}
    translated = settings.notebooks_dir() / folders.get(settings.language(), "")
    here = translated if settings.language() in folders and translated.is_dir() else None
    return render("display/course_map.html.j2", lessons=lessons(here))


def show_course_map() -> None:
    display(HTML(course_map_html()))
