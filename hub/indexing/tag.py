"""Tag documents with themes, places and organisations from the controlled vocabulary.

Matching works on word n-grams looked up in dictionaries (not one huge regular expression),
so its cost grows with the text, not with the size of the gazetteer.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from hub.indexing.document import ParsedDocument, TagMatch
from hub.vocabulary.taxonomy import Taxonomy

_TOKEN = re.compile(r"[A-Za-z0-9£&]+(?:['\u2019][A-Za-z]+)?")

# Phrases that hold a place's name without being about that place: a legal jurisdiction
# ("every council in England and Wales" is about neither), or a name of something else.
NOT_PLACES = (
    "England and Wales", "England & Wales", "England, Wales", "Great Britain",
    "Prince of Wales", "Princess of Wales", "New South Wales", "Scotland Yard",
    "Royal Bank of Scotland", "Bank of England", "Church of England", "Church of Scotland",
    "New England",
)

# The evidence of a tag the source named (front matter) rather than one found in the text.
GIVEN_EVIDENCE = "given by the source"

# A theme needs about one mention per this many words (and at least two, or one in the title).
WORDS_PER_THEME_MENTION = 600
TITLE_WEIGHT = 3


def tokens(text: str) -> list[str]:
    """Words as written, possessives dropped ("Bristol's" -> "Bristol")."""
    words = (m.group().replace("\u2019", "'") for m in _TOKEN.finditer(text))
    return [w[:-2] if w.endswith(("'s", "'S")) else w for w in words]


def fold_token(token: str) -> str:
    """Lower-case a word and fold a regular plural ("services" -> "service")."""
    word = token.lower()
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


@dataclass
class Text:
    """A text split into words once, as written and folded, for every book to scan."""

    def __init__(self, text: str):
        self.words = tokens(text)
        self.folded = [fold_token(w) for w in self.words]


@dataclass
class _Phrasebook:
    """Phrases of one kind: case-sensitive ones (names, acronyms) and folded ones (terms)."""

    # A phrase may signal several entries ("NEET" is about young people and about work).
    exact: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    folded: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    # The longest phrase starting with each first word: most words start none, and are passed
    # over with one look-up each.
    exact_starts: dict[str, int] = field(default_factory=dict)
    folded_starts: dict[str, int] = field(default_factory=dict)
    longest: int = 1

    def add(self, phrase: str, slug: str, case_sensitive: bool) -> None:
        words = tokens(phrase)
        if not words:
            return
        if case_sensitive:
            keys = [tuple(words)]
            if not words[-1].endswith("s"):
                keys.append((*words[:-1], words[-1] + "s"))  # "NEETs"
            table, starts = self.exact, self.exact_starts
        else:
            keys = [tuple(fold_token(w) for w in words)]
            table, starts = self.folded, self.folded_starts
        for key in keys:
            slugs = table.setdefault(key, [])
            if slug not in slugs:
                slugs.append(slug)
            starts[key[0]] = max(starts.get(key[0], 0), len(key))
        self.longest = max(self.longest, len(words))

    def scan(self, text: Text, blocked: set[int] = frozenset()) -> list[tuple[str, str]]:
        """(slug, matched words) for each longest match, left to right, avoiding blocked words."""
        return [(slug, matched) for slug, matched, _ in self._matches(text, blocked)]

    def covered(self, text: Text) -> set[int]:
        """The positions of the words that some phrase of this book matches."""
        return {i for _, _, span in self._matches(text, frozenset()) for i in span}

    def _matches(self, text: Text, blocked: set[int]):
        words, folded = text.words, text.folded
        found, i, total = [], 0, len(words)
        while i < total:
            reach = max(self.exact_starts.get(words[i], 0), self.folded_starts.get(folded[i], 0))
            for n in range(min(reach, total - i), 0, -1):
                if blocked and not blocked.isdisjoint(range(i, i + n)):
                    continue
                slugs = self.exact.get(tuple(words[i : i + n])) or self.folded.get(
                    tuple(folded[i : i + n])
                )
                if slugs:
                    matched = " ".join(words[i : i + n])
                    found.extend((slug, matched, range(i, i + n)) for slug in slugs)
                    i += n
                    break
            else:
                i += 1
        return found


class Tagger:
    """Finds vocabulary terms in documents; build once per taxonomy and reuse."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.books = {"theme": _Phrasebook(), "place": _Phrasebook(), "organisation": _Phrasebook()}
        for theme in taxonomy.themes.values():
            for term in (theme.name, *theme.terms):
                self.books["theme"].add(term, theme.slug, case_sensitive=False)
            for acronym in theme.acronyms:
                self.books["theme"].add(acronym, theme.slug, case_sensitive=True)
        for place in taxonomy.places.values():
            names = place.aliases if place.ambiguous else (place.name, *place.aliases)
            for name in names:
                self.books["place"].add(name, place.slug, case_sensitive=True)
        self.not_places = _Phrasebook()
        for phrase in NOT_PLACES:
            self.not_places.add(phrase, "-", case_sensitive=False)
        for org in taxonomy.organisations.values():
            for name in (org.name, *org.aliases):
                self.books["organisation"].add(name, org.slug, case_sensitive=False)
            for acronym in org.acronyms:
                self.books["organisation"].add(acronym, org.slug, case_sensitive=True)

    def find(self, kind: str, title: str | Text, text: str | Text) -> list[TagMatch]:
        """The tags of one kind a title and text carry, with the words that matched."""
        title = title if isinstance(title, Text) else Text(title)
        body = text if isinstance(text, Text) else Text(text)
        title_hits = self.books[kind].scan(title, self._blocked(kind, title))
        body_hits = self.books[kind].scan(body, self._blocked(kind, body))
        weights: Counter[str] = Counter()
        evidence: dict[str, set[str]] = defaultdict(set)
        for hits, weight in ((title_hits, TITLE_WEIGHT), (body_hits, 1)):
            for slug, words in hits:
                weights[slug] += weight
                evidence[slug].add(words)
        needed = self._threshold(kind, len(body.words))
        return [
            TagMatch(kind, slug, sorted(evidence[slug], key=lambda w: (w.lower(), w)))
            for slug, weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
            if weight >= needed
        ]

    def _blocked(self, kind: str, text: Text) -> set[int]:
        # A place inside an organisation's name ("Oxford Consultants for Social Inclusion")
        # or a phrase such as "England and Wales" is not a place the text is about.
        if kind != "place":
            return frozenset()
        return self.books["organisation"].covered(text) | self.not_places.covered(text)

    @staticmethod
    def _threshold(kind: str, word_count: int) -> int:
        # Places and organisations are named, so one mention counts; themes are talked
        # about, so they need a share of the text.
        if kind != "theme":
            return 1
        return max(2, round(word_count / WORDS_PER_THEME_MENTION))

    def with_regions(self, places: list[TagMatch]) -> list[TagMatch]:
        """The places plus the counties and regions they sit in, marked as inferred."""
        result = list(places)
        have = {p.value for p in places}
        for place in places:
            for ancestor in self.taxonomy.ancestors(place.value):
                if ancestor.slug not in have:
                    have.add(ancestor.slug)
                    name = self.taxonomy.name_of("place", place.value)
                    result.append(TagMatch("place", ancestor.slug, [f"via {name}"], inferred=True))
        return result

    def tag(self, doc: ParsedDocument) -> None:
        """Fill doc.tags: given tags where the source named them, found ones otherwise."""
        doc.tags = []
        title, body = Text(doc.title), Text(doc.text)  # split once for every kind
        for kind, given in (
            ("theme", doc.given_themes),
            ("place", doc.given_places),
            ("organisation", doc.given_organisations),
        ):
            if given is not None:
                matches = [TagMatch(kind, slug, [GIVEN_EVIDENCE]) for slug in given]
            else:
                matches = self.find(kind, title, body)
            if kind == "place":
                matches = self.with_regions(matches)
            doc.tags.extend(matches)
