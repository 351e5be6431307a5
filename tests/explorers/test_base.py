"""The shared explorer pattern: every explorer's `update()` returns the view it shows, charts are drawn once
per state, and every control a student operates has an accessible name (no slider handles)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import ipywidgets as widgets
import pytest

from course.evidence.package import evidence
from course.explorers import (
    argument_map,
    base,
    charts,
    force_balance,
    plan_comparison,
    source_reader,
    who_knew_what,
    withdrawal_scenario,
)

SHELLS = {
    "argument_map": (argument_map.ArgumentMapExplorer, argument_map.ArgumentMapView),
    "force_balance": (force_balance.ForceBalanceExplorer, force_balance.ForceBalanceView),
    "plan_comparison": (plan_comparison.PlanComparisonExplorer, plan_comparison.PlanComparisonView),
    "source_reader": (source_reader.SourceReaderExplorer, source_reader.SourceReaderView),
    "who_knew_what": (who_knew_what.WhoKnewWhatExplorer, who_knew_what.WhoKnewWhatView),
    "withdrawal_scenario": (withdrawal_scenario.WithdrawalScenarioExplorer, withdrawal_scenario.WithdrawalScenarioView),
}


@pytest.fixture(scope="module")
def ev():
    return evidence()


def walk(widget):
    seen, todo = set(), [widget]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += list(getattr(current, "children", ()) or ())


@pytest.mark.parametrize("name", SHELLS)
def test_update_returns_the_view_it_shows_and_keeps_it_as_current(ev, name):
    shell_class, view_class = SHELLS[name]
    shell = shell_class(evidence=ev)
    assert isinstance(shell, base.Explorer)
    assert isinstance(shell.current, view_class)  # shown at construction
    returned = shell.update()
    assert isinstance(returned, view_class) and returned is shell.current
    again = shell.compute(shell.state())  # the pure view of the controls' state
    texts = {
        f.name: getattr(returned, f.name)
        for f in dataclasses.fields(returned)
        if isinstance(getattr(returned, f.name), str)
    }
    assert texts and texts == {name: getattr(again, name) for name in texts}


def test_a_control_change_replaces_current(ev):
    shell = force_balance.ForceBalanceExplorer(evidence=ev)
    before = shell.current
    shell.year.value = 1953
    assert shell.current is not before and shell.current.state.year == 1953


@pytest.mark.parametrize("module", [force_balance, withdrawal_scenario], ids=["force_balance", "withdrawal_scenario"])
def test_chart_cache_gives_the_same_png_for_a_state_seen_before_and_a_new_one_for_a_new_state(ev, module, monkeypatch):
    drawn = []
    real = module.figure
    monkeypatch.setattr(module, "figure", lambda view: drawn.append(view.state) or real(view))
    charts.PNGS.clear()
    shell = (module.ForceBalanceExplorer if module is force_balance else module.WithdrawalScenarioExplorer)(evidence=ev)
    control, other = (shell.year, 1953) if module is force_balance else (shell.cpv_share, 0)
    first_state, first_png = shell.state(), shell.png
    assert drawn == [first_state]
    original = control.value
    control.value = other
    assert shell.state() != first_state and shell.png != first_png  # a new state: drawn, different bytes
    assert len(drawn) == 2
    control.value = original
    assert shell.png == first_png  # a state seen before: the same bytes ...
    assert len(drawn) == 2  # ... and nothing was drawn
    assert shell.png == charts.png_bytes(real(shell.current))  # what is cached is what would be drawn


def test_cache_is_keyed_by_the_owner_object_not_by_equal_data(ev):
    cache = base.Cache(limit=2)
    frame, copy = ev.forces, ev.forces.copy()
    calls = []
    assert cache.get(frame, "k", lambda: calls.append(1) or "a") == "a"
    assert cache.get(frame, "k", lambda: calls.append(1) or "b") == "a"
    assert cache.get(copy, "k", lambda: calls.append(1) or "c") == "c"
    assert len(calls) == 2
    cache.get(frame, "k2", lambda: "d")
    cache.get(frame, "k3", lambda: "e")
    assert len(cache) == 2 and (frame, "k") not in cache  # oldest dropped beyond the limit


def test_cache_keys_include_the_language(ev, monkeypatch):
    cache = base.Cache(limit=4)
    assert cache.get(ev.forces, "k", lambda: "english") == "english"
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    assert cache.get(ev.forces, "k", lambda: "chinese") == "chinese"


def test_a_changed_forces_table_is_never_served_an_old_chart(ev):
    forces = ev.forces.copy()
    forces.loc[forces.series == "KPA", "strength"] = forces.loc[forces.series == "KPA", "strength"] * 2
    changed = dataclasses.replace(ev, forces=forces)
    state = force_balance.ForceBalanceState()
    original = force_balance.chart_png(force_balance.view(state, ev), ev)
    assert force_balance.chart_png(force_balance.view(state, changed), changed) != original


# --- accessibility: names and keyboard-operable kinds of control ------------------------------------------------

CONTROL_KINDS = (
    widgets.RadioButtons,
    widgets.ToggleButtons,
    widgets.Checkbox,
    widgets.Text,
    widgets.BoundedIntText,
    widgets.DatePicker,
    widgets.Button,
)


@pytest.mark.parametrize("name", SHELLS)
def test_every_control_has_an_accessible_name_and_none_is_a_slider(ev, name):
    shell = SHELLS[name][0](evidence=ev)
    if name == "plan_comparison":
        shell.reveal_all.click()  # every state of the grid's controls
    if name == "argument_map":
        shell.go(next(iter(shell.child_buttons)))  # a node below the thesis: its parent button is shown
        assert shell.parent_button.layout.display is None
    shown_only = (widgets.HTML, widgets.HTMLMath, widgets.Label, widgets.Output)
    controls = [
        w
        for w in walk(shell.root)
        if isinstance(w, (widgets.ValueWidget, widgets.Button)) and not isinstance(w, shown_only)
    ]
    assert controls, name
    for control in controls:
        if control.layout.display == "none":
            continue  # not shown, so not in the accessibility tree
        kind = type(control).__name__
        assert "Slider" not in kind and "Range" not in kind, f"{name}: {kind} has an unnamed handle"
        # A <select> (Dropdown, Select) is in JupyterLab's command mode: its arrow keys and letters go to the notebook.
        assert not isinstance(control, (widgets.Dropdown, widgets.Select)), f"{name}: {kind} is not keyboard-safe"
        assert isinstance(control, CONTROL_KINDS), f"{name}: {kind} is not a kind checked for a name"
        # The description is the <label for=...> of Text, BoundedIntText and DatePicker, the text of a Checkbox's
        # label and of a Button; ToggleButtons are buttons and RadioButtons radios, named by their option labels.
        assert control.description.strip(), f"{name}: {kind} has no description"
        if isinstance(control, (widgets.ToggleButtons, widgets.RadioButtons)):
            assert all(label.strip() for label in control._options_labels)


def test_withdrawal_number_boxes_keep_their_bounds_and_steps(ev):
    shell = withdrawal_scenario.WithdrawalScenarioExplorer(evidence=ev)
    for box, (low, high, step) in (
        (shell.cpv_share, withdrawal_scenario.CPV_SHARE),
        (shell.kpa_change, withdrawal_scenario.KPA_CHANGE),
        (shell.rok, withdrawal_scenario.ROK_THOUSANDS),
        (shell.us, withdrawal_scenario.US_THOUSANDS),
    ):
        assert (box.min, box.max, box.step) == (low, high, step)
        box.value = high + 50  # out of range: clamped, as the browser's number field does
        assert box.value == high
        assert box.value in {
            getattr(shell.current.state, f) for f in ("cpv_share", "kpa_change", "rok_thousands", "us_thousands")
        }


def test_driving_each_explorer_changes_what_it_shows(ev):
    """Each explorer's main control, set as the front end sets it, changes the readout the student reads."""
    fb = force_balance.ForceBalanceExplorer(evidence=ev)
    before = fb.readout.value
    fb.year.value = 1957
    assert fb.readout.value != before and "1957" in fb.readout.value

    ws = withdrawal_scenario.WithdrawalScenarioExplorer(evidence=ev)
    before = ws.readout.value
    ws.cpv_share.value = ws.cpv_share.value - ws.cpv_share.step  # one ArrowDown
    assert ws.readout.value != before and ws.current.state.cpv_share == 95

    wkw = who_knew_what.WhoKnewWhatExplorer(date="1958-01-22", evidence=ev)
    before = wkw.readout.value
    wkw.date.value = dt.date(1958, 1, 24)
    assert wkw.readout.value != before and "24 January 1958" in wkw.readout.value
    wkw.date.value = None  # a cleared date field keeps the day shown
    assert wkw.current.date == "1958-01-24"

    sr = source_reader.SourceReaderExplorer(evidence=ev)
    before = sr.count.value
    sr.year_from.value = sr.year_to.value = 1958
    assert sr.count.value != before and sr.current.ids
    sr.year_from.value, sr.year_to.value = 1958, 1957  # "from" after "to": the same two years
    assert sr.state().years == (1957, 1958)


def test_every_class_in_explorer_html_carries_the_one_prefix(ev):
    """All six explorers' markup uses `ov-x-` classes; the source cards come from display.cards, as in a lesson."""
    import re

    from course.display.cards import source_card_html

    card_classes = {
        c
        for _i, row in ev.sources.iterrows()
        for attr in re.findall(r"class=['\"]([^'\"]+)", source_card_html(row))
        for c in attr.split()
    }
    found = set()
    for name, (shell_class, _view) in SHELLS.items():
        shell = shell_class(evidence=ev)
        if name == "plan_comparison":
            shell.reveal_all.click()
        pages = [w.value for w in walk(shell.root) if isinstance(w, widgets.HTML)]
        pages += [o["data"]["text/html"] for w in walk(shell.root) if isinstance(w, widgets.Output) for o in w.outputs]
        for page in pages:
            found |= {c for attr in re.findall(r"class=['\"]([^'\"]+)", page) for c in attr.split()}
    assert len(found) > 10
    stray = {c for c in found - card_classes if not c.startswith(base.CSS_PREFIX)}
    assert not stray, f"classes without the {base.CSS_PREFIX} prefix: {sorted(stray)}"


def test_explorers_that_draw_no_chart_do_not_load_matplotlib():
    """A lean kernel: matplotlib is imported when a chart is drawn, not when an explorer module is imported."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from course.lesson import argument_map, plan_comparison, source_reader, who_knew_what\n"
        "import course.explorers.force_balance, course.explorers.withdrawal_scenario\n"
        "for show in (argument_map, plan_comparison, source_reader, who_knew_what): show()\n"
        "print('before', 'matplotlib' in sys.modules)\n"
        "from course.lesson import force_balance\n"
        "force_balance()\n"
        "print('after', 'matplotlib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    assert result.stdout.split() == ["before", "False", "after", "True"]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda ev: force_balance.force_balance(year=1960, evidence=ev), ["1960", "1953", "1958"]),
        (lambda ev: force_balance.force_balance(estimate="median", evidence=ev), ["'median'", "'strength'"]),
        (
            lambda ev: who_knew_what.who_knew_what(date="1960-01-01", evidence=ev),
            ["1960-01-01", "1956-11-01", "1958-02-28"],
        ),
        (lambda ev: who_knew_what.who_knew_what(date="22 Jan 1958", evidence=ev), ["22 Jan 1958", "YYYY-MM-DD"]),
        (lambda ev: plan_comparison.plan_comparison(plans=["kim-third"], evidence=ev), ["'kim-third'", "kim-first"]),
    ],
    ids=["year", "estimate", "day out of range", "day malformed", "plan"],
)
def test_a_bad_argument_in_a_lesson_gets_a_clear_error(ev, call, words):
    with pytest.raises(ValueError) as caught:
        call(ev)
    assert all(word in str(caught.value) for word in words), str(caught.value)
