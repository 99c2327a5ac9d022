"""How text becomes index terms, for any backend: tokens, stop words, stems.

Chosen on the relevance harness (scripts/eval_search.py). English Snowball ("Porter2") stems better than Whoosh's default Porter ("running" -> "run",
not "runn"); British and American spellings are folded first, so "organization" finds
"organisation". The unstemmed terms feed "did you mean", which must offer real words. The
stemmers and stop list are Whoosh's language modules, used as a library; the Whoosh analyzer
chains built from them live in hub.search.whoosh.analyzers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.lang.porter import stem as porter_stem
from whoosh.lang.snowball.english import EnglishStemmer
from whoosh.lang.stopwords import stoplists

from hub.search import ranking

STOP_WORDS = frozenset(stoplists["en"]) | {"also", "may", "must", "shall", "would", "could"}
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"
_US_SPELLING = re.compile(r"(?<=[a-z]{3})iz(e|es|ed|er|ers|ing|ation|ations)$")
_snowball = EnglishStemmer()
DEFAULT_ANALYZER = ranking.ANALYZER


@lru_cache(maxsize=200_000)
def fold_spelling(word: str) -> str:
    """American -ize/-ization spellings as British -ise/-isation ("organization")."""
    return _US_SPELLING.sub(r"is\1", word)


@lru_cache(maxsize=200_000)
def snowball_stem(word: str) -> str:
    """The English Snowball stem of a lower-case word, after folding American spellings."""
    return _snowball.stem(fold_spelling(word.replace("’", "'").removesuffix("'s")))


@lru_cache(maxsize=200_000)
def porter(word: str) -> str:
    """Whoosh's default Porter stem (kept for comparison on the harness)."""
    return porter_stem(word)


_TOKEN = re.compile(TOKEN_PATTERN, re.UNICODE)
STEMMERS = {"snowball": snowball_stem, "porter": porter, "unstemmed": None}


def index_terms(text: str, analyzer_name: str = DEFAULT_ANALYZER,
                minsize: int = 2) -> tuple[list[str], int]:
    """The terms the named analyzer makes of a text, in order, and the first one's position.

    Exactly what the Whoosh analyzer chain of the same name yields (hub.search.whoosh.
    analyzers; tests/test_search_query.py checks), without a Token object and four generators
    per word: the fast path for indexing. Positions then run on from the first (Whoosh's
    StopFilter renumbers from the first word it keeps).
    """
    stem = STEMMERS[analyzer_name]
    words = [w.lower() for w in _TOKEN.findall(text)]
    start = next((i for i, w in enumerate(words) if len(w) >= minsize and w not in STOP_WORDS), 0)
    kept = [w for w in words if len(w) >= minsize and w not in STOP_WORDS]
    return ([stem(w) for w in kept] if stem else kept), start
