"""The hub's analysis (hub.search.analysis) as Whoosh analyzer chains, for the schema and
for highlighting; indexing itself takes the fast path, analysis.index_terms."""

from __future__ import annotations

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter

from hub.search.analysis import DEFAULT_ANALYZER, STEMMERS, STOP_WORDS, TOKEN_PATTERN


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


def _chain(stemmer=None, minsize: int = 2):
    chain = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
    chain = chain | StopFilter(stoplist=STOP_WORDS, minsize=minsize)
    return chain | StemmerFilter(stemmer) if stemmer else chain


def text_analyzer(name: str = DEFAULT_ANALYZER):
    """The analyzer for searchable text fields, by name (see analysis.STEMMERS)."""
    try:
        return _chain(STEMMERS[name])
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r} (known: {', '.join(STEMMERS)})") from None


def spelling_analyzer():
    """Lower-case, unstemmed words of three letters or more, for "did you mean"."""
    return _chain(None, minsize=3)
