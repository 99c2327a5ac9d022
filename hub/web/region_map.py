"""A map of England by region, drawn on the server as accessible SVG (no JavaScript).

The boundaries are hub/web/static/maps/england-regions.json, simplified from ONS/OS open data
(see the README beside it for the source and licence). Each region is a link with a <title>
(name and count) and is shaded in one of five steps by its count; the page always shows the
same counts as a table too, so nothing is known from colour alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from hub.text.counts import count as counted

BOUNDARIES = Path(__file__).parent / "static" / "maps" / "england-regions.json"
LATITUDE = 52.7  # the middle of England: a degree east is cos(52.7) of a degree north
SCALE = 60  # SVG units per degree north
SHADES = 5


@lru_cache(maxsize=1)
def boundaries() -> dict[str, list]:
    """Each region's rings of (longitude, latitude), from the shipped file."""
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))["regions"]


@lru_cache(maxsize=1)
def _paths() -> tuple[dict[str, str], tuple[float, float]]:
    """Each region's SVG path data, and the drawing's width and height."""
    regions = boundaries()
    points = [p for rings in regions.values() for ring in rings for p in ring]
    west, north = min(p[0] for p in points), max(p[1] for p in points)
    east, south = max(p[0] for p in points), min(p[1] for p in points)
    squeeze = math.cos(math.radians(LATITUDE))

    def xy(point) -> str:
        return f"{(point[0] - west) * squeeze * SCALE:.1f},{(north - point[1]) * SCALE:.1f}"

    paths = {slug: " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for ring in rings)
             for slug, rings in regions.items()}
    return paths, ((east - west) * squeeze * SCALE, (north - south) * SCALE)


def shade(count: int, most: int) -> int:
    """0 for none, else 1-4 in equal steps up to the largest count."""
    if count <= 0 or most <= 0:
        return 0
    return min(SHADES - 1, 1 + (count - 1) * (SHADES - 1) // most)


def region_map(counts: Mapping[str, int], names: Mapping[str, str],
               link: Callable[[str], str], title: str, description: str) -> Markup:
    """The SVG: one linked, titled, shaded path per region with a count."""
    paths, (width, height) = _paths()
    most = max((counts.get(slug, 0) for slug in paths), default=0)
    parts = [f'<svg class="region-map" role="group" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="map-title">{escape(title)}</title>',
             f'<desc id="map-desc">{escape(description)}</desc>']
    for slug, data in paths.items():
        count = counts.get(slug, 0)
        label = f"{names.get(slug, slug)}: {counted(count, 'result')}"
        parts.append(f'<a href="{escape(link(slug))}" aria-label="{escape(label)}">'
                     f'<path class="shade-{shade(count, most)}" d="{data}">'
                     f'<title>{escape(label)}</title></path></a>')
    parts.append("</svg>")
    return Markup("".join(parts))
