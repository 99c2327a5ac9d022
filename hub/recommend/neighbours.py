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
from hub.recommend.rank import item_query, ranked, store_neighbours

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
    rare, common = split_columns(model.matrix, COMMON_SHARE * len(rows))
    rare_t = rare.T.tocsr()
    for start in range(0, len(rows), BLOCK):
        block = rows[start:start + BLOCK]
        partial = (rare[block] @ rare_t).tocsr()
        dense_common = common[block].toarray()
        for i, row in enumerate(block):
            lo, hi = partial.indptr[i], partial.indptr[i + 1]
            idx, val = partial.indices[lo:hi], partial.data[lo:hi]
            if len(idx) > CANDIDATES:
                best = np.argpartition(-val, CANDIDATES - 1)[:CANDIDATES]
                idx, val = idx[best], val[best]
            # The exact cosine: the rare terms' part plus the common terms' part.
            val = val + common[idx] @ dense_common[i]
            _keep(model, int(row), ranked(model, (idx, val.astype(np.float32)),
                                          item_query(model, int(row), with_vector=False), DEPTH))


def split_columns(matrix: sparse.csr_matrix, most: float) -> tuple[sparse.csr_matrix,
                                                                   sparse.csr_matrix]:
    """The matrix with only its rare columns (the rest zero), and its common columns alone."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    is_common = df > most
    in_common = is_common[matrix.indices]
    rare = matrix.copy()
    rare.data = np.where(in_common, 0, rare.data).astype(np.float32)
    rare.eliminate_zeros()
    common = matrix[:, np.flatnonzero(is_common)].tocsr()
    return rare, common


def _keep(model: RelatedModel, row: int, picks: list[tuple[int, float]]) -> None:
    model.neighbours[row] = -1
    model.neighbour_scores[row] = 0
    for j, (other, score) in enumerate(picks):
        model.neighbours[row, j], model.neighbour_scores[row, j] = other, score
