"""The evidence picker (any lesson) and lesson 08's essay planner: thin ipywidgets shells on
`course.coursework.evidence_bank`, saving to the progress file like the self-checks and prompts.

`evidence_picker("02-mao-proposes")`: choices of a document of that lesson, a paragraph and a claim, a note
box and "Use as evidence". `essay_planner()`: the bank grouped by explanation and by the paper's claims, a
for/against choice per item, the thesis and counter-argument, Save plan, and "Export outline", which writes
essay-outline.md beside the progress file.
"""

from __future__ import annotations

import ipywidgets as widgets

from course.coursework import evidence_bank as eb
from course.coursework import progress
from course.coursework import prompts as prompt_bank
from course.coursework.prompt_widget import guarded
from course.display.controls import choice, focus_ring
from course.display.templating import render
from course.i18n import _

_WIDE_LABEL = {"description_width": "initial"}


def _notice(*notes: str, gate: str = "") -> str:
    return render("coursework/prompt_notice.html.j2", note=" ".join(n for n in notes if n), gate=gate)


class EvidencePicker(widgets.VBox):
    """Mark a paragraph of one lesson's documents as evidence for a claim; attributes public for tests."""

    def __init__(self, lesson: str, refs: dict):
        self.lesson, self.refs = lesson, refs
        docs = sorted(
            (d for d, slug in refs["lesson_of"].items() if slug == lesson), key=lambda d: refs["letter_of"][d]
        )
        if not docs:
            lessons = sorted(set(refs["lesson_of"].values()))
            raise ValueError(
                _(
                    "No documents for lesson {lesson} in data/excerpts.csv. Fix: use a lesson slug such as {example}.",
                    lesson=lesson,
                    example=lessons[0] if lessons else "?",
                )
            )
        # Radio buttons, not dropdowns: JupyterLab takes a dropdown's keys (course/display/controls.py).
        self.document = choice(
            _("Document"),
            [
                (_("Document {letter}: {heading}", letter=refs["letter_of"][d], heading=refs["headings"][d]), d)
                for d in docs
            ],
            docs[0],
        )
        self.paragraph = choice(_("Paragraph ¶"), [], None, horizontal=True)
        own = [c for c, row in refs["claims"].items() if row["lesson"] == lesson]
        others = [c for c in refs["claims"] if c not in own]
        self.claim = choice(
            _("Bears on claim"),
            [(f"{c}: {eb._short(refs['claims'][c]['text'], 80)}", c) for c in own + others],
            (own + others)[0] if own + others else None,
        )
        self.note = widgets.Textarea(
            description=_("Your note"),
            placeholder=_("What does this paragraph show?"),
            style=_WIDE_LABEL,
            layout={"width": "100%"},
        )
        self.button = widgets.Button(description=_("Use as evidence"), button_style="primary")
        self.status = widgets.HTML()
        self.marked = widgets.HTML()
        self.document.observe(lambda _change: self._paragraphs(), names="value")
        self.button.on_click(lambda _b: self.use())
        self._paragraphs()
        super().__init__([self.document, self.paragraph, self.claim, self.note, self.button, self.status, self.marked])
        self.add_class("one-voice-evidence-picker")
        focus_ring(self)
        document, notes = guarded(progress.document)
        self._list(document)
        self.status.value = _notice(*notes)

    def _paragraphs(self) -> None:
        numbers = self.refs["paragraphs"].get(self.document.value, [])
        self.paragraph.options = [(f"¶{n}", n) for n in numbers]
        self.paragraph.value = numbers[0] if numbers else None  # the first paragraph, as a new document opens

    def use(self) -> None:
        doc, n, claim, note = self.document.value, self.paragraph.value, self.claim.value, self.note.value
        saved, notes = guarded(lambda: eb.mark(doc, n, claim, note, refs=self.refs))
        if saved is not None:
            notes.append(
                _(
                    "Saved Document {letter}, ¶{n} as evidence bearing on claim {claim}; it is in your "
                    "evidence bank for lesson 08.",
                    letter=self.refs["letter_of"][doc],
                    n=n,
                    claim=claim,
                )
            )
            self.note.value = ""
        self.status.value = _notice(*notes)
        self._list(guarded(progress.document)[0])

    def _list(self, document: dict | None) -> None:
        marks = [i for i in eb.items(document or progress.empty_document(), self.refs, {}) if i.lesson == self.lesson]
        self.marked.value = render(
            "coursework/picker_marked.html.j2",
            marked=[{"citation": eb.citation(i), "claim": i.claim, "text": i.text} for i in marks],
        )


def evidence_picker(lesson: str) -> EvidencePicker:
    """Mark a paragraph of this lesson's documents as evidence: `evidence_picker("02-mao-proposes")`."""
    return EvidencePicker(lesson, eb.tables())


class EssayPlanner(widgets.VBox):
    """The bank grouped by explanation and claim, a for/against choice per item, thesis, counter-argument,
    Save plan and Export outline; attributes public for tests (`sorters` maps item keys to choices)."""

    def __init__(self, refs: dict, prompts: dict):
        self.refs, self.prompts = refs, prompts
        document, notes = guarded(progress.document)
        document = document or progress.empty_document()
        self.items = eb.items(document, refs, prompts)
        saved = eb.plan(document)
        self.intro = widgets.HTML(
            render(
                "coursework/planner_intro.html.j2",
                count=len(self.items),
                empty=eb.empty_message() if not self.items else "",
            )
        )
        self.sorters: dict[str, widgets.RadioButtons] = {}
        rows: list[widgets.Widget] = []
        for group in eb.grouped(self.items, refs["claims"]):
            rows.append(
                widgets.HTML(
                    render(
                        "coursework/planner_group.html.j2",
                        claim="",
                        text="",
                        label=group["label"],
                        ids=list(group["ids"]),
                    )
                )
            )
            for claim in group["claims"]:
                rows.append(
                    widgets.HTML(
                        render(
                            "coursework/planner_group.html.j2",
                            claim=claim["claim"],
                            text=eb._short(claim["text"], 160),
                            label="",
                            ids=[],
                        )
                    )
                )
                for item in claim["items"]:
                    sorter = choice(
                        _("Counts"),
                        [(_(eb.SIDE_LABELS[s]), s) for s in ("", *eb.SIDES)],
                        saved["sort"].get(item.key, ""),
                        horizontal=True,
                    )
                    self.sorters[item.key] = sorter
                    rows.append(
                        widgets.HBox(
                            [
                                sorter,
                                widgets.HTML(
                                    render(
                                        "coursework/planner_item.html.j2",
                                        citation=eb.citation(item),
                                        claim=item.claim,
                                        question=item.question,
                                        kind=item.kind,
                                        text=item.text,
                                    )
                                ),
                            ]
                        )
                    )
        self.thesis = widgets.Textarea(
            value=saved["thesis"],
            description=_("Your thesis"),
            style=_WIDE_LABEL,
            placeholder=_("Answer both parts: why, and whose plan?"),
            layout={"width": "100%", "height": "6em"},
        )
        self.counter = widgets.Textarea(
            value=saved["counter"],
            description=_("Counter-argument"),
            style=_WIDE_LABEL,
            placeholder=_("State another position fairly, then reply to it with evidence."),
            layout={"width": "100%", "height": "6em"},
        )
        self.save_button = widgets.Button(description=_("Save plan"), button_style="primary")
        self.export_button = widgets.Button(
            description=_("Export outline"), tooltip=_("Write essay-outline.md beside your progress file.")
        )
        self.status = widgets.HTML(_notice(*notes))
        self.save_button.on_click(lambda _b: self.save())
        self.export_button.on_click(lambda _b: self.export())
        super().__init__(
            [
                self.intro,
                *rows,
                self.thesis,
                self.counter,
                widgets.HBox([self.save_button, self.export_button]),
                self.status,
            ]
        )
        self.add_class("one-voice-essay-planner")
        focus_ring(self)

    def current_plan(self) -> dict:
        return {
            "sort": {key: d.value for key, d in self.sorters.items()},
            "thesis": self.thesis.value,
            "counter": self.counter.value,
        }

    def save(self) -> bool:
        plan = self.current_plan()
        saved, notes = guarded(lambda: eb.save_plan(plan["sort"], plan["thesis"], plan["counter"]))
        if saved is not None:
            notes.append(_("Saved your plan."))
        self.status.value = _notice(*notes)
        return saved is not None

    def export(self) -> None:
        if not self.save():
            return
        text = eb.outline_markdown(self.items, self.current_plan(), self.refs["claims"])
        try:
            out = eb.write_outline(text, progress.progress_path())
        except OSError as error:
            self.status.value = _notice(_("The outline could not be written ({error}).", error=error))
            return
        self.status.value = _notice(
            _(
                "Saved your plan and wrote the outline to {file}. Open it beside your "
                "essay; it cites each item by document id and ¶.",
                file=out.resolve(),
            )
        )


def essay_planner() -> EssayPlanner:
    """Lesson 08's essay planner over the student's evidence bank."""
    return EssayPlanner(eb.tables(), prompt_bank.load_all())
