"""Facet counts from a per-searcher cache of each facet field's values (numpy arrays).

Whoosh's groupedby rebuilds a per-document list of a multi-valued field on every query; here
the lists are read once per segment (from the postings, a block at a time, not the stored
fields; postings.SegmentStore keeps them while the segment lives), put together once per
searcher, and each query's counts are one vectorised bincount over the documents that match.
A segment's lists include its deleted documents, which no mask of matches ever holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from hub.search.whoosh.internals import segment_postings
from hub.search.whoosh.postings import Leaves, leaf_postings


class FacetField:
    """One facet field: its values (in the index's term order) and, for each, the documents
    carrying it."""

    def __init__(self, name: str, values: list[str], postings: list[np.ndarray],
                 doc_count: int):
        self.name = name
        self.values = values
        self.number = {value: number for number, value in enumerate(values)}
        self.postings = postings
        docs = np.concatenate(postings) if postings else np.zeros(0, np.int32)
        value_ids = np.repeat(np.arange(len(postings), dtype=np.int32),
                              [len(p) for p in postings])
        self.doc_of_pair, self.value_of_pair = docs, value_ids
        self.doc_count = doc_count

    @classmethod
    def read(cls, leaf, name: str, doc_count: int) -> FacetField:
        """A field of one segment, from its terms and postings (deleted documents included)."""
        values, postings = [], []
        for value in leaf.lexicon(name):
            values.append(value.decode("utf-8") if isinstance(value, bytes) else value)
            postings.append(leaf_postings(segment_postings(leaf, name, value))[0])
        return cls(name, values, postings, doc_count)

    @classmethod
    def of(cls, leaves: Leaves, name: str) -> FacetField:
        """A field over every segment of a reader: each segment's field, read once, merged."""
        parts = leaves.each(("facet", name), lambda leaf, count: cls.read(leaf, name, count))
        if len(parts) == 1 and parts[0][0].doc_count == leaves.doc_count:
            return parts[0][0]
        values = sorted(set().union(*(part.values for part, _offset in parts)))  # term order
        number = {value: n for n, value in enumerate(values)}
        docs, value_ids = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for part, offset in parts:
            docs.append(part.doc_of_pair.astype(np.int64) + offset)
            renumbered = np.array([number[v] for v in part.values], dtype=np.int64)
            value_ids.append(renumbered[part.value_of_pair])
        docs, value_ids = np.concatenate(docs), np.concatenate(value_ids)
        # Grouped by value; within a value the segments come in order, so documents ascend.
        order = np.argsort(value_ids, kind="stable")
        docs = docs[order].astype(np.int32)
        bounds = np.searchsorted(value_ids[order], np.arange(len(values) + 1))
        return cls(name, values, [docs[a:b] for a, b in zip(bounds[:-1], bounds[1:],
                                                             strict=True)], leaves.doc_count)

    def mask(self, values: Iterable[str]) -> np.ndarray:
        """A boolean mask of the documents carrying any of the values (OR within a facet)."""
        mask = np.zeros(self.doc_count, dtype=bool)
        for value in values:
            number = self.number.get(value)
            if number is not None:
                mask[self.postings[number]] = True
        return mask

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        """How many of the masked documents carry each value, largest first."""
        selected = self.value_of_pair[mask[self.doc_of_pair]]
        totals = np.bincount(selected, minlength=len(self.values))
        order = np.lexsort((np.arange(len(totals)), -totals))
        return {self.values[i]: int(totals[i]) for i in order if totals[i]}


class FacetCache:
    """Every facet field of one reader, built once per searcher from its segments' fields."""

    def __init__(self, leaves: Leaves, names: Sequence[str]):
        self.doc_count = leaves.doc_count
        self.fields = {name: FacetField.of(leaves, name) for name in names}
        self.live = leaves.live()

    def ranks(self, name: str) -> np.ndarray:
        """Each document's value of a facet of whole numbers (0 where it has none): what a
        sort by that facet orders on (the evidence level)."""
        facet = self.fields[name]
        ranks = np.zeros(self.doc_count, dtype=np.int32)
        for value, postings in zip(facet.values, facet.postings, strict=True):
            if value.isdigit():
                ranks[postings] = np.maximum(ranks[postings], int(value))
        return ranks

    def narrow(self, base: np.ndarray, filters: dict[str, list[str]]):
        """The matches after every filter, and each facet's counts ignoring its own filter.

        OR within a facet, AND across facets (as GOV.UK's finders do).
        """
        masks = {name: self.fields[name].mask(values) for name, values in filters.items()
                 if name in self.fields}
        allowed = base.copy()
        for mask in masks.values():
            allowed &= mask
        counts = {}
        for name, facet in self.fields.items():
            scope = base.copy()
            for other, mask in masks.items():
                if other != name:
                    scope &= mask
            counts[name] = facet.counts(scope)
        return allowed, counts
