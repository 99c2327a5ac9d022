"""The array evaluation of queries gives Whoosh's own matches and scores.

hub.search.whoosh.arrays re-implements what Whoosh's matchers do (posting reading, BM25F,
unions, intersections, BestOf, constant scores, exclusions) over numpy arrays; these tests
compare it, document by document, with Whoosh's collector on the same searcher: every
Cranfield query through the hub's parser and query builder on a two-segment index, and
phrases, prefixes, OR, exclusions and synonyms on a small index with a deletion.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import RamStorage

from hub.search.query import Concepts, Synonyms, parse
from hub.search.whoosh.arrays import ArraySearcher
from hub.search.whoosh.backend import WhooshBackend
from hub.search.whoosh.builder import QueryBuilder
from hub.search.whoosh.postings import leaf_postings, live_documents
from hub.search.whoosh.schema import build_schema, index_fields
from hub.search.whoosh.scoring import HubBM25F
from tests.support.search_documents import DOCS, SYNONYMS, doc


def live_mask(searcher) -> np.ndarray:
    live = np.zeros(searcher.doc_count_all(), dtype=bool)
    live[list(searcher.reader().all_doc_ids())] = True
    return live


def whoosh_scores(searcher, query) -> dict[int, float]:
    """Every match and its score, from Whoosh's own (unlimited) collector.

    An exclusion is applied here rather than by Whoosh's AndNotMatcher, which misses an
    excluded document when the excluded word's first posting in a segment comes before
    the first match (its _find_first never moves the excluded matcher forward); see
    test_an_exclusion_removes_what_whoosh_would_keep.
    """
    if isinstance(query, wq.AndNot):
        excluded = whoosh_scores(searcher, query.b)
        return {n: s for n, s in whoosh_scores(searcher, query.a).items() if n not in excluded}
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


def array_scores(arrays: ArraySearcher, query) -> dict[int, float]:
    found = arrays.matches(query)
    return {int(n): float(found.scores[n]) for n in np.flatnonzero(found.mask)}


def assert_same_scores(searcher, arrays, query, text):
    expected = whoosh_scores(searcher, query)
    found = array_scores(arrays, query)
    assert found.keys() == expected.keys(), text
    for number, score in expected.items():
        assert found[number] == pytest.approx(score, rel=1e-9, abs=1e-12), (text, number)


@pytest.fixture(scope="module")
def cranfield(shared, tmp_path_factory):
    spec = importlib.util.spec_from_file_location("check_ir", shared / "eval/ir/check_ir.py")
    check_ir = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_ir)
    docs, queries, _qrels = check_ir.load_cranfield(str(shared / "eval/ir/cranfield"))
    backend = WhooshBackend(tmp_path_factory.mktemp("cranfield"))
    from hub.search.base import IndexDocument

    backend.rebuild(IndexDocument(id=i, title=d["title"], type="article", body=d["text"])
                    for i, d in docs.items())
    yield backend, queries
    backend.close()


def test_every_cranfield_query_scores_as_whoosh_scores_it(cranfield):
    backend, queries = cranfield
    snap = backend.snapshot()
    searcher = snap.searcher
    assert len(list(searcher.leaf_searchers())) > 1  # the parallel build's segments
    synonyms = Synonyms(SYNONYMS)
    compared = 0
    for text in queries.values():
        built = QueryBuilder(backend.analyzer, searcher.reader()).build(synonyms.widen(parse(text)))
        if built.scored is None:
            continue
        assert_same_scores(searcher, snap.arrays, built.scored, text)
        compared += 1
    assert compared == len(queries)


def test_postings_read_by_block_are_the_postings_walked_one_by_one(cranfield):
    backend, _queries = cranfield
    for sub, _offset in backend.snapshot().searcher.leaf_searchers():
        reader = sub.reader()
        for field in ("body", "title"):
            for term in list(reader.lexicon(field))[::7]:
                ids, weights = leaf_postings(reader.postings(field, term))
                walked = reader.postings(field, term)
                pairs = []
                while walked.is_active():
                    pairs.append((walked.id(), walked.weight()))
                    walked.next()
                assert ids.tolist() == [p[0] for p in pairs], (field, term)
                assert weights.tolist() == [p[1] for p in pairs], (field, term)


@pytest.fixture
def small_index():
    """The search test documents in two segments, one document deleted from the first."""
    from whoosh.index import FileIndex

    storage = RamStorage()
    index = FileIndex.create(storage, build_schema(), "MAIN")
    writer = index.writer()
    for item in DOCS[:5]:
        writer.add_document(**index_fields(item))
    writer.commit(merge=False)
    writer = index.writer()
    for item in DOCS[5:] + [doc(20, "Probation hostels", "Probation probation housing.")]:
        writer.add_document(**index_fields(item))
    writer.delete_by_term("id", "2")
    writer.commit(merge=False)
    return index


@pytest.fixture
def small(small_index):
    """A searcher over small_index with the hub's weighting, and its ArraySearcher."""
    searcher = small_index.searcher(weighting=HubBM25F())
    yield searcher, ArraySearcher(searcher, live_mask(searcher))
    searcher.close()


QUERIES = ["probation", "probation enforcement", '"customer insight"', "insight -customer",
           "probation OR housing", "NEET", "worklessness councils", "value for money",
           "hous*", "employ* advisers", '"probation officers" data', "customer insight weak",
           "young people not in employment education or training", "-probation housing"]


@pytest.mark.parametrize("text", QUERIES)
def test_phrases_prefixes_exclusions_and_synonyms_score_as_whoosh(small, text):
    searcher, arrays = small
    assert len(list(searcher.leaf_searchers())) == 2
    built = QueryBuilder(WhooshBackend().analyzer, searcher.reader()).build(
        Synonyms(SYNONYMS).widen(parse(text)))
    assert built.scored is not None
    assert_same_scores(searcher, arrays, built.scored, text)


@pytest.mark.parametrize("text", ["customer insight", "reducing worklessness", "worklessness"])
def test_a_named_themes_lifts_score_as_whoosh(small, text):
    searcher, arrays = small
    concepts = Concepts({"customer-insight": ("customer insight", "young people", "research"),
                         "worklessness": ("worklessness", "jobless", "employment advisers")})
    built = QueryBuilder(WhooshBackend().analyzer, searcher.reader()).build(
        concepts.widen(Synonyms(SYNONYMS).widen(parse(text))))
    assert isinstance(built.scored, wq.AndMaybe)
    assert_same_scores(searcher, arrays, built.scored, text)


def test_deleted_documents_never_match(small):
    searcher, arrays = small
    deleted = [n for n in range(searcher.doc_count_all()) if searcher.reader().is_deleted(n)]
    assert deleted
    assert (live_documents(searcher.reader()) == live_mask(searcher)).all()
    assert not arrays.mask(wq.Every())[deleted].any()
    assert not arrays.matches(wq.Term("body", "custom")).mask[deleted].any()


@pytest.mark.parametrize("model", [scoring.TF_IDF, scoring.Frequency])
def test_other_weighting_models_are_asked_for_their_own_scores(small_index, model):
    searcher = small_index.searcher(weighting=model())
    arrays = ArraySearcher(searcher, live_mask(searcher))
    builder = QueryBuilder(WhooshBackend().analyzer, searcher.reader())
    for text in ("probation", "customer insight", '"customer insight"', "hous* employment"):
        assert_same_scores(searcher, arrays, builder.build(parse(text)).scored, text)
    searcher.close()


def test_top_settles_ties_by_document_number_and_sorts_by_date(small):
    searcher, arrays = small
    mask = np.ones(arrays.size, dtype=bool)
    scores = np.zeros(arrays.size)
    scores[[1, 4, 6]] = 2.0
    scores[[0, 3]] = 5.0
    assert [n for n, _s in arrays.top(mask, scores, 4)] == [0, 3, 1, 4]
    assert [n for n, _s in arrays.top(mask, scores, 2)] == [0, 3]
    assert arrays.top(mask, scores, 0) == []
    dated = arrays.top(arrays.mask(wq.Every()), None, 20, by_date=True)
    dates = [arrays.dates()[n] for n, _s in dated]
    assert dates == sorted(dates, reverse=True) and len(dated) == searcher.doc_count()


def test_past_the_deadline_matches_stay_exact_and_the_rest_is_unscored(small):
    searcher, arrays = small
    query = wq.Or([wq.Term("body", "probat"), wq.Term("body", "hous")])
    found = arrays.matches(query, deadline=0.0)
    assert found.partial and not arrays.matches(query).partial
    assert set(np.flatnonzero(found.mask)) == set(whoosh_scores(searcher, query))
    assert not found.scores.any()


def test_an_exclusion_removes_what_whoosh_would_keep(small):
    searcher, arrays = small
    query = wq.AndNot(wq.Term("body", "hous"), wq.Term("body", "probat"))
    kept_by_whoosh = {searcher.stored_fields(h.docnum)["id"]
                      for h in searcher.search(query, limit=None)}
    assert "20" in kept_by_whoosh  # "Probation hostels": Whoosh's AndNotMatcher keeps it
    found = {searcher.stored_fields(int(n))["id"] for n in np.flatnonzero(arrays.mask(query))}
    assert found == {"5"}


def test_threads_sharing_a_searcher_get_what_one_thread_gets(cranfield):
    from concurrent.futures import ThreadPoolExecutor

    from hub.search.base import SearchRequest

    backend, queries = cranfield
    texts = list(queries.values())[:40]

    def ranked(text):
        page = backend.search(SearchRequest(query=text, per_page=20, suggest=False))
        return page.total, page.partial, [(hit.id, hit.score) for hit in page.hits]

    backend.close()  # a fresh snapshot: the threads fill its caches together
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(ranked, texts))
    assert together == [ranked(text) for text in texts]
    # Scored in full: work, not the clock, limits a search, so load cannot cut these short.
    assert not any(partial for _total, partial, _hits in together)
