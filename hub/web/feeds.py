"""Machine-readable views: the Atom feed, OpenSearch description, sitemap.xml and robots.txt."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, render_template, request, url_for

from hub.digest import searches
from hub.search.base import FACETS
from hub.store import queries
from hub.web.extensions import get_corpus

bp = Blueprint("feeds", __name__)
FEED_SIZE = 30


def _xml(template: str, mimetype: str, **context) -> Response:
    return Response(render_template(template, **context), mimetype=mimetype)


def _search_feed():
    """The newest additions that a search (any results page's query string) matches."""
    corpus = get_corpus()
    try:
        saved = searches.canonical(request.args.items(multi=True), corpus.taxonomy)
    except searches.InvalidSearch as exc:
        return Response(f"{exc}\n", status=400, mimetype="text/plain")
    with corpus.session() as session:
        items = searches.newest_matching(session, corpus.search.backend, saved, FEED_SIZE)
        updated = max((i.updated_at for i in items), default=dt.datetime(2000, 1, 1))
        return _xml("feeds/atom.xml", "application/atom+xml", items=items, updated=updated,
                    self_url=request.url, search=searches.describe(saved, corpus.taxonomy),
                    feed_id=f"{url_for('feeds.atom', _external=True)}?{saved}",
                    alternate=f"{url_for('search.results', _external=True)}?{saved}")


@bp.get("/feed.atom")
def atom():
    """The latest additions as Atom, optionally on one theme (?theme=slug) or for any search
    (the query string of a results page: ?q=...&place=...)."""
    if any(name in request.args for name in ("q", *FACETS) if name != "theme"):
        return _search_feed()
    corpus = get_corpus()
    theme = request.args.get("theme", "").strip()[:100] or None
    if theme and theme not in corpus.taxonomy.themes:
        theme = corpus.taxonomy.resolve("theme", theme)
        if theme is None:
            return Response("Unknown theme: see /themes for the list.\n", status=400,
                            mimetype="text/plain")
    with corpus.session() as session:
        items = queries.latest(session, limit=FEED_SIZE, theme=theme)
        updated = max((i.updated_at for i in items), default=dt.datetime(2000, 1, 1))
        return _xml("feeds/atom.xml", "application/atom+xml", items=items, theme=theme,
                    updated=updated, self_url=request.url)


@bp.get("/opensearch.xml")
def opensearch():
    """An OpenSearch description so that browsers can add the hub as a search engine."""
    return _xml("feeds/opensearch.xml", "application/opensearchdescription+xml")


@bp.get("/sitemap.xml")
def sitemap():
    """Every published item and the main pages."""
    corpus = get_corpus()
    with corpus.session() as session:
        entries = queries.sitemap_entries(session)
    pages = [url_for(e, _external=True) for e in
             ("pages.home", "pages.themes", "pages.places", "case_studies.browse")]
    return _xml("feeds/sitemap.xml", "application/xml", entries=entries, pages=pages)


@bp.get("/robots.txt")
def robots():
    """Crawlers may read the hub but not the editor area or endless search pages."""
    lines = ["User-agent: *", "Disallow: /editor/", "Disallow: /search", "Disallow: /api/",
             f"Sitemap: {url_for('feeds.sitemap', _external=True)}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
