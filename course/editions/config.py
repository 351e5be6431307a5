"""`course.yml`: an instructor's choice of lessons, order, exercises, points and due dates, in one file.

Parsed with `yaml.safe_load` and checked completely before anything is built, so that a typo
stops the build with one message naming the file, the key, the value and what is allowed,
instead of producing a collection with a lesson silently missing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import nbformat
import yaml

from course.coursework.answer_keys import bundled_key, graded_cells
from course.catalog import lessons as collection_lessons
from course.i18n import t
from course.settings import notebooks_dir

TOP_KEYS = ("title", "introduction", "lessons", "extra_lessons", "exercises", "selfchecks", "due_dates")
LESSON_KEYS = ("slug", "exercises", "selfchecks", "points", "due")
NUMBER = re.compile(r"^\d{2}-")


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


def short_slug(slug: str) -> str:
    return NUMBER.sub("", slug)


def default_config() -> CourseConfig:
    """The whole collection as published: every lesson, in order, with exercises and self-checks."""
    return CourseConfig(t("editions.default_title"), t("editions.default_introduction"), tuple(
        LessonChoice(short_slug(lesson.slug), notebooks_dir() / lesson.filename, bundled_key(lesson.slug))
        for lesson in collection_lessons(notebooks_dir())))


class _Reader:
    """Checks one config file, raising ConfigError with the file named in every message."""

    def __init__(self, path: Path):
        self.path = path
        self.base = path.resolve().parent

    def fail(self, problem: str, key: str, value: Any, allowed: str) -> ConfigError:
        return ConfigError(t("editions.config_error", file=self.path, problem=problem, key=key,
                             value=_show(value), allowed=allowed))

    def switch(self, raw: dict, name: str, key: str, default: bool) -> bool:
        value = raw.get(name, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("on", "off"):
            return value.strip().lower() == "on"
        raise self.fail(t("editions.problem_switch"), key, value, "on, off (or true, false)")

    def date(self, value: Any, key: str) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(t("editions.problem_date"), key, value, "a date written YYYY-MM-DD")

    def text(self, raw: dict, name: str, default: str) -> str:
        value = raw.get(name, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(t("editions.problem_text"), name, value, t("editions.allowed_text"))
        return value.strip()

    def mapping(self, value: Any, key: str, allowed: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(t("editions.problem_type", expected="mapping"), key, value, allowed)
        return value

    def sequence(self, value: Any, key: str, allowed: str) -> list:
        if not isinstance(value, list):
            raise self.fail(t("editions.problem_type", expected="list"), key, value, allowed)
        return value

    def unknown_keys(self, raw: dict, allowed: tuple[str, ...], where: str) -> None:
        for name in raw:
            if name not in allowed:
                raise self.fail(t("editions.problem_unknown_key"), f"{where}{name}", raw[name], ", ".join(allowed))

    def extra_lesson(self, value: Any, key: str) -> tuple[str, Path, Path]:
        """An instructor's own notebook: a real file inside the config's folder, with lesson metadata."""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(t("editions.problem_type", expected="path"), key, value, t("editions.allowed_path"))
        path = (self.base / value).resolve()
        if not path.is_relative_to(self.base):
            raise self.fail(t("editions.problem_outside", folder=self.base), key, value, t("editions.allowed_path"))
        if not path.is_file() or path.suffix != ".ipynb":
            raise self.fail(t("editions.problem_missing_file"), key, value, t("editions.allowed_path"))
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]["one_voice"]
            missing = [name for name in ("title", "question", "minutes", "difficulty") if name not in meta]
        except (ValueError, KeyError, TypeError):
            meta, missing = {}, ["metadata.one_voice"]
        if missing:
            raise self.fail(t("editions.problem_lesson_metadata", missing=", ".join(missing)), key, value,
                            t("editions.allowed_path"))
        key_file = path.with_name(f"{path.stem}.key.json").resolve()
        if key_file.exists() and not key_file.is_relative_to(self.base):
            raise self.fail(t("editions.problem_outside", folder=self.base), key, str(key_file), t("editions.allowed_path"))
        return short_slug(meta.get("slug") or path.stem), path, key_file

    def points(self, value: Any, key: str, notebook: Path) -> Mapping[str, float]:
        graded = [cell.grade_id for cell in graded_cells(nbformat.read(notebook, as_version=4)) if cell.kind != "code"]
        allowed = ", ".join(graded) or t("editions.allowed_none")
        points = {}
        for grade_id, number in self.mapping(value, key, allowed).items():
            if grade_id not in graded:
                raise self.fail(t("editions.problem_grade_id"), f"{key}.{grade_id}", grade_id, allowed)
            if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
                raise self.fail(t("editions.problem_points"), f"{key}.{grade_id}", number, t("editions.allowed_points"))
            points[grade_id] = number
        return MappingProxyType(points)


def _show(value: Any) -> str:
    """The value as the instructor wrote it in YAML, not as Python parsed it."""
    if isinstance(value, bool):
        text = "on" if value else "off"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = f'"{value}"' if isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def load_config(path: Path | str) -> CourseConfig:
    """The checked config; raises ConfigError (one message: file, key, value, allowed values)."""
    path = Path(path)
    reader = _Reader(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise reader.fail(t("editions.problem_no_config"), "-", str(path), t("editions.allowed_config")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "-"
        raise reader.fail(t("editions.problem_yaml", detail=getattr(error, "problem", error)), where,
                          "-", t("editions.allowed_yaml")) from None
    raw = {} if raw is None else reader.mapping(raw, "(top level)", ", ".join(TOP_KEYS))
    reader.unknown_keys(raw, TOP_KEYS, "")
    default = default_config()
    available = {lesson.slug: lesson for lesson in default.lessons}
    for index, entry in enumerate(reader.sequence(raw.get("extra_lessons", []), "extra_lessons", t("editions.allowed_path"))):
        slug, notebook, key_file = reader.extra_lesson(entry, f"extra_lessons[{index}]")
        if slug in available:
            raise reader.fail(t("editions.problem_duplicate"), f"extra_lessons[{index}]", entry,
                              t("editions.allowed_new_slug", slugs=", ".join(available)))
        available[slug] = LessonChoice(slug, notebook, key_file)
    exercises = reader.switch(raw, "exercises", "exercises", True)
    selfchecks = reader.switch(raw, "selfchecks", "selfchecks", True)
    extras = [slug for slug in available if slug not in {lesson.slug for lesson in default.lessons}]
    entries = raw["lessons"] if "lessons" in raw else list(available)
    entries = reader.sequence(entries, "lessons", ", ".join(available))
    listed = [_entry_slug(reader, entry, index) for index, entry in enumerate(entries)]
    entries = entries + [slug for slug in extras if slug not in {short_slug(s) for s in listed}]
    chosen = []
    for index, entry in enumerate(entries):
        key = f"lessons[{index}]"
        slug = short_slug(_entry_slug(reader, entry, index))
        if slug not in available:
            raise reader.fail(t("editions.problem_unknown_slug"), key, slug, ", ".join(available))
        if slug in {lesson.slug for lesson in chosen}:
            raise reader.fail(t("editions.problem_duplicate"), key, slug, t("editions.allowed_once"))
        options = entry if isinstance(entry, dict) else {}
        reader.unknown_keys(options, LESSON_KEYS, f"{key}.")
        base = available[slug]
        chosen.append(LessonChoice(
            slug, base.notebook, base.key,
            exercises=reader.switch(options, "exercises", f"{key}.exercises", exercises),
            selfchecks=reader.switch(options, "selfchecks", f"{key}.selfchecks", selfchecks),
            points=reader.points(options.get("points", {}), f"{key}.points", base.notebook),
            due=reader.date(options["due"], f"{key}.due") if "due" in options else None))
    chosen = _with_due_dates(reader, raw.get("due_dates", {}), chosen)
    return CourseConfig(reader.text(raw, "title", default.title), reader.text(raw, "introduction", default.introduction),
                        tuple(chosen), path)


def _entry_slug(reader: _Reader, entry: Any, index: int) -> str:
    slug = entry.get("slug") if isinstance(entry, dict) else entry
    if not isinstance(slug, str):
        raise reader.fail(t("editions.problem_lesson_entry"), f"lessons[{index}]", entry, t("editions.allowed_entry"))
    return slug


def _with_due_dates(reader: _Reader, raw: Any, chosen: list[LessonChoice]) -> list[LessonChoice]:
    """Apply `due_dates: {slug: date}`; a lesson may get its date here or in its own entry, not both."""
    from dataclasses import replace

    slugs = [lesson.slug for lesson in chosen]
    dates = reader.mapping(raw, "due_dates", t("editions.allowed_due_dates", slugs=", ".join(slugs)))
    by_slug = {lesson.slug: lesson for lesson in chosen}
    for name, value in dates.items():
        slug = short_slug(str(name))
        if slug not in by_slug:
            raise reader.fail(t("editions.problem_unknown_slug"), f"due_dates.{name}", name, ", ".join(slugs))
        if by_slug[slug].due is not None:
            raise reader.fail(t("editions.problem_two_dates"), f"due_dates.{name}", value, t("editions.allowed_once"))
        by_slug[slug] = replace(by_slug[slug], due=reader.date(value, f"due_dates.{name}"))
    return [by_slug[slug] for slug in slugs]
