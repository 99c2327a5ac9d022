"""Snippets: the best passage of a hit's text with the matched words marked.

Highlighting re-tokenises the text, so only the shown page is highlighted, and only the
passages that contain something like a query term (a cheap regular-expression scan of the
raw text) are analysed at all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight

from hub.text.normalise import shorten

SNIPPET_CHARACTERS = 240
MAX_CANDIDATES = 3
WINDOW = 320  # characters either side of a passage's first match that are analysed
_PARAGRAPHS = re.compile(r"\n\s*\n|(?<=[.!?])\s+(?=[A-Z])")



class MarkFormatter(HtmlFormatter):
    """Escaped text with <mark> around matched words and nothing else (no classes)."""

    template = "<mark>%(t)s</mark>"


_fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARACTERS, surround=90)


def _candidate_passages(text: str, stems: Iterable[str]) -> list[str]:
    pattern = re.compile("|".join(re.escape(s[:5]) for s in stems if s), re.IGNORECASE)
    found = []
    for passage in _PARAGRAPHS.split(text):
        match = pattern.search(passage)
        if match:
            start = max(0, match.start() - WINDOW)
            found.append(passage[start:match.end() + WINDOW])
            if len(found) == MAX_CANDIDATES:
                break
    return found


def make_snippet(text: str, terms: set[str], analyzer) -> str:
    """An HTML snippet (escaped, matches in <mark>) of the passage that best fits the terms."""
    if not text:
        return ""
    if terms:
        passages = _candidate_passages(text, terms)
        if passages:
            marked = highlight("\n\n".join(passages), frozenset(terms), analyzer, _fragmenter,
                               MarkFormatter(between=" … "), top=1)
            if marked:
                return marked.strip()
    return html.escape(_lead(text))


def _lead(text: str) -> str:
    return shorten(text, SNIPPET_CHARACTERS)
