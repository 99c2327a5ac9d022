"""The current search, with its filters, as a CSV table or an RIS file of references.

The search is the results page's own (`search_pages.search_request`), run a page of
MAX_PER_PAGE at a time up to EXPORT_LIMIT items in relevance (or the chosen) order; each item's
reference is the item page's citation (`citation.Citation`), so RIS is written in one place.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from flask import Blueprint, Response, request, url_for

from hub.search.base import MAX_PER_PAGE
from hub.store import queries
from hub.text.dates import format_date, iso_date
from hub.web.citation import Citation
from hub.web.extensions import get_corpus
from hub.web.search_pages import search_request

bp = Blueprint("exports", __name__)
# Enough for any reading list; a bigger export is a job for the API, a page at a time.
EXPORT_LIMIT = 500
CSV_COLUMNS = ("id", "title", "type", "published", "date", "publisher", "in", "pages",
               "themes", "places", "organisations", "url", "source_url")
MIMETYPES = {"csv": "text/csv", "ris": "application/x-research-info-systems"}


def exported_ids(limit: int = EXPORT_LIMIT) -> tuple[list[int], int]:
    """The ids of the current search's results in order (at most `limit`), and the total."""
    wanted = replace(search_request(), per_page=MAX_PER_PAGE, facets=False, highlight=False,
                     suggest=False)
    ids: list[int] = []
    total = 0
    for page in range(1, -(-limit // MAX_PER_PAGE) + 1):
        found = get_corpus().search.search(replace(wanted, page=page))
        total = found["total"]
        ids += [hit["id"] for hit in found["results"]]
        if len(ids) >= min(total, limit) or not found["results"]:
            break
    return ids[:limit], total


@bp.app_context_processor
def export_links() -> dict:
    """`export_url(fmt)` for the results page: this search and its filters, as a download."""
    def export_url(fmt: str) -> str:
        args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
        return url_for("exports.export", fmt=fmt, **args)
    return {"export_url": export_url, "export_limit": EXPORT_LIMIT}


@bp.get("/search/export.<any(csv, ris):fmt>")
def export(fmt: str):
    """The current search's results (up to EXPORT_LIMIT) as a CSV or RIS download."""
    corpus = get_corpus()
    ids, _total = exported_ids()
    with corpus.session() as session:
        items = [item for item in (queries.published_item(session, i) for i in ids) if item]
        cites = [Citation.of(item, url_for("items.show", item_id=item.id, _external=True))
                 for item in items]
        body = "".join(c.ris() for c in cites) if fmt == "ris" else _csv(items, cites)
    return Response(body, mimetype=f"{MIMETYPES[fmt]}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="hub-search.{fmt}"'})


def _csv(items, cites) -> str:
    names = get_corpus().taxonomy.name_of
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item, cite in zip(items, cites, strict=True):
        tags = [" | ".join(names(kind, slug) for slug in item.tag_values(kind))
                for kind in ("theme", "place", "organisation")]
        writer.writerow([item.id, item.title, item.type,
                         format_date(cite.published, cite.precision),
                         iso_date(cite.published, cite.precision) or "", cite.author or "",
                         cite.container or "", cite.pages or "", *tags, cite.url,
                         cite.source_url or ""])
    return out.getvalue()
