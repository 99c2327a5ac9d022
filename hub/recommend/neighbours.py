"""Every row's neighbours at fit time: exact on small corpora, sought within groups on large ones.

The exact way scores each row against every item sharing a term with it. On a large corpus
that is nearly every item: a row shares some term of middling frequency with most others, so
the work and the candidates grow with the square of the corpus (at 100,000 generated items,
62,000 candidates a row and minutes of sparse products, even with the common terms left out).
Yet an item's neighbours are items about the same things. So from APPROXIMATE_FROM items the
rows are grouped by topic (hub.recommend.clusters), and each row is scored against the members
of its few nearest groups only: a few hundred items instead of all of them.

The scores are exact cosines, computed for a whole group at once: the terms that many of its
members hold as a dense matrix product (one BLAS call), the others as a sparse product, cheap
because within a group those terms are rare. Each row keeps its KEEP best by the ranking's own
score (the theme lift and type weight applied, exclusions and duplicates dropped) across its
groups, and the usual ranking (exclusions, lift, one per report) picks from them.

Groups miss an item alike through words few others use (a near-copy about other things, or
on a small corpus, where a topic's items are too few to make a group of their own). So the
terms in at most RARE_ITEMS items also bring candidates, from their short posting lists, and
the best of those outside the row's groups are rescored exactly. This is a heuristic, not a
bound: recall@20 against the exact neighbours, on generated corpora, was 0.9994 at 10,000
items (forced; below APPROXIMATE_FROM the fit is exact) and 1.000 on 300 sampled rows at
100,000. scripts/bench_related.py measures it; tests/test_related_scale.py checks it.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from hub.recommend.clusters import COMMON_SHARE, Groups, group
from hub.recommend.model import DEPTH, RelatedModel
from hub.recommend.rank import diversified, lifted, store_neighbours, store_row
from hub.text.similarity import HIDE_FROM_RELATED

# Below this many live items the exact computation is fast enough: use it.
APPROXIMATE_FROM = 20_000
# Candidates kept per row: room for reports with many alike sections.
KEEP = 64
# A term held by at least this share of a group's members is scored densely.
DENSE_SHARE = 0.05
# Terms in at most this many items (and at most COMMON_SHARE of them) also bring candidates
# from outside a row's groups: items alike through words few others use, whatever their
# topic. Their posting lists are short, so the product stays cheap at any size.
RARE_ITEMS = 50
# Such candidates per row, the best by their rare terms, rescored exactly (32 gave recall
# 0.9896 at 2,000 generated items, 64 gave 0.99 or more)...
RARE_CANDIDATES = 64
# ... when their rare terms alone reach this share of the ranking score of the row's DEPTH-th
# best candidate from its groups: below it, an item from outside the row's topics is taken
# to be too far to enter (at 100,000 generated items nearly all are left out, so that the
# cost is the product alone; at 10,000 recall was 0.9994 with it, 0.9903 at a floor of 0.1).
RARE_FLOOR = 0.05
# Rows whose rare-term scores are held at once.
BLOCK = 256


def store_all(model: RelatedModel, approximate_from: int = APPROXIMATE_FROM) -> None:
    """Compute and keep the neighbours of every live row."""
    rows = np.flatnonzero(model.alive)
    if len(rows) < approximate_from or not model.matrix.shape[1]:
        store_neighbours(model, rows)
        return
    groups = group(model.matrix, model.transposed, rows)
    best = Best(len(model.records))
    family = Family(model, groups.rows)
    members_of = np.argsort(groups.labels, kind="stable")
    member_bounds = np.searchsorted(groups.labels[members_of], np.arange(groups.labels.max() + 2))
    probing, probed = np.repeat(groups.rows, groups.probes.shape[1]), groups.probes.ravel()
    probing, probed = probing[probed >= 0], probed[probed >= 0]
    queries_of = np.argsort(probed, kind="stable")
    column_of = np.full(model.matrix.shape[1], -1, np.int32)
    query_bounds = np.searchsorted(probed[queries_of], np.arange(len(member_bounds)))
    for g in range(len(member_bounds) - 1):
        members = groups.rows[members_of[member_bounds[g]:member_bounds[g + 1]]]
        queries = probing[queries_of[query_bounds[g]:query_bounds[g + 1]]]
        if len(members) and len(queries):
            cosines = group_cosines(model.matrix, queries, members, column_of)
            best.add(queries, members[None, :],
                     ranking_keys(model, queries, members[None, :], cosines, family))
    add_rare_candidates(model, groups, best, family)
    for row in groups.rows:
        # The keys are ranked()'s scores of the pairs it keeps: only its diversity is left.
        store_row(model, int(row), diversified(*best.of(row), model.units, DEPTH))
    # A row sharing no grouping term with any centre is ranked the exact way.
    store_neighbours(model, groups.unplaced)


def group_cosines(matrix: sparse.csr_matrix, queries: np.ndarray, members: np.ndarray,
                  column_of: np.ndarray) -> np.ndarray:
    """The exact cosine of every query row with every member row (queries x members).
    column_of is -1 for every term, and is left so (it is scratch space)."""
    own, others = matrix[queries], matrix[members]
    terms, holders = np.unique(others.indices, return_counts=True)
    common = terms[holders >= max(2, DENSE_SHARE * len(members))]
    column_of[common] = np.arange(len(common))
    own_dense = split_off(own, column_of, len(common))
    others_dense = split_off(others, column_of, len(common))
    column_of[common] = -1
    cosines = own_dense @ others_dense.T
    rest = (own @ others.T).tocoo()  # what split_off left: the group's rare terms
    cosines[rest.row, rest.col] += rest.data
    return cosines


def split_off(rows: sparse.csr_matrix, column_of: np.ndarray, width: int) -> np.ndarray:
    """Move the rows' entries in the columns column_of numbers 0..width-1 (the others are -1)
    into a dense rows x width matrix, removing them from rows (in place)."""
    where = column_of[rows.indices]
    hit = where >= 0
    dense = np.zeros((rows.shape[0], width), np.float32)
    row_of = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    dense[row_of[hit], where[hit]] = rows.data[hit]
    rows.data[hit] = 0
    rows.eliminate_zeros()
    return dense


def add_rare_candidates(model: RelatedModel, groups: Groups, best: Best, family: Family) -> None:
    """Candidates from the rare terms a row shares with items outside its groups."""
    df = np.diff(model.transposed.indptr)
    is_rare = df <= min(RARE_ITEMS, COMMON_SHARE * len(groups.rows))
    group_of = np.full(len(model.records), -1, np.int64)
    group_of[groups.rows] = groups.labels
    for start in range(0, len(groups.rows), BLOCK):
        block = groups.rows[start:start + BLOCK]
        rare = model.matrix[block]
        rare.data[~is_rare[rare.indices]] = 0
        rare.eliminate_zeros()
        # Only rare terms are asked for, so only their short posting lists are read.
        partial = (rare @ model.transposed).tocsr()
        at = np.repeat(np.arange(len(block)), np.diff(partial.indptr))
        floor = RARE_FLOOR * np.sort(best.keys[block], axis=1)[:, -DEPTH]
        near = np.flatnonzero(partial.data >= floor[at])
        at, other = at[near], partial.indices[near]
        scored = (groups.probes[start + at] == group_of[other][:, None]).any(axis=1)
        unscored = ~scored & model.suggestible[other]
        near, at = near[unscored], at[unscored]
        others, values = padded(partial.indices[near], partial.data[near], at, len(block))
        top = best_columns(values, RARE_CANDIDATES)
        others = np.take_along_axis(others, top, axis=1)
        found = np.take_along_axis(values, top, axis=1) > -np.inf
        cosines = np.zeros(others.shape, np.float32)
        pair_rows, pair_others = np.broadcast_to(block[:, None], others.shape)[found], others[found]
        cosines[found] = pair_cosines(model.matrix, pair_rows, pair_others)
        keys = ranking_keys(model, block, others, cosines, family)
        keys[~found] = -np.inf
        best.add(block, others, keys)


def padded(columns: np.ndarray, values: np.ndarray, row_of: np.ndarray,
           rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Sparse (row, column, value) entries, sorted by row, as two rows x longest-row arrays:
    the columns (0 for padding) and the values (-inf for padding)."""
    lengths = np.bincount(row_of, minlength=rows)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    position = np.arange(len(row_of)) - starts[row_of]
    width = max(1, int(lengths.max(initial=0)))
    padded_columns = np.zeros((rows, width), np.int64)
    padded_values = np.full((rows, width), -np.inf, np.float32)
    padded_columns[row_of, position] = columns
    padded_values[row_of, position] = values
    return padded_columns, padded_values


def pair_cosines(matrix: sparse.csr_matrix, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The exact cosine of each (row, other) pair."""
    if not len(rows):
        return np.zeros(0, np.float32)
    return np.asarray(matrix[rows].multiply(matrix[others]).sum(axis=1), np.float32).ravel()


class Family:
    """Each row's family (itself, ancestors, descendants, duplicates), flat, for whole groups."""

    def __init__(self, model: RelatedModel, rows: np.ndarray):
        lists = [model.family_rows(int(row)) for row in rows]
        lengths = np.zeros(len(model.records), np.int64)
        lengths[rows] = [len(f) for f in lists]
        self.bounds = np.concatenate([[0], np.cumsum(lengths)])
        self.rows = np.concatenate(lists) if lists else np.zeros(0, np.int64)

    def among(self, queries: np.ndarray, others: np.ndarray) -> np.ndarray:
        """True where others[i, j] is in the family of queries[i]."""
        lo, hi = self.bounds[queries], self.bounds[queries + 1]
        position = np.repeat(np.arange(len(queries)), hi - lo)
        start = np.repeat(lo - np.cumsum(hi - lo) + (hi - lo), hi - lo)
        relative = self.rows[start + np.arange(len(position))]
        others = np.broadcast_to(others, (len(queries), others.shape[1]))
        pair, column = np.nonzero(others[position] == relative[:, None])
        mask = np.zeros(others.shape, bool)
        mask[position[pair], column] = True
        return mask


def ranking_keys(model: RelatedModel, queries: np.ndarray, others: np.ndarray,
                 cosines: np.ndarray, family: Family) -> np.ndarray:
    """What ranked() would score each pair (queries[i], others[i or 0, j]); -inf where it
    would drop the pair."""
    query_bits, other_bits = model.theme_bits[queries][:, None, :], model.theme_bits[others]
    shared = np.bitwise_count(query_bits & other_bits).sum(axis=-1)
    themes = np.bitwise_count(query_bits).sum(axis=-1)
    keys = cosines * model.weights[others] * lifted(shared, themes).astype(np.float32)
    keys[(cosines <= 0) | (cosines >= HIDE_FROM_RELATED) | ~model.suggestible[others]] = -np.inf
    keys[family.among(queries, others)] = -np.inf
    return keys


class Best:
    """Each row's KEEP best candidates so far, and their ranking keys."""

    def __init__(self, rows: int):
        self.rows = np.full((rows, KEEP), -1, np.int32)
        self.keys = np.full((rows, KEEP), -np.inf, np.float32)

    def add(self, queries: np.ndarray, others: np.ndarray, keys: np.ndarray) -> None:
        """Merge scores of pairs (queries[i], others[i or 0, j]) into the queries' best."""
        top = best_columns(keys, KEEP)
        others = np.broadcast_to(others, keys.shape)
        rows = np.hstack([self.rows[queries], np.take_along_axis(others, top, axis=1)])
        keys = np.hstack([self.keys[queries], np.take_along_axis(keys, top, axis=1)])
        pick = best_columns(keys, KEEP)
        self.rows[queries] = np.take_along_axis(rows, pick, axis=1)
        self.keys[queries] = np.take_along_axis(keys, pick, axis=1)

    def of(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """One row's candidates and their ranking keys."""
        kept = self.keys[row] > -np.inf
        return self.rows[row][kept].astype(np.int64), self.keys[row][kept]


def best_columns(keys: np.ndarray, count: int) -> np.ndarray:
    """The columns of each row's count largest keys (all of them when there are fewer)."""
    if keys.shape[1] <= count:
        return np.broadcast_to(np.arange(keys.shape[1]), keys.shape)
    return np.argpartition(-keys, count - 1, axis=1)[:, :count]
