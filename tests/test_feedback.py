"""Pseudo-relevance feedback (hub.search.feedback): long queries borrow the words their first
results share; short ones are left as typed."""

from __future__ import annotations

import pytest

from hub.search import ranking
from hub.search.base import IndexDocument, SearchRequest
from hub.search.feedback import expansion
from hub.search.whoosh.backend import WhooshBackend

QUERY = "how councils pooled budgets for older residents leaving hospital care"
TEXTS = {
    "1": "Councils pooled budgets for older residents leaving hospital: reablement teams and "
         "intermediate care cut readmissions. Reablement worked.",
    "2": "Pooled budgets for hospital discharge of older residents: reablement at home.",
    "3": "Reablement and intermediate care after discharge: fewer readmissions.",  # no typed word
    "4": "Allotment waiting lists and growing spaces in parks.",
}


def test_expansion_adds_shared_words_not_typed_weighed_as_a_share_of_the_query():
    def tokens(text):
        return [w.strip(".,:").lower() for w in text.split()]
    docs = [(TEXTS["1"], 12.0), (TEXTS["2"], 10.0)]
    added = dict(expansion(docs, tokens, {"councils", "pooled", "budgets"}, 100,
                           lambda term: 1 if term == "reablement" else 50, words_typed=4))
    assert "reablement" in added and "councils" not in added
    assert max(added, key=added.get) == "reablement"  # in both, and rare in the collection
    keep = ranking.FEEDBACK_KEEP
    assert sum(added.values()) == pytest.approx((1 - keep) / keep * 4)
    assert expansion([], tokens, set(), 100, lambda term: 1, 4) == []


@pytest.fixture
def backend():
    backend = WhooshBackend(None, text_source=lambda ids: {i: TEXTS[i] for i in ids})
    backend.rebuild(IndexDocument(id=i, title=f"Item {i}", type="article", body=text)
                    for i, text in TEXTS.items())
    yield backend
    backend.close()


def ids(backend, query):
    return [h.id for h in backend.search(SearchRequest(query=query, per_page=10)).hits]


def test_a_long_query_finds_what_its_best_results_are_about(backend):
    found = ids(backend, QUERY)
    assert found[:2] == ["1", "2"] or found[:2] == ["2", "1"]
    assert "3" in found and "4" not in found  # shares the results' words, not the query's


def test_a_short_query_is_searched_as_typed(backend):
    assert len(QUERY.split()[:3]) < ranking.FEEDBACK_MIN_WORDS
    assert "3" not in ids(backend, "pooled budgets hospital")
