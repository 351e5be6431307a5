"""What a build reports as it works through its lessons, so the command line can show one progress bar.

The editions only say "now lesson X" and "done with one"; how that is shown (a bar on a terminal,
nothing in a log or a test) is the caller's business. The default says nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")


class Steps(Protocol):
    def begin(self, total: int) -> None:
        """The build will work through `total` lesson steps."""

    def lesson(self, name: str) -> None:
        """It starts on the lesson called `name` (its file name)."""

    def advance(self) -> None:
        """It has finished one step."""


class Silent:
    """Steps that show nothing (library use, tests)."""

    def begin(self, total: int) -> None:
        pass

    def lesson(self, name: str) -> None:
        pass

    def advance(self) -> None:
        pass


SILENT = Silent()


def each(items: Iterable[T], steps: Steps, name=lambda item: item.lesson.filename) -> Iterator[T]:
    """The items one by one, announcing each and counting it done once the caller's loop body has run."""
    for item in items:
        steps.lesson(name(item))
        yield item
        steps.advance()
