"""Related items for an item, a free text or a theme, each with the reasons it was chosen."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from hub.recommend.model import DEPTH, RelatedModel, row_slice, theme_mask
from hub.recommend.rank import Query, item_query, ranked, scores
from hub.recommend.reasons import meaningful
from hub.recommend.vectorize import document_text

# Shared terms shown as a reason: enough to say why, few enough to read at a glance.
REASON_TERMS = 3
# Ranked beyond the limit, to stand in for suggestions dropped for having no reason.
SPARE = 5


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
    if limit > DEPTH:
        query = item_query(model, row)
        picks = _rank(model, query, limit + SPARE)
    else:  # a look-up: the query's vector and themes are all the reasons need
        query = Query(model.matrix[row], model.records[row].themes)
        picks = [(int(r), float(s)) for r, s in zip(model.neighbours[row],
                                                   model.neighbour_scores[row],
                                                   strict=True) if r >= 0]
    return _with_reasons(model, query, picks, [_text(model, row)], limit)


def related_to_text(model: RelatedModel, text: str, limit: int = 5,
                    themes: tuple[str, ...] = (), exclude: tuple[int, ...] = ()) -> list[Suggestion]:
    """Items related to a free text (a search query, a draft), lifted by the given themes."""
    rows = np.fromiter((model.rows[i] for i in exclude if i in model.rows), np.int64)
    query = Query(model.vectors([text]), tuple(themes), rows)
    return _with_reasons(model, query, _rank(model, query, limit + SPARE), [text], limit)


def related_to_theme(model: RelatedModel, theme: str, limit: int = 5,
                     description: str = "") -> list[Suggestion]:
    """Items that best represent a theme: near the centre of the items tagged with it."""
    tagged = np.flatnonzero((model.theme_bits & theme_mask(model, (theme,))).any(axis=1))
    vector = sparse.csr_matrix(np.ones((1, len(tagged)), np.float32)) @ model.matrix[tagged]
    if description:
        vector = vector + model.vectors([description])
    norm = np.sqrt(vector.multiply(vector).sum())
    if not norm:
        return []
    query = Query(sparse.csr_matrix(vector / norm), (theme,))
    # A theme has no one text: a reason need only be an ordinary word in the item's own.
    return _with_reasons(model, query, _rank(model, query, limit + SPARE), [], limit)


def _rank(model: RelatedModel, query: Query, limit: int) -> list[tuple[int, float]]:
    if model.transposed is None or not model.matrix.shape[1]:
        return []
    row = scores(model, query.vector)
    return ranked(model, (row.indices, row.data), query, limit)


def _with_reasons(model: RelatedModel, query: Query, picks: list[tuple[int, float]],
                  texts: list[str], limit: int) -> list[Suggestion]:
    # An item that shares no theme and no meaningful term (only names, or vague words) with
    # the query is no suggestion: a reader could not be told why it is there.
    found = []
    for row, score in picks:
        suggestion = _suggestion(model, query, row, score, texts)
        if suggestion.themes or suggestion.terms:
            found.append(suggestion)
            if len(found) == limit:
                break
    return found


def _text(model: RelatedModel, row: int) -> str:
    record = model.records[row]
    return document_text(record.title, record.text)


def _suggestion(model: RelatedModel, query: Query, row: int, score: float,
                texts: list[str]) -> Suggestion:
    record = model.records[row]
    wanted = set(query.themes)
    themes = tuple(t for t in record.themes if t in wanted)
    terms = shared_terms(model, query.vector, row, texts=[*texts, _text(model, row)])
    return Suggestion(record.id, round(score, 4), themes, terms)


def shared_terms(model: RelatedModel, vector: sparse.csr_matrix, row: int,
                 count: int = REASON_TERMS, texts: list[str] | None = None) -> tuple[str, ...]:
    """The terms that add most to the cosine, without repeating words a bigram already shows;
    with texts, only terms meaningful as a reason in all of them (see reasons.py)."""
    q_terms, q_weights = row_slice(vector, 0)
    r_terms, r_weights = row_slice(model.matrix, row)
    common, qi, ri = np.intersect1d(q_terms, r_terms, assume_unique=True, return_indices=True)
    # Ranked as if bigrams had full weight: their lower weight is for scoring, and a reader
    # learns more from "data sharing" than from "data".
    added = q_weights[qi] * r_weights[ri] / model.term_weights[common] ** 2
    order = np.lexsort((model.term_weights[common], -np.round(added, 6)))  # ties: bigram first
    picked: list[str] = []
    for col in common[order]:
        term = model.terms[int(col)]
        if texts is not None and not meaningful(term, texts):
            continue
        words = set(term.split())
        if words <= {w for p in picked for w in p.split()}:
            continue
        # A bigram replaces the single words of it already picked ("data" -> "data sharing").
        picked = [p for p in picked if p not in words] + [term]
        if len(picked) == count:
            break
    return tuple(picked)
