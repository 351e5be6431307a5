"""The lessons in another language, from one source: English notebooks + a gettext catalogue.

The English lessons stay the source. Their markdown is cut into messages (a paragraph, a list
item, a heading, a table row), each with its lesson and cell id as context, and extracted into
`course/locales/lessons.pot`; a translator fills `course/locales/<lang>/LC_MESSAGES/lessons.po`.
`build` writes `notebooks/<folder>/NN-slug.ipynb`: the English notebook with every message
replaced and nothing else changed (same code cells, cell ids and tags). A lesson with an
untranslated or fuzzy message is not written: the build names it and the messages a translator
must look at, so English never shows silently in a translated lesson.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from course.display.templating import render
from course.i18n import LOCALE_DIR, _, merged, read_catalog
from course.settings import FOLDER_LANGUAGES, notebooks_dir

DOMAIN = "lessons"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
# A translated lesson lives in a folder named for its language; a kernel started there speaks it
# (course.settings.language). The HTML `lang` of the translated prose is set on each markdown cell.
FOLDERS = {language: folder for folder, language in FOLDER_LANGUAGES.items()}
HTML_LANG = {"zh_Hans": "zh-Hans"}
HEADER = {"project": "One Voice, 1958 (lessons)", "copyright_holder": "One Voice, 1958", "version": "1"}
METADATA_FIELDS = ("title", "question", "difficulty")

_MARKER = re.compile(r"^(\s*(?:#{1,6} |[-*] |\d+\. |> ))(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
_WORD = re.compile(r"[A-Za-z]{2}")
_LESSON_FILE = re.compile(r"^\d\d-[\w-]+\.ipynb(#.*)?$")
_LINK = re.compile(r"(\]\(|href=\")([^)\"\s]+)")


@dataclass(frozen=True)
class Segment:
    """One piece of a markdown cell: what comes before it, its markup prefix, and its text.

    `text` is None for a piece with nothing to translate (a table rule, a line of symbols).
    """

    before: str
    prefix: str
    text: str | None


def segments(markdown: str) -> list[Segment]:
    """A markdown cell cut into messages; `assemble` puts them back together."""
    pieces: list[Segment] = []
    for number, block in enumerate(re.split(r"\n[ \t]*\n", markdown.strip("\n"))):
        items: list[list[str]] = []  # [prefix, line, line, ...]
        for line in block.split("\n"):
            marker = _MARKER.match(line)
            table_row = line.lstrip().startswith("|")
            if marker and not (items and marker.group(1).strip() == ">" and items[-1][0].strip() == ">"):
                items.append([marker.group(1), marker.group(2)])
            elif table_row or not items or items[-1][0].lstrip().startswith(("#", "|")):
                items.append(["", line])
            else:
                items[-1].append(re.sub(r"^\s*>?\s*", "", line))
        for index, (prefix, *lines) in enumerate(items):
            before = ("\n\n" if number else "") if index == 0 else "\n"
            text = " ".join(part.strip() for part in lines).strip()
            if _TABLE_RULE.match(prefix + text) or not _WORD.search(text):
                pieces.append(Segment(before, prefix + " ".join(lines), None))
            else:
                pieces.append(Segment(before, prefix, text))
    return pieces


def cell_body(source: str) -> str:
    """A markdown cell without the language wrapper a translated cell carries (the same text otherwise)."""
    for language in HTML_LANG.values():
        head, _, tail = render("editions/translated_cell.md.j2", lang=language, markdown="\0").partition("\0")
        if source.startswith(head) and source.endswith(tail):
            return source[len(head) : len(source) - len(tail)]
    return source


def assemble(pieces: list[Segment], translate: Callable[[str], str]) -> str:
    """The markdown of `pieces`, each text passed through `translate`."""
    return "".join(p.before + p.prefix + (translate(p.text) if p.text is not None else "") for p in pieces)


def context(slug: str, cell_id: str) -> str:
    """The message context of a lesson cell: the same sentence in two cells can be translated apart."""
    return f"{slug}/{cell_id}"


@dataclass(frozen=True)
class Message:
    context: str
    text: str
    where: str  # for translators: lesson, cell number and id


def messages(path: Path) -> Iterator[Message]:
    """Every message of one lesson notebook, in reading order (its title and question first)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    slug = path.stem
    meta = notebook["metadata"].get("one_voice", {})
    for field in METADATA_FIELDS:
        if meta.get(field):
            yield Message(context(slug, f"metadata.{field}"), str(meta[field]), f"{slug}, metadata {field}")
    for number, cell in enumerate(notebook["cells"]):
        if not _translated(cell):
            continue
        for piece in segments("".join(cell["source"])):
            if piece.text is not None:
                yield Message(context(slug, cell["id"]), piece.text, f"{slug}, cell {number} ({cell['id']})")


def _translated(cell: dict) -> bool:
    """Markdown cells, except a student's answer cell: nbgrader and the answer keys expect its stub as it is."""
    return cell["cell_type"] == "markdown" and not cell.get("metadata", {}).get("nbgrader", {}).get("solution")


def lesson_paths(folder: Path | None = None) -> list[Path]:
    return sorted((folder or notebooks_dir()).glob("[0-9][0-9]-*.ipynb"))


def template(folder: Path | None = None):
    """The lessons' template catalogue (what `make messages` writes to course/locales/lessons.pot)."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(**HEADER, fuzzy=False)
    for path in lesson_paths(folder):
        for message in messages(path):
            catalog.add(message.text, context=message.context, auto_comments=[message.where])
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _write(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, no_location=True)  # reading order, lesson by lesson


def update(language: str, folder: Path | None = None, pot: Path = TEMPLATE, po: Path | None = None) -> dict[str, int]:
    """Write the template and merge it into `language`'s catalogue.

    A changed English paragraph keeps its old translation marked fuzzy (babel's fuzzy matching), so
    the translator sees what changed; the build refuses the lesson until it is reviewed.
    """
    _write(template(folder), pot)
    target = po or po_path(language)
    catalog = merged(target, read_catalog(pot), language, **HEADER)
    _write(catalog, target)
    return completeness(catalog)


def completeness(catalog) -> dict[str, int]:
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for message in catalog:
        if not message.id:
            continue
        key = "fuzzy" if message.fuzzy else "translated" if message.string else "untranslated"
        counts[key] += 1
    return counts


@dataclass
class Outcome:
    """What the build did for one lesson: written, or the messages that stop it."""

    slug: str
    written: Path | None
    missing: list[str]


def _relink(markdown: str) -> str:
    """Links from a lesson one folder down: sibling lessons stay, every other relative link climbs one level."""

    def fix(match: re.Match) -> str:
        target = match.group(2)
        if _LESSON_FILE.match(target) or re.match(r"^(#|[a-z]+:|/)", target):
            return match.group(0)
        return match.group(1) + "../" + target

    return _LINK.sub(fix, markdown)


def translate_notebook(notebook: dict, slug: str, catalog, language: str) -> tuple[dict, list[str]]:
    """The notebook with its prose in `language`, and the messages that have no reviewed translation."""
    missing: list[str] = []

    def lookup(ctxt: str, text: str) -> str:
        message = catalog.get(text, context=ctxt)
        if message is None or not message.string or message.fuzzy:
            state = _("fuzzy") if message is not None and message.fuzzy else _("untranslated")
            missing.append(f"[{state}] {ctxt}: {text[:70]}")
            return text
        return message.string

    result = copy.deepcopy(notebook)
    meta = result["metadata"].setdefault("one_voice", {})
    for field in METADATA_FIELDS:
        if meta.get(field):
            meta[field] = lookup(context(slug, f"metadata.{field}"), str(meta[field]))
    meta["language"] = language
    for cell in result["cells"]:
        if not _translated(cell):
            continue
        body = assemble(segments("".join(cell["source"])), lambda text, c=cell: lookup(context(slug, c["id"]), text))
        markdown = render("editions/translated_cell.md.j2", lang=HTML_LANG[language], markdown=_relink(body))
        cell["source"] = markdown.splitlines(keepends=True)
    return result, missing


def build(language: str, folder: Path | None = None, po: Path | None = None) -> list[Outcome]:
    """Write every lesson whose catalogue is complete into the language's folder; report the others.

    Outputs are left empty: `make notebooks` executes the written lessons in their folder.
    """
    folder = folder or notebooks_dir()
    catalog = read_catalog(po or po_path(language), language)
    target_dir = folder / FOLDERS[language]
    target_dir.mkdir(exist_ok=True)
    outcomes = []
    for path in lesson_paths(folder):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        translated, missing = translate_notebook(notebook, path.stem, catalog, language)
        target = target_dir / path.name
        written = None
        if not missing:
            for cell in translated["cells"]:
                if cell["cell_type"] == "code":
                    cell["outputs"], cell["execution_count"] = [], None
                    cell["metadata"].pop("execution", None)  # the English run's timings
            target.write_text(json.dumps(translated, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            written = target
        outcomes.append(Outcome(path.stem, written, missing))
    return outcomes
