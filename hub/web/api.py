"""The JSON API under /api."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from hub.corpus import item_json
from hub.search.base import FACETS, MAX_PER_PAGE, SORTS, SearchRequest
from hub.web import get_corpus

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/documents/<int:item_id>")
def document(item_id: int):
    """One published item as JSON, with its clean text."""
    corpus = get_corpus()
    with corpus.session() as session:
        item = corpus.item(session, item_id)
        if item is None or item.status != "published":
            abort(404)
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
    filters = {name: request.args.getlist(name) for name in FACETS if request.args.getlist(name)}
    search_request = SearchRequest(
        query=request.args.get("q", ""), filters=filters, sort=sort,
        page=_int_arg("page", 1, 1000), per_page=_int_arg("per_page", 10, MAX_PER_PAGE))
    return jsonify(get_corpus().search_index.search(search_request))
