"""Simplify a GeoJSON of England's regions into the small file the hub's map is drawn from.

Usage: python scripts/simplify_boundaries.py SOURCE.geojson [OUT.json] [--tolerance 0.015]

The source is ONS/OS boundary data under the Open Government Licence (see
hub/web/static/maps/README.md for the file used). Each region keeps its largest rings
(islands under MIN_AREA square degrees are dropped), simplified by Douglas-Peucker in a
plane scaled for England's latitude, with coordinates rounded to 3 decimal places (~100 m):
at the size the map is drawn, nothing finer can be seen, and the file stays small.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

LATITUDE = 52.7  # the middle of England: one degree of longitude is cos(52.7) of a degree north
MIN_AREA = 0.01  # square degrees (about 80 km²): smaller islands vanish at this scale
PLACES = 3
# The source's names, mapped to the gazetteer's region slugs (content/taxonomy/places.yml).
SLUGS = {"North East": "north-east", "North West": "north-west",
         "Yorkshire and The Humber": "yorkshire-and-the-humber", "East Midlands": "east-midlands",
         "West Midlands": "west-midlands", "Eastern": "east-of-england",
         "East of England": "east-of-england", "London": "london", "South East": "south-east",
         "South West": "south-west"}


def _distance(point, start, end) -> float:
    scale = math.cos(math.radians(LATITUDE))
    (px, py), (ax, ay), (bx, by) = [(x * scale, y) for x, y in (point, start, end)]
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: list, tolerance: float) -> list:
    """The points of a line that stay within `tolerance` of it (iterative, no recursion)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring: list) -> float:
    """The ring's area in square degrees (shoelace)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def simplify(geometry: dict, tolerance: float) -> list:
    """The geometry's outer rings big enough to see, simplified and rounded."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = []
    for polygon in polygons:
        outer = polygon[0]  # holes are lakes and estuaries: invisible at this scale
        if area(outer) < MIN_AREA:
            continue
        thin = douglas_peucker(outer, tolerance)
        rounded = [[round(x, PLACES), round(y, PLACES)] for x, y in thin]
        if len(rounded) >= 4:
            rings.append(rounded)
    return rings


def main(argv: list[str] | None = None) -> int:
    """Read the source file and write the simplified regions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path, nargs="?",
                        default=Path("hub/web/static/maps/england-regions.json"))
    parser.add_argument("--tolerance", type=float, default=0.015)
    args = parser.parse_args(argv)
    data = json.loads(args.source.read_text(encoding="utf-8"))
    regions = {}
    for feature in data["features"]:
        name = next(v for k, v in feature["properties"].items() if k.endswith("NM"))
        regions[SLUGS[name]] = simplify(feature["geometry"], args.tolerance)
    args.out.write_text(json.dumps({"regions": regions}, separators=(",", ":")) + "\n",
                        encoding="utf-8")
    points = sum(len(r) for rings in regions.values() for r in rings)
    print(f"{args.out}: {len(regions)} regions, {points} points, {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
