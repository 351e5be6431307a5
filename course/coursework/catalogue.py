"""The coursework's own text (banks, prompts, keys) in the student's language, through gettext catalogues.

The JSON files under course/coursework/ are written in English, the source language. Every field a student or an
instructor reads (a question, its options, items and pairs, an explanation, a document prompt, a historian's
reading, a model answer, a rubric) is one message, its context "<file stem>/<item id>/<field>" (e.g.
"03-why-kim-agreed/l03-mao-remark-sourcing/prompt"), so that two equal English texts in different places can be
translated for their place. Ids, kinds, source ids, dates and numbers that are checked by value, and code
(solutions of autograded cells, hidden tests) are machine values and are not extracted.

Two catalogues, one mechanism:
- `coursework` (course/locales/coursework.pot, course/locales/<lang>/LC_MESSAGES/coursework.po): the banks and
  prompts, which every edition ships;
- `coursework-keys` (course/coursework/keys/locales/...): the model answers and rubrics. They live inside keys/,
  which the student edition never copies (`course.editions.student.NOT_FOR_STUDENTS`), so a translated answer key
  cannot reach students any more than the English one.

- `entries()` walks the files and yields what is to be translated (pure);
- `write_template()` writes a template from it; `merge()` brings a translation up to date (a changed English text
  keeps its old translation marked fuzzy, so a translator sees what changed); `release_problems()` lists what is
  untranslated, fuzzy or missing;
- `question()`, `prompt()` and `key()` give a loaded item in the current language: the loaders call them, once,
  where the files are read (`selfchecks.load_bank`, `prompts.load_all`, `answer_keys.load_key`).

`python -m course.coursework.catalogue` (part of `make messages`) does the extraction and the merge.
"""

from __future__ import annotations

import dataclasses
import gettext
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from course import settings
from course.i18n import compiled, merged, read_catalog, translate_text

DOMAIN = "coursework"
KEYS_DOMAIN = "coursework-keys"
ROOT = settings.PACKAGE_DIR / "coursework"
FOLDERS = ("banks", "prompts", "keys")
LOCALES = {DOMAIN: settings.PACKAGE_DIR / "locales", KEYS_DOMAIN: ROOT / "keys" / "locales"}
CATALOGUE_FOLDERS = {DOMAIN: ("banks", "prompts"), KEYS_DOMAIN: ("keys",)}
TEMPLATE = LOCALES[DOMAIN] / f"{DOMAIN}.pot"
KEYS_TEMPLATE = LOCALES[KEYS_DOMAIN] / f"{KEYS_DOMAIN}.pot"
LANGUAGES = tuple(lang for lang in settings.LANGUAGES if lang != settings.DEFAULT_LANGUAGE)
PROJECT = "One Voice, 1958"

# Bank fields read as text; a multiple-choice answer is one of the options and an ordering answer lists the items,
# so they are translated through the options' and items' messages, never on their own.
BANK_TEXTS = ("prompt", "explain")
BANK_LISTS = ("options", "items")
PROMPT_TEXTS = ("prompt", "reading")
# An evidence entry that is only a document id, perhaps with a paragraph ("puzanov-1957-06-04-a ¶4"), is a machine
# value; one in words ("Tian 2014, §2.2") is read, and written the Chinese way in Chinese.
_EVIDENCE_ID = re.compile(r"[a-z0-9][a-z0-9-]*( ¶\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


class Entry(NamedTuple):
    context: str
    text: str
    location: tuple[str, int]  # file (relative to the package's parent) and the item's place in it (1, 2, ...)


def context(stem: str, item_id: str, field: str) -> str:
    return f"{stem}/{item_id}/{field}"


def _where(path: Path) -> str:
    try:
        return path.resolve().relative_to(settings.ROOT_DIR).as_posix()
    except ValueError:
        return path.as_posix()


def _bank_fields(entry: dict) -> Iterator[tuple[str, str]]:
    for field in BANK_TEXTS:
        yield field, entry[field]
    for field in BANK_LISTS:
        for text in entry.get(field, ()):
            yield field, text
    for left, right in entry.get("pairs", ()):
        yield "pairs", left
        yield "pairs", right
    if entry.get("kind") == "short_answer":
        answers = [entry["answer"]] if isinstance(entry["answer"], str) else entry["answer"]
        for text in answers:
            if not _ISO_DATE.fullmatch(text.strip()):  # a date is checked by value, in any language's form
                yield "answer", text


def _prompt_fields(entry: dict) -> Iterator[tuple[str, str]]:
    for field in PROMPT_TEXTS:
        yield field, entry[field]
    for text in entry.get("evidence", ()):
        if not _EVIDENCE_ID.fullmatch(text):
            yield "evidence", text


def _key_fields(entry: dict) -> Iterator[tuple[str, str]]:
    if "rubric" in entry:  # a written answer: its model answer is prose (an autograded cell's solution is code)
        yield "solution", entry["solution"]
        yield "rubric", entry["rubric"]


def _items(folder: str, raw: Any) -> Iterator[tuple[str, dict]]:
    if folder == "keys":
        yield from ((grade_id, entry) for grade_id, entry in raw.items() if isinstance(entry, dict))
    else:
        yield from ((entry["id"], entry) for entry in raw if isinstance(entry, dict))


_FIELDS = {"banks": _bank_fields, "prompts": _prompt_fields, "keys": _key_fields}


def entries(root: Path | str = ROOT, folders: tuple[str, ...] = FOLDERS) -> Iterator[Entry]:
    """Every text to translate in the banks, prompts and keys (or the given `folders`) under `root`, in order."""
    root = Path(root)
    for folder in folders:
        for path in sorted((root / folder).glob("*.json")):
            raw = json.loads(path.read_text(encoding="utf-8"))
            for n, (item_id, entry) in enumerate(_items(folder, raw), start=1):
                for field, text in _FIELDS[folder](entry):
                    if text.strip():
                        yield Entry(context(path.stem, item_id, field), text, (_where(path), n))


def template(root: Path | str = ROOT, domain: str = DOMAIN):
    """The template catalogue (a babel Catalog) of a domain's entries, one message per context and text."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project=PROJECT, copyright_holder=PROJECT, msgid_bugs_address=None, fuzzy=False)
    for entry in entries(root, CATALOGUE_FOLDERS[domain]):
        catalog.add(entry.text, context=entry.context, locations=[entry.location])
    return catalog


def _write(path: Path, catalog) -> None:
    from babel.messages.pofile import write_po

    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_by_file=True, ignore_obsolete=True, include_previous=True)


def write_template(path: Path | str = TEMPLATE, root: Path | str = ROOT, domain: str = DOMAIN) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, template(root, domain))
    return path


def merge(po: Path | str, pot: Path | str = TEMPLATE, language: str = "zh_Hans") -> Path:
    """Bring the translation `po` up to date with the template: new texts untranslated, changed ones fuzzy
    (babel's fuzzy matching keeps the old translation for the translator to review), removed ones dropped."""
    po = Path(po)
    catalog = merged(po, read_catalog(pot), language, project=PROJECT, copyright_holder=PROJECT)
    po.parent.mkdir(parents=True, exist_ok=True)
    _write(po, catalog)
    return po


def release_problems(po: Path | str, pot: Path | str = TEMPLATE, language: str = "zh_Hans") -> list[str]:
    """What keeps a translation from release, one line each: a text of the template missing from it, untranslated
    or fuzzy (a fuzzy text is never shown: the student would read English instead). Empty when ready."""
    source, catalog = read_catalog(pot), read_catalog(po, language)
    found = []
    for message in source:
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        first = message.id.splitlines()[0][:60]
        if translated is None:
            found.append(f"{Path(po).name}: missing (run make messages): {message.context}: {first}")
        elif translated.fuzzy:
            found.append(f"{Path(po).name}: fuzzy (the English changed; review it): {message.context}: {first}")
        elif not translated.string:
            found.append(f"{Path(po).name}: untranslated: {message.context}: {first}")
    return found


def template_file(domain: str = DOMAIN) -> Path:
    return LOCALES[domain] / f"{domain}.pot"


def translation_file(language: str, domain: str = DOMAIN) -> Path:
    return LOCALES[domain] / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def _keys_translations(language: str) -> gettext.NullTranslations:
    """The compiled answer-key catalogue (compiled from its .po on first use, fuzzy texts left out, as in i18n)."""
    return compiled(translation_file(language, KEYS_DOMAIN), language)


# --- loaded items in the current language ------------------------------------------------------------------


def text(stem: str, item_id: str, field: str, english: str) -> str:
    """One text of the coursework in the current language (English, the source, when there is no translation)."""
    return translate_text(DOMAIN, context(stem, item_id, field), english)


def question(item):
    """A self-check question (`selfchecks.Question`) in the current language. The answer follows the options or
    items it names; a short answer keeps its English forms and adds the translated ones, so either is accepted."""
    if settings.language() == settings.DEFAULT_LANGUAGE:
        return item

    def t(field: str, english: str) -> str:
        return text(item.lesson, item.id, field, english)

    changes: dict[str, Any] = {"prompt": t("prompt", item.prompt), "explain": t("explain", item.explain)}
    if item.options:
        changes["options"] = tuple(t("options", o) for o in item.options)
    if item.items:
        changes["items"] = tuple(t("items", i) for i in item.items)
    if item.pairs:
        changes["pairs"] = tuple((t("pairs", left), t("pairs", right)) for left, right in item.pairs)
    if item.kind == "multiple_choice":
        changes["answer"] = t("options", item.answer)
    elif item.kind == "ordering":
        changes["answer"] = tuple(t("items", i) for i in item.answer)
    elif item.kind == "short_answer":
        translated = (t("answer", a) if not _ISO_DATE.fullmatch(a.strip()) else a for a in item.answer)
        changes["answer"] = tuple(dict.fromkeys((*item.answer, *translated)))
    return dataclasses.replace(item, **changes)


def prompt(item):
    """A document prompt (`prompts.Prompt`) in the current language."""
    if settings.language() == settings.DEFAULT_LANGUAGE:
        return item

    def t(field: str, english: str) -> str:
        return text(item.lesson, item.id, field, english)

    evidence = tuple(e if _EVIDENCE_ID.fullmatch(e) else t("evidence", e) for e in item.evidence)
    return dataclasses.replace(
        item, prompt=t("prompt", item.prompt), reading=t("reading", item.reading), evidence=evidence
    )


def key(stem: str, entries_by_id: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """A lesson's answer key (grade id → fields) with its model answers and rubrics in the current language."""
    if settings.language() == settings.DEFAULT_LANGUAGE:
        return entries_by_id
    found = {}
    for grade_id, entry in entries_by_id.items():
        entry = dict(entry)
        if "rubric" in entry:
            for field in ("solution", "rubric"):
                entry[field] = _keys_translations(settings.language()).pgettext(
                    context(stem, grade_id, field), entry[field]
                )
        found[grade_id] = entry
    return found


def main() -> None:
    """Write the templates and merge them into every translation (`make messages`)."""
    for domain in LOCALES:
        pot = write_template(template_file(domain), ROOT, domain)
        for language in LANGUAGES:
            merge(translation_file(language, domain), pot, language)
            print(f"{_where(translation_file(language, domain))}: merged with {_where(pot)}")


if __name__ == "__main__":
    main()
