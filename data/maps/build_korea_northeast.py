"""Rebuild data/maps/korea-northeast.geojson from the Natural Earth 1:10m files (see README.md beside this file).

Not run by the lessons: they read only the shipped GeoJSON. Standard library only, so anyone can check the cut:

    python data/maps/build_korea_northeast.py UPSTREAM_FOLDER [OUTPUT]

UPSTREAM_FOLDER holds the three Natural Earth 4.0.0 layers as GeoJSON (names as Natural Earth gives them):
ne_10m_land.json, ne_10m_admin_0_boundary_lines_land.json, ne_10m_rivers_lake_centerlines.json.

What it does: keeps land, the land boundaries and the Yalu River; clips every geometry to the box
118-132 E, 33-46 N; simplifies lines and rings (Douglas-Peucker, tolerance 0.005 degree, about 500 m);
drops islands smaller than 0.004 square degrees (about 40 km2); rounds coordinates to 3 decimals.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BOX = (118.0, 33.0, 132.0, 46.0)  # west, south, east, north
TOLERANCE = 0.005
MIN_ISLAND = 0.004
DECIMALS = 3
RIVERS = {"Yalu"}
OUTPUT = Path(__file__).with_name("korea-northeast.geojson")


def _clip_ring(ring: list[list[float]]) -> list[list[float]]:
    """Sutherland-Hodgman: the part of a closed ring inside BOX (edges along the box where it was cut)."""
    west, south, east, north = BOX
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _cut_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cut_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cut_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cut_y(a, b, north)),
    ]
    points = ring[:-1] if ring and ring[0] == ring[-1] else ring
    for inside, cut in edges:
        if not points:
            break
        kept = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    kept.append(cut(previous, point))
                kept.append(point)
            elif inside(previous):
                kept.append(cut(previous, point))
            previous = point
        points = kept
    return points + points[:1] if points else []


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return [x, a[1] + t * (b[1] - a[1])]


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return [a[0] + t * (b[0] - a[0]), y]


def _inside(p) -> bool:
    west, south, east, north = BOX
    return west <= p[0] <= east and south <= p[1] <= north


def _clip_segment(a, b):
    """Liang-Barsky: the part of segment a-b inside BOX, or None."""
    west, south, east, north = BOX
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - west), (dx, east - a[0]), (-dy, a[1] - south), (dy, north - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    start = a if t0 == 0 else [a[0] + t0 * dx, a[1] + t0 * dy]
    end = b if t1 == 1 else [a[0] + t1 * dx, a[1] + t1 * dy]
    return start, end


def _clip_line(line: list[list[float]]) -> list[list[list[float]]]:
    """The pieces of a line inside BOX."""
    pieces, current = [], []
    for a, b in zip(line, line[1:]):
        part = _clip_segment(a, b)
        if part is None:
            if len(current) > 1:
                pieces.append(current)
            current = []
            continue
        start, end = part
        if not current:
            current = [start]
        current.append(end)
        if end != b:  # left the box
            pieces.append(current)
            current = []
    if len(current) > 1:
        pieces.append(current)
    return pieces


def _distance(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return ((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5


def _simplify(points: list[list[float]]) -> list[list[float]]:
    """Douglas-Peucker with TOLERANCE, first and last points kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def _area(ring) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))) / 2


def _rounded(points):
    out = []
    for x, y in points:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def _polygons(geometry) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _lines(geometry) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]


def land(features) -> dict:
    polygons = []
    for feature in features:
        for polygon in _polygons(feature["geometry"]):
            rings = []
            for n, ring in enumerate(polygon):
                if not any(_inside(p) for p in ring) and n == 0:
                    xs, ys = [p[0] for p in ring], [p[1] for p in ring]  # a ring can enclose the box
                    if max(xs) < BOX[0] or min(xs) > BOX[2] or max(ys) < BOX[1] or min(ys) > BOX[3]:
                        break
                clipped = _rounded(_simplify(_clip_ring(ring)))
                if len(clipped) >= 4 and _area(clipped) >= (MIN_ISLAND if n == 0 else MIN_ISLAND / 4):
                    rings.append(clipped)
                elif n == 0:
                    break
            if rings:
                polygons.append(rings)
    return {
        "type": "Feature",
        "properties": {"layer": "land"},
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
    }


def boundaries(features) -> list[dict]:
    out = []
    for feature in features:
        props = feature["properties"]
        if props.get("featurecla", "").startswith("Overlay limit"):  # the DMZ's edges: the line itself is kept
            continue
        pieces = [_rounded(_simplify(piece)) for line in _lines(feature["geometry"]) for piece in _clip_line(line)]
        pieces = [p for p in pieces if len(p) > 1]
        if pieces:
            out.append(
                {
                    "type": "Feature",
                    "properties": {
                        "layer": "boundary",
                        "left": props["adm0_a3_l"],
                        "right": props["adm0_a3_r"],
                        "name": props.get("name"),
                        "class": props["featurecla"],
                    },
                    "geometry": {"type": "MultiLineString", "coordinates": pieces},
                }
            )
    return sorted(out, key=lambda f: (f["properties"]["left"], f["properties"]["right"]))


def rivers(features) -> list[dict]:
    pieces = []
    for feature in features:
        if feature["properties"].get("name") in RIVERS and feature["geometry"]:
            pieces += [_rounded(_simplify(p)) for line in _lines(feature["geometry"]) for p in _clip_line(line)]
    pieces = [p for p in pieces if len(p) > 1]
    return [
        {
            "type": "Feature",
            "properties": {"layer": "river", "name": name},
            "geometry": {"type": "MultiLineString", "coordinates": pieces},
        }
        for name in sorted(RIVERS)
    ]


def build(upstream: Path) -> dict:
    def read(name):
        return json.loads((upstream / name).read_text(encoding="utf-8"))["features"]

    return {
        "type": "FeatureCollection",
        "bbox": list(BOX),
        "properties": {
            "source": "Natural Earth 4.0.0, 1:10m: ne_10m_land, ne_10m_admin_0_boundary_lines_land, "
            "ne_10m_rivers_lake_centerlines (Yalu only)",
            "licence": "public domain (Natural Earth terms of use)",
            "cut": f"clipped to {list(BOX)}, Douglas-Peucker {TOLERANCE} degree, islands under {MIN_ISLAND} "
            f"square degrees dropped, {DECIMALS} decimals; data/maps/build_korea_northeast.py",
        },
        "features": [
            land(read("ne_10m_land.json")),
            *boundaries(read("ne_10m_admin_0_boundary_lines_land.json")),
            *rivers(read("ne_10m_rivers_lake_centerlines.json")),
        ],
    }


def main(argv: list[str]) -> None:
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    output = Path(argv[2]) if len(argv) == 3 else OUTPUT
    collection = build(Path(argv[1]))
    output.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{output}: {output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv)
