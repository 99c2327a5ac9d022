"""Every use of Whoosh's private attributes and methods, in one place.

Wherever the hub goes faster than Whoosh's public API allows, it needs something Whoosh does
not promise to keep:
- postings a block at a time (W3LeafMatcher's _data, _read_data, _blocklength, _next_block);
- the per-document columns of a segment (its _perdoc reader, _cached_reader, _lenfield);
- a segment writer with a cheaper posting pool and field lengths read once (PostingPool's
  _write_run and _read_run, SegmentWriter's _tempstorage), and segments written by worker
  processes committed together (_close_segment, _finalize_segment, _commit_toc, _finish: the
  methods Whoosh's own MpWriter uses);
- a disjunction scored by its best part (DisjunctionMax's _matcher and _tree_matcher).

Each was written against one Whoosh release, checked below at import: on another, the hub
stops with a message naming both rather than misreading an index. The tests that compare
these paths with Whoosh's own (tests/test_array_search.py, tests/test_search_writing.py)
say whether a new release still fits; then add it to SUPPORTED.
"""

from __future__ import annotations

import pickle
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
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

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


# --- per-document columns ------------------------------------------------------------------

def length_bytes(leaf, field: str) -> bytes | None:
    """A segment's stored field-length bytes (one per document), or None (readers of other
    codecs keep none)."""
    per_doc = getattr(leaf, "_perdoc", None)
    if per_doc is None or not hasattr(per_doc, "_cached_reader"):
        return None
    column = per_doc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    return None if column is None else bytes(column.load())


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
    """A SegmentWriter with the chunked posting pool and the indexing codec."""

    def __init__(self, index, limitmb: int = POOL_MB, **kwargs):
        kwargs.setdefault("codec", IndexingCodec())
        super().__init__(index, limitmb=limitmb, **kwargs)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)


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
