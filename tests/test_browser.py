"""The explorers in a real browser: JupyterLab in headless Chromium, driven with the keyboard.

Every expected text is computed here from the explorers' pure views, so the test checks that the
browser shows what `view(state)` says for the state the keys reached. Screenshots of each step go
to test-artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import base64

import pytest

from tests.helpers import ARTIFACTS
from tests.labkit import (
    CURRENT,
    chromium_missing,
    chromium_page,
    lab_server,
    open_notebook,
    restart_and_run_all,
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


def notebooks_folder() -> dict[str, int]:
    """What is in notebooks/ (names, with the lessons' modification times): the browser must change nothing."""
    folder = ROOT / "notebooks"
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns if p.name in OPENED else 0) for p in folder.rglob("*")}


OPENED = {
    "01-balance-of-forces.ipynb",
    "06-moscow-first.ipynb",
    "02-mao-proposes.ipynb",
    "08-one-voice-different-intentions.ipynb",
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    before = notebooks_folder()
    with lab_server(root=ROOT, progress=tmp_path_factory.mktemp("progress") / "progress.json") as server:
        # Overrides show up as schema defaults, user settings on top of them.
        notification = server.api("lab/api/settings/@jupyterlab/apputils-extension:notification")
        fetch_news = notification["settings"].get(
            "fetchNews", notification["schema"]["properties"]["fetchNews"]["default"]
        )
        assert fetch_news == "false", "the news toast would cover the lesson"
        yield server
    # No progress file, checkpoint or autosave in the lessons' folder.
    assert notebooks_folder() == before


@pytest.fixture
def page(lab):
    with chromium_page() as page:
        yield page


def shot(page, name: str, locator=None) -> None:
    """A screenshot: of `locator` if it fits the window, else of the window scrolled to its top."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = str(ARTIFACTS / f"{name}.png")
    box = locator.bounding_box() if locator is not None else None
    if box and box["height"] <= page.viewport_size["height"]:
        locator.screenshot(path=path)
        return
    if locator is not None:  # the notebook scrolls inside its panel: parts below the window are not painted
        locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=path)


def image_src(cell) -> str:
    return cell.locator(".widget-output img").first.get_attribute("src") or ""


def wait_src_changed(page, cell, old: str) -> str:
    page.wait_for_function(
        "([root, old]) => { const img = root.querySelector('.widget-output img'); return img && img.src !== old; }",
        arg=[cell.element_handle(), old],
        timeout=30_000,
        polling=50,
    )
    wait_idle(page)
    return image_src(cell)


def control_cell(page, label: str):
    """The code cell whose widget output holds the control labelled `label` (its <label for=...>)."""
    return page.locator(f"{CURRENT} .jp-CodeCell", has=page.locator("label.widget-label", has_text=label)).last


def test_balance_of_forces_lesson_responds_to_the_keyboard(lab, page):
    from course.evidence.package import evidence
    from course.explorers import charts
    from course.explorers import force_balance as fb
    from course.explorers import withdrawal_scenario as ws
    from course.i18n import _

    ev = evidence()
    open_notebook(page, lab, "notebooks/01-balance-of-forces.ipynb")
    shot(page, "01-opened")
    run_all(page, lab, "notebooks/01-balance-of-forces.ipynb")
    shot(page, "01-ran-all")

    # The force-balance explorer opens on its default state and says so.
    balance = fb.view(fb.ForceBalanceState(), ev)
    readout = page.locator(f"{CURRENT} .widget-html-content strong", has_text=balance.readout)
    readout.first.wait_for(state="visible")
    assert balance.readout in [text.strip() for text in readout.all_text_contents()]
    balance_cell = page.locator(
        f"{CURRENT} .jp-CodeCell", has=page.locator(".widget-html-content strong", has_text=balance.readout)
    ).last
    balance_cell.scroll_into_view_if_needed()
    shot(page, "01-force-balance", balance_cell)

    # The withdrawal scenario: the CPV number box found by its label (its accessible name), changed by keyboard.
    controls = {key: _(label) for key, label in ws.CONTROL_LABELS.items()}
    cell = control_cell(page, controls["cpv"])
    cell.scroll_into_view_if_needed()
    shot(page, "01-withdrawal-start", cell)

    def shown(key: str) -> int:
        return int(cell.get_by_label(controls[key], exact=True).input_value())

    # The other boxes stay where the browser shows them; every text is the pure view of that state.
    wait_idle(page)
    start = ws.default_state(ev)
    others = (shown("kpa"), shown("rok"), shown("us"))

    def expected(cpv: int) -> list[str]:
        view = ws.view(ws.WithdrawalScenarioState(cpv, *others), ev)
        return [view.sides_text, view.balance_text, view.answer]

    readout = ".widget-html-content p, .widget-html-content strong"
    assert shown("cpv") == start.cpv_share
    wait_for_texts(cell, readout, expected(start.cpv_share))
    before = image_src(cell)
    assert before.startswith("data:image/png;base64,")

    box = cell.get_by_label(controls["cpv"], exact=True)
    box.focus()
    step = ws.CPV_SHARE[2]
    for _press in range(4):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # leaving the box commits the value where a browser waits for that
    wait_for_texts(cell, readout, expected(start.cpv_share - 4 * step))
    after_arrows = wait_src_changed(page, cell, before)
    assert shown("cpv") == start.cpv_share - 4 * step
    shot(page, "01-withdrawal-arrows", cell)

    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(ws.CPV_SHARE[0]))
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    wait_for_texts(cell, readout, expected(ws.CPV_SHARE[0]))
    after_home = wait_src_changed(page, cell, after_arrows)
    assert shown("cpv") == ws.CPV_SHARE[0]
    assert len({before, after_arrows, after_home}) == 3
    # The chart is exactly the one the pure view draws for that state.
    png = base64.b64decode(after_home.split(",", 1)[1])
    assert png == charts.png_bytes(ws.figure(ws.view(ws.WithdrawalScenarioState(ws.CPV_SHARE[0], *others), ev)))
    shot(page, "01-withdrawal-home", cell)
    shot(page, "01-withdrawal-home-page")

    # Last, so that the keyboard checks above still run: the explorer must open on its default state.
    assert others == (start.kpa_change, start.rok_thousands, start.us_thousands), (
        f"the browser opened the explorer at KPA/ROK/US = {others}, not the default state {start}"
    )


def test_moscow_learns_before_pyongyang(lab, page):
    from course.evidence.package import evidence
    from course.explorers import who_knew_what as wkw
    from course.i18n import _

    ev = evidence()
    open_notebook(page, lab, "notebooks/06-moscow-first.ipynb")
    shot(page, "06-opened")
    run_all(page, lab, "notebooks/06-moscow-first.ipynb")
    shot(page, "06-ran-all")

    label = _("Day")
    cell = control_cell(page, label)
    cell.scroll_into_view_if_needed()

    def column(party: str) -> dict[str, list[str]]:
        """The event ids in a capital's received and sent cells, as the browser shows them."""
        return {
            role: cell.locator(f'td[data-party="{party}"][data-role="{role}"] li[data-event]').evaluate_all(
                "items => items.map(i => i.dataset.event)"
            )
            for role in ("received", "sent")
        }

    def expected(date: str, party: str) -> dict[str, list[str]]:
        shown = wkw.view(wkw.WhoKnewWhatState(date), ev)
        return {"received": list(shown.received[party]["event_id"]), "sent": list(shown.sent[party]["event_id"])}

    def reach(date: str) -> dict[str, dict[str, list[str]]]:
        wait_for_texts(cell, ".ov-x-readout", [wkw.view(wkw.WhoKnewWhatState(date), ev).readout])
        wait_idle(page)
        assert cell.get_by_label(label, exact=True).input_value() == date
        seen = {party: column(party) for party in ("USSR", "DPRK")}
        assert seen == {party: expected(date, party) for party in ("USSR", "DPRK")}
        return seen

    days = ["1958-01-22", "1958-01-23", "1958-01-24"]
    board = {days[0]: reach(days[0])}
    shot(page, "06-who-knew-what-0122", cell)
    # The "Next message" button, reached and pressed with the keyboard, steps to the next day a message passed.
    cell.get_by_role("button", name=_("Next message ▶")).focus()
    for day in days[1:]:
        page.keyboard.press("Enter")
        board[day] = reach(day)
        shot(page, f"06-who-knew-what-{day[5:].replace('-', '')}", cell)
        shot(page, f"06-who-knew-what-{day[5:].replace('-', '')}-sent", cell.locator("tr.ov-x-sent"))

    # Moscow's column changes on 23 January; Pyongyang's only on the 24th.
    assert board["1958-01-23"]["USSR"] != board["1958-01-22"]["USSR"]
    assert board["1958-01-23"]["DPRK"] == board["1958-01-22"]["DPRK"]
    assert board["1958-01-24"]["DPRK"] != board["1958-01-23"]["DPRK"]


def test_an_answer_survives_a_reload_unlocks_the_reading_and_reaches_the_planner(lab, page):
    """Type an answer in a prompt, save, reload the page and restart the kernel: the answer is still there; the
    historian's reading appears only after a saved answer of 15 words; lesson 08's planner shows it."""
    from course.coursework import prompts

    item = prompts.get_prompt("l02-sourcing-puzanov")
    answer = (
        "Puzanov was not in the room: Kim told him about the talk days later, and Goldberg translated "
        "the Russian record into English."
    )
    assert prompts.word_count(answer) >= prompts.MIN_WORDS
    lesson = "notebooks/02-mao-proposes.ipynb"

    def prompt_cell():
        return page.locator(f"{CURRENT} .jp-CodeCell", has=page.locator(".one-voice-prompt", has_text=item.prompt[:60]))

    open_notebook(page, lab, lesson)
    run_all(page, lab, lesson)
    cell = prompt_cell()
    cell.scroll_into_view_if_needed()
    compare = cell.locator("button", has_text="Compare with a historian's reading")
    assert compare.is_disabled()
    assert item.reading[:50] not in cell.inner_text()
    # "Document D, ¶1" links to that paragraph of the reader on the same page.
    target = cell.locator("a", has_text="Document D, ¶1").get_attribute("href")
    assert target == "#ov-doc-puzanov-1957-11-13-a-p1"
    assert page.locator(f"{CURRENT} li{target}").count() == 1
    shot(page, "02-prompt-empty", cell)

    # Too short: saved, but the reading stays locked and the student is told how many words are missing.
    cell.locator("textarea").fill("Puzanov was not there.")
    cell.locator("button", has_text="Save").click()
    cell.locator(".widget-html-content", has_text="more words before you can compare").wait_for()
    assert compare.is_disabled() and item.reading[:50] not in cell.inner_text()

    cell.locator("textarea").fill(answer)
    cell.locator("button", has_text="Save").click()
    cell.locator(".widget-html-content", has_text="You can now compare your answer").wait_for()
    assert compare.is_enabled() and item.reading[:50] not in cell.inner_text()
    compare.click()
    cell.locator(".one-voice-reading", has_text=item.reading[:50]).wait_for()
    shot(page, "02-prompt-reading", cell)

    # Reload the page and restart the kernel: a new widget reads the saved answer back.
    page.reload()
    page.locator(f"{CURRENT} .jp-Notebook").wait_for(state="visible", timeout=90_000)
    restart_and_run_all(page, lab, lesson)
    cell = prompt_cell()
    cell.scroll_into_view_if_needed()
    cell.locator(".widget-html-content", has_text="Restored your answer saved on").wait_for()
    assert cell.locator("textarea").input_value() == answer
    assert item.reading[:50] not in cell.inner_text()  # the reading is offered again, not forced on the student
    shot(page, "02-prompt-restored", cell)

    # Lesson 08's planner shows the banked answer with its document id and paragraph.
    final = "notebooks/08-one-voice-different-intentions.ipynb"
    open_notebook(page, lab, final)
    run_all(page, lab, final)
    planner = page.locator(f"{CURRENT} .one-voice-essay-planner")
    planner.scroll_into_view_if_needed()
    planner.locator(".widget-html-content", has_text="puzanov-1957-11-13-a ¶1 (lesson 02, Document D)").wait_for()
    assert answer in planner.inner_text()
    shot(page, "08-planner", planner)


def test_a_chinese_lesson_speaks_chinese_and_its_explorer_answers_the_keyboard(lab, page, monkeypatch):
    """notebooks/zh/01: the prose is tagged Chinese, the kernel (started in notebooks/zh) answers in Chinese."""
    from course.evidence.package import evidence
    from course.explorers import force_balance as fb
    from course.explorers import withdrawal_scenario as ws
    from course.i18n import _

    path = "notebooks/zh/01-balance-of-forces.ipynb"
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")  # the expected texts, computed here in Chinese
    ev = evidence()
    open_notebook(page, lab, path)
    run_all(page, lab, path)
    assert page.locator(f'{CURRENT} .jp-RenderedMarkdown div[lang="zh-Hans"]').count() > 10
    balance = fb.view(fb.ForceBalanceState(), ev)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in balance.readout), balance.readout
    page.locator(f"{CURRENT} .widget-html-content strong", has_text=balance.readout).first.wait_for(state="visible")

    controls = {key: _(label) for key, label in ws.CONTROL_LABELS.items()}
    cell = control_cell(page, controls["cpv"])
    cell.scroll_into_view_if_needed()
    wait_idle(page)

    def shown(key: str) -> int:
        return int(cell.get_by_label(controls[key], exact=True).input_value())

    others = (shown("kpa"), shown("rok"), shown("us"))
    start = shown("cpv")
    box = cell.get_by_label(controls["cpv"], exact=True)
    box.focus()
    for _press in range(2):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    moved = start - 2 * ws.CPV_SHARE[2]
    view = ws.view(ws.WithdrawalScenarioState(moved, *others), ev)
    wait_for_texts(cell, ".widget-html-content p, .widget-html-content strong", [view.sides_text, view.answer])
    assert shown("cpv") == moved
    shot(page, "zh-01-withdrawal", cell)
