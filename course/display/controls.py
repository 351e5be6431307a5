"""Controls that work by keyboard alone inside JupyterLab, and the one focus ring our widgets show.

Why not a dropdown: in JupyterLab 4 a focused control that is not a text field is in the notebook's command
mode, so JupyterLab takes the arrow keys (move to another cell) and letters (A and B insert a cell, D D deletes
one) before an ipywidgets `<select>` sees them; the `data-lm-suppress-shortcuts` attribute that would stop it
cannot be set on the `<select>` from Python. So a choice is `choice()`: radio buttons, each reached with Tab and
picked with Space, keys JupyterLab leaves alone; each choice is visible and a screen reader hears which one is
checked. A choice among numbers (years) is a number box instead, whose arrow keys stay in the box.

`focus_ring(box)` gives a widget the focus ring: the class `ov-focus` and a hidden HTML child carrying the style
(display/focus_style.html.j2): a 2px outline in #1a4f8b, 8.3:1 against white, on whichever control has keyboard
focus, seen whole on all four sides (tests/test_keyboard.py measures both in Chromium).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from course.display.templating import render

FOCUS_CLASS = "ov-focus"  # on a widget's root: its controls show the focus ring
CHOICE_CLASS = "ov-choice"  # on a choice() list
SCROLL_CLASS = "ov-choice-scroll"  # on a long choice() list: it scrolls in a box
FOCUS_COLOUR = "#1a4f8b"
FOCUS_WIDTH = "2px"
FOCUS_OFFSET = "2px"
FOCUS_ROOM = "5px"  # padding inside a widget's edge and a scrolling list's, so the ring (offset + width) is not cut
SCROLL_AFTER = 8  # a list with more choices than this scrolls
SCROLL_HEIGHT = "13em"


def choice(
    description: str,
    options: Sequence[tuple[str, Any]],
    value: Any = None,
    *,
    horizontal: bool = False,
    tooltip: str | None = None,
    description_width: str = "initial",
) -> widgets.RadioButtons:
    """A labelled choice of one among `options` ((label, value) pairs), as radio buttons; `value` None: none yet.

    `horizontal`: the choices side by side (wrapping), for a few short labels. A vertical list longer than
    SCROLL_AFTER scrolls in a box so the widget keeps its height.
    """
    control = widgets.RadioButtons(
        options=list(options),
        value=value,
        description=description,
        orientation="horizontal" if horizontal else "vertical",
        style={"description_width": description_width},
        layout=widgets.Layout(width="auto", max_width="100%"),
        **({"tooltip": tooltip} if tooltip else {}),
    )
    control.add_class(CHOICE_CLASS)
    if not horizontal and len(options) > SCROLL_AFTER:
        control.add_class(SCROLL_CLASS)
    return control


def focus_style() -> widgets.HTML:
    """The hidden widget that carries the focus ring's style into the page."""
    return widgets.HTML(
        render(
            "display/focus_style.html.j2",
            focus=FOCUS_CLASS,
            choice=CHOICE_CLASS,
            scroll=SCROLL_CLASS,
            colour=FOCUS_COLOUR,
            width=FOCUS_WIDTH,
            offset=FOCUS_OFFSET,
            max_height=SCROLL_HEIGHT,
            room=FOCUS_ROOM,
        ),
        layout=widgets.Layout(display="none"),
    )


def focus_ring(box: widgets.Box) -> widgets.Box:
    """`box` with the focus ring on its controls (its class, and the style as a last hidden child)."""
    box.add_class(FOCUS_CLASS)
    box.children = (*box.children, focus_style())
    return box


__all__ = ["FOCUS_CLASS", "FOCUS_COLOUR", "choice", "focus_ring", "focus_style"]
