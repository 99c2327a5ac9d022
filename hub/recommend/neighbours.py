"""Every row's neighbours at fit time: exact on small corpora, candidates rescored on large ones.

The exact way scores each row against every item sharing a term with it. On a large corpus
that is nearly every item, through the common terms: their posting lists are long, and the
product costs the sum of their squared lengths (hours at 100,000 items). But two items are
close because of the terms few items share; the common ones only add a little to each score.
So candidates come from the rare terms alone (short posting lists), the best of them are
rescored exactly with the common terms added back, and the usual ranking (exclusions, lift,
one per report) picks from them. scripts/bench_related.py measures the recall against the
exact neighbours; tests/test_related_scale.py checks it on a generated corpus.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from hub.recommend.model import DEPTH, RelatedModel
from hub.recommend.rank import item_query, ranked, store_neighbours, store_row

# Below this many live items the exact computation is fast enough: use it.
APPROXIMATE_FROM = 20_000
# A term in more than this share of the items is common: left out of candidate generation.
COMMON_SHARE = 0.02
# Candidates rescored per row: room for exclusions and reports with many sections.
CANDIDATES = 200
# Rows whose rare-term scores are held at once.
BLOCK = 256


def store_all(model: RelatedModel, approximate_from: int = APPROXIMATE_FROM) -> None:
    """Compute and keep the neighbours of every live row."""
    rows = np.flatnonzero(model.alive)
    if len(rows) < approximate_from or not model.matrix.shape[1]:
        store_neighbours(model, rows)
        return
    # Document frequencies from the transposed matrix reindex() already built: no copy of the
    # matrix is made, and the rare terms' product reads the same posting lists.
    is_common = np.diff(model.transposed.indptr) > COMMON_SHARE * len(rows)
    common = model.matrix[:, np.flatnonzero(is_common)].tocsr()
    for start in range(0, len(rows), BLOCK):
        block = rows[start:start + BLOCK]
        own = model.matrix[block]
        rare = own.copy()
        rare.data[is_common[rare.indices]] = 0
        rare.eliminate_zeros()
        # Only rare terms are asked for, so only their short posting lists are read.
        pairs, partial = candidates((rare @ model.transposed).tocsr())
        # The exact cosine: the rare terms' part plus the common terms' part.
        exact = partial + common_part(common, block, pairs)
        bounds = np.searchsorted(pairs[0], np.arange(len(block) + 1))
        for i, row in enumerate(block):
            lo, hi = bounds[i], bounds[i + 1]
            store_row(model, int(row), ranked(model, (pairs[1][lo:hi], exact[lo:hi]),
                                              item_query(model, int(row), with_vector=False),
                                              DEPTH))


def candidates(partial: sparse.csr_matrix) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The CANDIDATES best (block row, item) pairs of each row by partial score, grouped by
    block row, with their partial scores."""
    lengths = np.diff(partial.indptr)
    keep = np.ones(partial.nnz, bool)
    for i in np.flatnonzero(lengths > CANDIDATES):
        lo, hi = partial.indptr[i], partial.indptr[i + 1]
        keep[lo:hi] = False
        keep[lo + np.argpartition(-partial.data[lo:hi], CANDIDATES - 1)[:CANDIDATES]] = True
    block_rows = np.repeat(np.arange(len(lengths)), lengths)[keep]
    return (block_rows, partial.indices[keep]), partial.data[keep]


def common_part(common: sparse.csr_matrix, block: np.ndarray,
                pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Each pair's dot product over the common terms, in one gather for the whole block."""
    own = common[block].toarray()  # block x common terms: small, the common terms are few
    others = common[pairs[1]]
    entry_pair = np.repeat(np.arange(len(pairs[1])), np.diff(others.indptr))
    products = others.data * own[pairs[0][entry_pair], others.indices]
    return np.bincount(entry_pair, products, minlength=len(pairs[1])).astype(np.float32)
