"""Analyzers: how text becomes index terms. Chosen on the relevance harness (scripts/eval_search.py).

English Snowball ("Porter2") stems better than Whoosh's default Porter ("running" -> "run",
not "runn"); British and American spellings are folded first, so "organization" finds
"organisation". The unstemmed analyzer feeds "did you mean", which must offer real words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang.porter import stem as porter_stem
from whoosh.lang.snowball.english import EnglishStemmer
from whoosh.lang.stopwords import stoplists

STOP_WORDS = frozenset(stoplists["en"]) | {"also", "may", "must", "shall", "would", "could"}
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"
_US_SPELLING = re.compile(r"(?<=[a-z]{3})iz(e|es|ed|er|ers|ing|ation|ations)$")
_snowball = EnglishStemmer()
DEFAULT_ANALYZER = "snowball"


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


class StemmerFilter(Filter):
    """Replaces each token's text with its stem (a cached function of the word)."""

    def __init__(self, stem_function):
        self.stem_function = stem_function

    def __eq__(self, other):
        return type(other) is type(self) and other.stem_function is self.stem_function

    def __call__(self, tokens):
        stem = self.stem_function
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


_TOKEN = re.compile(TOKEN_PATTERN, re.UNICODE)
STEMMERS = {"snowball": snowball_stem, "porter": porter, "unstemmed": None}


def index_terms(text: str, analyzer_name: str = DEFAULT_ANALYZER,
                minsize: int = 2) -> tuple[list[str], int]:
    """The terms the named analyzer makes of a text, in order, and the first one's position.

    Exactly what the analyzer chain yields (tests/test_search_analysis.py checks), without a
    Token object and four generators per word: the fast path for indexing. Positions then
    run on from the first (Whoosh's StopFilter renumbers from the first word it keeps).
    """
    stem = STEMMERS[analyzer_name]
    words = [w.lower() for w in _TOKEN.findall(text)]
    start = next((i for i, w in enumerate(words) if len(w) >= minsize and w not in STOP_WORDS), 0)
    kept = [w for w in words if len(w) >= minsize and w not in STOP_WORDS]
    return ([stem(w) for w in kept] if stem else kept), start


def _chain(stemmer=None, minsize: int = 2):
    chain = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
    chain = chain | StopFilter(stoplist=STOP_WORDS, minsize=minsize)
    return chain | StemmerFilter(stemmer) if stemmer else chain


ANALYZERS = {
    "snowball": lambda: _chain(snowball_stem),
    "porter": lambda: _chain(porter),
    "unstemmed": lambda: _chain(None),
}


def text_analyzer(name: str = DEFAULT_ANALYZER):
    """The analyzer for searchable text fields, by name (see ANALYZERS)."""
    try:
        return ANALYZERS[name]()
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r} (known: {', '.join(ANALYZERS)})") from None


def spelling_analyzer():
    """Lower-case, unstemmed words of three letters or more, for "did you mean"."""
    return _chain(None, minsize=3)
