"""HTML from Jinja2 templates with autoescape: the only way `course` makes markup.

Each room keeps its templates in `<room>/templates/`; a template is named by room and file,
`render("display/source_card.html.j2", row=...)`. Autoescape is on for every template, so data
and messages are escaped unless a template marks a value safe (only already-rendered HTML).
Templates translate with `{{ _("Sentence with {name}", name=x) }}` through `course.i18n`, or with
`{{ _markup("Sources: {ids}", ids=codes) }}` where a placeholder holds markup the template made.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from course import i18n, settings

ROOMS = ("display", "explorers", "coursework", "editions")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    loader = jinja2.PrefixLoader(
        {room: jinja2.FileSystemLoader(settings.PACKAGE_DIR / room / "templates") for room in ROOMS}
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    env.globals.update(
        _=i18n._,
        _markup=translated_markup,
        ngettext=i18n.ngettext,
        pgettext=i18n.pgettext,
        format_date=i18n.format_date,
    )
    env.filters["tag_scripts"] = tag_scripts
    return env


def tag_scripts(text: object) -> Markup:
    """`text` escaped, each Chinese, Russian or Korean run in it wrapped in a span with its lang tag.

    For English text that quotes foreign words (`{{ card.note|tag_scripts }}`): a screen reader
    then reads 付部长 with a Chinese voice, not as "CJK ideograph". Markup passes through as is.
    """
    from course.display.scripts import foreign_runs

    if isinstance(text, Markup) or not isinstance(text, str):
        return text if isinstance(text, Markup) else escape(text)
    parts, position = [], 0
    run = environment().get_template("display/foreign_run.html.j2")
    for start, end, lang in foreign_runs(text):
        parts += [escape(text[position:start]), Markup(run.render(lang=lang, text=text[start:end]))]
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def translated_markup(message: str, /, **values: object) -> Markup:
    """A translated sentence whose placeholders hold markup made by a template (`{% set x %}...{% endset %}`).

    The sentence itself is escaped; values are escaped unless they are already Markup.
    """
    return Markup(escape(i18n.translations(settings.language()).gettext(message))).format(**values)


def render(name: str, /, **context: object) -> str:
    """The template `name` ("room/file.html.j2") rendered with `context`, escaped."""
    return environment().get_template(name).render(**context)
