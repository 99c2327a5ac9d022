"""The JSON API under /api."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from hub.corpus import item_json
from hub.related import MAX_LIMIT
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


@bp.get("/documents/<int:item_id>/related")
def related(item_id: int):
    """Items related to a published item: id, title, type, url, score and reasons."""
    raw = request.args.get("limit", "5")
    limit = int(raw) if raw.isdigit() else 0
    if not 1 <= limit <= MAX_LIMIT:
        return jsonify(error=f"limit: must be a whole number from 1 to {MAX_LIMIT}"), 400
    corpus = get_corpus()
    with corpus.session() as session:
        item = corpus.item(session, item_id)
        if item is None or item.status != "published":
            abort(404)
        return jsonify(corpus.related.for_item(session, item_id, limit))
