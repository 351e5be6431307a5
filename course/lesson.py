"""The one module lessons import from: `from course.lesson import show_source, force_balance, ...`.

Lessons never import internals, so rooms can be rearranged without touching a notebook. Names are
resolved on first use, so a lesson that draws no chart never loads matplotlib (a smaller kernel).
"""

from __future__ import annotations

import importlib

# public name -> module that defines it
_EXPORTS = {
    "evidence": "course.evidence.package",
    "force_table": "course.evidence.package",
    "show_cast": "course.display.cards",
    "show_document": "course.display.documents",
    "show_course_map": "course.display.cards",
    "show_event": "course.display.cards",
    "show_source": "course.display.cards",
    "show_timeline": "course.display.cards",
    "show_troop_map": "course.explorers.maps",
    "argument_map": "course.explorers.argument_map",
    "force_balance": "course.explorers.force_balance",
    "plan_comparison": "course.explorers.plan_comparison",
    "source_reader": "course.explorers.source_reader",
    "who_knew_what": "course.explorers.who_knew_what",
    "withdrawal_scenario": "course.explorers.withdrawal_scenario",
    "self_check": "course.coursework.selfcheck_widget",
    "require_form": "course.coursework.answer_formats",
    "prompt": "course.coursework.prompt_widget",
    "mark_evidence": "course.coursework.evidence_bank",
    "evidence_picker": "course.coursework.planner_widget",
    "essay_planner": "course.coursework.planner_widget",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"course.lesson has no {name!r}; lessons can use: {', '.join(__all__)}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
