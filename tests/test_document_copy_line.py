"""The reader's "Copy used" line names the copy (Jinja's `doc.copy` found dict.copy, a method, instead)."""

from __future__ import annotations

import html
import re

from course.display.documents import document_html
from course.evidence.package import evidence


def test_every_document_names_the_copy_it_was_taken_from():
    ev = evidence()
    for row in ev.excerpts.itertuples():
        shown = html.unescape(re.sub(r"<[^>]+>", " ", document_html(row.id, ev)))
        assert "built-in method" not in shown, row.id
        assert f"Copy used: {row.copy}" in " ".join(shown.split()), row.id
