"""Archival references in plain words: what `F. 0102, Op. 13, Delo 5`, `ф.1636, оп.1, д.199` or `109-00828-05`
mean, so a student can read where a document is kept (the glossary under each document in the reader)."""

from __future__ import annotations

import re

from course.i18n import N_, _

# (pattern that finds the term in a reference, the term as shown, what it means)
TERMS = (
    (
        r"\b(?:F\.|fond)\s*\d|(?<![а-яА-Я])ф\.\s*\d",
        "f. / ф. (fond)",
        N_("the collection: the records of one office, e.g. 0102 = the Soviet embassy in Korea"),
    ),
    (
        r"\b(?:Op\.|op\.|opis)\s*\d|(?<![а-яА-Я])оп\.\s*\d",
        "op. / оп. (opis')",
        N_("the inventory: a list of the files within a collection"),
    ),
    (
        r"\b(?:P\.|papka)\s*\d|(?<![а-яА-Я])п\.\s*\d",
        "p. / п. (papka)",
        N_("the folder in which several files are kept together"),
    ),
    (r"\b(?:Delo|delo|d\.)\s*\d|(?<![а-яА-Я])д\.\s*\d", "d. / д. (delo)", N_("the file itself")),
    (
        r"\b(?:Listy|listy|l\.|ll\.)\s*\d|(?<![а-яА-Я])л\.\s*\d",
        "l. / л. (list, listy)",
        N_("the sheet or sheets within the file"),
    ),
    (
        r"\b1\d\d-\d{5}-\d\d\b",
        "109-00828-05",
        N_("a PRC Foreign Ministry Archives number: series (109 = Korea), file, and document in the file"),
    ),
    (
        r"\bLot \d\d D \d+",
        "Lot 61 D 417",
        N_("a 'lot': a batch of State Department office files transferred to the National Archives"),
    ),
    (
        r"\b\d{3}\.\d\d/\d",
        "795.00/2-2858",
        N_("a State Department Central Files number: subject (795.00 = Korea, politics) / date (2-28-58)"),
    ),
)
ARCHIVES = {
    "AVPRF": N_(
        "AVPRF: the Archive of Foreign Policy of the Russian Federation, Moscow (the Soviet Foreign Ministry's records)"
    ),
    "ARAN": N_("ARAN: the Archive of the Russian Academy of Sciences, Moscow (Yudin's papers)"),
    "RGANI": N_("RGANI: the Russian State Archive of Contemporary History (the CPSU Central Committee's records)"),
}


def archive_terms(reference: str) -> list[tuple[str, str]]:
    """The archival terms a reference uses, each with its meaning in the current language, in a fixed order."""
    if not isinstance(reference, str) or not reference:
        return []
    found = [(term, _(meaning)) for pattern, term, meaning in TERMS if re.search(pattern, reference)]
    found += [(key, _(meaning)) for key, meaning in ARCHIVES.items() if key in reference]
    return found
