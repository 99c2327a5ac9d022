"""Small text helpers shared by the parsers: normalising, hashing, sentences, slugs."""

from __future__ import annotations

import hashlib
import html
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


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces, trim lines, and keep at most one blank line between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def fold(text: str) -> str:
    """Lower-case text with punctuation and spacing folded away, for comparing documents."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_MAP).lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def digest(*parts: str) -> str:
    """A stable SHA-256 hex digest of some strings."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def fingerprint(title: str, text: str) -> str:
    """The identity of a text without a permalink: its folded title and body, hashed."""
    return digest(fold(title), fold(text))


def title_key(title: str) -> str:
    """A title folded for matching near-duplicates."""
    return fold(title)[:500]


def slugify(text: str, max_length: int = 80) -> str:
    """A lower-case, hyphenated ASCII slug."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def shingles(text: str, size: int = 5) -> set[int]:
    """Hashed word shingles of a folded text, for near-duplicate tests."""
    words = fold(text).split()
    if len(words) < size:
        return {hash(" ".join(words))}
    return {hash(" ".join(words[i : i + size])) for i in range(len(words) - size + 1)}


def resemblance(a: str, b: str) -> float:
    """Jaccard resemblance of two texts' shingle sets (1.0 means the same words in order)."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


# A sentence ends at . ! or ? followed by space and a capital, quote or digit; abbreviations
# common in this field ("eg.", "Dr.", "No.") and decimals ("£1.5m") do not end one.
_ABBREVIATIONS = ("e.g", "i.e", "eg", "ie", "etc", "dr", "mr", "mrs", "ms", "no", "st", "cllr", "vs")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u2018\u201c(]?[A-Z0-9£])")


def sentences(text: str) -> list[str]:
    """Split text into sentences, keeping paragraphs and bullet lines apart."""
    result: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*[*\u2022-]\s)", text):
        block = " ".join(block.split())
        if not block:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(block):
            before = block[start : match.start()].rstrip(".!?\"')\u201d\u2019").split()
            if before and before[-1].lower() in _ABBREVIATIONS:
                continue
            result.append(block[start : match.start() + 1].strip())
            start = match.end()
        if block[start:].strip():
            result.append(block[start:].strip())
    return result


_BULLET = re.compile(r"^\s*(?:[\u2022*\u25cf\u25aa\u2023\u2043-]|\d+[.)])\s+")


def text_to_html(text: str) -> str:
    """Plain text as simple HTML: paragraphs, and bullet lines gathered into lists."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if _BULLET.match(line):
                if paragraph:
                    out.append(f"<p>{html.escape(' '.join(paragraph))}</p>")
                    paragraph = []
                items.append(html.escape(_BULLET.sub("", line)))
            elif items and not paragraph and line[:1].islower():
                items[-1] += " " + html.escape(line)  # a bullet that wrapped onto a new line
            else:
                if items:
                    out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
                    items = []
                paragraph.append(line)
        if paragraph:
            out.append(f"<p>{html.escape(' '.join(paragraph))}</p>")
        if items:
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
    return "\n".join(out)
