"""What every explorer shares: the widget shell around a pure `view(state, evidence)`, and one cache.

An explorer is two parts. The pure part is a frozen `<Name>State` (what the student has chosen) and a
function `view(state, evidence) -> <Name>View` (everything the student sees, as data and HTML from
templates). The shell is an `Explorer` subclass: it builds the controls and says how to read a state
from them (`state()`), which pure function computes the view (`pure_view`) and how to show a view
(`show(view)`). The base loads the evidence, observes the controls, and owns `update() -> view` and
`current` (the view on screen), so all six behave alike.

`Cache` is the one cache: values derived from an object that the controls never change (a data frame,
the evidence) or from a state seen before (a rendered chart), kept while there is room.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from course import settings
from course.evidence.package import Evidence

StateT = TypeVar("StateT")
ViewT = TypeVar("ViewT")
T = TypeVar("T")

CSS_PREFIX = "ov-x-"  # every class an explorer's HTML carries starts with this


class Cache:
    """Values keyed by an owner object and a key, least recently used dropped first.

    The owner is compared by identity and kept referenced while its entry lives, so a new object at
    a recycled address can never be served an old value. The interface language is part of every key:
    cached values may hold translated text.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self._items: OrderedDict[tuple, tuple[object, Any]] = OrderedDict()

    def get(self, owner: object, key: Hashable, compute: Callable[[], T]) -> T:
        full = (id(owner), settings.language(), key)
        hit = self._items.get(full)
        if hit is not None and hit[0] is owner:
            self._items.move_to_end(full)
            return hit[1]
        value = compute()
        self._items[full] = (owner, value)
        self._items.move_to_end(full)
        while len(self._items) > self.limit:
            self._items.popitem(last=False)
        return value

    def __contains__(self, owner_and_key: tuple[object, Hashable]) -> bool:
        owner, key = owner_and_key
        hit = self._items.get((id(owner), settings.language(), key))
        return hit is not None and hit[0] is owner

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()


class Explorer(Generic[StateT, ViewT]):
    """The widget shell: subclasses build `root` and the controls, then call `watch(...)` and `update()`."""

    root: Any  # the ipywidgets container a lesson displays
    pure_view: Callable[[StateT, Evidence], ViewT]  # the module's `view(state, evidence)`, as a staticmethod

    def __init__(self, evidence: Evidence | None = None):
        if evidence is None:
            from course.evidence.package import evidence as load_evidence

            evidence = load_evidence()
        self.evidence = evidence
        self.current: ViewT | None = None
        self._quiet = 0

    # -- what each explorer defines -------------------------------------------------------------
    def state(self) -> StateT:
        """The controls' values as a pure state."""
        raise NotImplementedError

    def compute(self, state: StateT) -> ViewT:
        """The pure view of `state` with this explorer's evidence."""
        return type(self).pure_view(state, self.evidence)

    def show(self, view: ViewT) -> None:
        """Put `view` on the widgets."""
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------------
    def watch(self, *controls) -> None:
        """Re-render whenever one of `controls` changes value."""
        for control in controls:
            control.observe(self._changed, names="value")

    def _changed(self, _change: dict) -> None:
        if not self._quiet:
            self.update()

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """A context in which setting controls does not re-render (to sync controls to a state)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def update(self) -> ViewT:
        """Re-render every output from the current controls; the view shown is returned and kept in `current`."""
        shown = self.compute(self.state())
        self.show(shown)
        self.current = shown
        return shown
