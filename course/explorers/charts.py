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
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import TYPE_CHECKING

from course.display.templating import render
from course.explorers.base import Cache
from course.i18n import _

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_SIZE = (7.5, 4)
DPI = 90
PNGS = Cache(limit=96)  # a PNG is 25–45 kB: at most about 4 MB


def new_figure() -> Figure:
    """An empty figure of the explorers' size (the first call imports matplotlib), able to draw Chinese labels."""
    from matplotlib.figure import Figure

    from course.explorers.fonts import use_cjk_fonts

    use_cjk_fonts()
    return Figure(figsize=FIGURE_SIZE, dpi=DPI)


def thousands_axis(axis) -> None:
    """Tick labels in thousands, with a thousands separator ("1,200" for 1,200,000)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value / 1000:,.0f}"))


_RENDERERS: dict[tuple[float, float, float], object] = {}
PNG_OPTIONS = {"compress_level": 3}  # zlib level 3: faster than the default 6, and here no larger


@lru_cache(maxsize=1)
def _canvas_class():
    """An Agg canvas class that draws with one renderer per figure size, kept across figures.

    matplotlib caches the layout of every text per renderer; a new figure normally brings a new renderer,
    so every tick label, legend entry and title would be laid out again. Sharing the renderer (cleared
    before each draw, as Agg always does) gives the same pixels in about four fifths of the time.
    Widget callbacks run one at a time in a kernel, so one renderer per size is enough.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    class SharedRendererCanvas(FigureCanvasAgg):
        def get_renderer(self):
            width, height = self.figure.bbox.size
            key = (width, height, self.figure.dpi)
            if key not in _RENDERERS:
                _RENDERERS[key] = RendererAgg(width, height, self.figure.dpi)
            self.renderer = _RENDERERS[key]
            return self.renderer

    return SharedRendererCanvas


def png_bytes(fig: Figure) -> bytes:
    _canvas_class()(fig)  # becomes fig.canvas
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()


def cached_png(owner: object, key: Hashable, draw: Callable[[], Figure]) -> bytes:
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
