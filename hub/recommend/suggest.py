"""Related items for an item, a free text or a theme, each with the reasons it was chosen."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from hub.recommend.model import DEPTH, RelatedModel
from hub.recommend.rank import Query, item_query, ranked, scores

# Shared terms shown as a reason: enough to say why, few enough to read at a glance.
REASON_TERMS = 3


@dataclass(frozen=True)
class Suggestion:
    """One related item: its id, score, and the themes and terms it shares with the query."""

    id: int
    score: float
    themes: tuple[str, ...]
    terms: tuple[str, ...]


def related_to_item(model: RelatedModel, item_id: int, limit: int = 5) -> list[Suggestion]:
    """Items related to a stored item (never itself, its duplicates, sections or report)."""
    row = model.rows.get(item_id)
    if row is None:
        raise KeyError(item_id)
    query = item_query(model, row)
    if limit <= DEPTH:
        stored = [(int(r), float(s)) for r, s in
                  zip(model.neighbours[row], model.neighbour_scores[row], strict=True) if r >= 0]
        picks = stored[:limit]
    else:
        picks = _rank(model, query, limit)
    return [_suggestion(model, query, r, s) for r, s in picks]


def related_to_text(model: RelatedModel, text: str, limit: int = 5,
                    themes: tuple[str, ...] = (), exclude: tuple[int, ...] = ()) -> list[Suggestion]:
    """Items related to a free text (a search query, a draft), lifted by the given themes."""
    rows = np.fromiter((model.rows[i] for i in exclude if i in model.rows), np.int64)
    query = Query(model.vectors([text]), tuple(themes), rows)
    return [_suggestion(model, query, r, s) for r, s in _rank(model, query, limit)]


def related_to_theme(model: RelatedModel, theme: str, limit: int = 5,
                     description: str = "") -> list[Suggestion]:
    """Items that best represent a theme: near the centre of the items tagged with it."""
    col = model.theme_index.get(theme)
    tagged = model.theme_matrix[:, col].nonzero()[0] if col is not None else np.zeros(0, int)
    vector = sparse.csr_matrix(np.ones((1, len(tagged)), np.float32)) @ model.matrix[tagged]
    if description:
        vector = vector + model.vectors([description])
    norm = np.sqrt(vector.multiply(vector).sum())
    if not norm:
        return []
    query = Query(sparse.csr_matrix(vector / norm), (theme,))
    return [_suggestion(model, query, r, s) for r, s in _rank(model, query, limit)]


def _rank(model: RelatedModel, query: Query, limit: int) -> list[tuple[int, float]]:
    if model.transposed is None or not model.matrix.shape[1]:
        return []
    row = scores(model, query.vector)
    return ranked(model, (row.indices, row.data), query, limit)


def _suggestion(model: RelatedModel, query: Query, row: int, score: float) -> Suggestion:
    record = model.records[row]
    wanted = set(query.themes)
    themes = tuple(t for t in record.themes if t in wanted)
    return Suggestion(record.id, round(score, 4), themes, shared_terms(model, query.vector, row))


def shared_terms(model: RelatedModel, vector: sparse.csr_matrix, row: int,
                 count: int = REASON_TERMS) -> tuple[str, ...]:
    """The terms that add most to the cosine, without repeating words a bigram already shows."""
    product = vector.multiply(model.matrix[row]).tocoo()
    order = np.argsort(-product.data, kind="stable")
    picked: list[str] = []
    for col in product.col[order]:
        term = str(model.terms[col])
        words = set(term.split())
        if words <= {w for p in picked for w in p.split()}:
            continue
        # A bigram replaces the single words of it already picked ("data" -> "data sharing").
        picked = [p for p in picked if p not in words] + [term]
        if len(picked) == count:
            break
    return tuple(picked)
