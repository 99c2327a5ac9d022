"""The documents a query matches, as a numpy mask, from cached postings.

Totals and facet counts need every match, not just the top ten. Walking Whoosh's matchers
for that costs a Python call per posting on every query; here each term's postings are read
once per searcher into an array (kept in a bounded cache) and a query's boolean structure is
evaluated with vectorised AND, OR and NOT. Phrases, which need positions, fall back to
Whoosh's own matcher, restricted to the documents that have all their words.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.query.wrappers import WrappingQuery

MAX_CACHED_POSTINGS = 20_000_000  # document numbers kept in the cache (80 MB)


class DocSets:
    """Masks of matching documents for one searcher (its reader never changes)."""

    def __init__(self, searcher, live: np.ndarray):
        self.searcher = searcher
        self.live = live
        self.leaves = list(searcher.reader().leaf_readers())
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._cached = 0

    def postings(self, field: str, text: str) -> np.ndarray:
        """The document numbers holding a term (cached, least recently used dropped first)."""
        key = (field, text)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        parts = [np.fromiter(reader.postings(field, text).all_ids(), dtype=np.int32) + offset
                 for reader, offset in self.leaves if (field, text) in reader]
        found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        self._cache[key] = found
        self._cached += len(found)
        while self._cached > MAX_CACHED_POSTINGS and len(self._cache) > 1:
            _key, dropped = self._cache.popitem(last=False)
            self._cached -= len(dropped)
        return found

    def mask(self, query: wq.Query) -> np.ndarray:
        """A boolean mask of the live documents the query matches."""
        return self._mask(query) & self.live

    def _mask(self, query: wq.Query) -> np.ndarray:
        if isinstance(query, wq.Term):
            mask = np.zeros(len(self.live), dtype=bool)
            mask[self.postings(query.fieldname, query.text)] = True
            return mask
        if isinstance(query, wq.Every):
            return self.live.copy()
        if isinstance(query, wq.AndNot):
            return self._mask(query.a) & ~self._mask(query.b)
        if isinstance(query, (wq.Or, wq.DisjunctionMax)):
            return np.logical_or.reduce([self._mask(q) for q in query.subqueries])
        if isinstance(query, wq.And):
            return np.logical_and.reduce([self._mask(q) for q in query.subqueries])
        if isinstance(query, WrappingQuery):
            return self._mask(query.child)
        return self._slow(query)

    def _slow(self, query: wq.Query) -> np.ndarray:
        mask = np.zeros(len(self.live), dtype=bool)
        if isinstance(query, wq.Phrase):
            candidates = np.logical_and.reduce(
                [self._mask(wq.Term(query.fieldname, w)) for w in query.words])
            if not candidates.any():
                return mask
        mask[np.fromiter(query.docs(self.searcher), dtype=np.int64)] = True
        return mask
