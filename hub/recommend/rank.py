"""Sparse top-k ranking: exclusions, a small lift for shared themes, one per report.

Scores come from one sparse product of the query rows with the pre-transposed matrix, which
touches only the posting lists of the query's own terms: no dense n x n matrix, ever.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from hub.recommend.model import DEPTH, RelatedModel, theme_mask

# Separate items at least this alike are the same text (a duplicate the store did not merge):
# never suggest one for the other. Chosen beside the other duplicate thresholds.
from hub.text.similarity import HIDE_FROM_RELATED

# Sharing all of the query's themes lifts a score by this much; sharing half, by half of it.
THEME_LIFT = 0.1
# At most this many suggestions from one report (the report and its sections; a case study
# lifted from it is a unit of its own, as in search): a reader follows a report once, so its
# best-matching part stands for the whole of it. At 2, report sections crowded the lists and
# precision@5 fell below plain TF-IDF's.
PER_REPORT = 1
# Query rows scored together: bounds the block of scores held at once (rows x items).
BLOCK = 128


@dataclass(frozen=True)
class Query:
    """What to rank against: a vector, its themes, and the rows never to suggest."""

    vector: sparse.csr_matrix | None  # 1 x terms (None when the scores are already known)
    themes: tuple[str, ...] = ()
    exclude: np.ndarray | None = None  # rows
    skip_duplicates: bool = False  # drop near-identical texts (for an item, not free text)


def item_query(model: RelatedModel, row: int, with_vector: bool = True) -> Query:
    """The query for a stored item: its own row, themes and family."""
    vector = model.matrix[row] if with_vector else None
    return Query(vector, model.records[row].themes, model.family_rows(row), True)


def scores(model: RelatedModel, vectors: sparse.csr_matrix) -> sparse.csr_matrix:
    """Cosine of each query row with every item (sparse: only items sharing a term)."""
    return (vectors @ model.transposed).tocsr()


def ranked(model: RelatedModel, row_scores: tuple[np.ndarray, np.ndarray], query: Query,
           limit: int) -> list[tuple[int, float]]:
    """The top rows (row, lifted score) for one query's scores, best first, diversified."""
    idx, val = row_scores
    keep = model.suggestible[idx] & (val > 0)
    if query.exclude is not None and len(query.exclude):
        keep &= ~np.isin(idx, query.exclude)
    if query.skip_duplicates:
        keep &= val < HIDE_FROM_RELATED
    idx = idx[keep]
    val = val[keep] * lift(model, idx, query.themes) * model.weights[idx]
    return diversified(idx, val, model.units, limit)


def lift(model: RelatedModel, rows: np.ndarray, themes: tuple[str, ...]) -> np.ndarray:
    """1 + THEME_LIFT x the share of the query's themes each row shares."""
    mask = theme_mask(model, set(themes))
    if not mask.any() or not len(rows):
        return np.ones(len(rows), np.float32)
    shared = np.bitwise_count(model.theme_bits[rows] & mask).sum(axis=1)
    return lifted(shared, len(set(themes)))


def lifted(shared: np.ndarray, themes) -> np.ndarray:
    """1 + THEME_LIFT x the share of a query's themes (themes of them, >= 1) a row shares."""
    return 1 + THEME_LIFT * shared / np.maximum(themes, 1)


def diversified(idx: np.ndarray, val: np.ndarray, units: np.ndarray,
                limit: int) -> list[tuple[int, float]]:
    """Best first, ties by row, at most PER_REPORT rows of the same unit (a report with its
    sections; each case study is a unit of its own)."""
    window = min(len(idx), max(limit * 4, 16))
    while True:
        top = np.argpartition(-val, window - 1)[:window] if window < len(idx) else np.arange(len(idx))
        top = top[np.lexsort((idx[top], -val[top]))]
        picked, per_unit = [], {}
        for t in top:
            unit = units[idx[t]]
            if per_unit.get(unit, 0) < PER_REPORT:
                per_unit[unit] = per_unit.get(unit, 0) + 1
                picked.append((int(idx[t]), float(val[t])))
                if len(picked) == limit:
                    return picked
        if window >= len(idx):
            return picked
        window *= 4  # one report crowded the window: look deeper


def rank_rows(model: RelatedModel, rows: np.ndarray, limit: int):
    """(row, ranked neighbours) for stored rows, scored a block at a time."""
    for start in range(0, len(rows), BLOCK):
        chunk = rows[start:start + BLOCK]
        block = scores(model, model.matrix[chunk])
        for i, row in enumerate(chunk):
            lo, hi = block.indptr[i], block.indptr[i + 1]
            yield int(row), ranked(model, (block.indices[lo:hi], block.data[lo:hi]),
                                   item_query(model, row, with_vector=False), limit)


def store_neighbours(model: RelatedModel, rows: np.ndarray) -> None:
    """Recompute and keep the ranked neighbours of these rows."""
    for row, picks in rank_rows(model, rows, DEPTH):
        store_row(model, row, picks)


def store_row(model: RelatedModel, row: int, picks: list[tuple[int, float]]) -> None:
    """Keep one row's ranked neighbours (at most DEPTH), the rest of its list empty."""
    model.neighbours[row] = -1
    model.neighbour_scores[row] = 0
    if picks:
        others, values = zip(*picks, strict=True)
        model.neighbours[row, :len(picks)] = others
        model.neighbour_scores[row, :len(picks)] = values


def rows_to_refresh(model: RelatedModel, new_rows: np.ndarray, killed: np.ndarray) -> np.ndarray:
    """Rows whose neighbours may change: the new rows, and those a new row or a killed one
    could enter or leave. A new exclusion (a section added to a report, a duplicate) matters
    only to a list the excluded row would otherwise enter, so the score test covers it."""
    touched = np.isin(model.neighbours, killed).any(axis=1) if len(killed) else np.zeros(
        len(model.neighbours), bool)
    if len(new_rows):
        best = np.zeros(len(model.neighbours), np.float32)
        for start in range(0, len(new_rows), BLOCK):
            block = scores(model, model.matrix[new_rows[start:start + BLOCK]])
            best = np.maximum(best, block.max(axis=0).toarray().ravel())
        # Any lift is at most 1 + THEME_LIFT: an item below that bound cannot enter a list.
        weakest = np.where(model.neighbours[:, -1] >= 0, model.neighbour_scores[:, -1], 0)
        touched |= best * (1 + THEME_LIFT) >= np.maximum(weakest, 1e-9)
    touched[new_rows] = True
    return np.flatnonzero(touched & model.alive)
