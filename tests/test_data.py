"""The shipped evidence base: valid as a Frictionless package, complete, and true to the paper's numbers."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from course.evidence.package import evidence, force_table
from course.settings import data_dir
from tests.helpers import REPO
from tests.zh_checks import copied_runs, paper_runs


@pytest.fixture(scope="module")
def ev():
    return evidence()


def test_frictionless_validates_the_package():
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(frictionless), "validate", str(data_dir() / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_ids_resolve_and_every_row_is_sourced(ev):
    known = set(ev.sources.id)
    for name in ("events", "claims", "forces"):
        frame = getattr(ev, name)
        assert all(len(ids) >= 1 and set(ids) <= known for ids in frame.source_ids), name


def test_every_citing_footnote_is_covered(ev):
    cited = {n for notes in ev.sources.footnotes.dropna() for n in notes}
    # Footnotes 1 and 7 explain terms and cite nothing; every other footnote cites a work.
    expected = {str(n) for n in range(2, 58)} - {"1", "7"}
    assert expected <= cited, sorted(expected - cited, key=int)
    assert "chart" in cited


def test_primary_excerpts_carry_a_translation_and_translator(ev):
    quoted = ev.sources[ev.sources.excerpt.notna()]
    assert len(quoted) >= 10
    assert quoted.excerpt_en.notna().all() and quoted.translator.notna().all()


def test_chronology_spans_1948_to_the_last_train(ev):
    dates = ev.events.date
    assert dates.min().startswith("1948")
    last_train = ev.events[ev.events.date == "1958-10-26"]
    assert last_train.kind.eq("troop_movement").any()
    assert len(ev.events) > 60


def test_communications_name_sender_and_receiver(ev):
    letters = ev.events[ev.events.kind.isin(["letter"])]
    assert letters.from_party.notna().all() and letters.to_party.notna().all()


def test_argument_map_is_a_tree_rooted_at_the_thesis(ev):
    claims = ev.claims.set_index("id")
    assert (claims.kind == "thesis").sum() == 1
    thesis = claims.index[claims.kind == "thesis"][0]
    for node in claims.index:
        seen = set()
        while node != thesis:
            assert node not in seen, f"cycle through {node}"
            seen.add(node)
            node = claims.loc[node, "target"]
            assert isinstance(node, str), "a node other than the thesis has no target"
    assert claims.hedged.sum() >= 5
    assert {"counterclaim", "inference", "evidence"} <= set(claims.kind)


def test_every_counterclaim_is_answered(ev):
    counter = set(ev.claims.id[ev.claims.kind == "counterclaim"])
    answered = set(ev.claims.target[ev.claims.relation.isin(["rebuts", "qualifies"])])
    assert counter and counter <= answered


# The reconstruction must honour the paper's quantitative statements (Tian 2014, §1, §2.2, §6.2).


def test_july_1956_balance_is_about_seven_to_six(ev):
    row = force_table(ev.forces).loc[1956]
    ratio = row["UN_incl_ROK"] / row["communist"]
    assert abs(ratio / (7 / 6) - 1) <= 0.10, ratio


@pytest.mark.parametrize("series", ["UN", "CPV"])
def test_un_forces_and_cpv_fell_by_more_than_three_quarters_by_1956(ev, series):
    """For the UN forces this is evidence; for the CPV it holds only in the 1953 scenario value (next test)."""
    table = force_table(ev.forces)
    assert table.loc[1956, series] < 0.25 * table.loc[1953, series]


def test_the_1953_cpv_value_is_labelled_a_scenario_not_an_estimate(ev):
    row = ev.forces[(ev.forces.year == 1953) & (ev.forces.series == "CPV")].iloc[0]
    assert row.note.startswith("SCENARIO VALUE, not a best estimate")
    assert row.basis == "interpolated" and row.low < 4 * 290_000 < row.strength
    forces_md = (REPO / "data" / "FORCES.md").read_text(encoding="utf-8")
    assert "1,200,000 *scenario*" in forces_md and "not a test" in forces_md


def test_cells_set_from_the_papers_own_words_say_they_are_circular(ev):
    for year in (1957, 1958):
        note = ev.forces[(ev.forces.year == year) & (ev.forces.series == "KPA")].iloc[0].note
        assert "Circular" in note, year


def test_rok_1958_lies_between_the_frus_counts_around_it(ev):
    """667,542 on 30 Nov 1957 (FRUS 1955-57 XXIII-2 doc. 258) and 610,000 + 20,000 reservists by 16 Oct 1958
    (FRUS 1958-60 XVIII doc. 245, fn. 3): a 1 July 1958 value outside that band contradicts both counts."""
    row = ev.forces[(ev.forces.year == 1958) & (ev.forces.series == "ROK")].iloc[0]
    assert 610_000 <= row.low <= row.strength <= row.high <= 667_542 + 1_000
    assert {"frus-1955-57-v23p2-d258", "frus-1958-60-v18-d245"} <= set(row.source_ids)


def test_cpv_near_300000_in_1956_57(ev):
    table = force_table(ev.forces)
    for year in (1956, 1957):
        assert 250_000 <= table.loc[year, "CPV"] <= 300_000


def test_kpa_near_350000_and_rok_above_600000(ev):
    table = force_table(ev.forces)
    for year in (1956, 1957):
        assert 320_000 <= table.loc[year, "KPA"] <= 360_000
    for year in (1956, 1957, 1958):
        assert table.loc[year, "ROK"] > 600_000


def test_totals_are_computed_not_stored(ev):
    assert set(ev.forces.series) == {"KPA", "CPV", "ROK", "US", "other_UN"}
    table = force_table(ev.forces)
    assert (table.communist == table.KPA + table.CPV).all()
    assert (table.UN_incl_ROK == table.US + table.other_UN + table.ROK).all()


def test_notes_say_where_a_statement_fails_across_the_range(ev):
    low, high = force_table(ev.forces, "low"), force_table(ev.forces, "high")
    cpv_fell_everywhere = high.loc[1956, "CPV"] < 0.25 * low.loc[1953, "CPV"]
    notes = " ".join(ev.forces.note.dropna())
    if not cpv_fell_everywhere:
        assert re.search(r"three quarters|3/4|¾", notes), "the CPV-decline claim is fragile but no note says so"


# Checked in tests/test_zh_data.py instead: a reference cites the same works as Tian's footnotes (their
# titles are names, not prose), and a card's Chinese quotation may be a document's words as Tian quotes them.
NOT_HERE = {("sources", "reference_zh"), ("sources", "excerpt_zh")}


def test_our_text_does_not_copy_the_paper(ev, paper_text):
    """No 20-character run of the paper's Chinese appears in our Chinese text: every `*_zh` column of the
    resources we write (quotations under 20 characters, marked “…”, and web addresses aside). Document
    excerpts are not ours: they quote their source's exact words, Chinese ones included."""
    runs = paper_runs(paper_text)
    columns = [
        (name, column)
        for name in ("sources", "people", "events", "claims", "plans", "forces")
        for column in getattr(ev, name).columns
        if column.endswith("_zh") and (name, column) not in NOT_HERE
    ]
    assert {("events", "event_zh"), ("claims", "text_zh"), ("sources", "can_tell_zh")} <= set(columns)
    copied = []
    for name, column in columns:
        frame = getattr(ev, name)
        for row_id, text in zip(frame.iloc[:, 0], frame[column]):
            if isinstance(text, str) and (found := copied_runs(text, runs)):
                copied.append(f"{name}.csv {row_id} {column}: {found[0]}")
    assert copied == []


# Document excerpts (data/excerpts.csv, data/paragraphs.csv): traceable, attributed, and enough to read.

RIGHTS = {"public-domain", "official-document", "quoted-excerpt"}


def test_every_excerpt_is_traceable_to_its_copy_translator_and_terms(ev):
    ex = ev.excerpts
    assert set(ex.source_id) <= set(ev.sources.id)
    assert set(ex.rights) <= RIGHTS
    for column in ("location", "copy", "translator", "translation_chain"):
        assert ex[column].map(lambda v: isinstance(v, str) and len(v) > 3).all(), column
    assert set(ev.paragraphs.excerpt_id) == set(ex.id), "an excerpt without paragraphs, or paragraphs of no excerpt"


def test_non_english_excerpts_carry_their_original_and_english_ones_do_not_pretend_to(ev):
    paragraphs = ev.paragraphs.merge(ev.excerpts[["id", "language"]], left_on="excerpt_id", right_on="id")
    english = paragraphs[paragraphs.language == "en"]
    assert english.original.isna().all() or (english.original.fillna("") == "").all()
    assert paragraphs.english.map(lambda v: isinstance(v, str) and v.strip() != "").all()


def _primary_words(ev) -> dict[str, int]:
    words = ev.paragraphs.merge(ev.excerpts[["id", "lesson"]], left_on="excerpt_id", right_on="id")
    return words.groupby("lesson").english.apply(lambda texts: sum(len(t.split()) for t in texts)).to_dict()


def test_every_lesson_has_enough_primary_text_to_argue_from(ev):
    """Issue targets: >= 500 English words of primary text in lessons 01-08, >= 1,000 in 01, 07 and 08."""
    words = _primary_words(ev)
    for lesson in [f"{n:02d}" for n in range(1, 9)]:
        slug = next(s for s in words if s.startswith(lesson))
        need = 1000 if lesson in ("01", "07", "08") else 500
        assert words[slug] >= need, (slug, words[slug])
    assert sum(words.values()) >= 6000
