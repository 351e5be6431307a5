"""What the two chart explorers (force balance, withdrawal scenario) share.

Figures are drawn in the kernel with matplotlib's object API (no pyplot, no global state) and shown
as a PNG with a text alternative. matplotlib is imported only here, inside `new_figure`, so a lesson
that draws no chart never loads it. A rendered chart is kept per state (`PNGS`): a state the student
has seen before is shown again without drawing.

The ratio helpers are plain arithmetic on two troop totals, stated as the paper states its balance:
the UN side scaled to 7 ("7 : 6").
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Callable, Hashable

from course.display.templating import render
from course.explorers.base import Cache
from course.i18n import _

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_SIZE = (7.5, 4)
DPI = 90
PNGS = Cache(limit=96)  # a PNG is 25–45 kB: at most about 4 MB


def new_figure() -> "Figure":
    """An empty figure of the explorers' size (the first call imports matplotlib)."""
    from matplotlib.figure import Figure

    return Figure(figsize=FIGURE_SIZE, dpi=DPI)


def thousands_axis(axis) -> None:
    """Tick labels in thousands, with a thousands separator ("1,200" for 1,200,000)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value / 1000:,.0f}"))


def png_bytes(fig: "Figure") -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def cached_png(owner: object, key: Hashable, draw: Callable[[], "Figure"]) -> bytes:
    """The PNG of `draw()` for this state: drawn the first time, then served from `PNGS`."""
    return PNGS.get(owner, key, lambda: png_bytes(draw()))


def image_html(png: bytes, alt: str) -> str:
    """An <img> with a text alternative (IPython's Image cannot carry one)."""
    return render("explorers/image.html.j2", data=base64.b64encode(png).decode("ascii"), alt=alt)


def ratio_value(un_side: float, communist_side: float) -> float:
    """The communist side when the UN side is scaled to 7, as the paper states its 7:6."""
    return 7 * communist_side / un_side


def ratio_number(un_side: float, communist_side: float) -> str:
    """The x of "7 : x", to one decimal."""
    return f"{ratio_value(un_side, communist_side):.1f}"


def ratio_text(un_side: float, communist_side: float) -> str:
    return _("UN side : communist side = 7 : {communist}", communist=ratio_number(un_side, communist_side))
