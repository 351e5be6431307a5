"""Messages in the student's language, through gettext catalogues.

English is the source language: code holds whole English sentences with named placeholders,
`_("Saved {count} answers.", count=3)`, and `course/locales/<lang>/LC_MESSAGES/course.po`
translates them (extract with `make messages`). Catalogues are compiled in memory from the
`.po` file on first use, so a stale compiled file can never be shipped. Plurals go through
`ngettext`, dates through Babel, so no word order or month name is fixed in code.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from course import settings

DOMAIN = "course"
LOCALE_DIR = settings.PACKAGE_DIR / "locales"
BABEL_LOCALES = {"en": "en_GB", "zh_Hans": "zh_Hans_CN"}


@cache
def translations(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalogue `domain` for `language`; English (the source) needs none.

    `course` holds the interface's messages; other domains hold text written outside the code
    (`lessons`: the lessons' prose; `coursework`: banks, prompts, keys), one message per context.
    """
    return compiled(LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po", language)


def compiled(po: Path, language: str) -> gettext.NullTranslations:
    """The catalogue `po` compiled in memory (fuzzy entries left out); none for English or a missing file."""
    if language == settings.DEFAULT_LANGUAGE or not po.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(po, language), use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def read_catalog(path: Path, language: str | None = None):
    """A .po or .pot file as a babel Catalog."""
    from babel.messages.pofile import read_po

    with Path(path).open("rb") as handle:
        return read_po(handle, locale=language)


def merged(po: Path, template, language: str, **header: str):
    """`po`'s translations brought up to the `template` catalogue: new messages untranslated, changed ones fuzzy
    (babel's fuzzy matching keeps the old translation for the translator to review), removed ones dropped."""
    from babel.messages.catalog import Catalog

    catalog = read_catalog(po, language) if Path(po).exists() else Catalog(locale=language, fuzzy=False, **header)
    catalog.update(template, no_fuzzy_matching=False)
    catalog.obsolete.clear()
    return catalog


def _current() -> gettext.NullTranslations:
    return translations(settings.language())


def _(message: str, /, **values: object) -> str:
    """`message` in the current language, its `{placeholders}` filled from `values`."""
    text = _current().gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural form for `n` (languages differ in how many forms they have)."""
    return _current().ngettext(singular, plural, n).format(n=n, **values)


def pgettext(context: str, message: str, /, **values: object) -> str:
    """`message` where the same English word needs different translations by context."""
    text = _current().pgettext(context, message)
    return text.format(**values) if values else text


def translate_text(domain: str, context: str, message: str) -> str:
    """`message`, written in a lesson or data file rather than in code, in the current language.

    The context (for example a lesson's cell id, or a bank item's id and field) keeps two equal
    English texts in different places apart, so each can be translated for its place.
    """
    return translations(settings.language(), domain).pgettext(context, message)


def N_(message: str, /) -> str:
    """Mark a message for extraction where it is defined (a table of labels); translate it with `_` when shown."""
    return message


def locale() -> str:
    """The Babel locale of the current language (British English by default: '9 November 1957')."""
    return BABEL_LOCALES.get(settings.language(), settings.language())


def format_date(date: str, precision: str | None = None) -> str:
    """An ISO date ('1957-11-09', '1957-11', '1957') in prose for the current language, keeping its precision."""
    import datetime as dt

    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    parts = date.split("-")
    if precision == "year" or len(parts) == 1:
        return parts[0]
    if precision == "month" or len(parts) == 2:
        return format_skeleton("yMMMM", dt.date(int(parts[0]), int(parts[1]), 1), locale=locale())
    return babel_date(dt.date.fromisoformat(date[:10]), format="long", locale=locale())
