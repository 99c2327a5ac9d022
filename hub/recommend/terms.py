"""TF-IDF over words and bigrams, counted with numpy a block of documents at a time.

The same vectors as scikit-learn's TfidfVectorizer with the settings in vectorize.py (its own
preprocessor and tokenizer, stop words dropped before bigrams are formed, smooth idf, sublinear
tf, L2 rows, document-frequency pruning), without what makes it slow and large at 100,000
documents: it builds a Python string and a dict entry for every bigram ever seen, tens of
millions of them, before pruning. Here a word is an integer id and a bigram is the pair of its
words' ids packed into one int64 (first x words + second), so counting and pruning are sorts over arrays; a term's text
is only made when a reason shows it.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import count, filterfalse

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from hub.recommend.vectorize import make_vectorizer

# Documents counted together: bounds the arrays of one block (about 2,000 tokens a document).
BLOCK_DOCUMENTS = 5000


class Vocabulary:
    """Fitted words and bigrams: each column's text and idf, and the vectors of new texts."""

    def __init__(self, documents: int):
        settings = make_vectorizer(documents)
        self.preprocess = settings.build_preprocessor()
        self.tokenize = settings.build_tokenizer()
        self.stop_words = frozenset(settings.get_stop_words())
        self.min_df, self.max_df = settings.min_df, settings.max_df
        self.words: list[str] = []  # by word id: every word seen at fit
        self.ids: dict[str, int] = {}  # word -> id
        self.word_columns = np.zeros(0, np.int32)  # by word id; -1 when pruned
        self.column_words = np.zeros(0, np.int32)  # word id of each word column
        self.bigram_codes = np.zeros(0, np.int64)  # kept bigrams, sorted; columns follow the words'
        self.base = 1  # bigram code: first word id x base + second word id
        self.idf = np.zeros(0, np.float32)

    # The vocabulary as the model reads it: len() columns, [column] -> the term's text.
    def __len__(self) -> int:
        return len(self.column_words) + len(self.bigram_codes)

    def __getitem__(self, column: int) -> str:
        if not 0 <= column < len(self):
            raise IndexError(column)
        if column < len(self.column_words):
            return self.words[self.column_words[column]]
        first, second = divmod(int(self.bigram_codes[column - len(self.column_words)]), self.base)
        return f"{self.words[first]} {self.words[second]}"

    @property
    def bigram_start(self) -> int:
        """The first bigram column (every column before it is a word)."""
        return len(self.column_words)

    def analyze(self, text: str) -> list[str]:
        """A text's words, lower-cased, stop words dropped (the order bigrams are formed in)."""
        return list(filterfalse(self.stop_words.__contains__, self.tokenize(self.preprocess(text))))

    def knows(self, word: str) -> bool:
        """True for a word that is a column of the fitted vocabulary."""
        word_id = self.ids.get(word)
        return word_id is not None and self.word_columns[word_id] >= 0

    def _word_ids(self, text: str) -> np.ndarray:
        # An unknown word is -1: it forms no bigram, as in scikit-learn's analyzer.
        return np.fromiter(map(self.ids.get, self.analyze(text), _UNKNOWN), np.int64)

    def fit_transform(self, texts: list[str]) -> sparse.csr_matrix:
        """Learn the vocabulary and idf from the texts; their L2-normalised TF-IDF rows.
        Raises ValueError when no term remains (as scikit-learn does)."""
        # Each new word takes the next id the moment it is first looked up: all in C.
        numbering = defaultdict(count().__next__)
        documents = [np.fromiter(map(numbering.__getitem__, self.analyze(t)), np.int64)
                     for t in texts]
        self.ids, self.words = dict(numbering), list(numbering)
        self.base = max(len(self.words), 1)
        if self.base ** 2 * BLOCK_DOCUMENTS >= 1 << 63:
            raise ValueError(f"{self.base} distinct words: too many to pack bigrams in int64")
        word_df = np.zeros(len(self.words), np.int64)
        codes, counts = [], []
        for start in range(0, len(documents), BLOCK_DOCUMENTS):
            doc, ids = _concatenate(documents[start:start + BLOCK_DOCUMENTS])
            word_df += np.bincount(_distinct(doc * self.base + ids) % self.base,
                                   minlength=self.base)
            pair_doc, pairs = self._bigrams(doc, ids)
            # Each bigram once per document (for its document frequency): one sort of packed keys.
            once = _distinct(pair_doc * self.base ** 2 + pairs) % self.base ** 2
            block_codes, block_counts = _counted(once)
            codes.append(block_codes)
            counts.append(block_counts)
        codes, bigram_df = _summed(np.concatenate(codes), np.concatenate(counts))
        low, high = self._df_limits(len(texts))
        kept_words = np.flatnonzero((word_df >= low) & (word_df <= high))
        kept_bigrams = (bigram_df >= low) & (bigram_df <= high)
        if not len(kept_words) and not kept_bigrams.any():
            raise ValueError("no terms remain: the texts hold only stop words, or nothing")
        self.column_words = kept_words.astype(np.int32)
        self.word_columns = np.full(len(self.words), -1, np.int32)
        self.word_columns[kept_words] = np.arange(len(kept_words), dtype=np.int32)
        self.bigram_codes = codes[kept_bigrams]
        df = np.concatenate([word_df[kept_words], bigram_df[kept_bigrams]])
        # scikit-learn's smooth idf: as if one more document held every term.
        self.idf = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
        return self._rows(documents)

    def _df_limits(self, documents: int) -> tuple[int, float]:
        low = self.min_df if isinstance(self.min_df, int) else self.min_df * documents
        high = self.max_df * documents if isinstance(self.max_df, float) else self.max_df
        return low, high

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows for new texts in the fitted vocabulary."""
        return self._rows([self._word_ids(t) for t in texts])

    def _bigrams(self, doc: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document number, bigram code) for every two adjacent known words of one document."""
        same = (doc[:-1] == doc[1:]) & (ids[:-1] >= 0) & (ids[1:] >= 0)
        return doc[:-1][same], ids[:-1][same] * self.base + ids[1:][same]

    def _rows(self, documents: list[np.ndarray]) -> sparse.csr_matrix:
        blocks = []
        for start in range(0, len(documents), BLOCK_DOCUMENTS):
            chunk = documents[start:start + BLOCK_DOCUMENTS]
            blocks.append(self._block_rows(chunk))
        if not blocks:
            return sparse.csr_matrix((0, len(self)), dtype=np.float32)
        return sparse.vstack(blocks, format="csr", dtype=np.float32)

    def _block_rows(self, documents: list[np.ndarray]) -> sparse.csr_matrix:
        doc, ids = _concatenate(documents)
        known = ids >= 0
        word_doc, word_cols = doc[known], self.word_columns[ids[known]]
        pair_doc, pair_codes = self._bigrams(doc, ids)
        where = _sorted_lookup(self.bigram_codes, pair_codes)
        where[where == len(self.bigram_codes)] = 0
        hit = (self.bigram_codes[where] == pair_codes) if len(self.bigram_codes) else where < 0
        rows = np.concatenate([word_doc[word_cols >= 0], pair_doc[hit]])
        cols = np.concatenate([word_cols[word_cols >= 0],
                               where[hit] + self.bigram_start]).astype(np.int64)
        keys, tf = _counted(rows * len(self) + cols)
        rows, cols = np.divmod(keys, len(self))
        weights = ((1 + np.log(tf)) * self.idf[cols]).astype(np.float32)
        matrix = sparse.csr_matrix((weights, (rows, cols)), shape=(len(documents), len(self)),
                                   dtype=np.float32)
        return normalize(matrix, copy=False)


_UNKNOWN = iter(lambda: -1, None)  # an endless default for dict.get over map()


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (np.unique's hashing is slower on large int64 arrays)."""
    values = np.sort(values)
    first = np.ones(len(values), bool)
    first[1:] = values[1:] != values[:-1]
    return values[first]


def _counted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, sorted, and how often each occurs."""
    return _summed(values, np.ones(len(values), np.int64))


def _summed(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, sorted, and the sum of the weights of each."""
    if not len(values):
        return values, weights
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.add.reduceat(weights, starts)


def _concatenate(documents: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(document number, word id) for every token of a block of documents."""
    lengths = np.fromiter((len(d) for d in documents), np.int64, len(documents))
    doc = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
    ids = np.concatenate(documents) if documents else np.zeros(0, np.int64)
    return doc, ids.astype(np.int64)


def _sorted_lookup(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """np.searchsorted(table, keys), with the keys looked up in sorted order: the same
    answer several times faster on millions of keys (the table is walked once, in order,
    instead of at random)."""
    order = np.argsort(keys, kind="stable")
    where = np.empty(len(keys), dtype=np.int64)
    where[order] = np.searchsorted(table, keys[order])
    return where
