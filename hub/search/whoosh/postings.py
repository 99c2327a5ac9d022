"""Reading Whoosh's posting lists and per-document columns into numpy arrays, per segment.

Whoosh's matchers hand out one posting per Python call; reading a common term's 100,000
postings that way costs tens of milliseconds. W3 postings are stored in blocks of up to 128
(ids delta-coded, weights minified), so they are decoded here a block at a time. The search
scorer (arrays), the facet cache (facets), the result units (grouping) and the did-you-mean
words (spelling) all read through this module; the private parts of Whoosh it needs are in
internals.

What is read is kept per segment (SegmentStore), because a segment never changes once written:
a commit adds a small segment, may merge small ones away, and changes deleted-document sets.
Postings are read with their deleted documents left in and the live mask (from each segment's
deleted set) masks them out, so everything read from a segment holds for as long as the
segment is in the index. A searcher reopened after a small commit reads the new segment only;
its own arrays over the whole index are put together from the segments' (Leaves), and scores
are recomputed from the new collection statistics (arrays), never read again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np
from whoosh.util.numeric import byte_to_length

from hub.search.whoosh import internals

MAX_CACHED_POSTINGS = 12_000_000  # postings kept per store (12 bytes each: ~144 MB)

# Whoosh's length byte decoded; 0 (an empty field) scores with the default length 1.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_LENGTH_OF_BYTE[0] = 1.0


def leaf_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    """One segment's matcher read to the end: document numbers and weights."""
    if not internals.is_block_matcher(matcher):
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float64)
    # W3 blocks decoded a block at a time; tests/test_array_search.py compares the result
    # with a posting-by-posting walk.
    blocks = list(internals.read_blocks(matcher))
    if not blocks:
        return np.zeros(0, np.int32), np.zeros(0, np.float64)
    return np.concatenate([i for i, _ in blocks]), np.concatenate([w for _, w in blocks])


def live_documents(reader) -> np.ndarray:
    """A mask of the documents not deleted (from the deleted set of each segment that has one)."""
    live = np.ones(reader.doc_count_all(), dtype=bool)
    for leaf, offset in reader.leaf_readers():
        if leaf.has_deletions():
            live[np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64) + offset] = False
    return live


class SegmentArrays:
    """What has been read from one segment, or built from what was read (facet values,
    words): kept while the segment is in the index."""

    def __init__(self, key: str, count: int):
        self.key = key
        self.count = count  # documents, deleted ones included
        self.built: dict[Hashable, object] = {}


class SegmentStore:
    """Every live segment's arrays, shared by the searchers opened one after another.

    Its lock is held while reading files: readers of successive commits share a segment's
    open files (internals.open_reader), and Whoosh's file reads seek a shared file.
    """

    def __init__(self, max_postings: int = MAX_CACHED_POSTINGS):
        self.lock = threading.RLock()
        self.max_postings = max_postings
        self._segments: dict[str, SegmentArrays] = {}
        self._postings: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0

    def leaves(self, reader) -> Leaves:
        """The segments of a reader (of the latest commit: segments it no longer has are
        forgotten, though a searcher still using them keeps what it holds)."""
        with self.lock:
            parts = []
            for leaf, offset in reader.leaf_readers():
                segment = leaf.segment()
                if segment is None:  # an index with no segment at all
                    continue
                key = segment.segment_id()
                arrays = self._segments.get(key)
                if arrays is None:
                    arrays = self._segments[key] = SegmentArrays(key, leaf.doc_count_all())
                parts.append((arrays, leaf, offset))
            live = {arrays.key for arrays, _leaf, _offset in parts}
            for key in [k for k in self._segments if k not in live]:
                del self._segments[key]
            for key in [k for k in self._postings if k[0] not in live]:
                self._cached -= len(self._postings.pop(key)[0])
            return Leaves(self, reader, parts)

    def postings(self, arrays: SegmentArrays, leaf, field: str,
                 term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """A segment's postings of a term (document numbers in the segment, weights; deleted
        documents included), read once (a bounded LRU over every segment)."""
        key = (arrays.key, field, term)
        with self.lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
            matcher = internals.segment_postings(leaf, field, term)
            found = leaf_postings(matcher) if matcher is not None else _NO_POSTINGS
            self._postings[key] = found
            self._cached += len(found[0])
            while self._cached > self.max_postings and len(self._postings) > 1:
                _key, (dropped, _weights) = self._postings.popitem(last=False)
                self._cached -= len(dropped)
            return found


_NO_POSTINGS = (np.zeros(0, np.int32), np.zeros(0, np.float64))


class Leaves:
    """One reader's segments, in its document-number order: arrays over the whole index put
    together from each segment's (read once per segment, in the store)."""

    def __init__(self, store: SegmentStore, reader, parts: list):
        self.store = store
        self.lock = store.lock
        self.reader = reader
        self.parts = parts  # (SegmentArrays, segment reader, offset of its first document)
        self.doc_count = reader.doc_count_all()

    def each(self, name: Hashable, build: Callable[[object, int], object]) -> list[tuple]:
        """(value, offset) per segment of build(segment reader, document count), built once
        per segment under the name."""
        found = []
        with self.lock:
            for arrays, leaf, offset in self.parts:
                if name not in arrays.built:
                    arrays.built[name] = build(leaf, arrays.count)
                found.append((arrays.built[name], offset))
        return found

    def _joined(self, parts: list[tuple[np.ndarray, int]], fill, dtype) -> np.ndarray:
        found = np.full(self.doc_count, fill, dtype)
        for values, offset in parts:
            found[offset:offset + len(values)] = values
        return found

    def postings(self, field: str, term: bytes | None) -> tuple[np.ndarray, np.ndarray]:
        """A term's document numbers (int32, ascending) and weights over every segment,
        deleted documents included."""
        if term is None:
            return _NO_POSTINGS
        id_parts, weight_parts = [], []
        for arrays, leaf, offset in self.parts:
            ids, weights = self.store.postings(arrays, leaf, field, term)
            if len(ids):
                id_parts.append(ids + offset if offset else ids)
                weight_parts.append(weights)
        if not id_parts:
            return _NO_POSTINGS
        if len(id_parts) == 1:
            return id_parts[0], weight_parts[0]
        return np.concatenate(id_parts), np.concatenate(weight_parts)

    def lengths(self, field: str) -> np.ndarray:
        """Every document's stored length of a field (byte-rounded, as Whoosh scores with)."""
        return self._joined(self.each(("lengths", field), lambda leaf, count:
                                      _segment_lengths(leaf, field, count)), 1.0, np.float64)

    def column(self, name: str) -> np.ndarray:
        """Every document's value of a numeric sortable column (0 where it has none)."""
        return self._joined(self.each(("column", name), lambda leaf, count:
                                      _segment_column(leaf, name, count)), 0, np.int64)

    def live(self) -> np.ndarray:
        """A mask of the documents not deleted."""
        return live_documents(self.reader)


def _segment_lengths(leaf, field: str, count: int) -> np.ndarray:
    stored = internals.length_bytes(leaf, field)
    if stored is None:
        return np.ones(count, np.float64)
    return _LENGTH_OF_BYTE[np.frombuffer(stored, dtype=np.uint8)[:count]]


def _segment_column(leaf, name: str, count: int) -> np.ndarray:
    if not leaf.has_column(name):
        return np.zeros(count, np.int64)
    values = leaf.column_reader(name, translate=True)
    return np.fromiter((values[n] or 0 for n in range(count)), np.int64, count=count)
