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

import contextlib
import ctypes
from collections import defaultdict
from collections.abc import Iterable
from itertools import count, filterfalse, islice

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from hub.recommend.vectorize import make_vectorizer

# Documents counted together: bounds the arrays of one block (about 2,000 tokens a document).
BLOCK_DOCUMENTS = 2500
# Bigram document frequencies are summed over the blocks this many ranges of codes at a time:
# one sort of every block's codes at once held 1.3 GB at 100,000 documents.
CODE_RANGES = 16

# A block of documents: the number of tokens of each, and the word ids of all their tokens.
Block = tuple[np.ndarray, np.ndarray]


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
        return np.fromiter(map(self.ids.get, self.analyze(text), _UNKNOWN), np.int32)

    def fit_transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Learn the vocabulary and idf from the texts (read once: a generator spares a list
        of them all); their L2-normalised TF-IDF rows. Raises ValueError when no term remains
        (as scikit-learn does)."""
        # Each new word takes the next id the moment it is first looked up: all in C.
        # Word ids are int32 (half the memory of every token held until the rows are made).
        numbering = defaultdict(count().__next__)
        blocks = _blocks(texts, lambda t: np.fromiter(map(numbering.__getitem__,
                                                          self.analyze(t)), np.int32))
        documents = sum(len(lengths) for lengths, _ in blocks)
        release_freed_memory()  # what reading the texts freed: lists of words, small arrays
        self.ids, self.words = dict(numbering), list(numbering)
        self.base = max(len(self.words), 1)
        if self.base ** 2 * BLOCK_DOCUMENTS >= 1 << 63:
            raise ValueError(f"{self.base} distinct words: too many to pack bigrams in int64")
        word_df = np.zeros(len(self.words), np.int64)
        # Each block's distinct bigrams are held until all are summed: in 4 bytes each while
        # the codes fit (up to 65,536 distinct words), as the counts do.
        code_type = np.uint32 if self.base ** 2 <= 1 << 32 else np.int64
        codes, counts = [], []
        for block in blocks:
            doc, ids = _concatenate(block)
            word_df += np.bincount(_distinct(doc * self.base + ids) % self.base,
                                   minlength=self.base)
            pair_doc, pairs = self._bigrams(doc, ids)
            # Each bigram once per document (for its document frequency): one sort of packed keys.
            once = _distinct(pair_doc * self.base ** 2 + pairs) % self.base ** 2
            block_codes, block_counts = _counted(once)
            codes.append(block_codes.astype(code_type))
            counts.append(block_counts.astype(np.int32))
        low, high = self._df_limits(documents)
        self.bigram_codes, bigram_df = _kept_sums(codes, counts, self.base ** 2, low, high)
        del codes, counts
        kept_words = np.flatnonzero((word_df >= low) & (word_df <= high))
        if not len(kept_words) and not len(self.bigram_codes):
            raise ValueError("no terms remain: the texts hold only stop words, or nothing")
        self.column_words = kept_words.astype(np.int32)
        self.word_columns = np.full(len(self.words), -1, np.int32)
        self.word_columns[kept_words] = np.arange(len(kept_words), dtype=np.int32)
        df = np.concatenate([word_df[kept_words], bigram_df])
        # scikit-learn's smooth idf: as if one more document held every term.
        self.idf = (np.log((1 + documents) / (1 + df)) + 1).astype(np.float32)
        del word_df, df
        release_freed_memory()
        return self._rows(blocks)

    def _df_limits(self, documents: int) -> tuple[int, float]:
        low = self.min_df if isinstance(self.min_df, int) else self.min_df * documents
        high = self.max_df * documents if isinstance(self.max_df, float) else self.max_df
        return low, high

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows for new texts in the fitted vocabulary."""
        return self._rows(_blocks(texts, self._word_ids))

    def _bigrams(self, doc: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document number, bigram code) for every two adjacent known words of one document."""
        same = (doc[:-1] == doc[1:]) & (ids[:-1] >= 0) & (ids[1:] >= 0)
        return doc[:-1][same], ids[:-1][same] * self.base + ids[1:][same]

    def _rows(self, blocks: list[Block]) -> sparse.csr_matrix:
        # Each block is copied into arrays sized for the most entries the documents could
        # have (a word and a bigram a token), then cut to size: stacking the blocks held the
        # matrix twice. Pages never written to take no memory, and a cut in place frees
        # the rest.
        bound = 2 * sum(len(ids) for _, ids in blocks)
        data, indices = np.empty(bound, np.float32), np.empty(bound, np.int32)
        indptr, filled = [np.zeros(1, np.int64)], 0
        for tokens in blocks:
            block = self._block_rows(tokens)
            data[filled:filled + block.nnz] = block.data
            indices[filled:filled + block.nnz] = block.indices
            indptr.append(block.indptr[1:] + filled)
            filled += block.nnz
        data.resize(filled, refcheck=False)
        indices.resize(filled, refcheck=False)
        rows = sum(len(lengths) for lengths, _ in blocks)
        return sparse.csr_matrix((data, indices, np.concatenate(indptr)), shape=(rows, len(self)))

    def _block_rows(self, block: Block) -> sparse.csr_matrix:
        doc, ids = _concatenate(block)
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
        matrix = sparse.csr_matrix((weights, (rows, cols)), shape=(len(block[0]), len(self)),
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
    """The distinct values, sorted, and how often each occurs (a plain sort: no weights to
    carry along, so no argsort and gathers)."""
    values = np.sort(values)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else values
    return values[starts], np.diff(np.r_[starts, len(values)]).astype(np.int64)


def _summed(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, sorted, and the sum of the weights of each."""
    if not len(values):
        return values, weights
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.add.reduceat(weights, starts)


def _kept_sums(codes: list[np.ndarray], counts: list[np.ndarray], end: int, low: float,
               high: float) -> tuple[np.ndarray, np.ndarray]:
    """Sum the counts of the same code over blocks (each block's codes sorted and distinct),
    keeping the codes whose sum is within [low, high]: sorted codes and their sums. One range
    of codes at a time, so that only that range's entries are sorted together."""
    bounds = np.linspace(0, end, CODE_RANGES + 1).astype(np.int64)
    cuts = [np.searchsorted(block, bounds) for block in codes]
    kept_codes, kept_sums = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for i in range(CODE_RANGES):
        values, sums = _summed(
            np.concatenate([block[cut[i]:cut[i + 1]] for block, cut in zip(codes, cuts, strict=True)]),
            np.concatenate([block[cut[i]:cut[i + 1]] for block, cut in zip(counts, cuts, strict=True)]))
        kept = (sums >= low) & (sums <= high)
        kept_codes.append(values[kept])
        kept_sums.append(sums[kept])
    return np.concatenate(kept_codes).astype(np.int64), np.concatenate(kept_sums)


def release_freed_memory() -> None:
    """Give the memory freed so far back to the system. glibc keeps freed blocks of up to
    32 MB for reuse, scattered among live ones: counting 100,000 documents left 250 MB of
    them, which no later allocation of the fit reused. A no-op without glibc."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _blocks(texts: Iterable[str], word_ids) -> list[Block]:
    """The texts' word ids (word_ids(text): an int32 array), BLOCK_DOCUMENTS texts to a block.
    A block's per-text arrays are joined and freed before the next block is read: held to the
    end, 100,000 small arrays left their memory in pieces the process kept."""
    blocks, texts = [], iter(texts)
    while chunk := [word_ids(t) for t in islice(texts, BLOCK_DOCUMENTS)]:
        blocks.append((np.fromiter(map(len, chunk), np.int64, len(chunk)), np.concatenate(chunk)))
    return blocks


def _concatenate(block: Block) -> tuple[np.ndarray, np.ndarray]:
    """(document number, word id) for every token of a block of documents."""
    lengths, ids = block
    return np.repeat(np.arange(len(lengths), dtype=np.int64), lengths), ids.astype(np.int64)


def _sorted_lookup(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """np.searchsorted(table, keys), with the keys looked up in sorted order: the same
    answer several times faster on millions of keys (the table is walked once, in order,
    instead of at random)."""
    order = np.argsort(keys, kind="stable")
    where = np.empty(len(keys), dtype=np.int64)
    where[order] = np.searchsorted(table, keys[order])
    return where
