"""Turn a ParsedQuery into a Whoosh query: BM25F over weighted fields, all words first.

Each typed word (with its synonyms) is a group. A document matching every group gets a
constant bonus far above any BM25 score, so items with all the words rank above items with
some, while BM25F orders each tier. Extras (an exact phrase typed as words, its synonyms)
raise the rank of what they match.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from whoosh import query as wq

from hub.search import ranking
from hub.search.query import Group, ParsedQuery, Term
from hub.search.whoosh.internals import BestOf
from hub.search.whoosh.schema import SUBJECT_FIELD

MAX_PREFIX_TERMS = 64
MAX_PREFIX_SCAN = 2000


class Union(wq.Or):
    """OR as a tree of union matchers, always.

    Whoosh's automatic choice preloads every match into arrays in small segments; mixing the
    two kinds in one query ranked worse on the harness (Cranfield nDCG@10 0.350 against
    0.366 with either kind throughout), and the tree lets the top-N collector skip blocks.
    """

    matcher_type = wq.Or.DEFAULT_MATCHER


@dataclass
class BuiltQuery:
    """The Whoosh query, the query that decides what matches, and the stems to highlight."""

    scored: wq.Query | None
    matching: wq.Query | None
    stems: set[str] = field(default_factory=set)
    tiered: bool = False


class QueryBuilder:
    """Builds Whoosh queries against one reader (prefixes expand over its terms)."""

    def __init__(self, analyzer, reader, weights: dict[str, float] | None = None):
        self.analyzer = analyzer
        self.reader = reader
        self.weights = dict(weights or ranking.FIELD_WEIGHTS)
        self.stems: set[str] = set()

    def tokens(self, text: str) -> list[str]:
        """The index terms a piece of text becomes (stop words dropped, stemmed)."""
        return [token.text for token in self.analyzer(text)]

    def term(self, term: Term, weights: dict[str, float] | None = None) -> wq.Query | None:
        """One word, phrase or prefix over the ranked fields, or None if nothing is left."""
        weights = weights or self.weights
        if term.kind == "prefix":
            return self._prefix(term, weights)
        words = [term.text] if term.kind == "stem" else self.tokens(term.text)
        if not words:
            return None
        self.stems.update(words)
        # A phrase scores about the sum of its words, so an added term (a synonym, a topic's
        # word) is scaled to the words it stands in for: "not in employment, education or
        # training" for NEET must not outweigh the one word typed, while "information sharing"
        # for "data sharing" weighs what a one-word synonym of one word does.
        scale = term.weight * (min(1.0, term.stands_for / len(words)) if term.weight < 1 else 1)
        per_field = [
            wq.Term(name, words[0], boost=weight * scale) if len(words) == 1
            else wq.Phrase(name, words, slop=ranking.PHRASE_SLOP, boost=weight * scale)
            for name, weight in weights.items()
        ]
        return per_field[0] if len(per_field) == 1 else Union(per_field)

    def _prefix(self, term: Term, weights: dict[str, float]) -> wq.Query | None:
        prefix = term.text.lower()
        found = []
        for number, text in enumerate(self.reader.expand_prefix("body", prefix)):
            if number == MAX_PREFIX_SCAN:
                break
            found.append(text.decode("utf-8") if isinstance(text, bytes) else text)
        found.sort(key=lambda t: -self.reader.doc_frequency("body", t))
        words = found[:MAX_PREFIX_TERMS] or self.tokens(prefix)
        self.stems.update(words)
        return Union([wq.Term(name, w, boost=weight * term.weight)
                      for name, weight in weights.items() for w in words]) if words else None

    def group(self, group: Group, weights: dict[str, float] | None = None) -> wq.Query | None:
        """Any of a group's alternatives."""
        parts = [q for q in (self.term(t, weights) for t in group.terms) if q is not None]
        if len(parts) < 2:
            return parts[0] if parts else None
        if any(term.weight < 1 for term in group.terms):
            # Synonyms: the best alternative counts, so several weaker synonyms in one text
            # do not add up to more than the word the person typed.
            return BestOf(parts)
        return Union(parts)

    def telling(self, parsed: ParsedQuery) -> list[Group]:
        """The groups a document must match to be in the all-words tier: every group but the
        common words ("council") and a short query's weak words ("reducing"), unless the query
        is all such words."""
        return self._sorted(parsed)[0]

    def _sorted(self, parsed: ParsedQuery) -> tuple[list[Group], list[Group]]:
        """The telling groups, and the weak ones: in a query of at most WEAK_QUERY_WORDS
        telling words, those whose idf is under WEAK_WORD_IDF_RATIO of the rarest's."""
        documents = self.reader.doc_count() if self.reader is not None else 0
        if not documents:
            return parsed.groups, []
        most = ranking.COMMON_WORD_SHARE * documents
        telling = [g for g in parsed.groups if not self._common(g.terms[0], most)]
        weak: list[Group] = []
        if 1 < len(telling) <= ranking.WEAK_QUERY_WORDS:
            idfs = [self._idf(g.terms[0], documents) for g in telling]
            floor = ranking.WEAK_WORD_IDF_RATIO * max(idfs)
            weak = [g for g, value in zip(telling, idfs, strict=True) if value < floor]
            telling = [g for g, value in zip(telling, idfs, strict=True) if value >= floor]
        return (telling, weak) if telling else (parsed.groups, [])

    def _single_stem(self, term: Term) -> str | None:
        if term.kind != "word":
            return None
        words = self.tokens(term.text)
        return words[0] if len(words) == 1 else None

    def _common(self, term: Term, most: float) -> bool:
        stem = self._single_stem(term)
        return stem is not None and self.reader.doc_frequency(ranking.MATCH_FIELD, stem) > most

    def _idf(self, term: Term, documents: int) -> float:
        """A word's idf; a phrase or prefix counts as rare (it is never weak)."""
        stem = self._single_stem(term)
        if stem is None:
            return math.inf
        return ranking.idf(documents, self.reader.doc_frequency(ranking.MATCH_FIELD, stem))

    def _weighed(self, share: float) -> dict[str, float]:
        return {name: weight * share for name, weight in self.weights.items()}

    def lifts(self, parsed: ParsedQuery) -> wq.Query | None:
        """What raises the rank of a match without admitting anything: the other words of a
        topic the query names, and having that topic among the themes the source or an
        editor declared."""
        parts = [q for q in map(self.term, parsed.related) if q is not None]
        parts += [wq.ConstantScoreQuery(wq.Term(SUBJECT_FIELD, slug), ranking.SUBJECT_BOOST)
                  for slug in parsed.subjects]
        return Union(parts) if parts else None

    def build(self, parsed: ParsedQuery) -> BuiltQuery:
        """The scored and matching queries for a parsed query (None when nothing is left)."""
        self.stems = set()
        weak = {id(g) for g in self._sorted(parsed)[1]} if len(parsed.groups) > 1 else set()
        groups = [self.group(g, self._weighed(ranking.WEAK_WORD_WEIGHT) if id(g) in weak else None)
                  for g in parsed.groups]
        groups = [q for q in groups if q is not None]
        extras = [q for q in map(self.term, parsed.extras) if q is not None]
        stems = set(self.stems)
        excluded = [q for q in map(self.term, parsed.excluded) if q is not None]
        if not groups:
            return BuiltQuery(None, None, stems)
        matching = Union(groups + extras) if len(groups + extras) > 1 else groups[0]
        scored, tiered = matching, len(groups) > 1
        if tiered:
            # Which documents have every word is decided on the body (it holds all the text).
            every = [self.group(g, {ranking.MATCH_FIELD: 1.0}) for g in self.telling(parsed)]
            every = wq.And([q for q in every if q is not None])
            scored = Union([wq.ConstantScoreQuery(every, ranking.ALL_WORDS_BONUS), matching])
        lifts = self.lifts(parsed)
        if lifts is not None:
            scored = wq.AndMaybe(scored, lifts)
        if excluded:
            scored = wq.AndNot(scored, Union(excluded))
            matching = wq.AndNot(matching, Union(excluded))
        return BuiltQuery(scored, matching, stems, tiered)
