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
ELLIPSIS = " …"


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


def shorten(text: str, limit: int) -> str:
    """Text on one line, cut at the last word break within `limit` characters, with an
    ellipsis where it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + ELLIPSIS
