"""Turn a ParsedQuery into a Whoosh query: BM25F over weighted fields, all words first.

Each typed word (with its synonyms) is a group. A document matching every group gets a
constant bonus far above any BM25 score, so items with all the words rank above items with
some, while BM25F orders each tier. Extras (an exact phrase typed as words, its synonyms)
raise the rank of what they match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from hub.search import ranking
from hub.search.query import Group, ParsedQuery, Term
from hub.search.whoosh.internals import BestOf

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
        # A phrase scores about the sum of its words; a synonym phrase ("not in employment,
        # education or training" for NEET) must not outweigh the one word typed.
        scale = term.weight / (len(words) if term.weight < 1 else 1)
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
        common words ("reducing", "council"), unless the query is all common words."""
        documents = self.reader.doc_count() if self.reader is not None else 0
        if not documents:
            return parsed.groups
        most = ranking.COMMON_WORD_SHARE * documents
        telling = [g for g in parsed.groups if not self._common(g.terms[0], most)]
        return telling or parsed.groups

    def _common(self, term: Term, most: float) -> bool:
        if term.kind != "word":
            return False
        words = self.tokens(term.text)
        return len(words) == 1 and self.reader.doc_frequency(ranking.MATCH_FIELD, words[0]) > most

    def build(self, parsed: ParsedQuery) -> BuiltQuery:
        """The scored and matching queries for a parsed query (None when nothing is left)."""
        self.stems = set()
        groups = [q for q in map(self.group, parsed.groups) if q is not None]
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
        if excluded:
            scored = wq.AndNot(scored, Union(excluded))
            matching = wq.AndNot(matching, Union(excluded))
        return BuiltQuery(scored, matching, stems, tiered)
