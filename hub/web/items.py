"""Item pages: the body, where it sits, its tags, outcomes, provenance, related items, citation."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, url_for

from hub.corpus.glance import BANDS, LEVEL_NAMES, band
from hub.indexing.sanitize import sanitize_html
from hub.store import queries
from hub.web import citation
from hub.web.extensions import get_corpus

bp = Blueprint("items", __name__, url_prefix="/items")
RELATED_SHOWN = 5


@bp.get("/<int:item_id>")
def show(item_id: int):
    """One item's page."""
    corpus = get_corpus()
    with corpus.session() as session:
        item = queries.published_item(session, item_id) or abort(404)
        return render_template(
            "items/show.html",
            item=item,
            trail=item.ancestors(),
            tree=queries.children_tree(session, item),
            body=sanitize_html(item.body_html) if item.body_html else None,
            related=corpus.related.for_item(session, item.id, RELATED_SHOWN),
            cite=citation.Citation.of(item, url_for("items.show", item_id=item.id,
                                                    _external=True)),
            sanitize=sanitize_html, level_names=LEVEL_NAMES, band_of=saving_band,
        )


def saving_band(outcome) -> str:
    """The band a saving is counted in on the results page's facet ("" for other kinds)."""
    return BANDS[band(outcome.amount_gbp, outcome.period)] if outcome.kind == "saving" else ""


@bp.get("/<int:item_id>/cite.<any(ris, bib, txt):fmt>")
def cite(item_id: int, fmt: str):
    """The item's citation as RIS, BibTeX or plain text, to download."""
    corpus = get_corpus()
    with corpus.session() as session:
        item = queries.published_item(session, item_id) or abort(404)
        found = citation.Citation.of(item, url_for("items.show", item_id=item.id, _external=True))
    body, mimetype = {
        "ris": (found.ris(), "application/x-research-info-systems"),
        "bib": (found.bibtex(), "application/x-bibtex"),
        "txt": (found.plain(), "text/plain"),
    }[fmt]
    return Response(body, mimetype=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="hub-item-{item_id}.{fmt}"'})
