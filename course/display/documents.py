"""The document reader: a lesson puts a primary document in front of the student in one call.

`show_document("frus-1958-60-v18-d215-a")` renders the excerpt's numbered paragraphs (cited as ¶n),
the original beside the English where we have it, who wrote it for whom and when, where it is
kept, the translation chain and the terms it is quoted under, from data/excerpts.csv and
data/paragraphs.csv. `show_documents(lesson)` shows a lesson's documents in order.

In the Chinese edition (ONE_VOICE_LANG=zh_Hans) each paragraph shows its `text_zh`: the document's
own Chinese where it can be read exactly, a published Chinese translation (Tian's quotations of
Russian records), or our translation with the English it was made from beside it; a provenance
line says which, from `text_zh_kind` and `text_zh_source`. Headings, locations, the archive reference,
the copy used, the translator and the translation chain come from their `_zh` twins.
"""

from __future__ import annotations

import re
import string

from IPython.display import HTML, display

from course.display.archives import archive_terms
from course.display.cards import _present, _text, display_title
from course.display.scripts import HAN, lang_of
from course.display.templating import render
from course.evidence.package import Evidence, evidence, localized
from course.i18n import N_, _, format_date
from course.settings import data_suffix

RIGHTS = {
    "public-domain": N_("Public domain (a US government work)."),
    "official-document": N_("An official government text, quoted with attribution."),
    "quoted-excerpt": N_("Quoted for teaching with attribution; not under this collection's CC BY licence."),
}


# How the Chinese edition labels the Chinese text of each paragraph (paragraphs.csv `text_zh_kind`).
PROVENANCE = {
    "original": N_("Original text ({source})."),
    "published-translation": N_("Published translation ({source})."),
    "ours": N_("Translated by this collection ({source})."),
}


def _provenance(paragraphs) -> list[dict]:
    """One line per (kind, source) of the paragraphs' Chinese text, naming the paragraphs when they differ."""
    groups: dict[tuple[str, str], list[int]] = {}
    for p in paragraphs.itertuples():
        groups.setdefault((p.text_zh_kind, p.text_zh_source), []).append(int(p.n))
    whole = len(groups) == 1
    return [
        {
            "paragraphs": "" if whole else ", ".join(f"¶{n}" for n in numbers),
            "text": _(PROVENANCE[kind], source=source),
        }
        for (kind, source), numbers in groups.items()
    ]


def _letter(ev: Evidence, excerpt) -> str:
    """A, B, C ... by the excerpt's order in its lesson, so students can say 'Document B, ¶2'."""
    siblings = ev.excerpts[ev.excerpts.lesson == excerpt.lesson].sort_values("order")
    return string.ascii_uppercase[list(siblings.id).index(excerpt.id) % 26]


def _document(ev: Evidence, excerpt_id: str) -> dict:
    rows = ev.excerpts[ev.excerpts.id == excerpt_id]
    if rows.empty:
        raise KeyError(
            _(
                "No document excerpt with the id {id} in data/excerpts.csv. Fix: use an id from the "
                "first column of data/excerpts.csv, e.g. {example}.",
                id=excerpt_id,
                example=ev.excerpts.id.iloc[0],
            )
        )
    excerpt = rows.iloc[0]
    source = ev.sources.set_index("id").loc[excerpt.source_id]
    paragraphs = ev.paragraphs[ev.paragraphs.excerpt_id == excerpt_id].sort_values("n")
    chinese = bool(data_suffix())
    title = display_title(source)
    title_original = "" if source.title in (source.title_en, title) else _text(source.title)
    translator = _("original English") if excerpt.translator.startswith("original English") else excerpt.translator
    if chinese:
        translator = localized(excerpt, "translator")
    reference = ", ".join(p for p in (source.archive, source.reference) if _present(p))
    return {
        "id": excerpt.id,
        "source_id": excerpt.source_id,
        "letter": _letter(ev, excerpt),
        "heading": localized(excerpt, "heading"),
        "title": title,
        "title_lang": lang_of(title),
        "title_original": title_original,
        "title_original_lang": lang_of(title_original),
        "creator": localized(source, "creator"),
        "audience": localized(source, "audience"),
        "date": format_date(source.date) if _present(source.date) else "",
        "archive": ", ".join(p for p in (localized(source, "archive"), localized(source, "reference")) if _present(p)),
        "archive_terms": archive_terms(reference),
        "location": localized(excerpt, "location"),
        "copy": localized(excerpt, "copy"),
        "chain": _chain(excerpt, paragraphs, chinese),
        "translator": translator,
        "translator_named_in_chain": "English" in excerpt.translation_chain,
        "rights": _(RIGHTS[excerpt.rights]),
        "visible_only": bool(excerpt.visible_only),
        "chinese": chinese,
        "provenance": _provenance(paragraphs) if chinese else [],
        "paragraphs": [_paragraph(p, excerpt, chinese) for p in paragraphs.itertuples()],
    }


def _chain(excerpt, paragraphs, chinese: bool) -> str:
    """The translation chain in the current language. The Chinese reader shows the chain up to the Chinese
    text it prints: where none of that text is our translation, the last step (into English) is not how
    the text reached the reader, so it is left out; the provenance lines say where the Chinese comes from."""
    chain = localized(excerpt, "translation_chain").rstrip(".。")
    if chinese and "ours" not in set(paragraphs.text_zh_kind):
        chain = re.split(r"\s*→\s*英译：", chain)[0]
    return chain


def _paragraph(p, excerpt, chinese: bool) -> dict:
    """One numbered paragraph. English edition: the original beside the English. Chinese edition: the
    Chinese text (the original, a published translation, or ours), and beside our own translations
    the English we translated from."""
    if not chinese:
        return {
            "n": int(p.n),
            "original": _text(p.original),
            "original_lang": lang_of(_text(p.original), excerpt.language),
            "english": p.english,
        }
    return {
        "n": int(p.n),
        "original": p.text_zh,
        # simplified or traditional, read from the Chinese characters alone (an archive's "ф." is no reason for ru)
        "original_lang": lang_of("".join(HAN.findall(p.text_zh)), "zh-Hans"),
        "english": p.english if p.text_zh_kind == "ours" else "",
    }


def document_html(excerpt_id: str, ev: Evidence | None = None) -> str:
    """One document excerpt as the reader shows it (escaped HTML)."""
    return render("display/document.html.j2", doc=_document(ev or evidence(), excerpt_id))


def show_document(excerpt_id: str) -> None:
    """Display one document excerpt in the reader."""
    display(HTML(document_html(excerpt_id)))


def lesson_documents(lesson: str, ev: Evidence | None = None) -> list[str]:
    """The excerpt ids a lesson shows, in order."""
    ev = ev or evidence()
    return list(ev.excerpts[ev.excerpts.lesson == lesson].sort_values("order").id)
