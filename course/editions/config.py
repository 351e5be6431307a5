"""`course.yml`: an instructor's choice of lessons, order, exercises, points and due dates, in one file.

Parsed with `yaml.safe_load` and checked completely before anything is built, so that a typo
stops the build with one message naming the file, the key, the value and what is allowed,
instead of producing a collection with a lesson silently missing. The shape (keys, types, on/off,
dates) is checked by the JSON Schema `course/editions/schemas/course.schema.json`; what a schema
cannot know (which lessons and grade ids exist, files inside the config's folder, one due date per
lesson) is checked here afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import nbformat
import yaml

from course.catalog import lessons as collection_lessons
from course.catalog import short_slug
from course.coursework.answer_keys import bundled_key, graded_cells
from course.editions import validation
from course.i18n import N_, _
from course.settings import notebooks_dir

__all__ = ["ConfigError", "CourseConfig", "LessonChoice", "default_config", "load_config", "short_slug"]

SCHEMA = "course"


class ConfigError(ValueError):
    """The course config cannot be used; the message names the file, key, value and allowed values."""


@dataclass(frozen=True)
class LessonChoice:
    """One lesson as the instructor wants it."""

    slug: str  # without its number: numbers are given by position
    notebook: Path
    key: Path
    exercises: bool = True
    selfchecks: bool = True
    points: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    due: dt.date | None = None


@dataclass(frozen=True)
class CourseConfig:
    title: str
    introduction: str
    lessons: tuple[LessonChoice, ...]
    source: Path | None = None
    strict: bool = False  # refuse to build, instead of warning, when a kept lesson needs one left out (or put later)
    left_out_references: str = "warn"  # or "quiet": no warning when a kept lesson refers to one left out


def default_config() -> CourseConfig:
    """The whole collection as published: every lesson, in order, with exercises and self-checks."""
    return CourseConfig(
        _("One Voice, 1958"),
        _(
            "Primary-source lessons on China's withdrawal of all its troops from North Korea in 1958: from an "
            "argument, to the documents behind it, to the numbers, and back."
        ),
        tuple(
            LessonChoice(short_slug(lesson.slug), notebooks_dir() / lesson.filename, bundled_key(lesson.slug))
            for lesson in collection_lessons(notebooks_dir())
        ),
    )


# What the instructor is told for each kind of value the schema describes (the subschemas' titles):
# the problem, and what is allowed there. `{slugs}` is filled with the lessons this config can use.
ALLOWED_PATH = N_("a path to a .ipynb file, relative to the config's folder and inside it")
ALLOWED_ONCE = N_("each lesson once")
KINDS = {
    "course": (
        N_("the file must be a YAML mapping of keys to values."),
        N_(
            "a YAML mapping with the keys title, introduction, lessons, extra_lessons, exercises, selfchecks, "
            "strict, left_out_references, due_dates (see the comments in course.yml)"
        ),
    ),
    "left_out_references": (N_("left_out_references must be warn or quiet."), N_("warn, quiet")),
    "text": (N_("a non-empty text is needed."), N_("non-empty text (Markdown); use | for several lines")),
    "switch": (N_("a switch must be on or off."), N_("on, off (or true, false)")),
    "date": (N_("this is not a date."), N_("a date written YYYY-MM-DD")),
    "lessons": (N_("lessons must be a list."), N_("a list of lesson slugs: {slugs}")),
    "lesson entry": (
        N_("a lesson entry must be a slug or a mapping with a slug."),
        N_(
            "a slug such as balance-of-forces, or {{slug: balance-of-forces, exercises: off, "
            "selfchecks: off, points: {{grade_id: n}}, due: YYYY-MM-DD}}"
        ),
    ),
    "extra_lessons": (N_("extra_lessons must be a list of paths."), ALLOWED_PATH),
    "path": (N_("an extra lesson must be given as a path."), ALLOWED_PATH),
    "points": (
        N_("points must be a mapping from grade id to a number."),
        N_("{{grade_id: number}}, e.g. {{ex01-3-seven-to-six: 2}}"),
    ),
    "points value": (N_("points must be a number of 0 or more."), N_("a number of 0 or more, e.g. 2")),
    "due_dates": (
        N_("due_dates must be a mapping from lesson slug to date."),
        N_("a mapping from lesson slug ({slugs}) to a date written YYYY-MM-DD"),
    ),
}


class _Checker:
    """Raises ConfigError for one config file, with the file named in every message."""

    def __init__(self, path: Path, raw: Any = None):
        self.path = path
        self.base = path.resolve().parent
        self.raw = raw

    def fail(self, problem: str, key: str, value: Any, allowed: str) -> ConfigError:
        return ConfigError(
            _(
                "{file}: {problem}\n  key: {key}\n  value: {value}\n  allowed: {allowed}",
                file=self.path,
                problem=problem,
                key=key,
                value=_show(value),
                allowed=allowed,
            )
        )

    def schema_problem(self, problem: validation.Problem, slugs: list[str]) -> ConfigError:
        value = validation.value_at(self.raw, problem.path)
        if problem.validator == "additionalProperties":
            return self.fail(_("this key is not known (a typo?)."), problem.key, value, ", ".join(problem.allowed_keys))
        what, allowed = KINDS.get(problem.kind, KINDS["course"])
        return self.fail(_(what), problem.key, value, _(allowed, slugs=", ".join(slugs)))

    def extra_lesson(self, value: str, key: str) -> tuple[str, Path, Path]:
        """An instructor's own notebook: a real file inside the config's folder, with lesson metadata."""
        path = (self.base / value).resolve()
        if not path.is_relative_to(self.base):
            raise self.fail(
                _(
                    "extra lessons must stay inside the config's folder ({folder}); this path leads outside it.",
                    folder=self.base,
                ),
                key,
                value,
                _(ALLOWED_PATH),
            )
        if not path.is_file() or path.suffix != ".ipynb":
            raise self.fail(_("no notebook (.ipynb file) at this path."), key, value, _(ALLOWED_PATH))
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["one_voice"]
            missing = [name for name in ("title", "question", "minutes", "difficulty") if name not in meta]
        except (ValueError, KeyError, TypeError):
            meta, missing = {}, ["metadata.one_voice"]
        if missing:
            raise self.fail(
                _(
                    "the notebook lacks the lesson metadata it needs in metadata.one_voice: {missing}.",
                    missing=", ".join(missing),
                ),
                key,
                value,
                _(ALLOWED_PATH),
            )
        key_file = path.with_name(f"{path.stem}.key.json").resolve()
        if key_file.exists() and not key_file.is_relative_to(self.base):
            raise self.fail(
                _(
                    "extra lessons must stay inside the config's folder ({folder}); this path leads outside it.",
                    folder=self.base,
                ),
                key,
                str(key_file),
                _(ALLOWED_PATH),
            )
        return short_slug(meta.get("slug") or path.stem), path, key_file

    def points(self, value: dict, key: str, notebook: Path) -> Mapping[str, float]:
        graded = [cell.grade_id for cell in graded_cells(nbformat.read(notebook, as_version=4)) if cell.kind != "code"]
        allowed = ", ".join(graded) or _("none (this lesson has no graded cells)")
        for grade_id in value:
            if grade_id not in graded:
                raise self.fail(
                    _("this lesson has no graded cell with this grade id."), f"{key}.{grade_id}", grade_id, allowed
                )
        return MappingProxyType(dict(value))


def _show(value: Any) -> str:
    """The value as the instructor wrote it in YAML, not as Python parsed it."""
    if isinstance(value, bool):
        text = "on" if value else "off"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = f'"{value}"' if isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _switch(value: bool | str | None, default: bool) -> bool:
    """`on`/`off` (which YAML reads as true/false unless quoted), already checked by the schema."""
    if value is None:
        return default
    return value if isinstance(value, bool) else value.strip().lower() == "on"


class _Loader(yaml.SafeLoader):
    """`yaml.safe_load`, except that an impossible date (2026-02-30) stays text for the schema to name,
    instead of failing the whole file without saying where."""


def _timestamp(loader: _Loader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _read(path: Path, checker: _Checker) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except FileNotFoundError:
        raise checker.fail(
            _("the course config file does not exist."),
            "-",
            str(path),
            _("the path of an existing YAML file, e.g. course.yml"),
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("line {line}, column {column}", line=mark.line + 1, column=mark.column + 1) if mark else "-"
        raise checker.fail(
            _("this is not valid YAML ({detail}).", detail=getattr(error, "problem", error)),
            where,
            "-",
            _(KINDS["course"][1]),
        ) from None


def load_config(path: Path | str) -> CourseConfig:
    """The checked config; raises ConfigError (one message: file, key, value, allowed values)."""
    path = Path(path)
    raw = _read(path, _Checker(path))
    raw = {} if raw is None else raw
    checker = _Checker(path, raw)
    default = default_config()
    available = {lesson.slug: lesson for lesson in default.lessons}
    document = validation.as_json(raw)
    problem = validation.first_problem(SCHEMA, document)
    if problem is not None:
        raise checker.schema_problem(problem, list(available))

    for index, entry in enumerate(document.get("extra_lessons", [])):
        slug, notebook, key_file = checker.extra_lesson(entry, f"extra_lessons[{index}]")
        if slug in available:
            raise checker.fail(
                _("this lesson is already in the course."),
                f"extra_lessons[{index}]",
                entry,
                _("a lesson slug not already used by the collection ({slugs})", slugs=", ".join(available)),
            )
        available[slug] = LessonChoice(slug, notebook, key_file)
    exercises = _switch(document.get("exercises"), True)
    selfchecks = _switch(document.get("selfchecks"), True)
    entries = [
        entry if isinstance(entry, dict) else {"slug": entry} for entry in document.get("lessons", list(available))
    ]
    listed = {short_slug(entry["slug"]) for entry in entries}
    extras = [slug for slug in available if slug not in {lesson.slug for lesson in default.lessons}]
    entries += [{"slug": slug} for slug in extras if slug not in listed]  # extra lessons not placed come last
    chosen: list[LessonChoice] = []
    for index, options in enumerate(entries):
        key = f"lessons[{index}]"
        slug = short_slug(options["slug"])
        if slug not in available:
            raise checker.fail(_("there is no lesson with this slug."), key, slug, ", ".join(available))
        if slug in {lesson.slug for lesson in chosen}:
            raise checker.fail(_("this lesson is already in the course."), key, slug, _(ALLOWED_ONCE))
        base = available[slug]
        chosen.append(
            LessonChoice(
                slug,
                base.notebook,
                base.key,
                exercises=_switch(options.get("exercises"), exercises),
                selfchecks=_switch(options.get("selfchecks"), selfchecks),
                points=checker.points(options.get("points", {}), f"{key}.points", base.notebook),
                due=dt.date.fromisoformat(options["due"]) if "due" in options else None,
            )
        )
    chosen = _with_due_dates(checker, document.get("due_dates", {}), chosen)
    return CourseConfig(
        document.get("title", default.title).strip(),
        document.get("introduction", default.introduction).strip(),
        tuple(chosen),
        path,
        strict=_switch(document.get("strict"), False),
        left_out_references=document.get("left_out_references", "warn"),
    )


def _with_due_dates(checker: _Checker, dates: dict[str, str], chosen: list[LessonChoice]) -> list[LessonChoice]:
    """Apply `due_dates: {slug: date}`; a lesson may get its date here or in its own entry, not both."""
    slugs = [lesson.slug for lesson in chosen]
    by_slug = {lesson.slug: lesson for lesson in chosen}
    for name, value in dates.items():
        slug = short_slug(name)
        if slug not in by_slug:
            raise checker.fail(
                _("there is no lesson with this slug in the course."), f"due_dates.{name}", name, ", ".join(slugs)
            )
        if by_slug[slug].due is not None:
            raise checker.fail(
                _("this lesson already has a due date in its lessons entry."),
                f"due_dates.{name}",
                validation.value_at(checker.raw, ("due_dates", name)),
                _(ALLOWED_ONCE),
            )
        by_slug[slug] = replace(by_slug[slug], due=dt.date.fromisoformat(value))
    return [by_slug[slug] for slug in slugs]
