"""A span of report lines as clean text: paragraphs rebuilt, bullets normalised, OCR repaired.

PDF text comes as wrapped lines, with blank lines in odd places (inside paragraphs, across
page breaks) or none at all. Paragraphs are rebuilt from the lines: a block that starts in
lower case after one that stopped mid-sentence continues it, and inside a block a short line
ending a sentence ends its paragraph. Bullet glyphs as OCR reads them ("e ", "* ", "o ", "•")
(and the DEL that pypdf reports for a bullet in a standard font) become "• " items on
lines of their own; a paragraph number at the start of a paragraph
("1.2.10 Action plans...") is dropped, as are lines holding only a number; and run-together
words, line-end hyphenation, ligatures and URLs are repaired (hub.indexing.words).
"""

from __future__ import annotations

import re

from hub.indexing.headings import heading_like
from hub.indexing.layout import Line
from hub.indexing.words import join_line, repair_words

BULLET_MARK = "\u2022 "
SHORT_LINE_SHARE = 0.75  # a line shorter than this share of its block's longest is a last line
SHORT_HEADING = 60

_BULLET = re.compile(r"^(?:[e*o\u2022\u00b7\u25cf\u25aa\u25a0\u25e6\u00ab\u00bb\u27a2\u27a4\u2713"
                     r"\uf0b7\uf0a7\uf0d8\x7f\-\u2013\u2014])\s+(?=\S)")
_PARAGRAPH_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3}){1,4}\.?\s+(?=\S)")
_ENDS_SENTENCE = re.compile(r"[.!?:\"\u201d\u2019)]$")
# OCR debris after a full stop ("service delivery.?"): a mark no sentence ends with.
_STRAY_MARK = re.compile(r"(?<=[a-z])\.[?\u00bf](?=\s|$)")
_OPEN_SENTENCE = re.compile(r"[^.!?:\"\u201d\u2019)]$")


def normalise_bullet(text: str) -> str:
    """A line with its bullet glyph ("e ", "* ", "o ", "•") made "• "; other lines as they are."""
    match = _BULLET.match(text)
    return BULLET_MARK + text[match.end():] if match else text


def strip_paragraph_number(text: str) -> str:
    """A paragraph without the dotted number it was printed with ("1.2.10 ")."""
    return _PARAGRAPH_NUMBER.sub("", text, count=1)


def to_text(lines: list[Line], known: frozenset[str] = frozenset(), split: bool = True) -> str:
    """Lines of a report (blank lines included) as paragraphs separated by blank lines."""
    paragraphs: list[list[str]] = []  # each paragraph: its items (a bullet item per line)
    for block in _blocks(lines):
        widest = max(len(text) for text in block)
        for position, raw in enumerate(block):
            _add_line(paragraphs, normalise_bullet(raw), position == 0, widest, known)
    texts = ["\n".join(strip_paragraph_number(item) for item in items) for items in paragraphs]
    text = repair_words("\n\n".join(t for t in texts if t.strip()), known, split)
    return _STRAY_MARK.sub(".", text)


def _blocks(lines: list[Line]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.number_only or line.chart:
            continue
        if line.text:
            blocks[-1].append(line.text)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _add_line(paragraphs: list[list[str]], text: str, block_start: bool, widest: int,
              known: frozenset[str]) -> None:
    bullet = text.startswith(BULLET_MARK)
    last = paragraphs[-1][-1] if paragraphs else ""
    if bullet and (last.startswith(BULLET_MARK) or last.endswith(":")):
        paragraphs[-1].append(text)  # the next item of a list, or a list after its lead-in
    elif not paragraphs or _starts_paragraph(last, text, block_start, widest):
        paragraphs.append([text])
    elif bullet:
        paragraphs[-1].append(text)
    else:
        paragraphs[-1][-1] = join_line(last, text, known)


def _starts_paragraph(last: str, text: str, block_start: bool, widest: int) -> bool:
    """True when `text` begins a new paragraph rather than continuing `last`."""
    if block_start:
        # A block continues the paragraph before only when that stopped mid-word-run and this
        # goes on in lower case or with a number (a page break, a footnote taken out, or a
        # stray blank line inside a paragraph).
        if text[:1].islower():
            return not _OPEN_SENTENCE.search(last)
        return not (text[:1].isdigit() and last[-1:].islower())  # "from" / "12 programmes"
    if text.startswith(BULLET_MARK):
        return False
    if _ENDS_SENTENCE.search(last) and len(last) < SHORT_LINE_SHARE * widest:
        return True
    # A heading directly above its text (unless the two lines are one wrapped heading).
    return (len(last) <= SHORT_HEADING and heading_like(last) and not text[:1].islower()
            and not heading_like(f"{last} {text}"))
