"""When two texts are the same evidence: word-shingle resemblance, and the hub's three
duplicate thresholds, side by side so that they are chosen together.

- MERGE_AT_INGEST: the store merges a document into an item with the same folded title
  whose text resembles it this much (word 5-shingles, Jaccard): whitespace, punctuation and
  page furniture apart, it is the same text. Used by hub.store.writing.
- WARN_EDITOR: an editor saving or uploading something is warned of published items whose
  TF-IDF cosine with it is this high: perhaps the same evidence, for a person to judge, so
  lower than the other two. Used by hub.editor.duplicate_check.
- HIDE_FROM_RELATED: the related-items model never suggests an item whose TF-IDF cosine
  with the one shown is this high (the same text under another title, or with a line more).
  Used by hub.recommend.
"""

from __future__ import annotations

from hub.text.normalise import fold

MERGE_AT_INGEST = 0.85
WARN_EDITOR = 0.8
HIDE_FROM_RELATED = 0.9


def shingles(text: str, size: int = 5) -> set[int]:
    """Hashed word shingles of a folded text, for near-duplicate tests."""
    words = fold(text).split()
    if len(words) < size:
        return {hash(" ".join(words))}
    return {hash(" ".join(words[i : i + size])) for i in range(len(words) - size + 1)}


def resemblance(a: str, b: str) -> float:
    """Jaccard resemblance of two texts' shingle sets (1.0 means the same words in order)."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0
