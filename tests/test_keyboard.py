"""Every explorer by keyboard alone (issue 13, item 2): in the lesson that opens it, after Run All, one click
on a plain spot of the explorer's output and then Tab only reaches a control; keys only operate it; the
readout changes to exactly what the explorer's pure view says for the new state; the focused control
shows a focus indicator, and that indicator is our focus ring (course/display/controls.py), measured in the page:
a solid outline at least 2px wide whose colour has at least 3:1 contrast against the background around the control
(WCAG 2.2, 1.4.11 and 2.4.13). Every kind of control our widgets use is focused somewhere below: button, radio
button, check box, number box, text box, text area, date box.

One lab server and one browser page for the module. The focus styles seen are written to
test-artifacts/keyboard-focus.json, and a picture of each focused control to test-artifacts/focus-*.png, for a human
to look at.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import ARTIFACTS
from tests.labkit import (
    CURRENT,
    chromium_missing,
    chromium_page,
    lab_server,
    open_notebook,
    run_all,
    wait_for_texts,
    wait_idle,
)
from tests.labkit import (
    LAB_ROOT as ROOT,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or ""),
]

MAX_TABS = 40  # Tab presses allowed to reach a control from the click
MIN_OUTLINE_PX = 2.0  # the focus ring's width
MIN_CONTRAST = 3.0  # the focus ring's colour against the background around the control
MIN_RING_SEEN = 0.9  # share of each side of the ring that must be drawn on screen (not cut off by a box)
FOCUS: dict[str, dict] = {}  # control -> the focused element's computed focus style


@pytest.fixture(scope="module")
def progress_file(tmp_path_factory):
    """The progress file the lab's kernels save to (the essay planner's test puts evidence in it first)."""
    return tmp_path_factory.mktemp("progress") / "progress.json"


@pytest.fixture(scope="module")
def lab(progress_file):
    with lab_server(root=ROOT, progress=progress_file) as server:
        yield server
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "keyboard-focus.json").write_text(json.dumps(FOCUS, indent=1, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def page(lab):
    with chromium_page() as page:
        yield page


@pytest.fixture(scope="module")
def ev():
    from course.evidence.package import evidence

    return evidence()


def _text(message: str) -> str:
    """A control's label as the lesson shows it (in the interface language)."""
    from course.i18n import _

    return _(message)


def lesson(page, lab, name: str) -> None:
    path = f"notebooks/{name}.ipynb"
    open_notebook(page, lab, path)
    run_all(page, lab, path)


def explorer_cell(page, selector: str, has_text: str | None = None):
    """The code cell whose output holds `selector` (with `has_text`)."""
    inner = page.locator(selector, has_text=has_text) if has_text else page.locator(selector)
    cell = page.locator(f"{CURRENT} .jp-CodeCell", has=inner).last
    cell.scroll_into_view_if_needed()
    return cell


ACTIVE = """() => {
    const e = document.activeElement;
    return e ? `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ').join('.') : ''}`
        + ` "${(e.textContent || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40)}"` : 'nothing';
}"""


def plain(cell):
    """The top-left corner of the explorer's output (a <label> would hand focus to its control on a click)."""
    return cell.locator(".jp-OutputArea-output").first


def tab_to(page, cell, start, wanted: str, name: str) -> int:
    """Click `start` (plain text in the explorer's output), then press Tab until the focused element is inside `cell`
    and matches the JS predicate `wanted` (a function of the element). Returns the Tab presses used."""
    if start is not None:  # None: go on from where the keyboard left the focus
        start.click(position={"x": 1, "y": 1})
    clicked = page.evaluate(ACTIVE)
    assert start is None or not page.evaluate(
        "() => document.activeElement?.matches('input, select, textarea, button, a, [contenteditable=true]')"
    ), f"{name}: the click itself focused a control ({clicked}); the test must reach it with Tab"
    check = f"([root]) => {{ const e = document.activeElement; return !!e && root.contains(e) && ({wanted})(e); }}"
    seen = []
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate(check, [cell.element_handle()]):
            return presses
        seen.append(page.evaluate(ACTIVE))
    raise AssertionError(f"{name}: not reached with {MAX_TABS} Tab presses; focus went through {seen}")


STYLE = """e => { const s = getComputedStyle(e);
    return {outline: s.outlineStyle === 'none' || s.outlineWidth === '0px' ? 'none'
                : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            boxShadow: s.boxShadow, border: `${s.borderTopWidth} ${s.borderTopColor}`, background: s.backgroundColor}; }"""


RING = """e => {
    const rgba = c => { const v = (c.match(/[\\d.]+/g) || []).map(Number); return v.length === 3 ? [...v, 1] : v; };
    const luminance = ([r, g, b]) => {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let background = [255, 255, 255, 1], from = 'page';  // the outline is drawn outside the control, on its parent
    for (let p = e.parentElement; p; p = p.parentElement) {
        const c = rgba(getComputedStyle(p).backgroundColor);
        if (c.length === 4 && c[3] > 0) { background = c; from = p.tagName.toLowerCase() + '.'
            + String(p.className).split(' ').join('.'); break; }
    }
    const s = getComputedStyle(e), colour = rgba(s.outlineColor);
    const [a, b] = [luminance(colour), luminance(background)];
    return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), offset: parseFloat(s.outlineOffset),
            colour: s.outlineColor, rgb: colour.slice(0, 3), alpha: colour[3],
            background: `rgba(${background.join(', ')})`, backgroundFrom: from,
            contrast: Math.round((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) * 100) / 100};
}"""


def assert_focus_visible(page, name: str) -> None:
    """The focused control looks different from itself unfocused, and shows our focus ring: a solid outline at least
    MIN_OUTLINE_PX wide, opaque, at MIN_CONTRAST or more against the first opaque background behind the control.

    Unfocused is measured by blurring it for a moment (then it is focused again). What was seen goes to FOCUS, and a
    picture of the control and its surroundings to test-artifacts/focus-<name>.png.
    """
    seen = page.evaluate(
        f"""() => {{
            const e = document.activeElement, style = {STYLE};
            const focused = style(e), visible = e.matches(':focus-visible'), ring = ({RING})(e);
            e.blur(); const unfocused = style(e); e.focus();
            return {{element: e.tagName.toLowerCase() + '.' + String(e.className).split(' ').join('.'),
                     type: e.type || '', focusVisible: visible, focused, unfocused, ring,
                     back: document.activeElement === e}};
        }}"""
    )
    focused, unfocused = seen["focused"], seen["unfocused"]
    seen["indicator"] = [k for k in ("outline", "boxShadow", "border", "background") if focused[k] != unfocused[k]]
    FOCUS[name] = seen
    ARTIFACTS.mkdir(exist_ok=True)
    picture = ARTIFACTS / f"focus-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
    seen["ringSeen"] = ring_seen(page, seen["ring"], picture)
    assert seen["back"], f"{name}: focus did not come back after measuring"
    assert seen["indicator"], f"{name}: the focused control looks the same as unfocused: {seen}"
    ring = seen["ring"]
    assert ring["style"] not in ("none", "hidden") and ring["width"] >= MIN_OUTLINE_PX and ring["alpha"] == 1, (
        f"{name}: no focus ring of {MIN_OUTLINE_PX}px or more: {ring}"
    )
    assert ring["contrast"] >= MIN_CONTRAST, f"{name}: the focus ring has {ring['contrast']}:1 against {ring}"
    hidden = [side for side, share in seen["ringSeen"].items() if share < MIN_RING_SEEN]
    assert not hidden, f"{name}: the ring is cut off on the {hidden} side(s) (see {picture.name}): {seen['ringSeen']}"


def ring_seen(page, ring: dict, picture) -> dict[str, float]:
    """Look at the pixels: on each side of the focused control, the share of the ring's line (its middle half, at
    offset + width/2 outside the control's box) drawn in the ring's colour. The picture is kept in `picture`."""
    from io import BytesIO

    from PIL import Image

    x, y, width, height = page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }"
    )
    margin = 24
    left, top = max(x - margin, 0), max(y - margin, 0)
    png = page.screenshot(clip={"x": left, "y": top, "width": width + 2 * margin, "height": height + 2 * margin})
    picture.write_bytes(png)
    image = Image.open(BytesIO(png)).convert("RGB")
    colour = ring["rgb"]
    x0, y0, x1, y1 = x - left, y - top, x - left + width, y - top + height  # the control's box in the picture
    out = ring["offset"] + ring["width"] / 2

    def share(points) -> float:
        points = [(round(px), round(py)) for px, py in points]
        inside = [p for p in points if 0 <= p[0] < image.width and 0 <= p[1] < image.height]
        close = [p for p in inside if all(abs(a - b) <= 40 for a, b in zip(image.getpixel(p), colour))]
        return len(close) / len(points)

    def best(line) -> float:  # the line a half pixel either way, for boxes at fractional positions
        return max(share(line(delta)) for delta in (-1, -0.5, 0, 0.5, 1))

    across = [x0 + width * (0.25 + 0.5 * i / 20) for i in range(21)]
    down = [y0 + height * (0.25 + 0.5 * i / 20) for i in range(21)]
    return {
        "top": best(lambda d: [(px, y0 - out + d) for px in across]),
        "bottom": best(lambda d: [(px, y1 + out - 1 + d) for px in across]),
        "left": best(lambda d: [(x0 - out + d, py) for py in down]),
        "right": best(lambda d: [(x1 + out - 1 + d, py) for py in down]),
    }


def radio(label: str) -> str:
    """A Tab-target predicate: the radio button whose label reads `label`."""
    return f"e => e.type === 'radio' && e.closest('label')?.textContent.trim() === {json.dumps(label)}"


def test_force_balance_year_by_keyboard(lab, page, ev):
    from course.explorers import force_balance as fb

    lesson(page, lab, "01-balance-of-forces")
    before = fb.view(fb.ForceBalanceState(1956, "strength"), ev).readout
    after = fb.view(fb.ForceBalanceState(1957, "strength"), ev).readout
    assert before != after
    cell = explorer_cell(page, ".ov-x-readout strong", before)
    wait_for_texts(cell, ".ov-x-readout strong", [before])
    tab_to(
        page,
        cell,
        plain(cell),
        "e => e.tagName === 'BUTTON' && e.textContent.trim() === '1957'",
        "force balance: year 1957",
    )
    assert_focus_visible(page, "force balance: year button")
    page.keyboard.press("Space")
    wait_for_texts(cell, ".ov-x-readout strong", [after])
    wait_idle(page)


def test_withdrawal_scenario_by_keyboard(lab, page, ev):
    from course.explorers import withdrawal_scenario as ws
    from course.i18n import _

    # Lesson 01 is open from the test above; open it again if this test runs alone.
    if not page.locator(f"{CURRENT} label.widget-label", has_text=_(ws.CONTROL_LABELS["cpv"])).count():
        lesson(page, lab, "01-balance-of-forces")
    label = _(ws.CONTROL_LABELS["cpv"])
    cell = explorer_cell(page, "label.widget-label", label)
    start = ws.default_state(ev)
    step = ws.CPV_SHARE[2]
    new = ws.WithdrawalScenarioState(start.cpv_share - step, start.kpa_change, start.rok_thousands, start.us_thousands)
    readout = ".widget-html-content p, .widget-html-content strong"
    wait_for_texts(cell, readout, [ws.view(start, ev).answer])
    box_id = cell.get_by_label(label, exact=True).get_attribute("id")
    tab_to(page, cell, plain(cell), f"e => e.id === {json.dumps(box_id)}", "withdrawal scenario: CPV box")
    assert_focus_visible(page, "withdrawal scenario: number box")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    shown = ws.view(new, ev)
    assert shown.balance_text != ws.view(start, ev).balance_text
    wait_for_texts(cell, readout, [shown.sides_text, shown.balance_text, shown.answer])
    wait_idle(page)


def test_source_reader_by_keyboard(lab, page, ev):
    from dataclasses import replace

    from course.explorers import source_reader as sr

    lesson(page, lab, "00-start-here")
    cell = explorer_cell(page, ".ov-x-count")
    opened = sr.SourceReaderExplorer(evidence=ev).state()  # the lesson calls source_reader() with no arguments
    before = sr.view(opened, ev).count_line
    after = sr.view(replace(opened, primary_only=True), ev).count_line
    assert before != after
    wait_for_texts(cell, ".ov-x-count b", [before])
    tab_to(page, cell, plain(cell), "e => e.type === 'checkbox'", "source reader: primary-only box")
    assert_focus_visible(page, "source reader: check box")
    page.keyboard.press("Space")
    wait_for_texts(cell, ".ov-x-count b", [after])
    wait_idle(page)
    search_id = cell.get_by_label(_text("Search"), exact=True).get_attribute("id")
    tab_to(page, cell, None, f"e => e.id === {json.dumps(search_id)}", "source reader: Search box")
    assert_focus_visible(page, "source reader: text box")


def test_source_reader_year_box_and_choices_by_keyboard(lab, page, ev):
    """The first-year box (ArrowUp, Enter) and the lesson filter (radio buttons: Tab to one, Space picks it).

    These were dropdowns, whose ArrowDown JupyterLab took to move to the next cell."""
    from dataclasses import replace

    from course.explorers import source_reader as sr

    if not page.locator(f"{CURRENT} .ov-x-count").count():
        lesson(page, lab, "00-start-here")
    cell = explorer_cell(page, ".ov-x-count")
    primary = cell.locator("input[type=checkbox]").first.is_checked()  # as the test above may have left it
    start = replace(sr.SourceReaderExplorer(evidence=ev).state(), primary_only=primary)
    wait_for_texts(cell, ".ov-x-count b", [sr.view(start, ev).count_line])

    first, last = sr.year_span(ev.sources)
    later = replace(start, years=(first + 1, last))
    assert sr.view(later, ev).count_line != sr.view(start, ev).count_line  # a source is dated in the first year
    box_id = cell.get_by_label(_text("From year"), exact=True).get_attribute("id")
    tab_to(page, cell, plain(cell), f"e => e.id === {json.dumps(box_id)}", "source reader: From year box")
    assert_focus_visible(page, "source reader: number box")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    wait_for_texts(cell, ".ov-x-count b", [sr.view(later, ev).count_line])
    assert page.evaluate("() => document.activeElement.value") == str(first + 1)

    chosen = replace(later, lesson="02-mao-proposes")
    assert sr.view(chosen, ev).count_line != sr.view(later, ev).count_line
    tab_to(page, cell, plain(cell), radio("02-mao-proposes"), "source reader: lesson 02 radio button")
    assert_focus_visible(page, "source reader: radio button")
    page.keyboard.press("Space")
    wait_for_texts(cell, ".ov-x-count b", [sr.view(chosen, ev).count_line])
    assert page.evaluate("() => document.activeElement.checked"), "Space checked the focused radio button"
    wait_idle(page)


def test_plan_comparison_by_keyboard(lab, page, ev):
    from course.explorers import plan_comparison as pc

    lesson(page, lab, "04-kims-two-plans")
    explorer = pc.PlanComparisonExplorer(plans=["kim-first", "kim-second", "official-history"], evidence=ev)
    opened = explorer.state()
    before = pc.view(opened, ev).score_line
    dimension = pc.DIMENSIONS[0]
    after = pc.view(pc.reveal(opened, opened.focus, dimension), ev).score_line
    assert before != after
    cell = explorer_cell(page, ".ov-x-count")
    wait_for_texts(cell, ".ov-x-count b", [before])
    label = explorer.reveal[dimension].description
    tab_to(
        page,
        cell,
        plain(cell),
        f"e => e.tagName === 'BUTTON' && e.textContent.trim() === {json.dumps(label)}",
        "plan comparison: first reveal button",
    )
    assert_focus_visible(page, "plan comparison: reveal button")
    page.keyboard.press("Enter")
    wait_for_texts(cell, ".ov-x-count b", [after])
    wait_idle(page)


def test_plan_comparison_prediction_by_keyboard(lab, page, ev):
    """A prediction (radio buttons, a dropdown before): Space picks it, Enter on its Reveal button grades it."""
    from course.explorers import plan_comparison as pc

    if not page.locator(f"{CURRENT} .ov-x-count", has_text="Revealed").count():
        lesson(page, lab, "04-kims-two-plans")
    explorer = pc.PlanComparisonExplorer(plans=["kim-first", "kim-second", "official-history"], evidence=ev)
    opened = explorer.state()
    cell = explorer_cell(page, ".ov-x-count")
    # The test above may have revealed the first row already: go on from what the page shows.
    shown = cell.locator(".ov-x-count b").first.text_content().strip()
    earlier = reveal_first = pc.reveal(opened, opened.focus, pc.DIMENSIONS[0])
    if shown == pc.view(opened, ev).score_line:
        earlier = opened
    assert shown == pc.view(earlier, ev).score_line, shown
    dimension = pc.DIMENSIONS[1]
    category = pc.VOCABULARY[dimension][0]
    after = pc.reveal(pc.predict(earlier, opened.focus, dimension, category), opened.focus, dimension)
    assert pc.view(after, ev).score_line != pc.view(reveal_first, ev).score_line
    label = pc.category_label(dimension, category)
    row = f"e => e.closest('.widget-radio')?.querySelector('.widget-label')?.textContent.trim() === {json.dumps(pc.dimension_label(dimension))}"
    tab_to(page, cell, plain(cell), f"e => ({radio(label)})(e) && ({row})(e)", "plan comparison: prediction radio")
    assert_focus_visible(page, "plan comparison: prediction radio button")
    page.keyboard.press("Space")
    tab_to(
        page,
        cell,
        None,
        f"e => e.tagName === 'BUTTON' && e.textContent.trim() === {json.dumps(explorer.reveal[dimension].description)}",
        "plan comparison: its Reveal button",
    )
    page.keyboard.press("Enter")
    wait_for_texts(cell, ".ov-x-count b", [pc.view(after, ev).score_line])
    wait_idle(page)


def test_who_knew_what_by_keyboard(lab, page, ev):
    from course.explorers import who_knew_what as wkw
    from course.i18n import _

    lesson(page, lab, "06-moscow-first")
    before = wkw.view(wkw.WhoKnewWhatState("1958-01-22"), ev).readout
    after = wkw.view(wkw.WhoKnewWhatState("1958-01-23"), ev).readout
    cell = explorer_cell(page, ".ov-x-readout")
    wait_for_texts(cell, ".ov-x-readout", [before])
    label = _("Next message ▶")
    tab_to(
        page,
        cell,
        plain(cell),
        f"e => e.tagName === 'BUTTON' && e.textContent.trim() === {json.dumps(label)}",
        "who knew what: Next message",
    )
    assert_focus_visible(page, "who knew what: button")
    page.keyboard.press("Enter")
    wait_for_texts(cell, ".ov-x-readout", [after])
    wait_idle(page)
    # The date box: reached with Tab too (it comes first), focus shown; typing a date there is browser-specific.
    tab_to(page, cell, plain(cell), "e => e.type === 'date'", "who knew what: Day box")
    assert_focus_visible(page, "who knew what: date box")


def test_who_knew_what_jump_by_keyboard(lab, page, ev):
    """The jump list (radio buttons, a dropdown before): Tab to a day, Space shows it."""
    from course.explorers import who_knew_what as wkw

    if not page.locator(f"{CURRENT} .ov-x-readout").count():
        lesson(page, lab, "06-moscow-first")
    cell = explorer_cell(page, ".ov-x-readout")
    label, day = wkw.key_dates(ev.events)[4]
    after = wkw.view(wkw.WhoKnewWhatState(day), ev).readout
    assert not cell.locator(".ov-x-readout", has_text=after).count(), "the board is on another day"
    tab_to(page, cell, plain(cell), radio(label), f"who knew what: jump to {day}")
    assert_focus_visible(page, "who knew what: jump radio button")
    page.keyboard.press("Space")
    wait_for_texts(cell, ".ov-x-readout", [after])
    assert cell.locator("input[type=date]").first.input_value() == day
    wait_idle(page)


def test_argument_map_by_keyboard(lab, page, ev):
    from course.explorers import argument_map as am

    lesson(page, lab, "02-mao-proposes")
    name = "02-mao-proposes"
    opened = am.view(am.ArgumentMapState(name), ev)
    children = [child for _relation, ids in opened.children for child in ids]
    assert children, "the lesson's map opens on a claim with children to step to"
    cell = explorer_cell(page, ".ov-x-node")
    wait_for_texts(cell, ".ov-x-node b", [opened.selected])
    child = children[0]
    tab_to(
        page,
        cell,
        plain(cell),
        f"e => e.tagName === 'BUTTON' && e.textContent.trim().startsWith({json.dumps(child + ' ·')})",
        f"argument map: button for {child}",
    )
    assert_focus_visible(page, "argument map: child button")
    page.keyboard.press("Enter")
    wait_for_texts(cell, ".ov-x-node b", [child])
    assert cell.locator(".ov-x-node").first.get_attribute("data-id") == child
    wait_idle(page)


def test_argument_map_picker_by_keyboard(lab, page, ev):
    """The claim picker (radio buttons, a dropdown before): Tab to another claim, Space opens it."""
    from course.explorers import argument_map as am

    name = "02-mao-proposes"
    if not page.locator(f"{CURRENT} .ov-x-node").count():
        lesson(page, lab, name)
    cell = explorer_cell(page, ".ov-x-node")
    shown = cell.locator(".ov-x-node").first.get_attribute("data-id")
    options = am.view(am.ArgumentMapState(name), ev).options
    label, target = next((label, node) for label, node in reversed(options) if node != shown)
    tab_to(page, cell, plain(cell), radio(label), f"argument map: picker radio for {target}")
    assert_focus_visible(page, "argument map: picker radio button")
    page.keyboard.press("Space")
    wait_for_texts(cell, ".ov-x-node b", [target])
    assert cell.locator(".ov-x-node").first.get_attribute("data-id") == target
    wait_idle(page)


def test_prompt_by_keyboard(lab, page):
    from course.coursework import prompts
    from course.i18n import _

    if not page.locator(f"{CURRENT} .ov-x-node").count():
        lesson(page, lab, "02-mao-proposes")
    item = prompts.get_prompt("l02-sourcing-puzanov")
    cell = explorer_cell(page, ".one-voice-prompt", item.prompt[:60])
    save = _("Save")
    tab_to(page, cell, plain(cell), "e => e.tagName === 'TEXTAREA'", "prompt: answer box")
    assert_focus_visible(page, "prompt: answer box")
    page.keyboard.type(
        "Puzanov was not in the room: Kim told him about the talk days later, and Goldberg translated "
        "the Russian record into English."
    )
    tab_to(
        page, cell, None, f"e => e.tagName === 'BUTTON' && e.textContent.trim() === {json.dumps(save)}", "prompt: Save"
    )
    assert_focus_visible(page, "prompt: Save button")
    page.keyboard.press("Enter")
    cell.locator(".widget-html-content", has_text=_("You can now compare your answer")[:30]).wait_for()
    compare = "Compare with a historian's reading"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == compare
    assert_focus_visible(page, "prompt: Compare button")
    page.keyboard.press("Enter")
    cell.locator(".one-voice-reading", has_text=item.reading[:50]).wait_for()


def test_essay_planner_by_keyboard(lab, page, progress_file):
    """Lesson 08's essay planner with one item in the bank: Tab to "for" and Space, type a thesis, Enter on Save plan;
    the student sees the plan saved, and the progress file holds the sorting and the thesis."""
    from course.coursework import evidence_bank as eb
    from course.coursework import progress

    refs = eb.tables()
    doc, paragraph, claim = "frus-1958-60-v18-d216-l08", 6, "C13"
    eb.mark(doc, paragraph, claim, "Burke only guesses at the reasons.", refs=refs, path=progress_file)
    (item,) = [i for i in eb.items(progress.read_document(progress_file), refs, {}) if i.excerpt == doc]
    lesson(page, lab, "08-one-voice-different-intentions")
    cell = explorer_cell(page, ".one-voice-essay-planner")
    citation = eb.citation(item)
    cell.locator(".widget-html-content code", has_text=citation).wait_for()
    side = _text(eb.SIDE_LABELS["for"])
    of_item = f"e => e.closest('.widget-hbox')?.querySelector('code')?.textContent.trim() === {json.dumps(citation)}"
    tab_to(page, cell, plain(cell), f"e => ({radio(side)})(e) && ({of_item})(e)", "essay planner: 'for' radio")
    assert_focus_visible(page, "essay planner: sorting radio button")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")
    tab_to(page, cell, None, "e => e.tagName === 'TEXTAREA'", "essay planner: thesis box")
    assert_focus_visible(page, "essay planner: thesis box")
    thesis = "Mao proposed the withdrawal for China's own reasons; Kim chose how it would look."
    page.keyboard.type(thesis)
    save = _text("Save plan")
    tab_to(page, cell, None, f"e => e.tagName === 'BUTTON' && e.textContent.trim() === {json.dumps(save)}", "Save plan")
    assert_focus_visible(page, "essay planner: Save plan button")
    page.keyboard.press("Enter")
    cell.locator(".widget-html-content", has_text=_text("Saved your plan.")).wait_for()
    plan = eb.plan(progress.read_document(progress_file))
    assert plan["sort"][item.key] == "for" and plan["thesis"] == thesis
    wait_idle(page)
