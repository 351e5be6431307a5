"""One-line helpers that lessons call to show facts straight from the evidence base.

Lessons never type a date, a number or a citation twice: they ask for an event, a source card
or a timeline, and these helpers render it (escaped HTML, with its sources) from `data/`.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, display

from .data import evidence
from .messages import t

CJK = re.compile(r"[\u4e00-\u9fff]")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def format_date(date: str, precision: str | None = None) -> str:
    """ISO date to prose: '1957-11-09' -> '9 November 1957'; month or year precision kept."""
    parts = date.split("-")
    if precision == "year" or len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if precision == "month" or len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def citation(source_id: str) -> str:
    """A short plain-text citation for a source id (creator, title, date, reference)."""
    row = evidence().sources.set_index("id").loc[source_id]
    parts = [row.creator, row.title_en if row.language != "en" else row.title, row.date, row.archive, row.reference]
    return ", ".join(str(p) for p in parts if isinstance(p, str) and p)


def sources_line_html(source_ids) -> str:
    ids = ", ".join(f"<code>{html.escape(s)}</code>" for s in source_ids)
    return f"<span class='ov-sources'>{html.escape(t('lesson.sources'))}: {ids}</span>"


def event_html(row: pd.Series) -> str:
    when = html.escape(format_date(row["date"], row["date_precision"]))
    text = html.escape(row["event"])
    return f"<b>{when}</b> — {text} <small>{sources_line_html(row['source_ids'])}</small>"


def timeline_html(events: pd.DataFrame) -> str:
    items = "".join(f"<li>{event_html(row)}</li>" for _, row in events.iterrows())
    return f"<ul class='ov-timeline'>{items}</ul>"


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


def _present(value) -> bool:
    """True for a non-empty string (missing cells arrive as None or NaN)."""
    return isinstance(value, str) and bool(value)


def _excerpt_html(row: pd.Series) -> str:
    """The quotation in the original, then the English rendering and its translator.

    Where only a translation is quoted (excerpt == excerpt_en), it is shown once, marked as English.
    Where a Russian record is known only through the Chinese words Tian quotes, the card says so:
    the student is reading a translation of a translation.
    """
    original, english = row["excerpt"], row["excerpt_en"]
    only_translation = original == english
    relayed = row["language"] != "zh" and not only_translation and CJK.search(original) is not None
    language = "en" if only_translation else "zh" if relayed else row["language"]
    lang = "" if language == "other" else f" lang='{html.escape(language)}'"
    quote = f"<span{lang}>“{html.escape(original)}”</span>"
    if relayed:
        quote += f" <small>({html.escape(t('lesson.relayed_in_chinese'))})</small>"
    if _present(english) and not only_translation:
        quote += f"<br><span lang='en'>“{html.escape(english)}”</span>"
    if _present(english) and _present(row["translator"]):
        translator = t("lesson.our_translation") if row["translator"] == "ours" else row["translator"]
        quote += f" <small>({html.escape(t('lesson.translated_by'))} {html.escape(translator)})</small>"
    return f"<blockquote>{quote}</blockquote>"


def source_card_html(row: pd.Series) -> str:
    """A document card: citation, who wrote it for whom and when, the excerpt, what it can and cannot tell."""
    def field(label_key: str, value) -> str:
        if not isinstance(value, str) or not value:
            return ""
        return f"<div><b>{html.escape(t(label_key))}:</b> {html.escape(value)}</div>"

    title = html.escape(row["title_en"])
    original = "" if row["title"] == row["title_en"] else f" <span lang='{html.escape(row['language'])}'>({html.escape(row['title'])})</span>"
    kind = t("lesson.primary") if row["primary"] else t("lesson.secondary")
    parts = [f"<div class='ov-card' data-source='{html.escape(row['id'])}'>",
             f"<div><b>{title}</b>{original} <small>[{html.escape(kind)}; id <code>{html.escape(row['id'])}</code>]</small></div>",
             field("lesson.creator", row["creator"]),
             field("lesson.date", format_date(row["date"]) if isinstance(row["date"], str) else None),
             field("lesson.audience", row["audience"]),
             field("lesson.archive", ", ".join(p for p in (row["archive"], row["reference"]) if isinstance(p, str) and p))]
    if _present(row["excerpt"]):
        parts.append(_excerpt_html(row))
    parts += [field("lesson.can_tell", row["can_tell"]), field("lesson.cannot_tell", row["cannot_tell"])]
    if _present(row["note"]):  # the compilers' notes are for checking our work, folded away from the reading
        parts.append(f"<details><summary>{html.escape(t('lesson.note'))}</summary>{html.escape(row['note'])}</details>")
    if _present(row["url"]) and row["url"].startswith(("https://", "http://")):
        url = html.escape(row["url"], quote=True)
        parts.append(f"<div><b>{html.escape(t('lesson.open'))}:</b> <a href='{url}' target='_blank' rel='noopener'>{url}</a></div>")
    parts.append("</div>")
    return "".join(p for p in parts if p)


def show_source(source_id: str) -> None:
    """Display the card of one source."""
    sources = evidence().sources
    display(HTML(source_card_html(sources[sources.id == source_id].iloc[0])))


def course_map_html() -> str:
    """The lessons of this collection as an HTML table, read from the notebooks' metadata."""
    from .catalog import lessons

    rows = "".join(
        f"<tr><td>{html.escape(l.number)}</td><td><a href='{html.escape(l.filename)}'>{html.escape(l.title)}</a></td>"
        f"<td>{html.escape(l.question)}</td><td>{l.minutes} min</td></tr>" for l in lessons())
    head = "".join(f"<th>{html.escape(t(key))}</th>" for key in ("lesson.col_number", "lesson.col_lesson",
                                                                  "lesson.col_question", "lesson.col_time"))
    return f"<table class='ov-map'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def show_course_map() -> None:
    display(HTML(course_map_html()))


def _script_lang(name: str) -> str:
    """The BCP 47 tag of a name's script: hangul is Korean, Serbian Cyrillic Serbian, other Cyrillic Russian."""
    if re.search(r"[\uac00-\ud7af]", name):
        return "ko"
    if re.search(r"[ЈјЉљЊњЋћЂђЏџ]", name):
        return "sr"
    return "ru" if re.search(r"[\u0400-\u04ff]", name) else ""


def cast_html(people: pd.DataFrame) -> str:
    """A cast list: one English form per name for running prose, the other forms beside it, each with its lang."""
    def form(value, lang: str) -> str:
        if not _present(value):
            return ""
        attr = f" lang='{lang}'" if lang else ""
        return f"<span{attr}>{html.escape(value)}</span>"

    head = "".join(f"<th scope='col'>{html.escape(t(key))}</th>"
                   for key in ("lesson.col_name", "lesson.col_zh", "lesson.col_other", "lesson.col_role"))
    rows = "".join(f"<tr><th scope='row'>{html.escape(p.name_en)}</th><td>{form(p.name_zh, 'zh-Hans')}</td>"
                   f"<td>{form(p.name_other, _script_lang(str(p.name_other)))}</td><td>{html.escape(p.role)}</td></tr>"
                   for p in people.itertuples())
    return (f"<table class='ov-cast'><caption>{html.escape(t('lesson.cast_caption'))}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def show_cast(ids: list[str] | None = None) -> None:
    """Display the people named (in that order), or everyone in data/people.csv."""
    people = evidence().people
    if ids is not None:
        unknown = [i for i in ids if i not in set(people.id)]
        if unknown:
            raise KeyError(t("lesson.unknown_person", ids=", ".join(unknown), example=people.id.iloc[0]))
        people = people.set_index("id").loc[list(ids)].reset_index()
    display(HTML(cast_html(people)))
