"""Evidence at a glance on the home, theme and place pages: where an approach was tried (a
theme x region grid and a map, counted by the search index so every count equals the results
its link opens), the replication line of a theme, and councils of the same type."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from hub.corpus.glance import COUNCIL_TYPES, yearly_amount
from hub.search.base import SearchRequest
from hub.store import queries
from hub.web.region_map import boundaries, region_map

SAME_TYPE_SHOWN = 8


def region_counts(corpus, filters: dict[str, list[str]]) -> dict[str, int]:
    """How many searchable items each region holds under the filters, as search counts them."""
    found = corpus.search.backend.search(SearchRequest(
        filters=filters, per_page=1, facets=True, highlight=False, suggest=False))
    places = found.facets.get("place", {})
    return {slug: places.get(slug, 0) for slug in boundaries()}


def search_url(**filters) -> str:
    """The results page for these filters (what a count links to)."""
    return url_for("search.results", **{k: v for k, v in filters.items() if v})


def england_map(corpus, theme=None) -> dict:
    """The map and its table alternative for all items, or for one theme's."""
    taxonomy = corpus.taxonomy
    filters = {"theme": [theme.slug]} if theme else {}
    counts = region_counts(corpus, filters)
    names = {slug: taxonomy.name_of("place", slug) for slug in counts}
    subject = f"on {theme.name}" if theme else "in the hub"
    total = sum(counts.values())

    def link(slug: str) -> str:
        return search_url(place=slug, **{k: v for k, v in filters.items()})

    svg = region_map(counts, names, link, f"Map of England: search results {subject} by region",
                     f"England's nine regions shaded by how many search results {subject} (case "
                     f"studies, documents and report sections) come from each ({total} in all); "
                     "each region links to them. The table below gives the same counts.")
    rows = sorted(((slug, names[slug], counts[slug], link(slug)) for slug in counts),
                  key=lambda row: row[1])
    return {"svg": svg, "rows": rows}


def theme_grid(corpus) -> dict:
    """Themes down, regions across: the count and search link of each cell."""
    taxonomy = corpus.taxonomy
    regions = [(slug, taxonomy.name_of("place", slug)) for slug in boundaries()]
    rows = []
    for theme in sorted(taxonomy.themes.values(), key=lambda t: t.name):
        counts = region_counts(corpus, {"theme": [theme.slug]})
        rows.append((theme, [(counts[slug], search_url(theme=theme.slug, place=slug))
                             for slug, _name in regions]))
    return {"regions": regions, "rows": rows}


@dataclass
class Replication:
    """"Tried in N places; savings from £a to £b a year", each number with its link."""

    places: int
    places_url: str
    low: tuple[float, int] | None = None  # (yearly saving, item id)
    high: tuple[float, int] | None = None


def replication(session, corpus, theme) -> Replication:
    """Where a theme's items were tried, and the range of what they saved a year (each saving
    by the band rule's yearly sum of its lower figure: hub.corpus.glance)."""
    taxonomy = corpus.taxonomy
    placed, outcomes = queries.theme_reach(session, theme.slug)
    places = {slug for _item, slug in placed if slug in taxonomy.places
              and taxonomy.places[slug].kind != "region"}
    # The items naming a place are exactly those under the regions those places sit in.
    regions = sorted({taxonomy.places[slug].region or slug for _item, slug in placed
                      if slug in taxonomy.places})
    yearly = sorted((amount, o.item_id) for o in outcomes
                    if (amount := yearly_amount(o.amount_gbp, o.period)) is not None)
    return Replication(len(places), search_url(theme=theme.slug, place=regions),
                       yearly[0] if yearly else None, yearly[-1] if yearly else None)


def same_council_type(corpus, place) -> dict | None:
    """Case studies from other councils of a council's type, or None for a place that is no
    council (a region, a partnership area)."""
    if place.kind not in COUNCIL_TYPES:
        return None
    filters = {"council": [place.kind], "type": ["case_study"]}
    found = corpus.search.search(SearchRequest(filters=filters, per_page=SAME_TYPE_SHOWN + 5,
                                               sort="date", facets=False, highlight=False,
                                               suggest=False))
    others = [hit for hit in found["results"] if place.slug not in hit["places"]]
    return {"name": COUNCIL_TYPES[place.kind], "hits": others[:SAME_TYPE_SHOWN],
            "total": found["total"], "url": search_url(**filters)}
