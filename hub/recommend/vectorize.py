"""The TF-IDF vectorizer the recommender uses, and the words it ignores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

STOP_WORDS_FILE = Path(__file__).with_name("stopwords.txt")


def read_stop_words(path: Path = STOP_WORDS_FILE) -> frozenset[str]:
    """The field's stop words: every word of the file outside # comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.lower() for line in lines for w in line.split("#", 1)[0].split())


FIELD_STOP_WORDS = read_stop_words()
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | FIELD_STOP_WORDS)

# Words of two or more letters; numbers, sums of money and paragraph numbers are not topics.
TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"

# A shared bigram is worth this much of a shared word. Bigrams name the field's topics ("data
# sharing", "future jobs") but also repeat what their words already say; at full weight they
# cut precision@5 on Cranfield from 0.30 to 0.28 (scripts/eval_related.py).
BIGRAM_WEIGHT = 0.5

# Below this many documents, document frequencies are too noisy to prune the vocabulary by.
PRUNE_FROM = 1000


def make_vectorizer(documents: int) -> TfidfVectorizer:
    """The vectorizer for a corpus of this many documents (pruning only on large corpora)."""
    large = documents >= PRUNE_FROM
    return TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        stop_words=STOP_WORDS,
        token_pattern=TOKEN_PATTERN,
        strip_accents="unicode",
        # A term in one document cannot make two documents alike, and a term in half of them
        # says little; pruning both keeps the vocabulary (and memory) in proportion.
        min_df=2 if large else 1,
        max_df=0.5 if large else 1.0,
        dtype=np.float32,  # half the memory of float64; cosines need no more precision
    )


def term_weights(columns: int, bigram_start: int) -> np.ndarray:
    """Each column's weight: 1 for a word, BIGRAM_WEIGHT for a bigram (from bigram_start on)."""
    weights = np.ones(columns, np.float32)
    weights[bigram_start:] = BIGRAM_WEIGHT
    return weights


def weigh(matrix, weights: np.ndarray):
    """Rows with their columns weighted, L2-normalised again (in place; returns the matrix)."""
    matrix.data *= weights[matrix.indices]
    return normalize(matrix, copy=False)


def plain_vectorizer() -> TfidfVectorizer:
    """The baseline for evaluation: scikit-learn's defaults, none of the refinements above."""
    return TfidfVectorizer()


def settings_key() -> str:
    """A digest of everything above that shapes the vectors: a change forces a refit."""
    from hashlib import sha256

    return sha256(repr((STOP_WORDS, TOKEN_PATTERN, PRUNE_FROM, BIGRAM_WEIGHT)).encode()).hexdigest()[:16]


def document_text(title: str, text: str) -> str:
    """What is vectorized for an item: the title counts twice, as a reader weighs it."""
    return f"{title}\n{title}\n{text}"
