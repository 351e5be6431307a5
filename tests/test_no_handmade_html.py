"""HTML is made only by the Jinja2 templates (autoescape on), never by string building in Python."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers import REPO

HTML_TAGS = (
    "a|b|blockquote|br|caption|code|dd|details|div|dl|dt|em|h[1-6]|i|img|li|ol|p|section|small|span|strong|"
    "summary|table|tbody|td|th|thead|tr|ul|script|style"
)
TAG = re.compile(rf"</?(?:{HTML_TAGS})(?:[\s>/]|$)")


def handmade_html(path: Path) -> list[str]:
    """String constants and f-string parts in a module that hold an HTML tag, or calls to html.escape."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and TAG.search(node.value)
        ):
            found.append(node.value[:60])
        if isinstance(node, ast.Attribute) and node.attr == "escape" and getattr(node.value, "id", "") == "html":
            found.append("html.escape")
    return found


def test_no_module_in_course_builds_html_by_hand():
    found = {}
    for path in sorted((REPO / "course").rglob("*.py")):
        hits = [hit for hit in handmade_html(path) if not hit.startswith(("<!-- course-map",))]
        if hits:
            found[path.relative_to(REPO).as_posix()] = hits[:3]
    assert not found, found


def test_the_scan_finds_planted_markup(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('import html\n\ndef card(x):\n    return f"<div>{html.escape(x)}</div>"\n', encoding="utf-8")
    assert set(handmade_html(planted)) == {"<div>", "</div>", "html.escape"}
