"""The map of where the troops went (lesson 07): Korea and China's Northeast in 1958.

Drawn offline from two shipped files: the boundaries (`data/maps/korea-northeast.geojson`, cut from
Natural Earth 4.0.0, public domain; see data/maps/README.md) and the place table (`data/places.csv`,
checked by the data package like every CSV: each row names its sources, says whether Tian 2014 names
the place, and where its coordinates come from). The batches and their dates come from the events the
place rows point to, so the map, its caption and its text alternative follow the chronology.

Pure part: `load_boundaries(path)`, `geometry_problems(collection)`, `view(evidence) -> TroopMapView`,
`figure(view, boundaries)`, `table_html(view)`. Shell: `show_troop_map()`, one call for a lesson.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets
import pandas as pd

from course.display.templating import render
from course.evidence.package import Evidence, localized
from course.evidence.package import evidence as load_evidence
from course.explorers.base import Cache
from course.explorers.charts import image_html, new_figure, png_bytes
from course.i18n import N_, _, format_date, pgettext
from course.settings import data_dir

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BOX = (118.0, 33.0, 132.0, 46.0)  # west, south, east, north: the box the boundaries were cut to
BOUNDARIES_FILE = Path("maps") / "korea-northeast.geojson"
MAP_SIZE = (6.2, 7.6)  # inches: taller than the charts, for a box 14° wide and 13° high
ASPECT = 1 / math.cos(math.radians((BOX[1] + BOX[3]) / 2))  # degrees of latitude drawn longer than longitude

LAND, SEA, INK = "#ddd7c9", "#f7fafc", "#333333"
# Okabe–Ito colours, each batch with its own line style: colour never carries the batch alone.
BATCH_STYLES = {1: ("#D55E00", "-", 2.6), 2: ("#0072B2", (0, (6, 3)), 2.2), 3: ("#7a4b94", (0, (2, 2)), 2.2)}
RIVER_COLOUR = "#56B4E9"
ARROW_LENGTH = 1.7  # degrees: the arrows towards regions off the map

BATCH_LABELS = {
    "start": N_("Batch {n}: from {date}"),
    "deadline": N_("Batch {n}: due out by {date}"),
    "end": N_("Batch {n}: last troops back {date}"),
}
BATCH_SENTENCES = {
    "start": N_("Batch {n} began to leave Korea on {date}; it was assigned to {place}."),
    "deadline": N_("Batch {n} was due out of Korea by {date}; it was assigned to {place}."),
    "end": N_("Batch {n}, the last, was back in China on {date}; it was assigned to {place}."),
}


def country_labels() -> tuple[tuple[str, float, float], ...]:
    """Orientation only, placed by us on today's boundaries; a map names states, not armies ("ROK": 韩国)."""
    return (
        (pgettext("state on the map", "CHINA"), 120.3, 42.6),
        (pgettext("state on the map", "DPRK"), 127.3, 40.2),
        (pgettext("state on the map", "ROK"), 128.1, 36.4),
        (pgettext("state on the map", "USSR"), 131.3, 45.4),
        (pgettext("state on the map", "JAPAN"), 131.2, 34.6),
    )


VIEWS = Cache(limit=8)


class MapDataError(ValueError):
    """A place the map cannot draw honestly (no source, or outside the boundaries' box)."""


# --- the shipped boundaries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Boundaries:
    """The shipped GeoJSON as plain coordinate lists: land rings, boundary lines by kind, the Yalu."""

    land: tuple[tuple[tuple[float, float], ...], ...]
    borders: tuple[tuple[tuple[float, float], ...], ...]
    demarcation: tuple[tuple[tuple[float, float], ...], ...]
    river: tuple[tuple[tuple[float, float], ...], ...]
    properties: dict


def boundaries_path(folder: Path | None = None) -> Path:
    return (Path(folder) if folder is not None else data_dir()) / BOUNDARIES_FILE


def _positions(coordinates) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in coordinates)


@lru_cache(maxsize=4)
def load_boundaries(path: str | None = None) -> Boundaries:
    """Read the shipped boundaries (once per kernel); a damaged file raises MapDataError naming the problem."""
    file = Path(path) if path else boundaries_path()
    collection = json.loads(file.read_text(encoding="utf-8"))
    problems = geometry_problems(collection)
    if problems:
        raise MapDataError(
            _("{file}: {problem} Fix: restore it (git checkout -- data/maps/).", file=file, problem=problems[0])
        )
    land, borders, demarcation, river = [], [], [], []
    for feature in collection["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        if props["layer"] == "land":
            land += [_positions(ring) for polygon in geometry["coordinates"] for ring in polygon]
        elif props["layer"] == "river":
            river += [_positions(line) for line in geometry["coordinates"]]
        elif props.get("name") == "Military Demarcation Line 1953":
            demarcation += [_positions(line) for line in geometry["coordinates"]]
        else:
            borders += [_positions(line) for line in geometry["coordinates"]]
    return Boundaries(tuple(land), tuple(borders), tuple(demarcation), tuple(river), collection.get("properties", {}))


def _rings_and_lines(geometry: dict) -> tuple[list, list]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return coordinates, []
    if kind == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon], []
    if kind == "LineString":
        return [], [coordinates]
    if kind == "MultiLineString":
        return [], coordinates
    raise KeyError(kind)


def geometry_problems(collection: dict) -> list[str]:
    """What makes the boundary file unusable: unknown geometry, open or degenerate rings, points outside BOX."""
    west, south, east, north = BOX
    problems = []
    if collection.get("type") != "FeatureCollection" or not collection.get("features"):
        return [_("the file is not a GeoJSON FeatureCollection with features.")]
    for n, feature in enumerate(collection["features"], start=1):
        try:
            rings, lines = _rings_and_lines(feature.get("geometry") or {})
        except KeyError:
            problems.append(_("feature {n} has no polygon or line geometry.", n=n))
            continue
        for ring in rings:
            area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:])) / 2
            if len(ring) < 4 or ring[0] != ring[-1] or area == 0:
                problems.append(_("feature {n} has a ring that is not closed or has no area.", n=n))
        problems += [_("feature {n} has a line with fewer than two points.", n=n) for line in lines if len(line) < 2]
        for x, y in (p for part in rings + lines for p in part):
            if not (west <= x <= east and south <= y <= north) or not (math.isfinite(x) and math.isfinite(y)):
                problems.append(_("feature {n} has a point ({x}, {y}) outside the map's box.", n=n, x=x, y=y))
                break
    return problems


# --- the view: places, batches, caption, text alternative ----------------------------------------------


@dataclass(frozen=True)
class MapPlace:
    id: str
    kind: str
    name: str
    role: str
    lon: float
    lat: float
    position: str
    batch: int | None
    source_ids: tuple[str, ...]
    in_paper: bool
    position_source: str


@dataclass(frozen=True)
class MapBatch:
    number: int
    date: str  # ISO, from the event
    date_means: str
    event_id: str
    label: str  # on the map
    sentence: str  # in the caption and the text alternative
    destination: MapPlace


@dataclass(frozen=True)
class TroopMapView:
    places: tuple[MapPlace, ...]
    batches: tuple[MapBatch, ...]
    title: str
    caption: str
    text_alternative: str


def _place(row) -> MapPlace:
    sources = row["source_ids"] if isinstance(row["source_ids"], tuple) else ()
    if not sources:
        raise MapDataError(
            _("data/places.csv: the place '{id}' has no source. Fix: name its sources in source_ids.", id=row["id"])
        )
    west, south, east, north = BOX
    if not (west <= row["lon"] <= east and south <= row["lat"] <= north):
        raise MapDataError(
            _(
                "data/places.csv: the place '{id}' lies outside the map ({lon}, {lat}). "
                "Fix: use a point from {west} to {east} east and {south} to {north} north.",
                id=row["id"],
                lon=row["lon"],
                lat=row["lat"],
                west=west,
                east=east,
                south=south,
                north=north,
            )
        )
    batch = row["batch"]
    return MapPlace(
        id=row["id"],
        kind=row["kind"],
        name=localized({"name": row["name_en"], "name_zh": row["name_zh"]}, "name"),
        role=localized(row, "role"),
        lon=float(row["lon"]),
        lat=float(row["lat"]),
        position=row["position"],
        batch=None if pd.isna(batch) else int(batch),
        source_ids=sources,
        in_paper=bool(row["in_paper"]),
        position_source=localized(row, "position_source"),
    )


def _batches(ev: Evidence, places: dict[str, MapPlace]) -> tuple[MapBatch, ...]:
    """One batch per destination row: its date and what that date means come from the linked event."""
    events = ev.events.set_index("id")
    batches = []
    for row in ev.places.itertuples():
        if row.kind != "destination" or pd.isna(row.batch):
            continue
        event = events.loc[row.event_id]
        date = format_date(event["date"], event["date_precision"])
        place = places[row.id]
        n = int(row.batch)
        batches.append(
            MapBatch(
                number=n,
                date=event["date"],
                date_means=row.date_means,
                event_id=row.event_id,
                label=_(BATCH_LABELS[row.date_means], n=n, date=date),
                sentence=_(BATCH_SENTENCES[row.date_means], n=n, date=date, place=place.name),
                destination=place,
            )
        )
    return tuple(sorted(batches, key=lambda b: b.number))


def _view(ev: Evidence) -> TroopMapView:
    places = {p.id: p for p in (_place(row) for _i, row in ev.places.iterrows())}
    batches = _batches(ev, places)
    title = _("Where the troops went, 1958")
    not_in_paper = [p.name for p in places.values() if not p.in_paper]
    caption = " ".join(
        [
            _(
                "The Chinese People's Volunteers left North Korea in three batches in 1958 and were sent to "
                "different parts of China."
            ),
            *(b.sentence for b in batches),
            _(
                "The dates are those of the chronology (events {ids}), whose notes say how sure each one is.",
                ids=", ".join(b.event_id for b in batches),
            ),
            _(
                "Crossings our sources record: {crossings}. An arrow towards a region off the map shows where a "
                "batch was assigned, not its route; the paper names no garrison town.",
                crossings=", ".join(p.name for p in places.values() if p.kind == "crossing"),
            ),
            _(
                "Marked with an asterisk: not named in Tian 2014 ({names}); the table gives every place's sources.",
                names=", ".join(not_in_paper),
            ),
            _(
                "Boundaries are today's, from Natural Earth 4.0.0 (public domain), drawn for orientation; "
                "the Military Demarcation Line is that of 1953."
            ),
        ]
    )
    text_alternative = " ".join(
        [
            _(
                "Map of Korea and China's Northeast between {west}° and {east}° east and {south}° and {north}° north.",
                west=int(BOX[0]),
                east=int(BOX[2]),
                south=int(BOX[1]),
                north=int(BOX[3]),
            ),
            *(_("{name}: {role}", name=p.name, role=p.role) for p in places.values()),
            *(b.sentence for b in batches),
            _(
                "An arrow for batch 1 runs from {crossing} into the Northeast; the arrows of the later batches "
                "point off the map towards their regions.",
                crossing=", ".join(p.name for p in places.values() if p.kind == "crossing"),
            ),
        ]
    )
    return TroopMapView(
        places=tuple(places.values()),
        batches=batches,
        title=title,
        caption=caption,
        text_alternative=text_alternative,
    )


def view(ev: Evidence) -> TroopMapView:
    """Places, batches, caption and text alternative, from the place table and the events it points to."""
    return VIEWS.get(ev.places, "view", lambda: _view(ev))


# --- the figure ------------------------------------------------------------------------------------------


def _marked(place: MapPlace) -> str:
    return place.name if place.in_paper else place.name + "*"


def _draw_base(ax: Axes, boundaries: Boundaries) -> None:
    from matplotlib.patches import Polygon

    ax.set_facecolor(SEA)
    for ring in boundaries.land:
        ax.add_patch(Polygon(ring, closed=True, facecolor=LAND, edgecolor="#8a857a", linewidth=0.5))
    for line in boundaries.borders:
        xs, ys = zip(*line)
        ax.plot(xs, ys, color=INK, linewidth=0.9, linestyle=(0, (5, 1.5, 1, 1.5)))
    for line in boundaries.demarcation:
        xs, ys = zip(*line)
        ax.plot(xs, ys, color=INK, linewidth=1.6, linestyle=(0, (3, 1.5)))
    for line in boundaries.river:
        xs, ys = zip(*line)
        ax.plot(xs, ys, color=RIVER_COLOUR, linewidth=2.4, solid_capstyle="round")


def figure(view: TroopMapView, boundaries: Boundaries) -> Figure:
    """The map: land, boundaries, the Yalu, the places of the table, and one arrow per batch."""
    fig = new_figure()
    fig.set_size_inches(*MAP_SIZE)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.93))
    west, south, east, north = BOX
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(ASPECT)
    ax.set_xticks([])
    ax.set_yticks([])
    _draw_base(ax, boundaries)
    for label, x, y in country_labels():
        ax.text(x, y, label, ha="center", va="center", fontsize=9, color="#5a5a5a")
    halo = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    batches = {b.number: b for b in view.batches}
    crossing = next((p for p in view.places if p.kind == "crossing"), None)
    for place in view.places:
        if place.position == "point":
            marker = "s" if place.kind == "crossing" else "o"
            ax.plot(place.lon, place.lat, marker=marker, color=INK, markersize=6, markeredgecolor="white", zorder=5)
            ax.annotate(
                _marked(place),
                (place.lon, place.lat),
                xytext=(7, -3) if place.kind == "crossing" else (7, 0),
                textcoords="offset points",
                va="top" if place.kind == "crossing" else "center",
                fontsize=8.5,
                bbox=halo,
                zorder=6,
            )
        elif place.kind in ("river", "line"):
            ax.text(place.lon, place.lat, _marked(place), fontsize=8, style="italic", bbox=halo, zorder=6)
    for number, batch in batches.items():
        colour, style, width = BATCH_STYLES.get(number, (INK, "-", 2.0))
        place = batch.destination
        arrow = {"arrowstyle": "-|>", "color": colour, "linewidth": width, "linestyle": style, "mutation_scale": 16}
        if place.position == "edge":
            start = (place.lon + ARROW_LENGTH, place.lat)
            ax.annotate("", xy=(place.lon + 0.05, place.lat), xytext=start, arrowprops=arrow, zorder=4)
            text = f"{batch.label}\n→ {_marked(place)}"
            ax.text(place.lon + 0.15, place.lat - 0.3, text, va="top", fontsize=8.5, bbox=halo, zorder=6)
        else:
            ax.text(place.lon, place.lat, _marked(place), ha="center", fontsize=11.5, zorder=6)
            ax.text(place.lon, place.lat - 0.45, batch.label, ha="center", va="top", fontsize=8.5, bbox=halo, zorder=6)
            if crossing is not None:
                arrow["connectionstyle"] = "arc3,rad=-0.2"
                ax.annotate(
                    "", xy=(place.lon - 0.3, place.lat - 1.1), xytext=(crossing.lon, crossing.lat), arrowprops=arrow
                )
    ax.text(east - 0.15, south + 0.15, _("* not named in Tian 2014"), ha="right", va="bottom", fontsize=8)
    ax.set_title(view.title, fontsize=12, y=1.0)
    return fig


def map_png(view: TroopMapView, boundaries: Boundaries) -> bytes:
    return VIEWS.get(view, ("png", id(boundaries)), lambda: png_bytes(figure(view, boundaries)))


# --- the table behind the map and the one call for a lesson ---------------------------------------------


def table_html(view: TroopMapView) -> str:
    """Every place on the map with what happened there, its sources and where its position comes from."""
    columns = [_("Place"), _("What happened there"), _("Sources"), _("Named in Tian 2014"), _("Position from")]
    rows = [
        [p.name, p.role, "; ".join(p.source_ids), _("yes") if p.in_paper else _("no"), p.position_source]
        for p in view.places
    ]
    caption = _("The places on the map and their sources (data/places.csv).")
    return render("explorers/table.html.j2", columns=columns, rows=rows, caption=caption, marked=set())


def show_troop_map(evidence: Evidence | None = None, boundaries_file: str | None = None) -> widgets.Widget:
    """One line for a lesson: the map, its caption, and the table behind it one click away."""
    ev = evidence if evidence is not None else load_evidence()
    shown = view(ev)
    png = map_png(shown, load_boundaries(boundaries_file))
    table = widgets.Accordion(
        children=[widgets.HTML(table_html(shown))], titles=(_("Table: the places on the map, with their sources"),)
    )
    table.selected_index = None
    return widgets.VBox(
        [
            widgets.HTML(image_html(png, shown.text_alternative)),
            widgets.HTML(render("explorers/troop_map_caption.html.j2", view=shown)),
            table,
        ]
    )
