"""Edits that turn a collection lesson into lesson NN of an instructor's course (pure: notebook in, notebook out).

Lessons follow one anatomy (GUIDE §4): a title cell with navigation, numbered `## N.` sections,
self-checks as one-line `self_check("...")` cells in their own section, exercises in theirs. The
edits rely on that anatomy rather than on cell positions, so they work for lessons written later.

Cross-references follow the edition's numbering (`link_lessons`). A lesson links another by file,
`[Lesson 04 · Kim's two plans](04-kims-two-plans.ipynb)`: the file name's slug says which lesson is
meant, whatever number the edition gives it, and link text of the form "Lesson NN..." is rendered
again from the edition. Plain mentions ("Lesson 04", "Lessons 02 and 03", "Lessons 01–07") are read in
the collection's own numbering, the one every lesson is written in. A lesson the edition leaves out
becomes plain text saying so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from course import settings
from course.catalog import Lesson, short_slug
from course.editions.translation import cell_body
from course.i18n import N_, _, format_date, ngettext, pgettext, translations

# The patterns below read the lessons' own text. The English lessons are the source; a translated lesson
# (notebooks/zh) says "第04课" where the English says "Lesson 04". The words around a lesson number, a
# points label and an exercise number are therefore read from the same gettext messages the edits write
# ("Lesson {numbers}" → "第{numbers}课") in the language the lesson is written in (`Patterns.of`: a translated
# lesson names its language in metadata.one_voice.language), whatever the language of the interface.
# A `## ` heading opening a cell (a translated cell's language wrapper aside: translation.cell_body).
SECTION = re.compile(r"^## ")
NUMBERED_HEADING = re.compile(r"^## \d+\. ", re.M)
# The navigation line: the line that links the contents (../README.md; ../../README.md from notebooks/zh).
NAV_LINE = re.compile(r"^.*\]\((?:\.\./)+README\.md\).*$", re.M)
SELFCHECK = re.compile(r"""^\s*self_check\((["']).+?\1\)\s*$""")
RANGE = (" to ", "–")  # the English joins that make a range
# English ways of joining lesson numbers that are not messages of their own ("Lessons 02, and 03", "02 to 07").
ENGLISH_JOINS = (", and ", ", ", " and ", " to ", "–")


def _around(message: str, placeholder: str) -> tuple[str, str]:
    """The text before and after `{placeholder}` in a translated message ("第{numbers}课" → ("第", "课"))."""
    before, _marker, after = message.partition("{" + placeholder + "}")
    return before, after


def _alternatives(texts) -> str:
    return "|".join(re.escape(text) for text in sorted(set(texts), key=len, reverse=True))


@dataclass(frozen=True)
class Patterns:
    """The patterns that find lesson numbers, exercise numbers and points in lessons of one language."""

    language: str
    reference: re.Pattern  # a link to a lesson, or a plain mention of lesson numbers
    link_text_number: re.Pattern  # link text that is just the lesson's number ("Lesson 04", "第04课", "04")
    title_number: re.Pattern  # the title line's lesson number
    points: re.Pattern  # "(3 points" / "（3分"
    joins: tuple[str, ...]  # what stands between two lesson numbers in a mention
    ranges: tuple[str, ...]  # of those, the ones that make a range
    closers: tuple[str, ...]  # a parenthesis closing right after a mention
    exercise: str  # "Exercise {number}." / "练习{number}."

    @staticmethod
    def of(nb) -> Patterns:
        """The patterns for the language `nb` is written in (English unless its metadata names another)."""
        return _patterns(nb.metadata.get("one_voice", {}).get("language") or settings.DEFAULT_LANGUAGE)


@cache
def _patterns(language: str) -> Patterns:
    catalogue = translations(language)
    words = [_around(catalogue.ngettext("Lesson {numbers}", "Lessons {numbers}", n), "numbers") for n in (1, 2)]
    prefixes, suffixes = [before for before, _after in words], [after for _before, after in words]
    range_join = _around(catalogue.gettext("{first}–{last}").replace("{first}", "", 1), "last")[0]
    and_join = _around(catalogue.gettext("{items} and {last}").replace("{items}", "", 1), "last")[0]
    joins = tuple(dict.fromkeys([*ENGLISH_JOINS, range_join, and_join, catalogue.pgettext("list", ", ")]))
    ranges = tuple(dict.fromkeys([*RANGE, range_join]))
    boundary = r"\b" if all(re.match(r"\w", p, re.ASCII) for p in prefixes) else ""
    end = r"\b" if not any(suffixes) else ""
    number_list = rf"\d{{2}}(?:(?:{_alternatives(joins)})\d{{2}})*"
    reference = re.compile(
        r"\[(?P<text>[^\]\n]*)\]\((?P<file>(?:\d{2}-)?(?P<slug>[A-Za-z0-9][A-Za-z0-9_-]*)\.ipynb)(?P<anchor>#[^)\s]*)?\)"
        rf"|{boundary}(?P<word>{_alternatives(prefixes)})(?P<numbers>{number_list})(?!\d){end}"
        rf"(?P<suffix>{_alternatives(suffixes)})"
        r"(?P<short_title> \([^()\n]{1,80}\)|（[^（）\n]{1,80}）)?"
    )
    single = rf"(?:{_alternatives(prefixes)})\d{{2}}(?:{_alternatives(suffixes)})"
    link_text_number = re.compile(rf"^{single}(?!\d)|^\d{{2}}$")
    # "# Lesson 04 · ..." (any one word before the number, as the English lessons have always been read)
    title_number = re.compile(
        rf"^(# (?:\S+ |{_alternatives(prefixes)}))\d{{2}}((?:{_alternatives(suffixes)}) · )", re.M
    )
    labels = {catalogue.ngettext("{points} point", "{points} points", n) for n in (1, 2)}
    labels |= {"{points} point", "{points} points"}
    forms = sorted((_around(label, "points") for label in labels), key=lambda form: -len(form[1]))
    point_forms = "|".join(re.escape(before) + r"\d+(?:\.\d+)?" + re.escape(after) for before, after in forms)
    points = re.compile(rf"(?P<open>[(（])(?:{point_forms})")
    exercise = catalogue.gettext(N_("Exercise {number}."))
    return Patterns(language, reference, link_text_number, title_number, points, joins, ranges, (")", "）"), exercise)


def is_selfcheck(cell) -> bool:
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return cell.cell_type == "code" and bool(lines) and all(SELFCHECK.match(line) for line in lines)


def is_exercise(cell) -> bool:
    return "nbgrader" in cell.metadata


def drop(nb, unwanted: Callable) -> None:
    """Remove the unwanted cells; a `## ` section whose code is all unwanted goes with its prose."""
    starts = [
        i for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown" and SECTION.match(cell_body(cell.source))
    ]
    bounds = list(zip(starts, starts[1:] + [len(nb.cells)]))
    gone = {i for i, cell in enumerate(nb.cells) if unwanted(cell)}
    for start, end in bounds:
        span = range(start, end)
        code = [i for i in span if nb.cells[i].cell_type == "code"]
        if gone & set(span) and all(i in gone for i in code):
            gone.update(span)
    nb.cells = [cell for i, cell in enumerate(nb.cells) if i not in gone]


def renumber_sections(nb) -> None:
    """Number the `## N.` headings 1, 2, 3... again after sections were dropped."""
    counter = iter(range(1, len(nb.cells) + 1))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = NUMBERED_HEADING.sub(lambda match: f"## {next(counter)}. ", cell.source)


def renumber(nb, lesson: Lesson) -> None:
    """Give the lesson its new number and slug: metadata, title cell and exercise numbers."""
    meta = nb.metadata["one_voice"]
    old = meta.get("number")
    meta.update(slug=lesson.slug, number=lesson.number)
    title = nb.cells[0]
    patterns = Patterns.of(nb)
    title.source = patterns.title_number.sub(rf"\g<1>{lesson.number}\g<2>", title.source, count=1)
    if old and old != lesson.number:
        before, after = patterns.exercise.format(number=old), patterns.exercise.format(number=lesson.number)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = cell.source.replace(before, after)


def navigation(previous: Lesson | None, following: Lesson | None, up: str = "../") -> str:
    """The navigation line; `up` leads from the lesson's folder to the collection's README ("../../" from
    notebooks/zh)."""
    parts = [
        _("[← Lesson {number} · {title}]({file})", number=previous.number, title=previous.title, file=previous.filename)
        if previous
        else None,
        _("[Contents (README)](../README.md)").replace("](../README.md)", f"]({up}README.md)"),
        _(
            "[Lesson {number} · {title} →]({file})",
            number=following.number,
            title=following.title,
            file=following.filename,
        )
        if following
        else None,
    ]
    return " · ".join(part for part in parts if part)


def set_navigation(nb, previous: Lesson | None, following: Lesson | None, up: str = "../") -> None:
    line = navigation(previous, following, up)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = NAV_LINE.sub(lambda match: line, cell.source)


def set_points(nb, points: Mapping[str, float]) -> None:
    """New points for graded cells, and the same number in the exercise's prompt."""
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in points:
            continue
        cell.metadata["nbgrader"]["points"] = points[grade_id]
        prompt = next(
            (c for c in reversed(nb.cells[:index]) if c.cell_type == "markdown" and "nbgrader" not in c.metadata), None
        )
        if prompt is not None:
            value = points[grade_id]
            label = ngettext("{points} point", "{points} points", 1 if value == 1 else 2, points=f"{value:g}")
            prompt.source = Patterns.of(nb).points.sub(
                lambda match, label=label: f"{match['open']}{label}", prompt.source, count=1
            )


def add_due_date(nb, due: dt.date) -> None:
    """Show the due date in the title cell, just above its navigation line."""
    title = nb.cells[0]
    line = _("**Due:** {date}", date=format_date(due.isoformat()))
    lines = title.source.split("\n")
    at = next((i for i, text in enumerate(lines) if NAV_LINE.match(text)), len(lines))
    title.source = "\n".join(lines[:at] + [line, ""] + lines[at:])


def link_lessons(nb, edition: Mapping[str, Lesson], collection: Mapping[str, Lesson]) -> list[Lesson]:
    """Point the lesson's references to other lessons at the edition's numbering; return the lessons
    referred to that the edition leaves out (each once, in order of first mention).

    `edition` maps short slugs to the lessons as this edition numbers them, `collection` maps the
    collection's numbers ("04") to its lessons. Run it before `renumber` (the title cell's own number
    and the navigation lines are left alone: `renumber` and `set_navigation` rewrite them).
    """
    patterns = Patterns.of(nb)
    by_slug = {short_slug(lesson.slug): lesson for lesson in collection.values()}
    dropped: dict[str, Lesson] = {}

    def left_out(lesson: Lesson, match: re.Match, first: bool = True) -> str:
        dropped.setdefault(lesson.slug, lesson)
        before, after = match.string[: match.start()], match.string[match.end() :]
        if after.startswith(patterns.closers):  # the end of a parenthesis: no second one inside it
            return _("the lesson “{title}”, not part of this course", title=lesson.title)
        if first and _starts_sentence(before):
            return _("The lesson “{title}” (not part of this course)", title=lesson.title)
        return _("the lesson “{title}” (not part of this course)", title=lesson.title)

    def link(match: re.Match) -> str:
        slug = short_slug(match["slug"])
        if slug in edition:
            target = edition[slug]
            text = match["text"]
            if patterns.link_text_number.match(text):
                text = _("Lesson {number} · {title}", number=target.number, title=target.title)
            else:  # the author's own words, with any lesson numbers in them renumbered
                text = patterns.reference.sub(rewrite, text)
            return f"[{text}]({target.filename}{match['anchor'] or ''})"
        if slug in by_slug:
            return left_out(by_slug[slug], match)
        return match[0]  # a notebook that is not a lesson: not ours to change

    def mention(match: re.Match) -> str:
        numbers, is_range = _numbers(match["numbers"], patterns)
        if any(number not in collection for number in numbers):
            return match[0]  # not a lesson of the collection: leave the text as the author wrote it
        meant = [collection[number] for number in numbers]
        kept = sorted(edition[short_slug(lesson.slug)].number for lesson in meant if short_slug(lesson.slug) in edition)
        gone = [lesson for lesson in meant if short_slug(lesson.slug) not in edition]
        if not gone and kept == numbers:
            return match[0]
        listed = gone and (not is_range or not kept)  # a range stands for what is left of it
        numbers_text = (
            pgettext("list", ", ").join(kept) if listed else _number_list(kept, is_range)
        )  # "Lessons 03, 06 and the lesson..."
        parts = [ngettext("Lesson {numbers}", "Lessons {numbers}", len(kept), numbers=numbers_text)] if kept else []
        if listed:
            parts += [left_out(lesson, match, first=not parts and at == 0) for at, lesson in enumerate(gone)]
        elif match["short_title"]:
            parts[-1] += match["short_title"]
        if len(parts) == 1:
            return parts[0]
        return _("{items} and {last}", items=pgettext("list", ", ").join(parts[:-1]), last=parts[-1])

    def rewrite(match: re.Match) -> str:
        return link(match) if match["file"] else mention(match)

    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.split("\n")
        for at, line in enumerate(lines):
            if NAV_LINE.match(line) or (index == 0 and patterns.title_number.match(line)):
                continue
            lines[at] = patterns.reference.sub(rewrite, line)
        cell.source = "\n".join(lines)
    return list(dropped.values())


def _starts_sentence(before: str) -> bool:
    text = before.rstrip(" *_")
    return not text or text.endswith((".", "!", "?", "\n")) or re.search(r"(^|\n)\s*[-*]$", text) is not None


def _numbers(text: str, patterns: Patterns) -> tuple[list[str], bool]:
    """ "02 and 03" -> (["02", "03"], False); "01–07" and "02 to 07" -> (["01", ..., "07"], True)."""
    tokens = re.findall(rf"\d{{2}}|{_alternatives(patterns.joins)}", text)
    numbers, is_range = [], False
    for position, token in enumerate(tokens):
        if token in patterns.ranges:
            is_range = True
            start, end = int(tokens[position - 1]), int(tokens[position + 1])
            numbers += [f"{n:02d}" for n in range(start + 1, end)]
        elif token[0].isdigit():
            numbers.append(token)
    return numbers, is_range


def _number_list(numbers: list[str], as_range: bool) -> str:
    """The edition's numbers: "03–06" when the original was a range and they follow on, else "02, 03 and 05"."""
    values = [int(n) for n in numbers]
    if as_range and len(numbers) > 1 and values == list(range(values[0], values[-1] + 1)):
        return _("{first}–{last}", first=numbers[0], last=numbers[-1])
    if len(numbers) == 1:
        return numbers[0]
    return _("{items} and {last}", items=pgettext("list", ", ").join(numbers[:-1]), last=numbers[-1])
