"""Every use of Whoosh's private attributes and methods, in one place.

Wherever the hub goes faster than Whoosh's public API allows, it needs something Whoosh does
not promise to keep:
- postings a block at a time (W3LeafMatcher's _data, _read_data, _blocklength, _next_block);
- the per-document columns of a segment (its _perdoc reader, _cached_reader, _lenfield);
- a segment writer with a cheaper posting pool and field lengths read once (PostingPool's
  _write_run and _read_run, SegmentWriter's _tempstorage), and segments written by worker
  processes committed together (_close_segment, _finalize_segment, _commit_toc, _finish: the
  methods Whoosh's own MpWriter uses);
- a disjunction scored by its best part (DisjunctionMax's _matcher and _tree_matcher);
- a segment's postings with its deleted documents left in (a SegmentReader's _terms), so what
  is read from a segment stays valid while only its deleted-document set changes;
- a reader of a new commit that keeps the open files of the segments it shares with the
  reader before (the index's _read_toc, and a SegmentReader's _segment, _gen and _perdoc set
  to the new commit's segment), and a writer that finds the documents it replaces with that
  reader (SegmentWriter's _searcher, _unique_fields, and the searcher's _find_unique).

Each was written against one Whoosh release, checked below at import: on another, the hub
stops with a message naming both rather than misreading an index. The tests that compare
these paths with Whoosh's own (tests/test_array_search.py, tests/test_search_writing.py)
say whether a new release still fits; then add it to SUPPORTED.
"""

from __future__ import annotations

import pickle
from contextlib import AbstractContextManager, nullcontext
from copy import copy
from itertools import islice

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3Segment,
    _lenfield,
)
from whoosh.matching import DisjunctionMaxMatcher, NullMatcher
from whoosh.query import DisjunctionMax
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length
from whoosh.writing import MERGE_SMALL, PostingPool, SegmentWriter

# Whoosh-Reloaded releases whose private attributes this module was written for.
SUPPORTED = {(2, 7, 5)}


class UnsupportedWhoosh(ImportError):
    """The installed Whoosh is not a release this module was written for."""


def check_version(version: tuple = tuple(whoosh.__version__)) -> None:
    """Refuse, with a clear message, a Whoosh release the private reads were not written for."""
    if tuple(version[:3]) not in SUPPORTED:
        known = ", ".join(".".join(map(str, v)) for v in sorted(SUPPORTED))
        found = ".".join(map(str, version))
        raise UnsupportedWhoosh(
            f"hub.search.whoosh reads private parts of Whoosh written for Whoosh-Reloaded "
            f"{known}, but Whoosh {found} is installed: install Whoosh-Reloaded {known} "
            f"(pip install 'Whoosh-Reloaded>=2.7.5,<2.8'), or check this module against the "
            f"new release and add it to SUPPORTED.")


check_version()


# --- postings a block at a time ------------------------------------------------------------

def is_block_matcher(matcher) -> bool:
    """Whether a leaf matcher is W3's, whose blocks read_blocks can decode."""
    return type(matcher) is W3LeafMatcher


def read_blocks(matcher):
    """(ids, weights) of each block of a W3 leaf matcher, read to the end.

    Decoded as its _read_ids() and _read_weights() decode them (ids delta-coded from zero in
    each block; weights None for all 1.0, one float for all the same), without a Python call
    per posting.
    """
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        deltas, weights, _values = matcher._data
        count = matcher._blocklength
        ids = np.cumsum(np.asarray(deltas, dtype=np.int64)).astype(np.int32)
        if weights is None:
            yield ids, np.ones(count)
        elif isinstance(weights, float):
            yield ids, np.full(count, weights)
        else:
            yield ids, np.asarray(weights, dtype=np.float64)
        matcher._next_block()


def segment_postings(leaf, field: str, term: bytes):
    """A segment's matcher of a term's postings, deleted documents included (the caller masks
    them out), or None when the segment lacks the term. SegmentReader.postings filters the
    deleted documents, which makes what was read depend on the commit, not only the segment."""
    if (field, term) not in leaf:
        return None
    return leaf._terms.matcher(field, term, leaf.schema[field].format)


# --- per-document columns ------------------------------------------------------------------

def length_bytes(leaf, field: str) -> bytes | None:
    """A segment's stored field-length bytes (one per document), or None (readers of other
    codecs keep none)."""
    per_doc = getattr(leaf, "_perdoc", None)
    if per_doc is None or not hasattr(per_doc, "_cached_reader"):
        return None
    column = per_doc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    return None if column is None else bytes(column.load())


# --- reopening after a commit ---------------------------------------------------------------

def open_reader(index, previous=None):
    """A reader of the index's latest commit that reuses the open files of every segment the
    previous reader (of the same index) also has.

    A commit leaves the existing segments' files as they are: it adds a segment, sometimes
    merges small ones away, and changes deleted-document sets, which are kept in the table of
    contents. Opening a segment copies its terms file into memory (Whoosh's compound files hand
    out BytesIO copies), hundreds of milliseconds for a large segment, so a shared segment's
    reader is copied with the new commit's segment (its deleted documents) instead. Whoosh's
    own reader(reuse=) matches segments by id alone, so it would keep the old deletions.
    """
    toc = index._read_toc()
    known = {leaf.segment().segment_id(): leaf for leaf, _offset in previous.leaf_readers()
             if leaf.segment() is not None} if previous is not None else {}
    readers = []
    for segment in toc.segments:
        leaf = known.get(segment.segment_id())
        readers.append(SegmentReader(index.storage, toc.schema, segment, generation=toc.generation)
                       if leaf is None else _rebound(leaf, segment, toc.generation))
    if not readers:
        return EmptyReader(toc.schema)
    return readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)


def _rebound(leaf, segment, generation):
    """A segment reader sharing the files of `leaf`, with the deleted documents of `segment`."""
    reader = copy(leaf)
    reader.__dict__.pop("deleted_docs_set", None)  # a cached_property of the old deletions
    reader._segment = segment
    reader._gen = generation
    reader._perdoc = copy(leaf._perdoc)
    reader._perdoc._segment = segment
    return reader


def segment_ids(reader) -> set[str]:
    """The ids of the segments a reader reads."""
    return {leaf.segment().segment_id() for leaf, _offset in reader.leaf_readers()
            if leaf.segment() is not None}


def close_segments(reader, keep: set[str]) -> None:
    """Close the files of a reader's segments that are not in `keep` (readers made by
    open_reader share a segment's files: they are closed once, when no reader kept needs them)."""
    for leaf, _offset in reader.leaf_readers():
        if leaf.segment() is not None and leaf.segment().segment_id() not in keep \
                and not leaf.is_closed:
            leaf.close()


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh's MERGE_SMALL among the segments of at most a tenth of the documents: a small
    commit merges small segments only, never a rebuild's large ones (rewriting one would cost
    a commit as much as a rebuild)."""
    total = sum(s.doc_count_all() for s in segments)
    large = [s for s in segments if s.doc_count_all() * 10 > total]
    return large + MERGE_SMALL(writer, [s for s in segments if s not in large])


# --- writing -------------------------------------------------------------------------------

POSTINGS_PER_CHUNK = 20_000
BYTES_PER_POSTING = 200  # a posting tuple in memory, measured roughly with tracemalloc
POOL_MB = 128


class LengthsReader(W3PerDocReader):
    """W3PerDocReader whose field lengths come from memory (each column read once)."""

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._lengths: dict[str, list] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        """The length Whoosh stored for a document's field (None for an empty one, as Whoosh)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = self._load_lengths(fieldname, default)
        return lengths[docnum]

    def _load_lengths(self, fieldname: str, default) -> list:
        column = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return [default] * self._doccount
        return [byte_to_length(b) if b else None for b in column.load()]


class IndexingCodec(W3Codec):
    """Whoosh's W3 codec, reading field lengths from memory while a segment is written."""

    def per_document_reader(self, storage, segment):
        """Per-document values of a segment, with its field lengths cached."""
        return LengthsReader(storage, segment)

    def new_segment(self, storage, indexname):
        """A new segment that names the plain W3 codec, so readers never need this class."""
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


class ChunkedPostingPool(PostingPool):
    """Whoosh's posting pool, counting postings and spilling runs as chunks of many postings."""

    def __init__(self, tempstore, segment, limitmb=POOL_MB, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.max_postings = max(POSTINGS_PER_CHUNK, self.limit // BYTES_PER_POSTING)

    def add(self, item):
        """Add a (field, term bytes, docnum, weight, value bytes) posting."""
        self.fieldnames.add(item[0])
        self.current.append(item)
        if len(self.current) >= self.max_postings:
            self.save()

    def _write_run(self, f, items):
        items = iter(items)
        while chunk := list(islice(items, POSTINGS_PER_CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class HubSegmentWriter(SegmentWriter):
    """A SegmentWriter with the chunked posting pool and the indexing codec.

    Given `reader`, an open reader of the commit this writer starts from (the searchers'), it
    finds the documents to replace or delete with it rather than opening every segment again
    (hundreds of milliseconds for a large one); `lock` is held while it reads with it, as the
    searchers hold it. A reader of any other commit is not used.
    """

    def __init__(self, index, limitmb: int = POOL_MB, reader=None,
                 lock: AbstractContextManager | None = None, **kwargs):
        kwargs.setdefault("codec", IndexingCodec())
        super().__init__(index, limitmb=limitmb, **kwargs)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        current = reader is not None and reader.generation() == self.generation - 1 \
            and [s.segment_id() for s in self.segments] == \
            [leaf.segment().segment_id() for leaf, _offset in reader.leaf_readers()
             if leaf.segment() is not None]
        self.shared = reader if current else None
        self.lookups = lock if lock is not None and current else nullcontext()

    def searcher(self, **kwargs):
        """The shared reader's searcher (never closing the reader), else Whoosh's."""
        if self.shared is None or kwargs or self.is_closed:
            return super().searcher(**kwargs)
        if self._searcher is None:
            searcher = Searcher(self.shared, closereader=False)
            searcher._orig_close = searcher.close  # what SegmentWriter._finish calls
            searcher.close = lambda: None
            self._searcher = searcher
        return self._searcher

    def update_document(self, **fields):
        """Whoosh's update_document, its look-up of the replaced document under the lock."""
        unique = [(name, fields[name]) for name in self._unique_fields(fields)]
        if unique:
            with self.lookups:
                for docnum in self.searcher()._find_unique(unique):
                    self.delete_document(docnum)
        self.add_document(**fields)

    def delete_by_term(self, fieldname, text, searcher=None):
        """Whoosh's delete_by_term, under the lock."""
        with self.lookups:
            return super().delete_by_term(fieldname, text, searcher=searcher)


def commit_segments(writer: SegmentWriter, segments: list) -> None:
    """Commit segments that worker processes wrote, with the writer's own (empty) one closed,
    as Whoosh's MpWriter does."""
    writer._close_segment()
    writer._commit_toc(list(writer.segments) + segments)
    writer._finish()


def worker_writer(index) -> SegmentWriter:
    """A segment writer for a worker process: the parent holds the index lock."""
    return HubSegmentWriter(index, _lk=False)


def finish_worker(writer: SegmentWriter):
    """The segment a worker's writer wrote, or None when it was given no documents."""
    if writer.docnum == writer.docbase:
        writer._close_segment()
        return None
    return writer._finalize_segment()


# --- best-of disjunctions ------------------------------------------------------------------

class BestOfMatcher(DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher, scoring only the sub-matchers on the current document.

    Whoosh 2.7's version returns the larger score of both sub-matchers even when one of them
    sits on another document, so a synonym matched elsewhere lent its score.
    """

    def score(self):
        """The best score among the sub-matchers positioned on the current document."""
        current = self.id()
        return max(m.score() for m in (self.a, self.b) if m.is_active() and m.id() == current)

    def replace(self, minquality=0):
        """Drop exhausted sub-matchers (no quality skipping: scores are not additive)."""
        a_active, b_active = self.a.is_active(), self.b.is_active()
        if not (a_active or b_active):
            return NullMatcher()
        if not a_active:
            return self.b.replace()
        if not b_active:
            return self.a.replace()
        return self

    def supports_block_quality(self):
        """No: the union's quality is not the sum of its parts'."""
        return False


class BestOf(DisjunctionMax):
    """Any of the subqueries, scored by the best of them (synonyms do not add up)."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(subs, BestOfMatcher, searcher, context,
                                  lambda q: q.estimate_size(reader))
