"""The related-items model: records in, a fitted TF-IDF matrix and precomputed neighbours out.

Rows are stable between full fits: an item that changes or goes is "killed" (its row emptied)
and its new version appended, so neighbour lists can be refreshed row by row; a full refit
compacts the rows again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from hub.recommend.terms import Vocabulary, release_freed_memory
from hub.recommend.vectorize import document_text, settings_key, weigh

# Bump when the vectorizer, the ranking or the persisted layout changes: forces a full refit.
MODEL_VERSION = 3

# How many ranked neighbours each row keeps; asking for more than this ranks live.
DEPTH = 20

# An item with less text than this (title aside) is never suggested: a heading over its
# subsections, a stub or a caption gives a reader nothing to follow. It may still ask.
MIN_TEXT_CHARS = 200


# A suggestion's score is weighed by its type: a report's section, often a fragment of an
# argument under a generic heading, yields to a whole item of nearly the same similarity.
# On the judged set (tests/relevance/related_judgements.yml): P@5 / nDCG@5 0.595 / 0.701 at
# 1.0, 0.600 / 0.717 at 0.9, 0.615 / 0.757 at 0.6, no better below. At most 1: rows_to_refresh
# bounds a score by the theme lift alone.
TYPE_WEIGHT = {"section": 0.6}

@dataclass(frozen=True)
class Record:
    """One published item as the recommender sees it (no database, no web)."""

    id: int
    title: str
    text: str
    type: str = "article"
    themes: tuple[str, ...] = ()
    ancestors: tuple[int, ...] = ()  # parent first, up to the top-level report
    twin_key: str = ""  # separate items with the same key are duplicates of each other
    signature: str = ""  # changes whenever anything above changes

    @property
    def root(self) -> int:
        """The top-level item this one belongs to (itself when it has no parent)."""
        return self.ancestors[-1] if self.ancestors else self.id

    @property
    def unit(self) -> int:
        """What a reader follows this item as: a case study on its own, wherever it sits;
        anything else as the report it is in (as search shows them)."""
        return self.id if self.type == "case_study" else self.root


@dataclass
class RelatedModel:
    """A fitted vocabulary, the item matrix (and its transpose) and each row's neighbours."""

    vectorizer: Vocabulary | None  # None when the corpus has no usable words
    matrix: sparse.csr_matrix  # rows x terms, L2-normalised; a killed row is empty
    records: list[Record | None]  # by row; None for a killed row
    term_weights: np.ndarray = field(default_factory=lambda: np.ones(0, np.float32))
    transposed: sparse.csr_matrix | None = None  # terms x rows: a query touches only its terms
    neighbours: np.ndarray = field(default_factory=lambda: np.empty((0, DEPTH), np.int32))
    neighbour_scores: np.ndarray = field(default_factory=lambda: np.empty((0, DEPTH), np.float32))
    fitted_rows: int = 0  # live rows at the last full fit
    changed_since_fit: int = 0  # items added, changed or removed by cheap updates since
    baseline_unknown: float = 0.0  # share of unknown words in the fitted documents themselves
    fits: int = 0
    updates: int = 0
    signature: str = ""
    version: int = MODEL_VERSION
    settings: str = field(default_factory=settings_key)  # vectorizer settings it was fitted with
    # Derived from records by reindex(): look-ups the ranking needs.
    rows: dict[int, int] = field(default_factory=dict)
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    suggestible: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # alive, long enough
    min_text_chars: int = MIN_TEXT_CHARS  # chosen at fit (tests of tiny records choose 0)
    units: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # Record.unit
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # TYPE_WEIGHT
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # TYPE_WEIGHT
    theme_index: dict[str, int] = field(default_factory=dict)
    theme_bits: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), np.uint64))
    descendants: dict[int, list[int]] = field(default_factory=dict)
    twins: dict[str, list[int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def terms(self) -> Vocabulary | tuple:
        """Each column's term: terms[column] is its text."""
        return self.vectorizer if self.vectorizer is not None else ()

    def record(self, item_id: int) -> Record | None:
        """The record of a live item, or None."""
        row = self.rows.get(item_id)
        return None if row is None else self.records[row]

    def vectors(self, texts: list[str]) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows for texts, in this model's vocabulary."""
        if self.vectorizer is None:
            return sparse.csr_matrix((len(texts), self.matrix.shape[1]), dtype=np.float32)
        return weigh(self.vectorizer.transform(texts), self.term_weights)

    def family_rows(self, row: int) -> np.ndarray:
        """Rows never suggested for this row: itself, ancestors, descendants and duplicates."""
        record = self.records[row]
        ids = {record.id, *record.ancestors, *self.descendants.get(record.id, ())}
        if record.twin_key:
            ids.update(self.twins.get(record.twin_key, ()))
        return np.fromiter((self.rows[i] for i in ids if i in self.rows), np.int64)


def reindex(model: RelatedModel) -> None:
    """Rebuild the look-ups the ranking uses from the records."""
    live = [(row, r) for row, r in enumerate(model.records) if r is not None]
    model.rows = {r.id: row for row, r in live}
    model.alive = np.array([r is not None for r in model.records], bool)
    model.suggestible = np.array([r is not None and len(r.text.strip()) >= model.min_text_chars
                                  for r in model.records], bool)
    model.units = np.array([r.unit if r else -1 for r in model.records], np.int64)
    model.weights = np.array([TYPE_WEIGHT.get(r.type, 1.0) if r else 0.0
                              for r in model.records], np.float32)
    model.descendants, model.twins = defaultdict(list), defaultdict(list)
    for _row, record in live:
        for ancestor in record.ancestors:
            model.descendants[ancestor].append(record.id)
        if record.twin_key:
            model.twins[record.twin_key].append(record.id)
    model.descendants, model.twins = dict(model.descendants), dict(model.twins)
    model.theme_index = {t: i for i, t in enumerate(sorted({t for _, r in live for t in r.themes}))}
    model.theme_bits = np.zeros((len(model.records), len(theme_mask(model, ()))), np.uint64)
    for row, record in live:
        model.theme_bits[row] = theme_mask(model, record.themes)
    model.transposed = model.matrix.T.tocsr()


def theme_mask(model: RelatedModel, themes) -> np.ndarray:
    """Themes as a bit set (64 to a word), so shared themes are counted with an AND."""
    mask = np.zeros(max(1, -(-len(model.theme_index) // 64)), np.uint64)
    for theme in themes:
        if (bit := model.theme_index.get(theme)) is not None:
            mask[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
    return mask


def row_slice(matrix: sparse.csr_matrix, row: int) -> tuple[np.ndarray, np.ndarray]:
    """A CSR row's (term indices, weights) without scipy's slicing overhead."""
    lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[lo:hi], matrix.data[lo:hi]


def vectorize_records(records: list[Record]) -> tuple[Vocabulary | None, sparse.csr_matrix]:
    """Fit a vocabulary on the records; (None, empty matrix) when they hold no usable word.
    The matrix is not yet weighted (see vectorize.weigh)."""
    vocabulary = Vocabulary(len(records))
    try:  # the texts one at a time: a list of them all is a second copy of the corpus
        matrix = vocabulary.fit_transform(document_text(r.title, r.text) for r in records)
    except ValueError:  # no term remains: nothing but stop words, or nothing
        return None, sparse.csr_matrix((len(records), 0), dtype=np.float32)
    release_freed_memory()  # before the matrix is transposed and compared: the peak
    return vocabulary, matrix


def unknown_share(model: RelatedModel, records: list[Record]) -> float:
    """The share of the records' words the vectorizer does not know (0 when there are none)."""
    if model.vectorizer is None:
        return 1.0
    vocabulary = model.vectorizer
    words = [w for r in records for w in vocabulary.analyze(document_text(r.title, r.text))]
    return sum(not vocabulary.knows(w) for w in words) / len(words) if words else 0.0


def sample(records: list, size: int = 200) -> list:
    """An evenly spaced, deterministic sample of at most size records."""
    step = max(1, len(records) // size)
    return records[::step][:size]
