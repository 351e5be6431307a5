"""Archival references explained in plain words under each document."""

from __future__ import annotations

import pytest

from course.display.archives import archive_terms
from course.display.documents import document_html


@pytest.mark.parametrize(
    "reference, expected",
    [
        ("AVPRF, F. 0102, Op. 14, Delo 6, Listy 14-25", ["f.", "op.", "d.", "l.", "AVPRF"]),
        ("ARAN, ф.1636, оп.1, д.199, л.1-6", ["f.", "op.", "d.", "l.", "ARAN"]),  # оп. is not п. (papka)
        ("PRC Foreign Ministry Archives, 109-00828-05, p. 44", ["109-00828-05"]),  # p. 44 is a page, not a papka
        ("Department of State, Central Files, 795.00/2-2858", ["795.00/2-2858"]),
        ("《人民日报》1958年2月6日，第1版", []),
    ],
)
def test_each_term_in_a_reference_is_found_once(reference, expected):
    terms = [term for term, _meaning in archive_terms(reference)]
    assert [t.split(" ")[0] if "/" in t and not t[0].isdigit() else t for t in terms] == expected


def test_the_reader_explains_a_soviet_file_reference():
    page = document_html("puzanov-1957-12-17-a")
    assert (
        "Reading the reference" in page and "the file itself" in page and "AVPRF: the Archive of Foreign Policy" in page
    )
