"""Turn a ParsedQuery into a Whoosh query: BM25F over weighted fields, all words first.

Each typed word (with its synonyms) is a group. A document matching every group gets a
constant bonus far above any BM25 score, so items with all the words rank above items with
some, while BM25F orders each tier. Extras (an exact phrase typed as words, its synonyms)
raise the rank of what they match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from hub.search.query import Group, ParsedQuery, Term
from hub.search.whoosh_schema import TEXT_FIELDS

TIER_BONUS = 1000.0
MAX_PREFIX_TERMS = 64
MAX_PREFIX_SCAN = 2000


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
        self.weights = dict(weights or TEXT_FIELDS)
        self.stems: set[str] = set()

    def tokens(self, text: str) -> list[str]:
        """The index terms a piece of text becomes (stop words dropped, stemmed)."""
        return [token.text for token in self.analyzer(text)]

    def term(self, term: Term) -> wq.Query | None:
        """One word, phrase or prefix over every ranked field, or None if nothing is left."""
        if term.kind == "prefix":
            return self._prefix(term)
        words = self.tokens(term.text)
        if not words:
            return None
        self.stems.update(words)
        per_field = [
            wq.Term(name, words[0], boost=weight * term.weight) if len(words) == 1
            else wq.Phrase(name, words, slop=1, boost=weight * term.weight)
            for name, weight in self.weights.items()
        ]
        return wq.Or(per_field)

    def _prefix(self, term: Term) -> wq.Query | None:
        prefix = term.text.lower()
        found = []
        for number, text in enumerate(self.reader.expand_prefix("body", prefix)):
            if number == MAX_PREFIX_SCAN:
                break
            found.append(text.decode("utf-8") if isinstance(text, bytes) else text)
        found.sort(key=lambda t: -self.reader.doc_frequency("body", t))
        words = found[:MAX_PREFIX_TERMS] or self.tokens(prefix)
        self.stems.update(words)
        return wq.Or([wq.Term(name, w, boost=weight * term.weight)
                      for name, weight in self.weights.items() for w in words]) if words else None

    def group(self, group: Group) -> wq.Query | None:
        """Any of a group's alternatives."""
        parts = [q for q in map(self.term, group.terms) if q is not None]
        return parts[0] if len(parts) == 1 else wq.Or(parts) if parts else None

    def build(self, parsed: ParsedQuery) -> BuiltQuery:
        """The scored and matching queries for a parsed query (None when nothing is left)."""
        self.stems = set()
        groups = [q for q in map(self.group, parsed.groups) if q is not None]
        extras = [q for q in map(self.term, parsed.extras) if q is not None]
        stems = set(self.stems)
        excluded = [q for q in map(self.term, parsed.excluded) if q is not None]
        if not groups:
            return BuiltQuery(None, None, stems)
        matching = wq.Or(groups + extras) if len(groups + extras) > 1 else groups[0]
        scored, tiered = matching, len(groups) > 1
        if tiered:
            scored = wq.Or([wq.ConstantScoreQuery(wq.And(groups), TIER_BONUS), matching])
        if excluded:
            scored = wq.AndNot(scored, wq.Or(excluded))
            matching = wq.AndNot(matching, wq.Or(excluded))
        return BuiltQuery(scored, matching, stems, tiered)
