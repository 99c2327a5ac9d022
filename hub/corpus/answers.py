"""The JSON the CLI and the API share: an item, a search result, a results page."""

from __future__ import annotations

from collections.abc import Mapping

from hub.search.base import Hit, SearchPage, SearchRequest
from hub.store.models import Item
from hub.store.origins import origin_name
from hub.text.links import safe_url


def item_json(item: Item, with_text: bool = False, whole_origins: bool = False) -> dict:
    """The JSON form of an item used by `hub list`, `hub show` and the API; sources by file
    name or URL (whole_origins, for the CLI only, gives the server's path)."""
    data = {
        "id": item.id,
        "title": item.title,
        "type": item.type,
        "status": item.status,
        "url": safe_url(item.url),
        "parent": item.parent_id,
        # The publication date as the source gives it: only its first `date_precision` parts
        # ("year", "month", "day") are known. "added" is when the hub stored it, a different thing.
        "date": item.published.isoformat() if item.published else None,
        "date_precision": item.date_precision if item.published else None,
        "added": item.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "themes": item.tag_values("theme"),
        "places": item.tag_values("place"),
        "organisations": item.tag_values("organisation"),
        "sources": [{"origin": s.origin if whole_origins else origin_name(s.origin),
                     "label": s.label, "url": safe_url(s.url)} for s in item.sources],
        "outcomes": [
            {"text": o.text, "amount": o.amount_text, "amount_gbp": o.amount_gbp,
             "amount_high_gbp": o.amount_high_gbp, "period": o.period, "kind": o.kind,
             "status": o.status}
            for o in item.outcomes
        ],
        "content_hash": item.content_hash,
    }
    if item.page_start:
        data["pages"] = [item.page_start, item.page_end or item.page_start]
    if with_text:
        data["summary"] = item.summary
        data["text"] = item.body_text
        data["footnotes"] = item.footnotes
        data["children"] = [c.id for c in item.children]
        data["evidence"] = {f"{t.kind}:{t.value}": t.evidence for t in item.tags}
    return data


def hit_json(hit: Hit, precision: str | None = None) -> dict:
    """One result as JSON; `precision` says how much of its date is known (from the store)."""
    parent = None
    if hit.parent_id:
        parent = {"id": int(hit.parent_id), "breadcrumb": " › ".join(hit.breadcrumb),
                  "page": hit.page}
    return {
        "id": int(hit.id), "title": hit.title, "type": hit.type, "url": safe_url(hit.url),
        "snippet": hit.snippet, "themes": list(hit.themes), "places": list(hit.places),
        "organisations": list(hit.organisations), "date": hit.date,
        "date_precision": (precision or "day") if hit.date else None, "parent": parent,
        "sources": list(hit.sources), "score": hit.score,
        "evidence_level": int(hit.evidence) if hit.evidence else None,
        # The report this result stands for, and its other matching sections folded into it.
        "report": int(hit.family) if hit.family else None, "more_in_report": hit.more_in_report,
    }


def page_json(request: SearchRequest, page: SearchPage,
              precisions: Mapping[str, str] | None = None) -> dict:
    """A results page as JSON: total, results, facets (name → value → count), suggestion;
    `precisions` gives each hit's date precision by id (the index keeps whole dates only)."""
    precisions = precisions or {}
    return {
        "query": request.query, "total": page.total, "all_words": page.all_words,
        "page": page.page,
        "per_page": page.per_page, "sort": request.sort,
        "results": [hit_json(h, precisions.get(h.id)) for h in page.hits], "facets": page.facets,
        "suggestion": page.suggestion, "filters": page.filters, "messages": page.messages,
        "partial": page.partial,
    }
