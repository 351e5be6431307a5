"""A CJK fallback font for matplotlib, so Chinese (and Korean) labels on charts are glyphs, not boxes.

Charts are drawn in the kernel, so the font must be installed where the kernel runs: Binder
installs `fonts-noto-cjk` from binder/apt.txt, CI from .ci/run. matplotlib's default font
(DejaVu Sans) has no Chinese glyphs; `use_cjk_fonts()` appends the first installed CJK family to
the font list, and matplotlib falls back to it glyph by glyph. Latin text keeps its font.

matplotlib's font cache may predate the font's installation, so installed font files are also
looked for on disk and registered for this process only (the shared cache is not rewritten).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# Families in order of preference; the file-name stems that hold them (Debian's fonts-noto-cjk,
# fonts-wqy-microhei, fonts-wqy-zenhei; the macOS and Windows system fonts).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
)
CJK_FILES = (
    "NotoSansCJK-Regular",
    "NotoSansCJKsc-Regular",
    "SourceHanSans",
    "wqy-microhei",
    "wqy-zenhei",
    "PingFang",
    "msyh",
    "simhei",
)
INSTALL_HINT = "apt-get install fonts-noto-cjk (Binder: binder/apt.txt; CI: .ci/run)"


def cjk_family() -> str | None:
    """The name of an installed CJK-capable family known to matplotlib (registering it if needed), or None."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {entry.name for entry in font_manager.fontManager.ttflist}
        return next((family for family in CJK_FAMILIES if family in names), None)

    family = known()
    if family is not None:
        return family
    _register_installed_cjk_fonts()
    return known()


@lru_cache(maxsize=1)
def _register_installed_cjk_fonts() -> None:
    """Add the CJK font files on disk to matplotlib's font list (once per process: the scan takes ~0.1 s)."""
    from matplotlib import font_manager

    stems = tuple(stem.lower() for stem in CJK_FILES)
    for path in font_manager.findSystemFonts(fontext="ttf") + font_manager.findSystemFonts(fontext="otf"):
        if Path(path).name.lower().startswith(stems):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue


def use_cjk_fonts() -> str | None:
    """Let every later chart fall back to a CJK font for glyphs its own font lacks.

    Returns the family used, or None (nothing changed) where no CJK font is installed. Idempotent.
    """
    from matplotlib import rcParams

    family = cjk_family()
    if family is None:
        return None
    families = list(rcParams["font.family"])
    if family not in families:
        rcParams["font.family"] = [*families, family]
    return family
