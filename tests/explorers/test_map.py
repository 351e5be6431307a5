"""The map of where the troops went (lesson 07): shipped boundaries, sourced places, a caption and a text
alternative that follow the data, and Chinese labels drawn as glyphs."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import warnings
from html.parser import HTMLParser

import ipywidgets as widgets
import pytest

from course.evidence.package import DataError, load
from course.explorers import maps
from course.explorers.fonts import INSTALL_HINT, cjk_family
from course.i18n import format_date
from course.settings import data_dir

MAX_BYTES = 300_000


@pytest.fixture(scope="module")
def ev():
    return load()


@pytest.fixture(scope="module")
def collection():
    return json.loads(maps.boundaries_path().read_text(encoding="utf-8"))


def texts_of(fig) -> list[str]:
    """Every piece of text drawn on the figure (titles, labels, annotations)."""
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title() for ax in fig.axes]


def expected_batches(ev) -> list[tuple[int, str, str]]:
    """(batch, date in prose, destination) for each destination row, read from the places and events tables."""
    events = ev.events.set_index("id")
    out = []
    for row in ev.places.itertuples():
        if row.kind == "destination" and row.batch is not None and row.batch == row.batch:
            event = events.loc[row.event_id]
            out.append((int(row.batch), format_date(event["date"], event["date_precision"]), row.name_en))
    return sorted(out)


# --- the shipped boundaries --------------------------------------------------------------------------------


def test_the_shipped_boundaries_are_small_valid_and_inside_the_box(collection):
    path = maps.boundaries_path()
    assert path.stat().st_size < MAX_BYTES
    assert maps.geometry_problems(collection) == []
    west, south, east, north = maps.BOX
    points = [
        p
        for feature in collection["features"]
        for part in maps._rings_and_lines(feature["geometry"])
        for line in part
        for p in line
    ]
    assert len(points) > 1000  # a real coastline, not a placeholder
    assert all(west <= x <= east and south <= y <= north for x, y in points)
    layers = {(f["properties"]["layer"], f["properties"].get("name")) for f in collection["features"]}
    assert {("land", None), ("river", "Yalu"), ("boundary", "Military Demarcation Line 1953")} <= layers
    assert (
        "Natural Earth" in collection["properties"]["source"] and "public domain" in collection["properties"]["licence"]
    )


def test_the_geometry_check_catches_planted_defects(collection):
    """Controls: a point outside the box and an open ring are both named."""
    outside = json.loads(json.dumps(collection))
    river = next(f for f in outside["features"] if f["properties"]["layer"] == "river")
    river["geometry"]["coordinates"][0][0] = [140.0, 40.0]
    assert any("outside" in p for p in maps.geometry_problems(outside))
    opened = json.loads(json.dumps(collection))
    land = next(f for f in opened["features"] if f["properties"]["layer"] == "land")
    land["geometry"]["coordinates"][0][0].pop()
    assert any("not closed" in p for p in maps.geometry_problems(opened))


def test_a_damaged_boundary_file_is_refused_with_a_fix(tmp_path, collection):
    broken = json.loads(json.dumps(collection))
    broken["features"][0]["geometry"]["coordinates"][0][0][0] = [10.0, 10.0]
    path = tmp_path / "broken.geojson"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(maps.MapDataError, match="Fix: restore it"):
        maps.load_boundaries(str(path))


def test_the_data_package_lists_the_boundaries_with_their_licence():
    descriptor = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["path"] == maps.BOUNDARIES_FILE.as_posix())
    assert resource["licenses"][0]["name"] == "public-domain"
    assert "Natural Earth 4.0.0" in resource["description"]
    assert (data_dir() / "maps" / "README.md").exists() and (data_dir() / "maps" / "build_korea_northeast.py").exists()


# --- the places and their sources --------------------------------------------------------------------------


def test_every_place_has_sources_that_exist_and_a_position_on_the_map(ev):
    known = set(ev.sources.id)
    west, south, east, north = maps.BOX
    assert len(ev.places) >= 5
    for row in ev.places.itertuples():
        assert row.source_ids and set(row.source_ids) <= known, row.id
        assert west <= row.lon <= east and south <= row.lat <= north, row.id
        assert row.position_source.strip(), row.id
    linked = ev.places.event_id.dropna()
    assert set(linked) <= set(ev.events.id)


def test_a_place_without_a_source_is_refused(tmp_path):
    """Planted defect: blank one place's sources in a copy of data/: the loader names the file and column."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    lines = (copy / "places.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    andong = next(n for n, line in enumerate(lines) if line.startswith("andong,"))
    assert "peking-review-1958-03-18" in lines[andong]
    lines[andong] = lines[andong].replace(",peking-review-1958-03-18,", ",,")
    (copy / "places.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load(copy)
    assert raised.value.file == "places.csv" and raised.value.column == "source_ids" and raised.value.row == andong + 1
    assert "source_ids" in header


def test_a_place_citing_an_unknown_source_is_refused(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    text = (copy / "places.csv").read_text(encoding="utf-8")
    (copy / "places.csv").write_text(text.replace("peking-review-1958-03-18", "invented-source"), encoding="utf-8")
    with pytest.raises(DataError, match="invented-source"):
        load(copy)


def test_the_map_itself_refuses_a_place_without_sources_or_off_the_map(ev):
    """Evidence built in memory skips the loader: the view checks again."""
    places = ev.places.copy()
    places["source_ids"] = [() if n == 0 else ids for n, ids in enumerate(places.source_ids)]
    with pytest.raises(maps.MapDataError, match="has no source"):
        maps.view(dataclasses.replace(ev, places=places))
    places = ev.places.copy()
    places.at[0, "lon"] = 140.0
    with pytest.raises(maps.MapDataError, match="outside the map"):
        maps.view(dataclasses.replace(ev, places=places))


# --- what the student sees ---------------------------------------------------------------------------------


def test_the_figure_draws_every_place_and_one_arrow_per_batch(ev):
    shown = maps.view(ev)
    fig = maps.figure(shown, maps.load_boundaries())
    drawn = "\n".join(texts_of(fig))
    for row in ev.places.itertuples():
        name = row.name_en if row.in_paper else row.name_en + "*"
        assert name in drawn, name
    points = ev.places[ev.places.position == "point"]
    markers = [line for line in fig.axes[0].lines if line.get_marker() in ("o", "s")]
    assert len(markers) == len(points)
    arrows = [t for t in fig.axes[0].texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == len(expected_batches(ev)) == 3
    for n, date, _place in expected_batches(ev):
        assert f"Batch {n}" in drawn and date in drawn


def test_caption_and_text_alternative_name_the_batches_dates_and_places(ev):
    shown = maps.view(ev)
    for n, date, place in expected_batches(ev):
        for text in (shown.caption, shown.text_alternative):
            assert f"Batch {n}" in text and date in text and place in text, (n, text)
    for row in ev.places.itertuples():
        assert row.name_en in shown.text_alternative and row.role in shown.text_alternative
        if not row.in_paper:
            assert row.name_en in shown.caption.split("not named in Tian 2014")[1]
    assert "Natural Earth" in shown.caption


def test_the_caption_follows_the_data(ev):
    """Change a batch's event date in memory: caption and alt text change with it (nothing is hard-coded)."""
    events = ev.events.copy()
    event_id = ev.places.set_index("id").at["north-china", "event_id"]
    events.loc[events.id == event_id, "date"] = "1958-08-20"
    changed = maps.view(dataclasses.replace(ev, events=events, places=ev.places.copy()))
    assert "20 August 1958" in changed.caption and "20 August 1958" in changed.text_alternative
    assert "14 August 1958" not in changed.caption


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.alts: list[str] = []
        self.cells: list[str] = []
        self._cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt", ""))
        self._cell = tag == "td"

    def handle_data(self, data):
        self.text.append(data)
        if self._cell:
            self.cells.append(data)


def test_show_troop_map_shows_the_image_with_its_alt_text_caption_and_table(ev):
    root = maps.show_troop_map(evidence=ev)
    assert isinstance(root, widgets.VBox)
    image, caption, table = root.children
    seen = Visible()
    seen.feed(image.value)
    assert seen.alts == [maps.view(ev).text_alternative]
    shown_caption = Visible()
    shown_caption.feed(caption.value)
    assert "".join(shown_caption.text).strip() == maps.view(ev).caption
    assert table.selected_index is None  # one click away
    cells = Visible()
    cells.feed(table.children[0].value)
    for row in ev.places.itertuples():
        assert row.name_en in cells.cells and "; ".join(row.source_ids) in cells.cells


def test_the_lesson_call_is_exported():
    from course import lesson

    assert lesson.show_troop_map is maps.show_troop_map


def test_chinese_labels_are_drawn_as_glyphs(ev, monkeypatch):
    if cjk_family() is None:
        pytest.skip(f"no CJK font is installed here: {INSTALL_HINT}")
    monkeypatch.setenv("ONE_VOICE_LANG", "zh_Hans")
    shown = maps.view(ev)
    fig = maps.figure(shown, maps.load_boundaries())
    drawn = "\n".join(texts_of(fig))
    assert all(name in drawn for name in ev.places.name_zh)  # the Chinese names really are on the map
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
