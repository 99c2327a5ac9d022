"""Reasons for related items: meaningful shared terms only (hub.recommend.reasons)."""

from __future__ import annotations

from hub import recommend
from hub.recommend import Record
from hub.recommend.reasons import MIN_LETTERS, WEAK_WORDS, meaningful
from hub.recommend.vectorize import STOP_WORDS

CUMBRIA = ("Locality working in West Cumbria, led by Phil Swann of the county. We believe the "
           "colleagues who ran neighbourhood panels found that pooled budgets let residents "
           "choose their own priorities; the panels met monthly and the pooled budgets paid "
           "for youth clubs, a food bank and job clubs run with Coventry volunteers.")
MIDLANDS = ("The West Midlands network, chaired by Phil Swann. We believe colleagues across "
            "the region learnt that pooled budgets for neighbourhood panels work when residents "
            "set the priorities; panels met monthly and pooled budgets paid for job clubs, a "
            "youth club and advice sessions, with Coventry volunteers helping at each.")


def test_names_places_short_stop_and_vague_words_are_no_reasons():
    texts = [CUMBRIA, MIDLANDS]
    for term in ["west", "phil", "swann", "coventry", "west midlands", "phil swann"]:
        assert not meaningful(term, texts), term  # capitalised wherever they stand: names
    for term in ["job", "food", "the", "believe", "colleagues"]:
        assert not meaningful(term, texts), term  # under 4 letters, stop words, vague words
    for term in ["pooled budgets", "neighbourhood", "panels", "residents", "youth"]:
        assert meaningful(term, texts), term
    assert not meaningful("youth", [CUMBRIA, "A Youth Parliament"])  # a name in one text


def test_suggestions_share_meaningful_terms_only():
    records = [Record(1, "Locality working in West Cumbria", CUMBRIA),
               Record(2, "West Midlands network", MIDLANDS),
               Record(3, "Allotments", "Allotment waiting lists and growing spaces for tenants "
                      "in West Cumbria, with Phil Swann, in Coventry and the West Midlands, "
                      "where we believe colleagues found raised beds and community orchards "
                      "help; plots are let by the year and shared tools kept in a shed. " * 2)]
    model = recommend.fit(records)
    found = recommend.related_to_item(model, 1, 5)
    assert [s.id for s in found][:1] == [2]
    for suggestion in found:
        assert suggestion.terms or suggestion.themes
        for term in suggestion.terms:
            check_reason(term)
    assert "pooled budgets" in found[0].terms
    # Item 3 shares only names, vague and short words with item 1: no reason, no suggestion.
    assert 3 not in [s.id for s in found]


def check_reason(term: str, places: set[str] = frozenset()) -> None:
    """The acceptance rule for one reason term (also used over the seeds)."""
    words = term.split()
    assert all(len(w) >= MIN_LETTERS for w in words), term
    assert not set(words) & set(STOP_WORDS), term
    assert not set(words) <= WEAK_WORDS, term
    assert term not in places, term
