"""Normalising text: whitespace, folding for comparison, slugs, and shortening for display."""

from __future__ import annotations

import re
import unicodedata

_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
        "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u2022": "*",
    }
)
_NON_WORD = re.compile(r"[^\w£$%]+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
ELLIPSIS = "…"  # straight after the last word kept: no space before punctuation
LAST_BREAK = 0.5  # a sentence or clause ending before half the limit would waste the rest
_SPACE_BEFORE = re.compile(r"\s+(?=[,.;:!?)\]}…](?:\s|$))")
_SPACE_AFTER = re.compile(r"([(\[{])\s+")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?(?=\s)")
_CLAUSE_END = re.compile(r"[,;:](?=\s)|\s[–—-](?=\s)")


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces, trim lines, and keep at most one blank line between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def fold(text: str) -> str:
    """Lower-case text with punctuation and spacing folded away, for comparing documents."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_MAP).lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def title_key(title: str) -> str:
    """A title folded for matching near-duplicates."""
    return fold(title)[:500]


def slugify(text: str, max_length: int = 80) -> str:
    """A lower-case, hyphenated ASCII slug."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def tidy_spacing(text: str) -> str:
    """Text on one line with no space before closing punctuation or after an opening bracket
    ("skills , bringing" and "( TWR )" are left over from converted pages and PDFs)."""
    text = _SPACE_BEFORE.sub("", " ".join(text.split()))
    return _SPACE_AFTER.sub(r"\1", text)


def shorten(text: str, limit: int) -> str:
    """Text on one line, cut within `limit` characters at the last sentence end, else clause
    break, else word break in reach (LAST_BREAK), with an ellipsis where it was cut."""
    text = tidy_spacing(text)
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS) + 1]
    for boundary in (_SENTENCE_END, _CLAUSE_END):  # one character more: the space after it
        ends = [m.end() for m in boundary.finditer(text[: len(head) + 1])
                if limit * LAST_BREAK <= m.end() <= len(head)]
        if ends:
            cut = head[: ends[-1]].rstrip()
            return cut if boundary is _SENTENCE_END else cut.rstrip(",;:–—- ") + ELLIPSIS
    return head.rsplit(" ", 1)[0].rstrip(",;:–—- ") + ELLIPSIS
