"""Reading Whoosh's posting lists and per-document columns into numpy arrays.

Whoosh's matchers hand out one posting per Python call; reading a common term's 100,000
postings that way costs tens of milliseconds. W3 postings are stored in blocks of up to 128
(ids delta-coded, weights minified), so they are decoded here a block at a time. The search
scorer (arrays) and the facet cache (facets) both read through this module; the private parts
of Whoosh it needs are in internals.
"""

from __future__ import annotations

import numpy as np
from whoosh.util.numeric import byte_to_length

from hub.search.whoosh import internals

# Whoosh's length byte decoded; 0 (an empty field) scores with the default length 1.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_LENGTH_OF_BYTE[0] = 1.0


def read_postings(reader, field: str, term: bytes | None) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers (int32, ascending) and weights over every segment."""
    id_parts, weight_parts = [], []
    for leaf, offset in reader.leaf_readers():
        if term is None or (field, term) not in leaf:
            continue
        ids, weights = leaf_postings(leaf.postings(field, term))
        id_parts.append(ids + offset if offset else ids)
        weight_parts.append(weights)
    if not id_parts:
        return np.zeros(0, np.int32), np.zeros(0, np.float64)
    if len(id_parts) == 1:
        return id_parts[0], weight_parts[0]
    return np.concatenate(id_parts), np.concatenate(weight_parts)


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


def field_lengths(reader, field: str) -> np.ndarray:
    """Every document's stored length of a field (byte-rounded, as Whoosh scores with)."""
    found = np.ones(reader.doc_count_all(), np.float64)
    for leaf, offset in reader.leaf_readers():
        count = leaf.doc_count_all()
        stored = internals.length_bytes(leaf, field)
        if stored is not None:
            found[offset:offset + count] = _LENGTH_OF_BYTE[
                np.frombuffer(stored, dtype=np.uint8)[:count]]
    return found


def column_values(reader, name: str) -> np.ndarray:
    """Every document's value of a numeric sortable column (0 where it has none)."""
    found = np.zeros(reader.doc_count_all(), np.int64)
    for leaf, offset in reader.leaf_readers():
        if not leaf.has_column(name):
            continue
        count = leaf.doc_count_all()
        values = leaf.column_reader(name, translate=True)
        found[offset:offset + count] = np.fromiter((values[n] or 0 for n in range(count)),
                                                   np.int64, count=count)
    return found


def live_documents(reader) -> np.ndarray:
    """A mask of the documents not deleted (only segments with deletions are walked)."""
    live = np.ones(reader.doc_count_all(), dtype=bool)
    for leaf, offset in reader.leaf_readers():
        if leaf.has_deletions():
            count = leaf.doc_count_all()
            live[offset:offset + count] = False
            live[np.fromiter(leaf.all_doc_ids(), dtype=np.int64) + offset] = True
    return live
