"""Possible duplicates of a new or changed item: the same permalink, or very similar text.

Similar text is a TF-IDF cosine similarity (scikit-learn) of at least WARN_EDITOR (one of the
duplicate thresholds in hub.text.similarity) between the candidate and published items. The
cost is bounded whatever the size of the hub: the search index first picks at most POOL published items sharing the candidate's most frequent words (plus
any with the same title), and only those are compared.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hub.search.base import SearchRequest
from hub.store.models import Item
from hub.store.writing import url_key
from hub.text.normalise import title_key
from hub.text.similarity import WARN_EDITOR

POOL = 50
QUERY_WORDS = 12
MAX_CHARACTERS = 50_000  # of each text compared: enough to tell, and bounded
_WORD = re.compile(r"[a-z][a-z0-9]{3,}")


@dataclass(frozen=True)
class Duplicate:
    """An existing item that a candidate may duplicate, and why."""

    item_id: int
    title: str
    type: str
    reason: str  # "same permalink" or "similar text"
    score: float = 1.0


def same_permalink(session: Session, url: str | None, exclude: set[int]) -> list[Duplicate]:
    """Items whose permalink is this URL."""
    if not url or not url.strip():
        return []
    rows = session.scalars(select(Item).where(
        or_(Item.url == url.strip(), Item.key == url_key(url))).limit(POOL))
    return [Duplicate(i.id, i.title, i.type, "same permalink") for i in rows if i.id not in exclude]


def query_words(text: str) -> str:
    """The candidate's most frequent words that are not stop words, as a search query."""
    counts = Counter(w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS)
    return " ".join(word for word, _ in counts.most_common(QUERY_WORDS))


def _pool(corpus, session: Session, title: str, text: str, exclude: set[int]) -> list[Item]:
    request = SearchRequest(query=query_words(f"{title}\n{text}"), per_page=POOL,
                            facets=False, highlight=False, suggest=False)
    ids = [int(hit.id) for hit in corpus.search.backend.search(request).hits]
    same_title = session.scalars(select(Item.id).where(
        Item.title_key == title_key(title), Item.status == "published").limit(POOL))
    wanted = [i for i in dict.fromkeys([*ids, *same_title]) if i not in exclude]
    if not wanted:
        return []
    return list(session.scalars(select(Item).where(Item.id.in_(wanted),
                                                   Item.status == "published")))


def similar_text(corpus, session: Session, title: str, text: str,
                 exclude: set[int]) -> list[Duplicate]:
    """Published items whose TF-IDF cosine similarity with the candidate is WARN_EDITOR or more."""
    if not text.strip():
        return []
    pool = _pool(corpus, session, title, text, exclude)
    if not pool:
        return []
    texts = [f"{title}\n{text}"[:MAX_CHARACTERS]] + [
        f"{i.title}\n{i.body_text or ''}"[:MAX_CHARACTERS] for i in pool]
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    except ValueError:  # nothing but stop words
        return []
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()  # rows are L2-normalised: cosine
    found = [Duplicate(i.id, i.title, i.type, "similar text", round(float(s), 3))
             for i, s in zip(pool, scores, strict=True) if s >= WARN_EDITOR]
    return sorted(found, key=lambda d: -d.score)


def duplicates(corpus, session: Session, title: str, text: str, url: str | None,
               exclude: set[int] = frozenset()) -> list[Duplicate]:
    """Possible duplicates of a candidate: same permalink first, then similar text."""
    exclude = set(exclude)
    found = same_permalink(session, url, exclude)
    seen = {d.item_id for d in found}
    found += [d for d in similar_text(corpus, session, title, text, exclude)
              if d.item_id not in seen]
    return found
