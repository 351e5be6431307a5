"""The reader's "Copy used" line names the copy (Jinja's `doc.copy` found dict.copy, a method, instead)."""

from __future__ import annotations

import html
import re

from course.display.documents import document_html
from course.evidence.package import evidence


def test_every_document_names_the_copy_it_was_taken_from():
    ev = evidence()
    for row in ev.excerpts.itertuples():
        page = document_html(row.id, ev)
        shown = html.unescape(re.sub(r"<span lang='[^']+'>|</span>", "", page))  # language tags inside the line
        shown = html.unescape(re.sub(r"<[^>]+>", " ", shown))
        assert "built-in method" not in shown, row.id
        assert f"Copy used: {row.copy}" in " ".join(shown.split()), row.id
