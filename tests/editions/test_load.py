"""The reading load report and the stated times it keeps honest (issue: less of our voice)."""

from __future__ import annotations

import json

import pytest

from course.catalog import lessons
from course.editions.load import Load, lesson_load, load_table, words
from course.settings import notebooks_dir

LOADS = {item.slug: lesson_load(notebooks_dir() / item.filename) for item in lessons()}


def test_the_model_counts_reading_speeds_and_tasks():
    load = Load("x", 22, prose_words=700, displayed_words=700, primary_words=500, tasks=2)
    assert load.model_minutes == pytest.approx(1400 / 140 + 500 / 100 + 6)  # 21 minutes
    assert load.within_tolerance and not Load("x", 30, 700, 700, 500, 2).within_tolerance


def test_words_ignore_markup():
    assert words("<b>Mao</b> met **Kim** in `1957`") == 5


def test_a_lesson_counts_its_documents_as_primary_text_and_its_tasks(tmp_path):
    nb = {
        "metadata": {"one_voice": {"slug": "99-test", "minutes": 10}},
        "nbformat": 4,
        "nbformat_minor": 5,
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["Three words here"]},
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "source": ['show_document("peking-review-1958-03-18-a")'],
            },
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": ['self_check("start-paper-author")']},
            {"cell_type": "markdown", "metadata": {"nbgrader": {"solution": True}}, "source": ["Answer"]},
        ],
    }
    path = tmp_path / "99-test.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    load = lesson_load(path)
    assert (load.prose_words, load.tasks) == (4, 2) and load.primary_words > 100


@pytest.mark.parametrize("slug", sorted(LOADS))
def test_each_stated_time_is_within_a_fifth_of_the_model(slug):
    load = LOADS[slug]
    assert load.within_tolerance, f"{slug}: stated {load.stated_minutes} min, model {load.model_minutes:.0f} min"


def test_our_prose_is_at_most_17000_words_and_the_documents_at_least_6000():
    assert sum(x.prose_words for x in LOADS.values()) <= 17_000
    assert sum(x.primary_words for x in LOADS.values()) >= 6_000


def test_the_report_has_a_row_per_lesson():
    table = load_table(list(LOADS.values()))
    assert all(f"| {slug} |" in table for slug in LOADS)
