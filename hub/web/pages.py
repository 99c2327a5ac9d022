"""Home, theme and place pages, and the search help page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from hub.search.base import SearchError
from hub.store import queries
from hub.web import glance
from hub.web.extensions import get_corpus

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """A search box, browse by theme and by region, and the latest additions."""
    corpus = get_corpus()
    taxonomy = corpus.taxonomy
    with corpus.session() as session:
        themes = queries.tag_counts(session, "theme")
        places = queries.tag_counts(session, "place")
        latest = queries.latest(session, limit=8)
        return render_template(
            "pages/home.html",
            themes=sorted(((t, themes.get(t.slug, 0)) for t in taxonomy.themes.values()),
                          key=lambda pair: pair[0].name),
            regions=[(r, places.get(r.slug, 0)) for r in taxonomy.regions()],
            latest=latest, **_at_a_glance(corpus),
        )


def _at_a_glance(corpus) -> dict:
    """The home page's map and grid, counted by search; none while search is down (its index
    is being rebuilt), so the rest of the page still shows."""
    try:
        return {"map": glance.england_map(corpus), "grid": glance.theme_grid(corpus)}
    except SearchError:
        return {"map": None, "grid": None}


@bp.get("/themes")
def themes():
    """Every theme with how many items the hub holds on it."""
    corpus = get_corpus()
    with corpus.session() as session:
        counts = queries.tag_counts(session, "theme")
    rows = sorted(corpus.taxonomy.themes.values(), key=lambda t: t.name)
    return render_template("pages/themes.html", rows=[(t, counts.get(t.slug, 0)) for t in rows])


@bp.get("/themes/<slug>")
def theme(slug: str):
    """What the hub holds on one theme: counts by type, the newest items."""
    corpus = get_corpus()
    entry = corpus.taxonomy.themes.get(slug) or abort(404)
    with corpus.session() as session:
        return render_template(
            "pages/theme.html", theme=entry,
            by_type=queries.type_counts(session, "theme", slug),
            items=queries.tagged(session, "theme", slug, limit=30),
            map=glance.england_map(corpus, entry),
            replication=glance.replication(session, corpus, entry),
        )


@bp.get("/places")
def places():
    """Regions with their places and counts."""
    corpus = get_corpus()
    taxonomy = corpus.taxonomy
    with corpus.session() as session:
        counts = queries.tag_counts(session, "place")
    regions = []
    for region in taxonomy.regions():
        members = sorted((p for p in taxonomy.places.values()
                          if p.region == region.slug and counts.get(p.slug)),
                         key=lambda p: p.name)
        regions.append((region, counts.get(region.slug, 0), [(p, counts[p.slug]) for p in members]))
    return render_template("pages/places.html", regions=regions)


@bp.get("/places/<slug>")
def place(slug: str):
    """What the hub holds on one place (a region includes its places)."""
    corpus = get_corpus()
    taxonomy = corpus.taxonomy
    entry = taxonomy.places.get(slug) or abort(404)
    with corpus.session() as session:
        return render_template(
            "pages/place.html", place=entry, within=taxonomy.ancestors(slug),
            by_type=queries.type_counts(session, "place", slug),
            items=queries.tagged(session, "place", slug, limit=30),
            same_type=glance.same_council_type(corpus, entry),
        )


@bp.get("/help/search")
def help():
    """How to search: phrases, exclusions, OR and filters."""
    return render_template("pages/help.html")
