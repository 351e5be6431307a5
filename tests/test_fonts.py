"""Charts are drawn in the kernel: Chinese labels must come out as glyphs, not boxes.

matplotlib warns "Glyph N missing from font(s) ..." for every character its fonts lack; with the
CJK fallback from course.explorers.fonts (which every explorer figure switches on, in charts.new_figure) and a
CJK font installed (binder/apt.txt, .ci/run), drawing Chinese and Korean labels raises none.
"""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from course.explorers.fonts import INSTALL_HINT, cjk_family, use_cjk_fonts

LABELS = {"title": "中国人民志愿军全部撤出朝鲜", "x": "1958年", "y": "兵力（万人）", "note": "조선인민군"}


def draw(labels: dict[str, str]) -> list[str]:
    """Draw a chart with these labels to PNG; the missing-glyph warnings it raised."""
    fig = Figure(figsize=(4, 3), dpi=60)
    ax = fig.subplots()
    ax.bar([labels["x"], "1957"], [30, 40])
    ax.set_title(labels["title"])
    ax.set_ylabel(labels["y"])
    ax.text(0.5, 0.5, labels["note"], transform=ax.transAxes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_the_check_sees_missing_glyphs():
    """Without the fallback, DejaVu Sans (matplotlib's default) has no Chinese: the check must notice."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        missing = draw(LABELS)
    assert any("CJK UNIFIED IDEOGRAPH" in m for m in missing), missing


def test_chinese_chart_labels_have_glyphs():
    if cjk_family() is None:
        pytest.skip(f"no CJK font is installed here, so Chinese on charts would be boxes: {INSTALL_HINT}")
    with matplotlib.rc_context():
        family = use_cjk_fonts()
        assert family is not None
        assert draw(LABELS) == []


def test_the_lessons_charts_get_the_fallback():
    """Every explorer figure starts from charts.new_figure, which switches the fallback on."""
    if cjk_family() is None:
        pytest.skip(f"no CJK font is installed here: {INSTALL_HINT}")
    from course.explorers import charts

    with matplotlib.rc_context():
        matplotlib.rcParams["font.family"] = ["sans-serif"]  # as in a fresh kernel
        charts.new_figure()  # what the force balance and the withdrawal scenario draw on
        assert cjk_family() in matplotlib.rcParams["font.family"]
        assert draw(LABELS) == []
