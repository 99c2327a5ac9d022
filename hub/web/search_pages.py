"""The search results page: query box, total, results with snippets, facets, sort, pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from hub.corpus.glance import FACET_LABELS
from hub.search.base import FACETS, MAX_QUERY_LENGTH, SORTS, SearchRequest
from hub.web.extensions import get_corpus
from hub.web.params import id_param, int_param, list_param

bp = Blueprint("search", __name__)
PER_PAGE = 10
MAX_PAGE = 100
MAX_QUERY = MAX_QUERY_LENGTH
PLACES_PER_REGION = 12
SEE_ALSO = 3  # related good practice beyond the first page, from the TF-IDF model
# Query-string names of the facet filters (the facet "place" is also the parameter "place").
FILTER_PARAMS = {name: name for name in FACETS}


def search_request() -> SearchRequest:
    """The search a results page (or the API) asks for, bounded."""
    filters = {facet: list_param(param) for facet, param in FILTER_PARAMS.items()}
    sort = request.args.get("sort", "relevance")
    return SearchRequest(
        query=request.args.get("q", "")[: MAX_QUERY * 4],  # the parser itself cuts it shorter
        filters={k: v for k, v in filters.items() if v},
        page=int_param("page", 1, low=1, high=MAX_PAGE),
        per_page=PER_PAGE,
        sort=sort if sort in SORTS else "relevance",
        within=id_param("within"),
    )


def _url(args: dict, **changes) -> str:
    merged = {**args, **changes}
    return url_for("search.results", **{k: v for k, v in merged.items() if v not in (None, [], "")})


def _without(args: dict, param: str, value: str) -> str:
    """The results URL with one filter value removed (and back to page 1)."""
    remaining = [v for v in args.get(param, []) if v != value]
    return _url(args, **{param: remaining, "page": None})


@bp.get("/search")
def results():
    """Results for a query and filters; never an error page for anything a person types."""
    corpus = get_corpus()
    wanted = search_request()
    found = corpus.search.search(wanted)
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    pages = max(1, -(-found["total"] // PER_PAGE))
    taxonomy = corpus.taxonomy
    see_also = []
    if wanted.query.strip() and wanted.page == 1:
        with corpus.session() as session:
            shown = {hit["id"] for hit in found["results"]}
            see_also = [s for s in corpus.related.for_text(session, wanted.query[:MAX_QUERY],
                                                          SEE_ALSO + len(shown))
                        if s["id"] not in shown][:SEE_ALSO]
    return render_template(
        "search/results.html",
        query=request.args.get("q", ""), wanted=wanted, found=found,
        pages=min(pages, MAX_PAGE), regions=[r.slug for r in taxonomy.regions()],
        place_groups=place_groups(found["facets"].get("place", {}), taxonomy,
                                  wanted.filters.get("place", [])),
        page_url=lambda n: _url(args, page=n),
        within_url=lambda report: _url(args, within=report, page=None),
        whole_url=_url(args, within=None, page=None),
        sort_url=lambda s: _url(args, sort=s, page=None),
        remove_url=lambda param, value: _without(args, param, value),
        suggestion_url=lambda s: _url(args, q=s, page=None),
        themes=sorted(taxonomy.themes.values(), key=lambda t: t.name),
        see_also=see_also, labels=FACET_LABELS,
    )


def place_groups(counts: dict[str, int], taxonomy, chosen: list[str]) -> list[tuple]:
    """(region, count, [(place, count)...]) for the place facet: regions, then their places.

    Each region lists its commonest places (and any already chosen), so the facet stays short.
    """
    members: dict[str, list[tuple[str, int]]] = {}
    for slug, count in counts.items():
        place = taxonomy.places.get(slug)
        if place is not None and place.region:
            members.setdefault(place.region, []).append((slug, count))
    groups = []
    for region in taxonomy.regions():
        if region.slug in counts:
            ranked = sorted(members.get(region.slug, []), key=lambda pair: (-pair[1], pair[0]))
            shown = [p for i, p in enumerate(ranked) if i < PLACES_PER_REGION or p[0] in chosen]
            groups.append((region.slug, counts[region.slug], shown))
    return groups


