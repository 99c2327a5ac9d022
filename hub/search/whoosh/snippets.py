"""Snippets: whole sentences of a hit's text that hold the query's words, matches marked.

A snippet starts at a sentence and ends at one; a sentence too long to show whole is cut at
its clauses (else its words) around the first match, with an ellipsis where it was cut. No
sentence is shown twice on one page (sections of a report often repeat a paragraph), and a
case study matched in its title shows its summary, which says what it is about better than a
passage of its text.

Only sentences that contain something like a query term (a cheap regular-expression scan of
the raw text) are analysed, and only the shown page gets snippets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from hub.text.normalise import ELLIPSIS, fold, shorten, tidy_spacing

SNIPPET_CHARACTERS = 240
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?$")
MAX_CANDIDATES = 12  # matching sentences analysed per hit; the first ones are usually best
_PARAGRAPHS = re.compile(r"\n\s*\n|\n\s*[•▪◦*-]\s+|\s+[•▪◦]\s+")
_SENTENCES = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(£A-Z0-9])")
_CLAUSES = re.compile(r"(?<=[,;:])\s+|\s[–—-]\s+")
_BULLET = re.compile(r"^[•▪◦*-]\s+")
_NUMBER = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z])[.)]$")
SAME_WORDS = 0.8  # share of their words two sentences hold in common to count as one
CONTEXT_BEFORE = 60  # characters kept before a match cut out of the middle of a long clause


def sentences(text: str) -> list[str]:
    """The text's sentences, each on one line with tidy spacing (paragraphs and bullets end
    one too; a list number stays with its line)."""
    found: list[str] = []
    for paragraph in _PARAGRAPHS.split(text):
        marker = ""
        for part in _SENTENCES.split(paragraph):
            part = _BULLET.sub("", tidy_spacing(part))
            if _NUMBER.match(part):  # "7." before "Test and measure" is no sentence
                marker += part + " "
            elif part:
                found.append(marker + part)
                marker = ""
    return found


class Seen:
    """The sentences already on a page. One with nearly the same words counts as seen:
    sections of a report repeat a paragraph with a word changed ("CSP" and "CSPs")."""

    def __init__(self) -> None:
        self.shown: list[set[str]] = []

    def __contains__(self, sentence: str) -> bool:
        words = set(fold(sentence).split())
        return any(len(words & other) >= SAME_WORDS * len(words | other) for other in self.shown)

    def add(self, sentence: str) -> None:
        """Count the sentence as shown."""
        self.shown.append(set(fold(sentence).split()))


def snippet_for(shown: Mapping, text: str, terms: set[str], analyzer, seen: Seen) -> str:
    """The snippet of one hit: a case study matched in its title (or listed without words)
    gives its summary, anything else the sentences of its text that best fit the terms.

    `shown` holds the hit's display fields; `seen` the sentences already on the page, which
    this adds to.
    """
    summary = shown.get("summary") or ""
    if shown.get("type") == "case_study" and summary and (
            not terms or _matches(shown.get("title") or "", terms, analyzer)):
        text = summary
    return make_snippet(text or summary, terms, analyzer, seen)


def make_snippet(text: str, terms: set[str], analyzer, seen: Seen | None = None) -> str:
    """An HTML snippet (escaped, matches in <mark>) of the sentences that best fit the terms,
    none of them already in `seen` (which it adds to)."""
    seen = Seen() if seen is None else seen
    found = sentences(text) if text else []
    start = _best(found, terms, analyzer, seen) if terms else None
    if start is None:  # no sentence matches: the first one not yet shown
        start = next((n for n, sentence in enumerate(found) if sentence not in seen), None)
    if start is None:
        return ""
    end = start + 1
    while end < len(found) and _follows(found[start:end], found[end], seen):
        end += 1
    for sentence in found[start:end]:
        seen.add(sentence)
    plain = " ".join(found[start:end])
    if len(plain) > SNIPPET_CHARACTERS:
        plain = _cut(plain, terms, analyzer)
    return _marked(plain, terms, analyzer)


def _follows(chosen: list[str], following: str, seen: Seen) -> bool:
    """Whether the next sentence joins the snippet: it fits, is new, and is a sentence (not a
    heading or a list's opening words, which would dangle)."""
    return (len(" ".join([*chosen, following])) <= SNIPPET_CHARACTERS
            and bool(_SENTENCE_END.search(following)) and following not in seen)


def _best(candidates: list[str], terms: set[str], analyzer, seen: Seen) -> int | None:
    """The number of the new sentence with the most distinct terms (the first of equals)."""
    rough = re.compile("|".join(re.escape(t[:5]) for t in terms if t), re.IGNORECASE)
    best, best_count, looked = None, 0, 0
    for number, sentence in enumerate(candidates):
        if not rough.search(sentence) or sentence in seen:
            continue
        count = len(terms & {t for t, _, _ in _tokens(sentence, analyzer)})
        if count > best_count:
            best, best_count = number, count
        looked += 1
        if best_count == len(terms) or looked == MAX_CANDIDATES:
            break
    return best


def _cut(sentence: str, terms: set[str], analyzer) -> str:
    """A long sentence from the clause of its first match (or earlier ones, while the rest
    fits), cut at a clause or word within the limit, with ellipses where it was cut."""
    first = next((start for text, start, _ in _tokens(sentence, analyzer) if text in terms), 0)
    starts = [0] + [m.end() for m in _CLAUSES.finditer(sentence)]
    start = max(s for s in starts if s <= first)
    while start and len(sentence) - max(s for s in starts if s < start) <= SNIPPET_CHARACTERS:
        start = max(s for s in starts if s < start)
    if first - start > SNIPPET_CHARACTERS // 2:  # deep in one long clause: a few words before
        start = sentence.rfind(" ", start, first - CONTEXT_BEFORE) + 1 or start
    lead = ELLIPSIS if start else ""
    return lead + shorten(sentence[start:], SNIPPET_CHARACTERS - len(lead))


def _marked(text: str, terms: set[str], analyzer) -> str:
    """The text escaped, with <mark> around each word whose term is one of the terms."""
    out, done = [], 0
    for term, start, end in _tokens(text, analyzer):
        if term in terms:
            out += [html.escape(text[done:start]), "<mark>", html.escape(text[start:end]),
                    "</mark>"]
            done = end
    return "".join(out) + html.escape(text[done:])


def _matches(text: str, terms: set[str], analyzer) -> bool:
    return any(term in terms for term, _, _ in _tokens(text, analyzer))


def _tokens(text: str, analyzer) -> Iterable[tuple[str, int, int]]:
    # Whoosh reuses one Token object, so each is read as it comes.
    for token in analyzer(text, chars=True):
        yield token.text, token.startchar, token.endchar
