"""Fitting the model, and keeping it up to date: a cheap update while the vocabulary holds,
a full refit once it has drifted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from hub.recommend.model import (
    DEPTH,
    MIN_TEXT_CHARS,
    MODEL_VERSION,
    Record,
    RelatedModel,
    reindex,
    sample,
    unknown_share,
    vectorize_records,
)
from hub.recommend.neighbours import store_all
from hub.recommend.rank import rows_to_refresh, store_neighbours
from hub.recommend.vectorize import document_text, settings_key, term_weights, weigh


@dataclass(frozen=True)
class RefitPolicy:
    """When a cheap update is no longer good enough."""

    # Items added, changed or removed since the last fit, as a share of the items fitted:
    # beyond this the document frequencies (and so the weights) are out of date.
    changed_share: float = 0.2
    # How much larger the share of unknown words in the new texts may be than in the fitted
    # ones: beyond this the new texts talk about things the vocabulary cannot see.
    unknown_excess: float = 0.1


def corpus_signature(signatures: dict[int, str]) -> str:
    """One digest of every item's signature: equal signatures mean nothing to do."""
    from hashlib import sha256

    h = sha256(f"{MODEL_VERSION}:{settings_key()}\n".encode())
    for item_id in sorted(signatures):
        h.update(f"{item_id}:{signatures[item_id]}\n".encode())
    return h.hexdigest()


def fit(records: list[Record], previous: RelatedModel | None = None,
        min_text_chars: int = MIN_TEXT_CHARS) -> RelatedModel:
    """A full fit on the records, with every row's neighbours computed."""
    records = sorted(records, key=lambda r: r.id)
    vectorizer, matrix = vectorize_records(records)
    model = RelatedModel(vectorizer=vectorizer, matrix=matrix, records=list(records),
                         min_text_chars=min_text_chars)
    if vectorizer is not None:
        model.term_weights = term_weights(len(vectorizer), vectorizer.bigram_start)
        model.matrix = weigh(matrix, model.term_weights)
    model.fits = (previous.fits if previous else 0) + 1
    model.updates = previous.updates if previous else 0
    model.fitted_rows = len(records)
    model.signature = corpus_signature({r.id: r.signature for r in records})
    model.neighbours = np.full((len(records), DEPTH), -1, np.int32)
    model.neighbour_scores = np.zeros((len(records), DEPTH), np.float32)
    reindex(model)
    model.baseline_unknown = unknown_share(model, sample(records))
    store_all(model)
    return model


def needs_refit(model: RelatedModel | None, changed: list[Record], removed: set[int],
                policy: RefitPolicy = RefitPolicy()) -> bool:
    """True when the changes are too many, or too unfamiliar, for a cheap update."""
    if model is None or model.vectorizer is None:
        return True
    share = (model.changed_since_fit + len(changed) + len(removed)) / max(model.fitted_rows, 1)
    if share > policy.changed_share:
        return True
    return bool(changed) and unknown_share(model, changed) > (
        model.baseline_unknown + policy.unknown_excess)


def update(model: RelatedModel, changed: list[Record], removed: set[int]) -> RelatedModel:
    """Apply changed (new or edited) and removed items in the fitted vocabulary, in place."""
    changed = sorted(changed, key=lambda r: r.id)
    gone = {r.id for r in changed} | set(removed)
    killed = np.array(sorted(model.rows[i] for i in gone if i in model.rows), np.int64)
    _kill(model, killed)
    new_rows = _append(model, changed)
    reindex(model)
    store_neighbours(model, rows_to_refresh(model, new_rows, killed))
    model.changed_since_fit += len(changed) + len(removed)
    model.updates += 1
    model.signature = corpus_signature({r.id: r.signature for r in model.records if r})
    return model


def _kill(model: RelatedModel, rows: np.ndarray) -> None:
    if not len(rows):
        return
    keep = np.ones(model.matrix.shape[0], np.float32)
    keep[rows] = 0
    model.matrix = (sparse.diags(keep) @ model.matrix).tocsr()
    model.matrix.eliminate_zeros()
    for row in rows:
        model.records[row] = None
    model.neighbours[rows] = -1
    model.neighbour_scores[rows] = 0


def _append(model: RelatedModel, records: list[Record]) -> np.ndarray:
    start = model.matrix.shape[0]
    if not records:
        return np.zeros(0, np.int64)
    vectors = model.vectors([document_text(r.title, r.text) for r in records])
    model.matrix = sparse.vstack([model.matrix, vectors], format="csr", dtype=np.float32)
    model.records.extend(records)
    model.neighbours = np.vstack([model.neighbours, np.full((len(records), DEPTH), -1, np.int32)])
    model.neighbour_scores = np.vstack(
        [model.neighbour_scores, np.zeros((len(records), DEPTH), np.float32)])
    return np.arange(start, start + len(records))
