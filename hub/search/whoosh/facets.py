"""Facet counts from a per-searcher cache of each facet field's values (numpy arrays).

Whoosh's groupedby rebuilds a per-document list of a multi-valued field on every query; here
the lists are read once per searcher (from the postings, a block at a time, not the stored
fields) and each query's counts are one vectorised bincount over the documents that match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from hub.search.whoosh.postings import live_documents, read_postings


class FacetField:
    """One facet field of one reader: its values and, for each, the documents carrying it."""

    def __init__(self, reader, name: str, doc_count: int):
        self.name = name
        self.values: list[str] = []
        self.number: dict[str, int] = {}
        postings: list[np.ndarray] = []
        for value in reader.lexicon(name):
            text = value.decode("utf-8") if isinstance(value, bytes) else value
            self.number[text] = len(self.values)
            self.values.append(text)
            postings.append(read_postings(reader, name, value)[0])
        self.postings = postings
        docs = np.concatenate(postings) if postings else np.zeros(0, np.int32)
        value_ids = np.repeat(np.arange(len(postings), dtype=np.int32),
                              [len(p) for p in postings])
        self.doc_of_pair, self.value_of_pair = docs, value_ids
        self.doc_count = doc_count

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
    """Every facet field of one reader, built once when its searcher is opened."""

    def __init__(self, reader, names: Sequence[str]):
        self.doc_count = reader.doc_count_all()
        self.fields = {name: FacetField(reader, name, self.doc_count) for name in names}
        self.live = live_documents(reader)

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
