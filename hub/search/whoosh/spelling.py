"""Did you mean: corrections from the corpus's own unstemmed words.

A word is left alone when the index knows it (stemmed or not). An unknown word gets its
closest words within two edits (one for short words), commonest first, and the words that
sound the same (the same Metaphone key, within MAX_SOUNDALIKE_EDITS), which finds a word spelt
as it sounds ("insite" is three edits from "insight"). When several words need
correcting, the combination that most documents share wins, so "custmer insigt" becomes
"customer insight" rather than "customer insist".

Finding the close words is the costly part: Whoosh's terms_within computes an edit distance,
in Python, for every word that shares the first letter (tens of milliseconds per word on a
large vocabulary). Vocabulary keeps each word's letter counts in a numpy array: one edit
changes those counts by at most two, so words further apart than that are ruled out all at
once, and the distance is computed only for the few that remain.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import jellyfish
import numpy as np
from whoosh import query as wq
from whoosh.support.levenshtein import damerau_levenshtein

CANDIDATES_PER_WORD = 3
SOUNDALIKES_PER_WORD = 2
MAX_COMBINATIONS = 27
MIN_LENGTH = 4
# A sound-alike may be further off than a close word, but not without bound.
MAX_SOUNDALIKE_EDITS = 3


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (insertions, deletions, substitutions, swaps)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


LETTERS = 27  # a-z, and one count for every other character


class Vocabulary:
    """The words of one field of one reader, with their letter counts (built once per reader)."""

    def __init__(self, reader, field: str):
        self.words = [w.decode("utf-8") if isinstance(w, bytes) else w
                      for w in reader.lexicon(field)]
        self.lengths = np.fromiter(map(len, self.words), dtype=np.int64, count=len(self.words))
        codes = _letters("".join(self.words))
        owner = np.repeat(np.arange(len(self.words)), self.lengths)
        counts = np.bincount(owner * LETTERS + codes, minlength=len(self.words) * LETTERS)
        self.counts = np.minimum(counts, 255).astype(np.uint8).reshape(-1, LETTERS)
        starts = np.cumsum(self.lengths) - self.lengths
        self.first = np.full(len(self.words), -1, dtype=np.int64)
        self.first[self.lengths > 0] = codes[starts[self.lengths > 0]]
        self._sounds: dict[str, list[int]] | None = None

    def within(self, word: str, distance: int, prefix: int = 0) -> list[str]:
        """The words within `distance` edits (as Whoosh's terms_within) sharing `prefix` letters."""
        if not word or not self.words:
            return []
        close = np.abs(self.lengths - len(word)) <= distance
        if prefix:
            close &= self.first == _letters(word[0])[0]
        rows = np.flatnonzero(close)
        wanted = np.bincount(_letters(word), minlength=LETTERS).astype(np.int16)
        apart = np.abs(self.counts[rows].astype(np.int16) - wanted).sum(axis=1)
        return [self.words[i] for i in rows[apart <= 2 * distance]
                if self.words[i].startswith(word[:prefix])
                and damerau_levenshtein(self.words[i], word, limit=distance) <= distance]

    def sounding_like(self, word: str, distance: int = MAX_SOUNDALIKE_EDITS) -> list[str]:
        """The words with the same Metaphone key and first letter, within `distance` edits."""
        if self._sounds is None:  # keyed on the first sound-alike asked for, not every search
            self._sounds = {}
            for number, known in enumerate(self.words):
                if known.isalpha():
                    self._sounds.setdefault(jellyfish.metaphone(known), []).append(number)
        found = (self.words[i] for i in self._sounds.get(jellyfish.metaphone(word), ()))
        return [w for w in found if w[:1] == word[:1] and w != word
                and damerau_levenshtein(w, word, limit=distance) <= distance]


class Vocabularies:
    """The words of a field over several segments: a Vocabulary per segment (built once, kept
    while the segment lives), asked one after another. What `within` and `sounding_like` find
    depends on each word alone, so the words found in any segment, in term order, are what one
    Vocabulary of the whole index finds."""

    def __init__(self, parts: list[Vocabulary]):
        self.parts = parts

    def within(self, word: str, distance: int, prefix: int = 0) -> list[str]:
        """The words within `distance` edits sharing `prefix` letters (Vocabulary.within)."""
        return _together(part.within(word, distance, prefix) for part in self.parts)

    def sounding_like(self, word: str, distance: int = MAX_SOUNDALIKE_EDITS) -> list[str]:
        """The words that sound like `word` (Vocabulary.sounding_like)."""
        return _together(part.sounding_like(word, distance) for part in self.parts)


def _together(found) -> list[str]:
    """Words found in several segments, each once, in term order (code point order: the
    order of their UTF-8 bytes)."""
    lists = [words for words in found if words]
    return lists[0] if len(lists) == 1 else sorted(set().union(*lists))


def _letters(text: str) -> np.ndarray:
    """Each character as its letter number: 0-25 for a-z, 26 for anything else."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    return np.where((codes >= 97) & (codes <= 122), codes - 97, LETTERS - 1)


class Speller:
    """Corrections over one searcher's reader (cheap to make; one per search is fine)."""

    def __init__(self, searcher, field: str, is_known: Callable[[str], bool],
                 vocabulary: Vocabulary | Vocabularies | None = None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.field = field
        self.is_known = is_known
        self.vocabulary = vocabulary or Vocabulary(self.reader, field)

    def candidates(self, word: str) -> list[str]:
        """Close corpus words for an unknown word, nearest and commonest first."""
        found = self.vocabulary.within(word, 1, prefix=1)
        if not found and len(word) > 5:
            found = self.vocabulary.within(word, 2, prefix=1)
        # Sound-alikes join the close words rather than waiting for none to be found: "insite"
        # is one edit from "inside", and only the other words typed say "insight" was meant.
        sounds = [w for w in self._ranked(word, self.vocabulary.sounding_like(word))
                  if w not in found][:SOUNDALIKES_PER_WORD]
        return self._ranked(word, found)[:CANDIDATES_PER_WORD] + sounds

    def _ranked(self, word: str, found: list[str]) -> list[str]:
        return sorted(found, key=lambda w: (edit_distance(word, w),
                                            -self.reader.doc_frequency(self.field, w), w))

    def correct(self, words: Sequence[str]) -> dict[str, str]:
        """The corrections for the words that need one ({typed: suggested}); may be empty."""
        typed = list(dict.fromkeys(w.lower() for w in words))
        options = [self._options(word) for word in typed]
        if all(option == [word] for option, word in zip(options, typed, strict=True)):
            return {}
        best = max(itertools.islice(itertools.product(*options), MAX_COMBINATIONS),
                   key=self._support)
        return {t: b for t, b in zip(typed, best, strict=True) if t != b}

    def _options(self, word: str) -> list[str]:
        if len(word) < MIN_LENGTH or not word.isalpha() or self.is_known(word):
            return [word]
        return self.candidates(word) or [word]

    def _support(self, combination: tuple[str, ...]) -> int:
        terms = [wq.Term(self.field, w) for w in set(combination)]
        return sum(1 for _ in wq.And(terms).docs(self.searcher)) if len(terms) > 1 else 0
