"""What a short query means beyond its words: weak words (hub.search.whoosh.builder), the
themes of the vocabulary a query names (hub.search.query.Concepts), and the themes a source
or an editor declared (the "subject" field)."""

from __future__ import annotations

import pytest

from hub.search import ranking
from hub.search.base import SearchRequest
from hub.search.query import Concepts, Synonyms, Term, parse
from hub.search.whoosh.backend import WhooshBackend
from hub.search.whoosh.builder import QueryBuilder
from tests.support.search_documents import doc

THEMES = {"customer-insight": ("Customer insight", "customer insight", "segmentation",
                               "focus group", "ethnography", "customer journey", "CRM"),
          "worklessness": ("Worklessness and employment", "worklessness", "jobseeker",
                           "incapacity benefit")}


def search(backend: WhooshBackend, text: str):
    return backend.search(SearchRequest(query=text, per_page=20, facets=False, suggest=False))


def ids(page) -> list[str]:
    return [hit.id for hit in page.hits]


def test_a_query_naming_a_theme_brings_its_other_terms_and_its_slug():
    concepts = Concepts(THEMES)
    widened = concepts.widen(parse("customer insight"))
    assert widened.subjects == ["customer-insight"]
    # The theme's other one-word terms and acronyms, sharing CONCEPT_WEIGHT (its phrases
    # name it, but would cost a walk of word positions to lift by).
    assert [t.text for t in widened.related] == ["segmentation", "ethnography", "CRM"]
    assert sum(t.weight for t in widened.related) == pytest.approx(ranking.CONCEPT_WEIGHT)
    assert concepts.widen(parse("reducing worklessness")).subjects == ["worklessness"]
    for text in ("insight", "customer", "insight customer", '"customer insight"'):
        assert concepts.widen(parse(text)).subjects == [], text
    assert concepts.widen(parse("Leeds customer journey")).subjects == ["customer-insight"]


def test_a_synonym_phrase_weighs_as_a_synonym_of_the_words_it_stands_for():
    backend = WhooshBackend(None)
    backend.rebuild([doc(1, "A note", "data")])
    builder = QueryBuilder(backend.analyzer, backend.snapshot().searcher.reader())
    widened = Synonyms([("data sharing", "information sharing"),
                        ("NEET", "not in employment education or training")])
    sharing = widened.widen(parse("data sharing")).extras[1]
    neet = widened.widen(parse("NEET")).groups[0].terms[1]
    assert (sharing.text, sharing.stands_for) == ("information sharing", 2)
    assert {q.boost for q in builder.term(sharing).subqueries} == {
        ranking.SYNONYM_WEIGHT * w for w in ranking.FIELD_WEIGHTS.values()}
    # Three words (employment, education, training) stand in for one: a third each.
    assert {round(q.boost, 6) for q in builder.term(neet).subqueries} == {
        round(ranking.SYNONYM_WEIGHT / 3 * w, 6) for w in ranking.FIELD_WEIGHTS.values()}
    assert builder.term(Term("data")).boost == 1.0  # a typed word as it was
    backend.close()


@pytest.fixture
def weak_words():
    """Forty notes: ten on reducing costs, three on worklessness (one of them "reducing" it),
    the rest on other things; "reducing" is in 11 (under COMMON_WORD_SHARE), "worklessness"
    in 3, so "reducing" is weak beside it."""
    backend = WhooshBackend(None)
    things = ["printing", "travel", "energy", "paper", "agency staff", "office space", "postage",
              "mobile phones", "fleet vehicles", "consultants"]
    backend.rebuild([doc(n, f"Note {n}", f"Reducing costs of {thing}.")
                     for n, thing in enumerate(things, start=1)]
                    + [doc(100 + n, f"Minutes {n}", f"Minutes of meeting number {n}.")
                       for n in range(27)]
                    + [doc(20, "Advisers for out-of-work residents",
                           "Worklessness fell where advisers met residents at home."),
                       doc(21, "A programme", "Reducing worklessness through one programme."),
                       doc(22, "Worklessness counts", "Counting worklessness by ward.")])
    yield backend
    backend.close()


def test_a_short_querys_weak_word_is_not_required_for_the_first_tier(weak_words, monkeypatch):
    page = search(weak_words, "reducing worklessness")
    # What has "worklessness" comes first, then the notes with "reducing" alone.
    assert page.all_words == 3 and page.total == 13
    assert set(ids(page)[:3]) == {"20", "21", "22"}
    monkeypatch.setattr(ranking, "WEAK_WORD_IDF_RATIO", 0.0)  # every telling word required
    assert search(weak_words, "reducing worklessness").all_words == 1


def test_every_word_counts_in_a_longer_query(weak_words):
    page = search(weak_words, "reducing worklessness ward advisers")
    assert page.all_words == 0  # no note has all four; none is excused "reducing"
    assert set(ids(page)[:3]) == {"20", "21", "22"}


@pytest.fixture
def topics():
    backend = WhooshBackend(None, concepts=THEMES)
    text = "The council asked residents about customer insight and its services."
    backend.rebuild([
        doc(1, "Listening to residents", text, themes=("customer-insight",)),
        doc(2, "Listening to residents", text, themes=("customer-insight",),
            subjects=("customer-insight",)),
        doc(3, "Listening to residents", text + " Segmentation and focus groups followed.",
            themes=("customer-insight",)),
        doc(4, "Segmentation of claimants", "Segmentation of benefit claimants by ward."),
    ])
    yield backend
    backend.close()


def test_a_declared_theme_and_the_themes_other_terms_lift_but_admit_nothing(topics):
    page = search(topics, "customer insight")
    # Document 4 has the theme's words, not the query's; 2 and 3 pass the same text, 1.
    assert set(ids(page)[:2]) == {"2", "3"} and ids(page)[2:] == ["1"]
    scores = {hit.id: hit.score for hit in page.hits}
    assert scores["2"] - scores["1"] == pytest.approx(ranking.SUBJECT_BOOST)
    assert 0 < scores["3"] - scores["1"] < ranking.CONCEPT_WEIGHT * 3
    unnamed = search(topics, "residents insight")  # names no theme: no lift
    assert len({hit.score for hit in unnamed.hits}) == 2 and ids(unnamed)[-1] == "3"
