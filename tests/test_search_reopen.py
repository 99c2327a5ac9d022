"""Reopening after a small commit: what a searcher reuses from the one before, and that its
pages are the pages of a freshly opened index.

After an update or a delete the backend's next snapshot shares the unchanged segments' open
files and everything read from them (postings, facet values, lengths, words); only the new
segment is read. These tests check that every page (results, scores, totals, facet counts,
snippets, suggestions) equals a fresh backend's on the same folder, that the unchanged
segments' arrays are the very same objects, that a writer finds the documents it replaces
without opening the segments again, and that a small commit never merges a large segment.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from whoosh.reading import SegmentReader

from hub.search.base import SearchRequest
from hub.search.whoosh import internals
from hub.search.whoosh.backend import WhooshBackend
from hub.search.whoosh.schema import SPELL_FIELD
from hub.search.whoosh.spelling import Vocabulary
from tests.support.search_documents import DOCS, SYNONYMS, doc
from tests.test_search_writing import synthetic

REQUESTS = [
    SearchRequest("probation"), SearchRequest("customer insight"),
    SearchRequest('"customer insight"'), SearchRequest("insight -customer"),
    SearchRequest("hous*"), SearchRequest("NEET"), SearchRequest("worklessness councils"),
    SearchRequest("council data sharing evidence"), SearchRequest("custmer insigt"),
    SearchRequest("council", filters={"theme": ["worklessness"]}),
    SearchRequest("council", filters={"theme": ["housing", "data-sharing"]}, page=2, per_page=5),
    SearchRequest("data", sort="date"), SearchRequest("data", sort="evidence"),
    SearchRequest(""), SearchRequest("", filters={"type": ["guide"]}),
    SearchRequest("support families", within="r1"), SearchRequest("support families"),
    SearchRequest("support families", group=False, per_page=30),
    SearchRequest("service", ids=["s3", "s4", "s5", "1"]),
]


def corpus() -> list:
    """The search test documents and synthetic ones, some of them sections of one report."""
    made = [replace(d, id=f"s{d.id}", family="r1" if n % 6 == 0 else None,
                    evidence=str(1 + n % 5), type="case_study" if n % 12 == 0 else d.type)
            for n, d in enumerate(synthetic(60))]
    return [*DOCS, replace(made[0], id="r1", type="report"), *made[1:]]


class Node:
    """A backend over an index folder, with the texts its snippets come from."""

    def __init__(self, folder):
        self.folder = folder
        self.texts: dict[str, str] = {}
        self.backend = self.open()

    def open(self) -> WhooshBackend:
        return WhooshBackend(self.folder, synonyms=SYNONYMS, text_source=lambda ids: {
            i: self.texts[i] for i in ids if i in self.texts})

    def rebuild(self, docs) -> None:
        self.texts.update({d.id: d.body for d in docs})
        self.backend.rebuild(docs)

    def update(self, docs) -> None:
        self.texts.update({d.id: d.body for d in docs})
        self.backend.update(docs)

    def pages(self, backend: WhooshBackend | None = None) -> list:
        return [(backend or self.backend).search(request) for request in REQUESTS]


@pytest.fixture
def node(tmp_path):
    node = Node(tmp_path / "index")
    node.rebuild(corpus())
    node.pages()  # a serving node: its caches warm
    yield node
    node.backend.close()


def edited(document, number: int):
    return replace(document, title=f"{document.title} revised {number}",
                   body=f"{document.body} Customer insight and probation data, revision {number}.")


def assert_pages_of_a_fresh_index(node: Node) -> None:
    fresh = node.open()
    try:
        assert node.pages() == node.pages(fresh)
    finally:
        fresh.close()


def test_after_each_small_commit_pages_equal_a_fresh_index(node):
    docs = {d.id: d for d in corpus()}
    steps = [
        lambda: node.update([edited(docs["s7"], 1)]),  # replaces a document of the large segment
        lambda: node.update([edited(docs[i], 2) for i in ("1", "s12", "s13", "s30")]),
        lambda: node.backend.delete(["s7"]),  # a document of a small segment
        lambda: node.backend.delete(["2", "s24"]),  # of the large one, one of them a report's
        lambda: node.update([doc(99, "Probation customer insight pilot", "Probation pilots.",
                                 themes=("housing",), family="r1", type="section")]),
        lambda: node.update([edited(docs["s13"], 3)]),  # replaced a second time
    ]
    for step in steps:
        step()
        assert_pages_of_a_fresh_index(node)
    assert len(internals.segment_ids(node.backend.snapshot().searcher.reader())) > 1


def test_a_reopened_searcher_reuses_the_unchanged_segments(node, monkeypatch):
    before = node.backend.snapshot()
    arrays, leaf, _offset = before.leaves.parts[0]
    theme = arrays.built[("facet", "theme")]
    number = before.searcher.document_number(id="s5")
    node.update([edited(corpus()[20], 1)])
    read = []
    counted = internals.segment_postings
    monkeypatch.setattr(internals, "segment_postings", lambda reader, field, term: (
        read.append(reader.segment().segment_id()), counted(reader, field, term))[1])
    after = node.backend.snapshot()
    assert after is not before
    assert after.leaves.parts[0][0] is arrays  # the same arrays: not read again
    shared = after.leaves.parts[0][1]
    assert shared is not leaf and shared.storage() is leaf.storage()  # the same open files
    node.update([edited(corpus()[30], 2)])  # the segments' deletions change, not their files
    latest = node.backend.snapshot()
    assert latest.leaves.parts[0][0] is arrays and arrays.built[("facet", "theme")] is theme
    assert latest.facets.fields["theme"] is not theme  # the whole index's, put together
    assert latest.searcher.reader().is_deleted(number) is False
    node.backend.delete(["s5"])
    assert node.backend.snapshot().searcher.reader().is_deleted(number)
    assert not latest.searcher.reader().is_deleted(number)  # the older searcher is unchanged
    node.pages()  # the same queries again: only the new segments' postings are read
    newest = {parts[0].key for parts in node.backend.snapshot().leaves.parts[1:]}
    assert read and set(read) <= newest


def test_a_writer_finds_what_it_replaces_without_opening_the_segments(node, monkeypatch):
    opened = []
    original = SegmentReader.__init__

    def counting(self, storage, schema, segment, *args, **kwargs):
        opened.append(segment.segment_id())
        original(self, storage, schema, segment, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "__init__", counting)
    node.update([edited(corpus()[10], 1)])
    assert opened == []
    node.backend.snapshot()
    assert len(opened) == 1  # the new segment only
    node.backend.delete(["s11"])
    node.backend.snapshot()
    assert len(opened) == 1
    assert node.backend.search(SearchRequest("revised")).total == 1


def test_a_small_commit_never_merges_a_large_segment(node):
    large = internals.segment_ids(node.backend.snapshot().searcher.reader())
    docs = corpus()
    for number in range(12):
        node.update([edited(docs[number], number)])
        segments = internals.segment_ids(node.backend.snapshot().searcher.reader())
        assert large <= segments
        assert len(segments) <= 7  # the small ones are merged among themselves
    assert_pages_of_a_fresh_index(node)


def test_the_words_of_every_segment_are_the_words_of_the_index(node):
    node.update([doc(98, "Custodial insights from Coventry", "Insite and incite.")])
    node.update([doc(97, "Costumer journeys", "Customers and costumes.")])
    snap = node.backend.snapshot()
    whole = Vocabulary(snap.searcher.reader(), SPELL_FIELD)
    words = snap.vocabulary()
    assert len(words.parts) == 3
    for word in ("custmer", "insite", "coventri", "probaton", "costume", "zzzz"):
        for distance, prefix in ((1, 1), (2, 1), (2, 0)):
            assert words.within(word, distance, prefix) == whole.within(word, distance, prefix)
        assert words.sounding_like(word) == whole.sounding_like(word)


def test_files_are_closed_once_no_kept_searcher_reads_them(node):
    node.update([edited(corpus()[5], 1)])
    second = node.backend.snapshot()  # shares the large segment with the first
    node.backend.rebuild(corpus())  # a new generation: no segment in common
    rebuilt = node.backend.snapshot()
    assert not any(leaf.is_closed for leaf, _offset in second.searcher.reader().leaf_readers())
    node.update([edited(corpus()[6], 2)])
    latest = node.backend.snapshot()
    assert all(leaf.is_closed for leaf, _offset in second.searcher.reader().leaf_readers())
    for snap in (rebuilt, latest):
        assert not any(leaf.is_closed for leaf, _offset in snap.searcher.reader().leaf_readers())
    assert node.backend.search(SearchRequest("probation")).total
    node.backend.close()  # each segment's files closed once
