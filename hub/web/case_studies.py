"""Browse case studies by theme, region and place, organisation, savings and year."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from hub.store import queries
from hub.web.extensions import get_corpus
from hub.web.params import int_param, list_param

bp = Blueprint("case_studies", __name__, url_prefix="/case-studies")
PER_PAGE = 20


def chosen_filter() -> queries.CaseStudyFilter:
    """The filter the query string asks for (unknown values simply match nothing)."""
    years = [int(y) for y in list_param("year") if y.isdigit()]
    return queries.CaseStudyFilter(
        themes=list_param("theme"), places=list_param("place"),
        organisations=list_param("organisation"), years=years,
        has_saving=request.args.get("saving") == "yes",
    )


@bp.get("")
def browse():
    """Case studies with checkbox facets; several boxes in one list widen, lists narrow."""
    corpus = get_corpus()
    chosen = chosen_filter()
    page = int_param("page", 1, low=1, high=500)
    with corpus.session() as session:
        found = queries.browse_case_studies(session, chosen, page, PER_PAGE)
        pages = max(1, -(-found.total // PER_PAGE))
        args = request.args.to_dict(flat=False)
        return render_template(
            "case_studies/browse.html", found=found, chosen=chosen, page=page, pages=pages,
            regions=[r.slug for r in corpus.taxonomy.regions()],
            page_url=lambda n: url_for("case_studies.browse", **{**args, "page": n}),
        )
