"""The JSON API under /api."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, abort, jsonify, request

from hub.corpus.answers import item_json
from hub.corpus.related_sync import MAX_LIMIT
from hub.search.base import FACETS, MAX_PER_PAGE, SORTS, SearchRequest
from hub.store import queries
from hub.web.extensions import get_corpus
from hub.web.params import id_param, list_param

bp = Blueprint("api", __name__, url_prefix="/api")
OPENAPI = Path(__file__).with_name("openapi.json")


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description of this API."""
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    spec["servers"] = [{"url": request.host_url.rstrip("/")}]
    return jsonify(spec)


@bp.get("/documents/<int:item_id>")
def document(item_id: int):
    """One published item as JSON, with its clean text."""
    corpus = get_corpus()
    with corpus.session() as session:
        item = queries.published_item(session, item_id) or abort(404)
        return jsonify(item_json(item, with_text=True))


def _int_arg(name: str, default: int, high: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        abort(_bad_request(f"{name} must be a whole number from 1 to {high}, not {raw!r}"))
    return int(raw)


def _bad_request(message: str):
    response = jsonify({"error": message})
    response.status_code = 400
    return response


@bp.get("/search")
def search():
    """Search published items: ?q=&theme=&place=&type=&organisation=&year=&page=&per_page=&sort=.

    Facet parameters may repeat (OR within a facet, AND across facets).
    """
    sort = request.args.get("sort", "relevance")
    if sort not in SORTS:
        abort(_bad_request(f"sort must be one of {', '.join(SORTS)}, not {sort!r}"))
    filters = {name: values for name in FACETS if (values := list_param(name))}
    search_request = SearchRequest(
        query=request.args.get("q", ""), filters=filters, sort=sort,
        page=_int_arg("page", 1, 1000), per_page=_int_arg("per_page", 10, MAX_PER_PAGE),
        within=id_param("within"))
    return jsonify(get_corpus().search.search(search_request))


@bp.get("/documents/<int:item_id>/related")
def related(item_id: int):
    """Items related to a published item: id, title, type, url, score and reasons."""
    raw = request.args.get("limit", "5")
    limit = int(raw) if raw.isdigit() else 0
    if not 1 <= limit <= MAX_LIMIT:
        return jsonify(error=f"limit: must be a whole number from 1 to {MAX_LIMIT}"), 400
    corpus = get_corpus()
    with corpus.session() as session:
        if queries.published_item(session, item_id) is None:
            abort(404)
        return jsonify(corpus.related.for_item(session, item_id, limit))
