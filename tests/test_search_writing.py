"""The fast index writer builds exactly the index Whoosh's own writer builds, alone or in parallel."""

from __future__ import annotations

import random

import pytest
from whoosh.filedb.filestore import FileStorage

from hub.search.base import IndexDocument, SearchError
from hub.search.whoosh import internals, writing
from hub.search.whoosh.backend import WhooshBackend
from hub.search.whoosh.internals import HubSegmentWriter
from hub.search.whoosh.schema import build_schema, index_fields
from hub.search.whoosh.writing import build_index

WORDS = ["council", "partnership", "residents", "service", "pilot", "officers", "budget", "evidence", "programme", "review", "support", "families", "advisers", "referral", "outcomes", "project", "community", "health", "housing", "worklessness", "employment", "skills", "data", "sharing", "customer", "insight", "probation"]


def synthetic(count: int, seed: int = 3) -> list[IndexDocument]:
    """Documents of 20-200 random words with a few facets each."""
    rng = random.Random(seed)
    return [IndexDocument(
        id=str(n), title=" ".join(rng.choices(WORDS, k=5)), type=rng.choice(["article", "guide"]),
        body=". ".join(" ".join(rng.choices(WORDS, k=20)) for _ in range(rng.randint(1, 10))),
        themes=tuple(rng.sample(["data-sharing", "worklessness", "housing"], k=rng.randint(0, 2))),
        date=f"{rng.randint(2000, 2015)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
        for n in range(count)]


def fresh_index(folder):
    folder.mkdir()
    return FileStorage(str(folder)).create_index(build_schema())


def contents(index, blocks: bool = True) -> dict:
    """Everything a reader can see: stored fields by id, and every term's postings by id.

    With `blocks`, each posting also carries its block's length and weight bounds (what
    BM25's block skipping reads): comparable only when documents are numbered alike.
    """
    with index.searcher() as searcher:
        reader = searcher.reader()
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        postings = {}
        for fieldname, term in reader.all_terms():
            if fieldname == "id":
                continue
            matcher = reader.postings(fieldname, term)
            found = []
            while matcher.is_active():
                bounds = (matcher.block_min_length(), matcher.block_max_length(),
                          matcher.block_max_weight()) if blocks else ()
                found.append((ids[matcher.id()], matcher.weight(), matcher.value(), *bounds))
                matcher.next()
            postings[(fieldname, term)] = sorted(found)
        lengths = {(ids[d], name): reader.doc_field_length(d, name)
                   for d in ids for name in ("title", "body")}
        return {"stored": {ids[d]: fields for d, fields in reader.iter_docs()},
                "postings": postings, "lengths": lengths, "count": reader.doc_count()}


def whoosh_built(folder, docs, blocks: bool = True) -> dict:
    index = fresh_index(folder)
    writer = index.writer()
    for doc in docs:
        writer.add_document(**index_fields(doc))
    writer.commit()
    return contents(index, blocks)


def test_one_process_with_runs_spilled_builds_what_whoosh_builds(tmp_path, monkeypatch):
    docs = synthetic(300)
    expected = whoosh_built(tmp_path / "whoosh", docs)
    # Spill a run every few thousand postings, in chunks of 50, so the merge is exercised.
    monkeypatch.setattr(internals, "POSTINGS_PER_CHUNK", 50)
    index = fresh_index(tmp_path / "hub")
    writer = HubSegmentWriter(index, limitmb=1)
    assert writer.pool.max_postings < sum(len(d.body.split()) for d in docs) // 4
    for doc in docs:
        writer.add_document(**index_fields(doc))
    assert len(writer.pool.runs) >= 2
    writer.commit()
    assert contents(index) == expected
    # The segments name Whoosh's own codec: a reader never needs the hub's writing classes.
    assert {type(s.codec()).__module__ for s in index._segments()} == {"whoosh.codec.whoosh3"}


def test_a_parallel_build_gives_the_same_index(tmp_path, monkeypatch):
    docs = synthetic(240, seed=5)
    expected = whoosh_built(tmp_path / "whoosh", docs, blocks=False)
    monkeypatch.setattr(writing, "PARALLEL_FROM", 50)
    monkeypatch.setattr(writing, "BATCH", 20)
    started = []
    start = writing._ParallelBuild._start_worker
    monkeypatch.setattr(writing._ParallelBuild, "_start_worker",
                        lambda self: (started.append(1), start(self)))
    index = fresh_index(tmp_path / "hub")
    assert build_index(index, map(index_fields, docs), procs=2) == len(docs)
    assert len(started) == 2
    assert 1 <= len(index._segments()) <= 2  # a segment from each worker that got work
    # Document numbers differ (each worker numbers its own), so compare through the ids.
    assert contents(index, blocks=False) == expected


def test_a_small_build_stays_in_this_process(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(writing._ParallelBuild, "_start_worker",
                        lambda self: started.append(1))
    index = fresh_index(tmp_path / "hub")
    assert build_index(index, map(index_fields, synthetic(30)), procs=2) == 30
    assert started == [] and index.doc_count() == 30


def test_a_failing_worker_fails_the_rebuild_and_the_live_index_stays(tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "PARALLEL_FROM", 10)
    monkeypatch.setattr(writing, "BATCH", 5)
    backend = WhooshBackend(tmp_path / "index", procs=2)
    backend.rebuild(synthetic(12))
    before = backend.generation()

    def broken(docs):
        for number, fields in enumerate(map(index_fields, docs)):
            # A field the schema does not have: the worker that gets it raises.
            yield {**fields, "no_such_field": "x"} if number == 15 else fields

    monkeypatch.setattr("hub.search.whoosh.backend.index_fields", lambda doc: doc)
    with pytest.raises(SearchError, match="index worker"):
        backend.rebuild(broken(synthetic(40)))
    monkeypatch.undo()
    assert backend.generation() == before and backend.count() == 12
    assert backend.rebuild(synthetic(25)) == 25 and backend.count() == 25
    backend.close()
