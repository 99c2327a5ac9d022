"""The JSON API under /api."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from hub.corpus import item_json
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
