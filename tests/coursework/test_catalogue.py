"""The coursework in Chinese (issue 17): the catalogue `coursework` is in step with the banks, prompts and keys,
complete, our own words, and what a student sees and answers in Chinese is graded as in English."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
from babel.messages.pofile import read_po

from course.coursework import answer_keys, catalogue
from course.coursework import prompts as prompt_bank
from course.coursework import selfchecks as checks

ZH = catalogue.translation_file("zh_Hans")
DOMAINS = tuple(catalogue.LOCALES)  # coursework (banks, prompts) and coursework-keys (model answers, rubrics)


def read(path):
    with open(path, "rb") as handle:
        return read_po(handle, locale="zh_Hans" if path.suffix == ".po" else None)


def messages(catalog) -> dict:
    return {(m.context, m.id): (sorted(m.locations), m.string) for m in catalog if m.id}


@pytest.fixture
def chinese(monkeypatch, tmp_path):
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    monkeypatch.setenv("ONE_VOICE_PROGRESS", str(tmp_path / ".one-voice-progress.json"))


def visible(value: str) -> str:
    """HTML as the student reads it: paragraphs apart, inline tags (language spans) removed, entities decoded."""
    text = re.sub(r"<[^>]+>", "", re.sub(r"</p>|<br\s*/?>", " ", value))
    return " ".join(html.unescape(text).split())


# --- extraction ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_template_is_a_fresh_extraction_of_the_banks_prompts_and_keys(domain):
    """A bank, prompt or key changed without `make messages` fails here."""
    committed = {key: loc for key, (loc, _string) in messages(read(catalogue.template_file(domain))).items()}
    fresh = {key: loc for key, (loc, _string) in messages(catalogue.template(domain=domain)).items()}
    assert committed == fresh, (
        f"{catalogue.template_file(domain).name} is stale: run make messages (or python -m course.coursework.catalogue)"
    )
    assert len(fresh) > (300 if domain == catalogue.DOMAIN else 15)


def po_escaped(text: str) -> str:
    """A text as a .po file stores it (a catalogue is where a translated key would most likely slip in)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def probe(text: str) -> str:
    """The longest line of a text, cut at 120 characters (a .po file breaks a text at its newlines)."""
    return max(text.split("\n"), key=len)[:120]


def leaked_texts(content: str, texts: list[str]) -> list[str]:
    return [t[:40] for t in texts if probe(t) in content or po_escaped(probe(t)) in content]


def test_the_leak_scan_finds_key_texts_planted_in_a_shipped_catalogue(tmp_path):
    keys = catalogue.template(domain=catalogue.KEYS_DOMAIN)
    planted = tmp_path / "coursework.po"
    catalogue._write(planted, keys)  # as if the keys had been extracted into the shipped catalogue
    texts = [m.id for m in keys if m.id]
    assert len(leaked_texts(planted.read_text(encoding="utf-8"), texts)) == len(texts)


def test_the_answer_keys_catalogue_never_reaches_the_student_edition():
    """Model answers and rubrics, in English or translated, only under keys/, which the student copy leaves out."""
    from course.editions.student import NOT_FOR_STUDENTS
    from course.settings import PACKAGE_DIR

    keys = [m for m in catalogue.template(domain=catalogue.KEYS_DOMAIN) if m.id]
    texts = [m.id for m in keys] + [
        m.string for m in read(catalogue.translation_file("zh_Hans", catalogue.KEYS_DOMAIN)) if m.id
    ]
    assert len(texts) == 2 * len(keys) > 30 and all(len(t) > 40 for t in texts)
    ignored = NOT_FOR_STUDENTS(str(catalogue.ROOT), [p.name for p in catalogue.ROOT.iterdir()])
    assert "keys" in ignored and catalogue.LOCALES[catalogue.KEYS_DOMAIN].is_relative_to(catalogue.ROOT / "keys")
    shipped = [
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and "keys" not in p.relative_to(PACKAGE_DIR).parts and "__pycache__" not in p.parts
    ]
    for path in shipped:
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        leaked = leaked_texts(content, texts)
        assert not leaked, f"{path}: {leaked[0]}"


def test_extraction_takes_what_people_read_and_leaves_machine_values():
    found = list(catalogue.entries())
    by_field: dict[str, list[str]] = {}
    for entry in found:
        by_field.setdefault(entry.context.rsplit("/", 1)[1], []).append(entry.text)
    read_fields = {"prompt", "explain", "options", "items", "pairs", "reading", "evidence", "solution", "rubric"}
    assert set(by_field) == read_fields
    assert {e.context.rsplit("/", 1)[1] for e in catalogue.entries(folders=("keys",))} == {"solution", "rubric"}
    texts = {entry.text for entry in found}
    assert "Whose research paper is this collection built on?" in texts
    assert "Tian 2014, §2.2" in by_field["evidence"]
    assert not any(re.fullmatch(r"[a-z0-9-]+( ¶\d+)?", t) for t in by_field["evidence"]), "a document id extracted"
    assert "1958-10-26" not in texts, "a date checked by value must not be translated"
    assert not any(t.startswith(("days = ", "order = ")) or "assert " in t for t in texts), "code extracted"
    contexts = [e.context for e in found]
    assert "03-why-kim-agreed/l03-mao-remark-sourcing/prompt" in contexts
    assert all(c.count("/") == 2 for c in contexts)


def test_extraction_of_a_planted_bank(tmp_path):
    for folder in catalogue.FOLDERS:
        (tmp_path / folder).mkdir()
    bank = [
        {
            "id": "x-1",
            "kind": "short_answer",
            "prompt": "Who?",
            "answer": ["Peng Dehuai", "1958-02-13"],
            "explain": "Because.",
            "source_ids": ["tian-2014"],
            "skill": "recall",
        }
    ]
    (tmp_path / "banks" / "09-extra.json").write_text(json.dumps(bank), encoding="utf-8")
    key = {"ex09-1": {"solution": "x = 1"}, "ex09-2": {"solution": "Model.", "rubric": "2 points."}}
    (tmp_path / "keys" / "09-extra.json").write_text(json.dumps(key), encoding="utf-8")
    assert [(e.context, e.text) for e in catalogue.entries(tmp_path)] == [
        ("09-extra/x-1/prompt", "Who?"),
        ("09-extra/x-1/explain", "Because."),
        ("09-extra/x-1/answer", "Peng Dehuai"),  # a name is read; the date is a machine value
        ("09-extra/ex09-2/solution", "Model."),
        ("09-extra/ex09-2/rubric", "2 points."),
    ]


# --- the Chinese catalogue -------------------------------------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_chinese_catalogue_is_complete_no_text_untranslated_or_fuzzy(domain):
    """The release check: a student would otherwise read English (or a translation of an older English text)."""
    po = catalogue.translation_file("zh_Hans", domain)
    assert catalogue.release_problems(po, catalogue.template_file(domain)) == []


def test_the_release_check_fails_on_planted_defects(tmp_path):
    catalog = read(ZH)
    first, second, third = [m for m in catalog if m.id][:3]
    first.string = ""
    second.flags.add("fuzzy")
    catalog.delete(third.id, context=third.context)
    broken = tmp_path / "coursework.po"
    catalogue._write(broken, catalog)
    problems = catalogue.release_problems(broken)
    assert len(problems) == 3
    assert problems[0].startswith("coursework.po: untranslated: " + first.context)
    assert any(
        p.startswith("coursework.po: fuzzy (the English changed; review it): " + second.context) for p in problems
    )
    assert any(p.startswith("coursework.po: missing (run make messages): " + third.context) for p in problems)


def test_a_changed_english_text_becomes_fuzzy_after_the_merge_and_keeps_its_old_translation(tmp_path):
    root = tmp_path / "coursework"
    for folder in catalogue.FOLDERS:
        shutil.copytree(catalogue.ROOT / folder, root / folder)
    path = root / "banks" / "00-start-here.json"
    bank = json.loads(path.read_text(encoding="utf-8"))
    old = bank[0]["prompt"]
    bank[0]["prompt"] = old.replace("built on?", "mainly built on?")
    path.write_text(json.dumps(bank, ensure_ascii=False), encoding="utf-8")
    pot, po = tmp_path / "coursework.pot", tmp_path / "coursework.po"
    shutil.copy(ZH, po)
    catalogue.write_template(pot, root)
    catalogue.merge(po, pot)
    merged = read(po)
    context = f"00-start-here/{bank[0]['id']}/prompt"
    changed = merged.get(bank[0]["prompt"], context=context)
    assert changed is not None and changed.fuzzy
    assert changed.string == read(ZH).get(old, context=context).string  # the translator sees the old translation
    assert f'#| msgid "{old}"' in po.read_text(encoding="utf-8")  # and the English it translated
    assert merged.get(old, context=context) is None
    problems = catalogue.release_problems(po, pot)
    assert problems == [f"coursework.po: fuzzy (the English changed; review it): {context}: {bank[0]['prompt']}"]
    others = {k: v for k, v in messages(merged).items() if k != (context, bank[0]["prompt"])}
    assert {k: v[1] for k, v in others.items()} == {
        k: v[1] for k, v in messages(read(ZH)).items() if k != (context, old)
    }, "the merge must keep every other translation"


def chinese_messages():
    for domain in DOMAINS:
        yield from (m for m in read(catalogue.translation_file("zh_Hans", domain)) if m.id)


def test_the_chinese_text_does_not_copy_the_paper(paper_text):
    """No 20-character run of the paper (whitespace removed) in our Chinese; quotations are kept below 20."""
    paper = re.sub(r"\s+", "", paper_text)
    checked = 0
    for message in chinese_messages():
        if not message.id:
            continue
        text = re.sub(r"\s+", "", message.string)
        copied = [text[i : i + 20] for i in range(max(0, len(text) - 19)) if text[i : i + 20] in paper]
        assert not copied, f"{message.context}: {copied[0]}"
        checked += 1
    assert checked > 300


def test_the_copy_check_catches_a_planted_copy(paper_text):
    paper = re.sub(r"\s+", "", paper_text)
    planted = "我们的话。" + paper[5000:5025] + "又是我们的话。"
    assert any(planted[i : i + 20] in paper for i in range(len(planted) - 19))


def test_the_chinese_uses_the_glossary_forms():
    banned = ["北朝鲜", "北韩", "南韩", "中国志愿军", "尤京", "普札诺夫", "米科扬", "纳吉·伊姆雷"]
    for message in chinese_messages():
        for word in banned:
            assert word not in message.string, f"{message.context}: {word}"


def test_names_follow_the_cast_list():
    text = "".join(m.string for m in chinese_messages())
    for name in ("田武雄", "沈志华", "毛泽东", "金日成", "周恩来", "尤金", "普扎诺夫", "米高扬", "南日", "乔晓光"):
        assert name in text
    assert "Tian 2014" not in text and "田武雄 2014，§" in text


# --- what the student sees in Chinese ----------------------------------------------------------------------------


def test_in_chinese_every_question_keeps_its_answer_among_its_translated_choices(chinese):
    seen = 0
    for question in checks.load_all().values():
        assert re.search(r"[\u4e00-\u9fff]", question.prompt), question.id
        if question.kind == "multiple_choice":
            assert question.answer in question.options and len(set(question.options)) == len(question.options)
        if question.kind == "ordering":
            assert sorted(question.answer) == sorted(question.items) and len(set(question.items)) == len(question.items)
        if question.kind == "matching":
            lefts = [left for left, _right in question.pairs]
            assert len(set(lefts)) == len(lefts)
        seen += 1
    in_files = sum(len(json.loads(p.read_text(encoding="utf-8"))) for p in (catalogue.ROOT / "banks").glob("*.json"))
    assert seen == in_files > 30


def test_answers_checked_by_value_still_check_in_their_chinese_form(chinese):
    """A date answered 1958年10月26日, a number in digits, 万 or Chinese numerals: graded as in English."""
    bank = checks.load_all()
    chinese_numerals = {6: "六", 30: "三十"}
    checked = 0
    for question in bank.values():
        if question.kind == "short_answer":
            date = checks.parse_date(question.answer[0])
            if date:
                written = f"{date.year}年{date.month}月{date.day}日"
                assert checks.grade(question, written).correct, question.id
                assert not checks.grade(question, f"{date.year}年{date.month}月{date.day + 1}日").correct
                checked += 1
        if question.kind == "numeric":
            assert checks.grade(question, str(question.answer)).correct, question.id
            if question.answer in chinese_numerals:
                assert checks.grade(question, chinese_numerals[question.answer]).correct, question.id
            assert not checks.grade(question, str(question.answer + 10 * (question.tolerance + 1))).correct
            checked += 1
    assert checked >= 5


def test_a_self_check_in_chinese_shows_the_chinese_question_and_accepts_a_chinese_date(chinese):
    from course.coursework.selfcheck_widget import self_check

    widget = self_check("start-cpv-last-troops")
    question = visible(widget.prompt.value)
    assert "中国人民志愿军（志愿军）的最后一批部队是哪一天离开朝鲜的" in question
    assert "1953年7月27日" in question and "Chinese People's Volunteers" not in question
    widget.controls[0].value = "1958年10月27日"
    widget.button.click()
    assert "正确。" not in visible(widget.feedback.value)
    widget.controls[0].value = "1958年10月26日"
    widget.button.click()
    feedback = visible(widget.feedback.value)
    assert feedback.startswith("正确。")
    assert "最后一批与志愿军总部一起，于1958年10月26日离开" in feedback  # the explanation, in Chinese


def test_a_multiple_choice_self_check_in_chinese_offers_chinese_options(chinese):
    from course.coursework.selfcheck_widget import self_check

    widget = self_check("start-paper-author")
    assert "本课程依据的是谁的研究论文" in visible(widget.prompt.value)
    shown = [option[0] if isinstance(option, tuple) else option for option in widget.controls[0].options]
    assert shown == ["沈志华", "田武雄", "普扎诺夫（А. М. Пузанов）", "周恩来"]
    widget.controls[0].value = "沈志华"
    widget.button.click()
    assert visible(widget.feedback.value).startswith("不完全对。")
    widget.controls[0].value = "田武雄"
    widget.button.click()
    assert visible(widget.feedback.value).startswith("正确。")


def test_an_ordering_self_check_in_chinese_grades_the_chinese_items(chinese):
    from course.coursework.selfcheck_widget import self_check

    widget = self_check("start-order-events")
    labels = [label for label, _value in widget.controls[0].options]
    assert "停战使朝鲜战事结束" in labels
    for control, item in zip(widget.controls, checks.get_question("start-order-events").answer):
        control.value = item
    widget.button.click()
    assert visible(widget.feedback.value).startswith("正确。")


def test_a_prompt_in_chinese_shows_the_chinese_reading_after_a_saved_answer(chinese):
    from course.coursework.prompt_widget import prompt

    widget = prompt("l03-sourcing-mao-on-kim")
    assert "这是谁对金日成的看法" in visible(widget.question.value)
    widget.answer.value = "这句话是毛泽东对苏联大使尤金说的，由尤金用俄文记录，它反映的是毛泽东对金日成的怀疑。"
    widget.save_button.click()
    assert not widget.compare_button.disabled
    widget.compare_button.click()
    reading = visible(widget.reading.value)
    assert "毛泽东对苏联大使尤金说了这句话" in reading
    assert "田武雄 2014，§2.2" in reading and "mao-yudin-1956-11-30-b ¶1" in reading  # ids stay as they are


def test_prompts_and_keys_in_chinese(chinese):
    item = prompt_bank.get_prompt("l00-sourcing-peking-review")
    assert item.reading.startswith("《北京周报》是北京面向国外读者出版的英文周刊")
    key = answer_keys.load_key(answer_keys.bundled_key("08-one-voice-different-intentions"))
    assert key["ex08-2-final-argument"]["rubric"].startswith("共10分。")
    assert key["ex08-1-order"]["solution"] == 'order = "DBEAC"'  # code stays code
    assert "_order_letters(order)" in key["ex08-1-order-test"]["hidden_tests"]


def test_english_is_untouched_by_the_catalogue(monkeypatch):
    monkeypatch.delenv("ONE_VOICE_LANG", raising=False)
    raw = json.loads((catalogue.ROOT / "banks" / "00-start-here.json").read_text(encoding="utf-8"))
    question = checks.get_question(raw[0]["id"])
    assert question.prompt == raw[0]["prompt"] and question.options == tuple(raw[0]["options"])
