"""Pseudo-relevance feedback for descriptive queries: the words the best first results share.

A query of many words (a question, a pasted abstract) names its subject in the author's words;
the documents that answer it often use others. Relevance-model feedback (RM3, Lavrenko and
Croft; weighted here by idf) takes the first FEEDBACK_DOCUMENTS results, weighs each by its
score, and adds the FEEDBACK_TERMS words most typical of them, together a (1 - λ) share of the
query's weight, λ being FEEDBACK_KEEP. Short queries (fewer than FEEDBACK_MIN_WORDS words)
are left alone: there the words typed are the subject. Chosen on the relevance harness
(scripts/eval_search.py): see hub.search.ranking.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable

from hub.search import ranking

# How sharply the feedback documents are weighed by their score (the best counts most).
SCORE_SHARPNESS = 5.0


def expansion(documents: Iterable[tuple[str, float]], tokens: Callable[[str], list[str]],
              typed: set[str], doc_count: int, doc_frequency: Callable[[str], int],
              words_typed: int) -> list[tuple[str, float]]:
    """(term, weight) to add to a query from its first documents' (text, score); weights are
    on the scale of a typed word (1 each), together (1 - λ) / λ times the words typed."""
    documents = [(text, score) for text, score in documents if text]
    if not documents or doc_count <= 0:
        return []
    best = max(score for _, score in documents) or 1.0
    weights: Counter[str] = Counter()
    for text, score in documents:
        counts = Counter(tokens(text))
        length = sum(counts.values()) or 1
        share = math.exp((score - best) / best * SCORE_SHARPNESS)
        for term, n in counts.items():
            if term not in typed:
                weights[term] += share * n / length
    for term in weights:
        weights[term] *= math.log(doc_count / max(1, doc_frequency(term)))
    chosen = [(t, w) for t, w in weights.most_common(ranking.FEEDBACK_TERMS) if w > 0]
    total = sum(w for _, w in chosen)
    if not total:
        return []
    scale = (1 - ranking.FEEDBACK_KEEP) / ranking.FEEDBACK_KEEP * words_typed
    return [(term, scale * w / total) for term, w in chosen]
