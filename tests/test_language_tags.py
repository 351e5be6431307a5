"""Language tags against scripts, across everything the lessons show when they run.

A screen reader picks its voice from `lang`: Chinese tagged `ru` is read with a Russian voice. Every
lesson is executed fresh (the committed outputs may be stale), and every HTML it shows is parsed:
HTML outputs, the HTML widgets' saved state (explorers, cards, the document reader) and the inline
HTML of the markdown cells. For every element with a `lang` attribute, its own text (without the
descendants that carry their own `lang`) is checked:

- the tag is one we use: en, zh-Hans, zh-Hant, ru, sr, ko;
- the letters are in the tag's script, read independently of the code under test from the Unicode
  character names (Han, Cyrillic, Hangul; Latin for `en`);
- zh-Hans against zh-Hant: the same answer as course.display.scripts.lang_of, the function the
  cards use, wherever the text has characters that tell the two apart.

Chinese, Russian or Korean text with no tag at all (read with the page's English voice) fails
too. Everything found is written to test-artifacts/language-tags.md.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from html.parser import HTMLParser

import pytest

from course.display.scripts import SIMPLIFIED_ONLY, TRADITIONAL_ONLY, lang_of
from tests.helpers import ARTIFACTS
from tests.notebook_runner import REPO, Batch, clean_env, lesson_paths, run_batch

TAGS = {"en", "zh-Hans", "zh-Hant", "ru", "sr", "ko"}
# The scripts each tag may contain (Korean text may carry Hanja); Latin letters and digits may appear anywhere.
ALLOWED = {
    "en": set(),
    "zh-Hans": {"han"},
    "zh-Hant": {"han"},
    "ru": {"cyrillic"},
    "sr": {"cyrillic"},
    "ko": {"hangul", "han"},
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HTML_WIDGETS = {"HTMLModel", "HTMLMathModel"}


def script_of(char: str) -> str | None:
    """han, cyrillic or hangul for a letter in those scripts, read from its Unicode name; None otherwise."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return "han"
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    if name.startswith("HANGUL"):
        return "hangul"
    return None


def distinctive(text: str) -> bool:
    """Whether the text has characters that tell simplified from traditional (else either tag is right)."""
    return sum(ch in TRADITIONAL_ONLY for ch in text) != sum(ch in SIMPLIFIED_ONLY for ch in text)


def scripts_in(text: str) -> set[str]:
    return {s for s in map(script_of, text) if s}


class Element:
    def __init__(self, tag: str, lang: str | None, parent: Element | None):
        self.tag, self.lang, self.parent = tag, lang, parent
        self.own: list[str] = []  # text not inside a descendant that has its own lang

    def voice(self) -> Element | None:
        """The nearest element (this one or an ancestor) whose lang applies."""
        node = self
        while node is not None and node.lang is None:
            node = node.parent
        return node


class LangParser(HTMLParser):
    """Elements with a lang attribute and their own text; untagged foreign text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", None, None)
        self.stack = [self.root]
        self.tagged: list[Element] = []

    def handle_starttag(self, tag, attrs):
        lang = dict(attrs).get("lang")
        element = Element(tag, lang, self.stack[-1])
        if lang is not None:
            self.tagged.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):  # close up to the matching open tag (forgiving HTML)
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if tag_of(self.stack[-1]) in ("script", "style"):
            return
        target = self.stack[-1].voice() or self.root
        target.own.append(data)


def tag_of(element: Element) -> str:
    return element.tag


def problems_in(html: str, where: str) -> tuple[list[str], list[str]]:
    """(wrong tags, untagged foreign texts) in one HTML fragment, each named with `where`."""
    parser = LangParser()
    parser.feed(html)
    parser.close()
    wrong = []
    for element in parser.tagged:
        text = " ".join("".join(element.own).split())
        lang = element.lang
        if lang not in TAGS:
            wrong.append(
                f"{where}: <{element.tag} lang='{lang}'> is not a tag we use ({', '.join(sorted(TAGS))}): {text[:60]!r}"
            )
            continue
        found = scripts_in(text)
        if found - ALLOWED[lang]:
            wrong.append(
                f"{where}: <{element.tag} lang='{lang}'> holds {'/'.join(sorted(found - ALLOWED[lang]))} "
                f"letters: {text[:60]!r} (should be lang='{lang_of(text)}')"
            )
        elif lang.startswith("zh") and "han" in found and lang_of(text) != lang and distinctive(text):
            wrong.append(
                f"{where}: <{element.tag} lang='{lang}'> but the characters are {lang_of(text)}: {text[:60]!r}"
            )
        elif lang != "en" and not found & ALLOWED[lang] and any(ch.isalpha() for ch in text):
            wrong.append(
                f"{where}: <{element.tag} lang='{lang}'> holds only Latin letters: {text[:60]!r} (should be lang='en')"
            )
    untagged_text = "".join(parser.root.own)
    runs = re.findall(r"[^\W\d_A-Za-z\u00C0-\u024F]+(?:[\s·・]+[^\W\d_A-Za-z\u00C0-\u024F]+)*", untagged_text)
    untagged = [f"{where}: {run!r}" for run in runs if scripts_in(run)]
    return wrong, untagged


def html_shown(nb: dict) -> list[tuple[str, str]]:
    """(where, html) for every HTML the executed notebook shows: outputs, HTML widgets, markdown cells."""
    shown = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            shown.append((f"cell {index} (markdown)", "".join(cell["source"])))
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                shown.append((f"cell {index} output", "".join(html) if isinstance(html, list) else html))
    state = nb.get("metadata", {}).get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model_id, model in state.get("state", {}).items():
        if model.get("model_name") in HTML_WIDGETS and model.get("state", {}).get("value"):
            shown.append((f"widget {model_id[:8]} ({model['model_name']})", model["state"]["value"]))
    return shown


def audit_notebooks(notebooks: dict[str, dict]) -> dict[str, dict]:
    """Per lesson: how many tagged elements, the wrong tags, the untagged foreign texts."""
    report = {}
    for name, nb in notebooks.items():
        wrong, untagged, tagged = [], [], 0
        for where, html in html_shown(nb):
            w, u = problems_in(html, f"{name} {where}")
            wrong += w
            untagged += u
            parser = LangParser()
            parser.feed(html)
            tagged += len(parser.tagged)
        report[name] = {"tagged": tagged, "wrong": wrong, "untagged": untagged}
    return report


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, dict]:
    lessons = lesson_paths()
    if not lessons:
        pytest.skip("no lesson notebooks yet")
    root = tmp_path_factory.mktemp("lang")
    folder = shutil.copytree(
        REPO / "notebooks",
        root / "notebooks",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".one-voice-progress.json*"),
    )
    run = run_batch(
        Batch(
            [folder / p.name for p in lessons],
            folder,
            root / "out",
            jobs=2,
            env=clean_env(ONE_VOICE_PROGRESS=str(root / "progress.json")),
        )
    )
    assert not run.failures(), run.failures()
    return {r.name: r.executed for r in run.results}


@pytest.fixture(scope="module")
def report(executed) -> dict[str, dict]:
    """The audit of the fresh run, also written to test-artifacts/language-tags.md and .json."""
    report = audit_notebooks(executed)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "language-tags.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    lines = [
        "# Language tags in the lessons' rendered outputs (fresh run)",
        "",
        "| lesson | tagged elements | wrong tags | untagged foreign-script fragments |",
        "|---|---|---|---|",
    ]
    lines += [f"| {n} | {r['tagged']} | {len(r['wrong'])} | {len(r['untagged'])} |" for n, r in report.items()]
    for n, r in report.items():
        lines += [f"\n## {n}", *[f"- wrong: {w}" for w in r["wrong"]], *[f"- untagged: {u}" for u in r["untagged"]]]
    (ARTIFACTS / "language-tags.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


@pytest.mark.slow
def test_every_tagged_span_is_in_its_tags_script(report):
    assert sum(r["tagged"] for r in report.values()) > 0, "no lang-tagged element in any output: nothing was checked"
    wrong = [w for r in report.values() for w in r["wrong"]]
    assert not wrong, f"{len(wrong)} lang tags do not match their text's script:\n" + "\n".join(wrong[:30])


@pytest.mark.slow
def test_every_foreign_word_is_tagged(report):
    """Chinese, Russian or Korean with no lang around it is read with the page's English voice."""
    untagged = [u for r in report.values() for u in r["untagged"]]
    assert not untagged, (
        f"{len(untagged)} foreign-script words have no lang tag (in templates: "
        '`|tag_scripts`; in markdown: <span lang="zh-Hans">...</span>):\n' + "\n".join(untagged[:30])
    )


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<span lang='ru'>国家档案</span>", "han"),  # Chinese read with a Russian voice
        ("<span lang='zh-Hans'>Мы согласны</span>", "cyrillic"),
        ("<span lang='en'>志愿军</span>", "han"),
        ("<span lang='zh-Hans'>中國人民志願軍總部</span>", "zh-Hant"),  # traditional characters tagged simplified
        ("<span lang='zh'>中国</span>", "not a tag we use"),
        ("<div lang='ko'>Korean Workers' Party</div>", "only Latin letters"),
    ],
)
def test_the_check_catches_a_wrong_tag(html, expected):
    wrong, _ = problems_in(html, "sample")
    assert len(wrong) == 1 and expected in wrong[0], wrong


def test_the_check_accepts_right_tags_and_nested_english():
    html = (
        "<blockquote lang='zh-Hans'><span lang='zh-Hans'>“中国人民志愿军全部撤出朝鲜”</span>"
        "<br><span lang='en'>“all of the volunteers leave Korea”</span> (1958)</blockquote>"
        "<span lang='ru'>Правда</span><span lang='ko'>조선로동당</span><span lang='zh-Hant'>國際關係</span>"
    )
    assert problems_in(html, "sample") == ([], [])
    _, untagged = problems_in("<p>the term 撤军 and Правда untagged</p>", "sample")
    assert untagged == ["sample: '撤军'", "sample: 'Правда'"]


def test_foreign_words_in_english_text_are_tagged_one_by_one():
    from course.display.templating import tag_scripts

    html = str(tag_scripts("Zhang Wentian (付部长) at АВП РФ, ф. 0102, оп. 14 <and> 조선로동당"))
    assert html == (
        "Zhang Wentian (<span lang='zh-Hans'>付部长</span>) at <span lang='ru'>АВП РФ, ф. 0102, оп</span>. 14 "
        "&lt;and&gt; <span lang='ko'>조선로동당</span>"
    )
    assert problems_in(html, "sample") == ([], [])
    assert problems_in("Zhang Wentian (付部长)", "sample")[1] == ["sample: '付部长'"]


def test_the_cards_tag_the_foreign_words_of_their_english_fields():
    """Every source card, rendered as the lessons render it: no wrong tag and no untagged foreign word."""
    from course.display.cards import source_card_html
    from course.evidence.package import evidence

    sources = evidence().sources
    found = [problems_in(source_card_html(row), f"card {row['id']}") for _, row in sources.iterrows()]
    assert not [w for wrong, _ in found for w in wrong]
    assert not [u for _, untagged in found for u in untagged]
