"""The query language for people, parsed with hard bounds and never an error.

Plain words (all of them ranked above some of them), "quoted phrases", -exclusions, OR between
words, a trailing wildcard (employ*), and filters: theme:, place:, type:, organisation:, year:
(year:2008 or year:2008..2010). Anything else is read as plain words, and each thing ignored
or shortened gets a message for the person. Bounds: MAX_LENGTH characters, MAX_TERMS terms,
no leading wildcards, no open ranges, prefixes of at least MIN_PREFIX letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from hub.search import ranking
from hub.search.analysis import STOP_WORDS
from hub.search.base import MAX_QUERY_LENGTH

MAX_LENGTH = MAX_QUERY_LENGTH  # hub.search.base; the work limit bounds what a query costs
MAX_TERMS = 64
MIN_PREFIX = 3
MAX_PHRASE_WORDS = 8
MAX_YEAR_SPAN = 50
FILTER_FIELDS = {"theme": "theme", "place": "place", "type": "type", "organisation": "organisation",
                 "organization": "organisation", "org": "organisation", "year": "year"}

_TOKEN = re.compile(
    r'(?P<neg>-)?(?P<field>[A-Za-z]+):(?:"(?P<fquoted>[^"]*)"|(?P<fvalue>[^\s"()\[\]{}]+))'
    r'|(?P<pneg>-)?"(?P<phrase>[^"]*)"'
    r"|(?P<or>\bOR\b|\|\|?)"
    r"|(?P<wneg>-)?(?P<word>[^\s\"()\[\]{}]+)"
    r"|(?P<other>\S)"
)
_WORD_CHARS = re.compile(r"[^\w'’&*?.-]+")
_YEAR_RANGE = re.compile(r"^(\d{4})(?:\.\.(\d{4}))?$")


@dataclass(frozen=True)
class Term:
    """A word, phrase or prefix to look for, with its weight (synonyms weigh less)."""

    text: str
    kind: str = "word"  # word, phrase, prefix, or stem (an index term already: feedback)
    weight: float = 1.0
    stands_for: int = 1  # an added term: how many words of what was typed it stands in for


@dataclass
class Group:
    """Alternatives of which a document should match at least one (OR, or synonyms)."""

    terms: list[Term]


@dataclass
class ParsedQuery:
    """What a person asked for: groups to match, terms to exclude, filters, and notes."""

    groups: list[Group] = field(default_factory=list)
    extras: list[Term] = field(default_factory=list)  # rank higher if matched; not required
    # The other terms of the themes the query names, and those themes' slugs: they raise the
    # rank of what matches anyway and admit nothing (Concepts).
    related: list[Term] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    typed: bool = False  # the person typed something (an empty query lists everything)

    @property
    def words(self) -> list[str]:
        """Every whole word the person asked for, in phrases too ("did you mean" corrects any
        of them); not synonyms the hub added, nor prefixes (employ*), nor exclusions."""
        # Synonyms weigh less than 1 and a word typed twice more, so "typed" is weight >= 1.
        return _whole_words(t for g in self.groups for t in g.terms if t.weight >= 1)

    @property
    def excluded_words(self) -> list[str]:
        """The whole words the person left out (-word, -"a phrase"), corrected on their own."""
        return _whole_words(self.excluded)


def _whole_words(terms: Iterable[Term]) -> list[str]:
    words = (w for t in terms if t.kind in ("word", "phrase") for w in t.text.split())
    return [w for w in words if _folded(w) not in STOP_WORDS]  # a phrase keeps its "of"s


def parse(text: str) -> ParsedQuery:
    """Parse a query string within the bounds; bad syntax becomes plain words, never an error."""
    query = ParsedQuery(typed=bool(text and text.strip()))
    text = _bounded(text or "", query)
    pending_or = False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if match.group("or"):
            pending_or = bool(query.groups)
        elif match.group("field") is not None:
            _add_filter(match, query)
            pending_or = False
        elif match.group("phrase") is not None:
            _add_phrase(match.group("phrase"), bool(match.group("pneg")), pending_or, query)
            pending_or = False
        elif match.group("word") is not None:
            pending_or = _add_word(match.group("word"), bool(match.group("wneg")), pending_or,
                                   query)
        elif kind == "other":
            _note(query, "Unbalanced quotes and brackets were ignored.")
    _enforce_term_limit(query)
    return query


def _bounded(text: str, query: ParsedQuery) -> str:
    if len(text) > MAX_LENGTH:
        _note(query, f"Only the first {MAX_LENGTH} characters of the query were used.")
        text = text[:MAX_LENGTH]
    if text.count('"') % 2:
        _note(query, "Unbalanced quotes and brackets were ignored.")
        text = text[::-1].replace('"', " ", 1)[::-1]  # the last quote has no partner
    return text


def _note(query: ParsedQuery, message: str) -> None:
    if message not in query.messages:
        query.messages.append(message)


def _add_term(term: Term, negated: bool, join_or: bool, query: ParsedQuery) -> None:
    if negated:
        query.excluded.append(term)
    elif join_or and query.groups:
        query.groups[-1].terms.append(term)
    else:
        query.groups.append(Group([term]))


def _add_word(raw: str, negated: bool, join_or: bool, query: ParsedQuery) -> bool:
    if raw in ("AND", "&&"):
        return join_or
    if raw == "NOT":
        _note(query, "Use -word to leave a word out.")
        return False
    term = _word_term(raw, query)
    # Stop words and single letters would be dropped by the analyzer anyway: they do not
    # count as terms. A word typed again weighs more instead of adding a term (dropping
    # repeats cost CISI nDCG@10 0.385 -> 0.365; a term per repeat made "x x x ..." slow).
    if term is None or _folded(term.text) in STOP_WORDS or len(_folded(term.text)) < 2:
        return False
    if not negated and _repeat(term, join_or, query):
        return False
    _add_term(term, negated, join_or, query)
    return False


def _repeat(term: Term, join_or: bool, query: ParsedQuery) -> bool:
    """Count a word typed again as weight on its first occurrence; True if it was one."""
    groups = query.groups[-1:] if join_or else [g for g in query.groups if len(g.terms) == 1]
    for group in groups:
        for number, known in enumerate(group.terms):
            if (known.text, known.kind) == (term.text, term.kind):
                group.terms[number] = replace(known, weight=known.weight + (not join_or))
                return True
    return False


def _word_term(raw: str, query: ParsedQuery) -> Term | None:
    word = _WORD_CHARS.sub("", raw).strip(".'’-&")
    if not word.strip("*?"):
        if "*" in raw or "?" in raw:
            _note(query, "Wildcards are allowed only at the end of a word of "
                         f"{MIN_PREFIX} letters or more (employ*).")
        return None
    stripped = word.replace("*", "").replace("?", "")
    trailing_only = word.endswith("*") and "*" not in word[:-1] and "?" not in word
    if trailing_only and len(stripped) >= MIN_PREFIX:
        return Term(stripped, "prefix")
    if "*" in word or "?" in word:
        _note(query, "Wildcards are allowed only at the end of a word of "
                     f"{MIN_PREFIX} letters or more (employ*).")
    return Term(stripped) if stripped.strip(".'’-&") else None


def _add_phrase(text: str, negated: bool, join_or: bool, query: ParsedQuery) -> None:
    words = [w for w in (_WORD_CHARS.sub("", w.replace("*", "").replace("?", ""))
                         for w in text.split()) if w]
    if len(words) > MAX_PHRASE_WORDS:
        _note(query, f"Phrases were cut to {MAX_PHRASE_WORDS} words.")
        words = words[:MAX_PHRASE_WORDS]
    if words:
        kind = "phrase" if len(words) > 1 else "word"
        _add_term(Term(" ".join(words), kind), negated, join_or, query)


def _add_filter(match: re.Match, query: ParsedQuery) -> None:
    name = FILTER_FIELDS.get(match.group("field").lower())
    value = (match.group("fquoted") or match.group("fvalue") or "").strip()
    if name is None:  # "ratio:1" and the like: plain words
        for word in re.split(r"[:\s]+", match.group(0).lstrip("-")):
            _add_word(word, bool(match.group("neg")), False, query)
        return
    if match.group("neg"):
        _note(query, f"Filters cannot be negated; -{name}: was ignored.")
        return
    values = _year_values(value, query) if name == "year" else [value] if value else []
    query.filters.setdefault(name, []).extend(v for v in values
                                              if v not in query.filters[name])
    if not query.filters[name]:
        del query.filters[name]


def _year_values(value: str, query: ParsedQuery) -> list[str]:
    match = _YEAR_RANGE.match(value)
    if not match:
        _note(query, "Years are written year:2008 or year:2008..2010 (no open ranges).")
        return []
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    first, last = min(first, last), max(first, last)
    if last - first > MAX_YEAR_SPAN:
        _note(query, f"A year range may span at most {MAX_YEAR_SPAN} years.")
        return []
    return [str(year) for year in range(first, last + 1)]


def _enforce_term_limit(query: ParsedQuery) -> None:
    if _term_count(query) <= MAX_TERMS:
        return
    room, kept = MAX_TERMS, []
    for group in query.groups:
        if room <= 0:
            break
        group.terms = group.terms[:room]
        room -= len(group.terms)
        kept.append(group)
    query.groups = kept
    query.excluded = query.excluded[:room]
    _note(query, f"Only the first {MAX_TERMS} terms of the query were used.")


def _term_count(query: ParsedQuery) -> int:
    return sum(len(g.terms) for g in query.groups) + len(query.excluded)


# --- synonyms and acronyms -----------------------------------------------------------------


def _folded(text: str) -> str:
    words = re.sub(r"[^\w&]+", " ", text.lower().replace("’", "'")).split()
    return " ".join(w for w in words if w not in STOP_WORDS) or " ".join(words)


def _is_acronym(term: str) -> bool:
    return " " not in term and any(c.isupper() for c in term[1:])


class Synonyms:
    """Groups of equivalent words and phrases; acronyms (NEET, VfM) match only as written."""

    def __init__(self, groups: Iterable[Iterable[str]]):
        self.groups = [tuple(g) for g in groups]
        self._by_phrase: dict[str, int] = {}
        self._by_acronym: dict[str, int] = {}
        for number, group in enumerate(self.groups):
            for term in group:
                if _is_acronym(term):
                    self._by_acronym.setdefault(term.upper(), number)
                    self._by_acronym.setdefault(term, number)
                else:
                    self._by_phrase.setdefault(_folded(term), number)
        self.longest = max((len(p.split()) for p in self._by_phrase), default=1)

    def group_of(self, words: list[str]) -> int | None:
        """The synonym group a word or run of words belongs to, if any."""
        if len(words) == 1 and words[0] in self._by_acronym:
            return self._by_acronym[words[0]]
        return self._by_phrase.get(_folded(" ".join(words)))

    def widen(self, query: ParsedQuery) -> ParsedQuery:
        """The query with each synonym's equivalents added at a lower weight.

        A one-word synonym joins its word's group (either satisfies "all the words"); a
        phrase typed as words keeps its words and adds the exact phrase and its equivalents
        as extras, which raise the rank of what they match and admit nothing by themselves
        but the equivalents.
        """
        groups: list[Group] = []
        extras = list(query.extras)
        position = 0
        while position < len(query.groups):
            span, number = self._match_at(query.groups, position)
            run = query.groups[position:position + span]
            position += span
            if number is None:
                groups.extend(run)
                continue
            typed = " ".join(g.terms[0].text for g in run)
            if span == 1:
                groups.append(Group([run[0].terms[0], *self._others(number, typed)]))
            else:
                groups.extend(run)
                extras.extend([Term(typed, "phrase"), *self._others(number, typed)])
        return replace(query, groups=groups, extras=extras)

    def _match_at(self, groups: list[Group], start: int) -> tuple[int, int | None]:
        for span in range(min(self.longest, len(groups) - start), 0, -1):
            run = groups[start:start + span]
            if span > 1 and not all(_plain(g) for g in run):
                continue
            if span == 1 and not (len(run[0].terms) == 1 and run[0].terms[0].kind != "prefix"):
                continue
            number = self.group_of([g.terms[0].text for g in run])
            if number is not None:
                return span, number
        return 1, None

    def _others(self, number: int, typed: str) -> list[Term]:
        seen = {_folded(typed)}
        typed_words = len(_folded(typed).split())
        others = []
        for term in self.groups[number]:
            if _folded(term) not in seen:
                seen.add(_folded(term))
                others.append(Term(term, "phrase" if " " in term else "word",
                                   ranking.SYNONYM_WEIGHT, typed_words))
        return others


def _plain(group: Group) -> bool:
    return len(group.terms) == 1 and group.terms[0].kind == "word"


class Concepts:
    """The themes of the controlled vocabulary, each with the words and phrases that signal
    it: a query whose words name a theme (its name or one of its terms) is given the theme's
    other one-word terms and acronyms, to lift what it matches (ranking.CONCEPT_WEIGHT in
    all), and the theme's slug (what the source or an editor declared lifts too)."""

    def __init__(self, themes: Mapping[str, Iterable[str]] | None = None):
        self.slugs = list(themes or {})
        self.terms = [tuple(terms) for terms in (themes or {}).values()]
        self._by_phrase: dict[str, list[int]] = {}
        for number, terms in enumerate(self.terms):
            for term in terms:
                self._by_phrase.setdefault(_folded(term), []).append(number)
        self.longest = max((len(p.split()) for p in self._by_phrase), default=1)

    def named(self, query: ParsedQuery) -> dict[str, list[int]]:
        """Each run of the query's words that names themes (the longest from each word on),
        folded, with the themes it names."""
        words = [g.terms[0].text if g.terms[0].kind == "word" else None for g in query.groups]
        found: dict[str, list[int]] = {}
        for start in range(len(words)):
            for span in range(min(self.longest, len(words) - start), 0, -1):
                run = None if None in words[start:start + span] else \
                    _folded(" ".join(words[start:start + span]))
                if run in self._by_phrase:
                    found[run] = self._by_phrase[run]
                    break
        return found

    def widen(self, query: ParsedQuery) -> ParsedQuery:
        """The query with the other one-word terms and the slug of every theme it names."""
        runs = self.named(query)
        named = list(dict.fromkeys(n for themes in runs.values() for n in themes))
        if not named:
            return query
        seen = {_folded(t.text) for g in query.groups for t in g.terms} | set(runs)
        seen.update(_folded(t.text) for t in query.extras)
        related: list[Term] = []
        for number in named:
            # Its one-word terms only: a phrase costs a walk of word positions in every
            # document holding its words (60-90 ms a query at 10,000 documents, measured).
            words = [t for t in dict.fromkeys(self.terms[number])
                     if len(_folded(t).split()) == 1 and _folded(t) not in seen]
            seen.update(_folded(t) for t in words)
            related.extend(Term(t, "word", ranking.CONCEPT_WEIGHT / len(words)) for t in words)
        return replace(query, related=[*query.related, *related][:MAX_TERMS],
                       subjects=[*query.subjects, *(self.slugs[n] for n in named)])
