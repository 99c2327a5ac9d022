"""Section headings in a report's lines: numbered headings, and numbers standing in the margin.

A heading is a short, title-like line that stands on its own (a blank line or another heading
before it, nothing but a wrapped second line after it). Its number must follow the one
before it in sequence ("2.1" after "1.4", "2.1.1" after "2.1"), which rejects list items,
footnotes and figures that only look numbered. OCR often drops a number's dots ("54" for
"5.4"): every reading with the dots put back is tried against the sequence. When the numbers
were printed in a margin column they arrive as lines of their own ("1.1", "1.2", "1.2.1") ahead
of the text; the next unnumbered heading then takes the first pending number that fits.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from hub.indexing.layout import Line

MAX_DEPTH = 3  # chapter, section, subsection; deeper numbers are numbered paragraphs
MAX_HEADING_LENGTH = 100
MAX_HEADING_WORDS = 14
TITLE_CASE_SHARE = 0.6  # share of significant words that must be capitalised
MAX_SECTION_STEP = 5  # a section number may skip a few (a heading OCR lost)
MAX_CHAPTER_STEP = 2
SHORT_SHARE = 0.8
MAX_SECTION_CHARS = 8000  # longer than this with no sections of its own: split at sub-headings
MAX_MINOR_WORDS = 8
MIN_PROSE_AFTER = 60  # characters of the line after a minor heading: prose, not a list  # a heading set directly above its text is shorter than the text's lines

MINOR_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "nor", "by",
    "with", "from", "as", "into", "onto", "via", "vs", "per", "its", "our", "their", "is",
    "are", "be"
})
_NUMBERED = re.compile(r"^(?P<number>\d{1,4}(?:\.\d{1,3}){0,3})\.?\s+(?P<title>\S.*)$")
_CAPTION = re.compile(r"^(figure|fig\.|table|chart|graph|source|note|notes|box|exhibit|map)\b",
                      re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_ENDS_SENTENCE = re.compile(r"[.!?:\"\u201d\u2019]$")
CONNECTOR_END = re.compile(r"\b(and|of|the|to|for|in|on|with|a|an|or|from|by|at|as|into|"
                            r"behind|through|between|about)$", re.IGNORECASE)
_OPENING = re.compile(r"^[\"'\u2018\u201c(]*[A-Z0-9]")

Number = tuple[int, ...]


@dataclass
class Heading:
    """A heading found in the lines: where it starts and ends, its number, title and depth."""

    start: int  # index of its first line
    end: int  # index after its last line
    title: str
    depth: int
    number: str | None = None  # as it should have been printed ("5.4")
    page: int | None = None  # printed page from a table of contents, when lines carry none


def heading_like(text: str) -> bool:
    """True for text that reads as a title: short, capitalised, not a sentence or caption."""
    text = text.strip()
    words = _WORD.findall(text)
    if not words or len(text) > MAX_HEADING_LENGTH or len(words) > MAX_HEADING_WORDS:
        return False
    if not _OPENING.match(text) or text[-1] in ",;:" or _CAPTION.match(text):
        return False
    if text.endswith(".") and len(words) > 8:
        return False
    significant = [w for w in words if w.lower() not in MINOR_WORDS] or words
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised >= TITLE_CASE_SHARE * len(significant)


def readings(token: str) -> list[Number]:
    """A printed number as read, then with dots OCR may have lost put back ('124' -> 1.2.4)."""
    parts = token.strip(".").split(".")
    if not all(p.isdigit() for p in parts) or sum(map(len, parts)) > 6:
        return []
    options = [_splits(p) for p in parts]
    found = [tuple(x for group in combo for x in group) for combo in itertools.product(*options)]
    return sorted(set(found), key=lambda n: (len(n) != len(parts), len(n), n))


def _splits(digits: str) -> list[tuple[int, ...]]:
    """Every way to cut a run of digits into numbers (no part with a leading zero)."""
    if len(digits) == 1:
        return [(int(digits),)]
    result = [(int(digits),)] if digits[0] != "0" else []
    for cut in range(1, len(digits)):
        if digits[0] != "0" or cut == 1:
            head = digits[:cut]
            if len(head) > 1 and head[0] == "0":
                continue
            result.extend((int(head), *rest) for rest in _splits(digits[cut:]))
    return result


def follows(previous: Number | None, number: Number) -> bool:
    """True when a heading numbered `number` can come next after `previous`."""
    if not number or len(number) > MAX_DEPTH or 0 in number[:1]:
        return False
    if previous is None:
        return number[0] <= 2 and all(n == 1 for n in number[1:])
    for level in range(min(len(previous), len(number))):
        step = number[level] - previous[level]
        if number[:level] == previous[:level] and step != 0:
            limit = MAX_CHAPTER_STEP if level == 0 else MAX_SECTION_STEP
            return 1 <= step <= limit and all(n <= 2 for n in number[level + 1:])
    # A first subsection: x.1 normally, a little more when OCR lost the ones before it.
    deeper = number[len(previous):]
    return bool(deeper) and deeper[0] <= MAX_SECTION_STEP and all(n <= 2 for n in deeper[1:])


def _format(number: Number) -> str:
    return ".".join(map(str, number))


def _block_end(lines: list[Line], start: int) -> int:
    end = start
    while end < len(lines) and lines[end].text and not lines[end].number_only:
        end += 1
    return end


def stands_alone(lines: list[Line], index: int, accepted_end: int = -1) -> bool:
    """True when a line starts a block: after a blank, a number line, a heading, a page break
    or a line that ends a sentence (PDF text layers often have no blank lines at all)."""
    if index == 0 or index == accepted_end:
        return True
    before = lines[index - 1]
    return (not before.text or before.number_only or before.page != lines[index].page
            or bool(_ENDS_SENTENCE.search(before.text)))


def _title_lines(lines: list[Line], start: int, first: str) -> tuple[str, int]:
    """A heading's title with the line it wrapped onto, and the index after it; '' if none."""
    end = _block_end(lines, start)
    following = lines[start + 1].text if start + 1 < end else ""
    if not following or _NUMBERED.match(following):
        return (first, start + 1) if heading_like(first) else ("", start)
    if end - start == 2 or CONNECTOR_END.search(first) or following[:1].islower():
        wrapped = f"{first} {following}"  # a title that wraps (or a sentence that goes on)
        if heading_like(wrapped) and not following.endswith("."):
            return wrapped, start + 2
        return "", start
    # No blank line after it: a heading sits directly above its text, and is short.
    widest = max(len(x.text) for x in lines[start:end])
    if heading_like(first) and len(first) < SHORT_SHARE * widest:
        return first, start + 1
    return "", start


def numbered_headings(lines: list[Line]) -> list[Heading]:
    """Numbered headings (inline or from margin numbers) that follow one another in sequence."""
    found: list[Heading] = []
    previous: Number | None = None
    pending: list[tuple[int, str]] = []  # margin numbers not yet given to a heading: (page, text)
    index, accepted_end = 0, -1
    while index < len(lines):
        line = lines[index]
        if line.number_only:
            pending[:] = [p for p in pending if line.page is None or p[0] is None
                          or line.page - p[0] <= 1]
            pending.append((line.page, line.text))
        elif line.text and stands_alone(lines, index, accepted_end):
            heading = _heading_at(lines, index, previous, pending)
            if heading:
                found.append(heading)
                previous = tuple(int(x) for x in heading.number.split("."))
                index = accepted_end = heading.end
                continue
        index += 1
    return found


def _heading_at(lines: list[Line], index: int, previous: Number | None, pending: list) -> Heading | None:
    text = lines[index].text
    match = _NUMBERED.match(text)
    if match:
        title, end = _title_lines(lines, index, match.group("title"))
        candidates = readings(match.group("number")) if title else []
    else:
        title, end = _title_lines(lines, index, text)
        candidates = _pending_candidates(pending, lines[index].page) if title else []
    for number in candidates:
        if not follows(previous, number):
            continue
        if not match:
            _consume(pending, number)
        return Heading(index, end, title, len(number), _format(number))
    return None


def _pending_candidates(pending: list, page: int | None) -> list[Number]:
    """Section numbers from the margin of this page or the one before, in order."""
    fresh = [text for p, text in pending if page is None or p is None or page - p <= 1]
    return [n for text in fresh for n in readings(text)[:1] if len(n) <= 2]


def _consume(pending: list, number: Number) -> None:
    for position, (_, text) in enumerate(pending):
        if readings(text)[:1] == [number]:
            del pending[: position + 1]
            return


def split_long_sections(lines: list[Line], headings: list[Heading]) -> list[Heading]:
    """Headings with sub-headings added inside any section longer than MAX_SECTION_CHARS that
    has none: short lines standing alone between blank lines, prose after them (a report that
    sets its minor headings in lower case, or whose numbering stops, still has them)."""
    starts = [h.start for h in headings] + [len(lines)]
    added: list[Heading] = []
    for position, heading in enumerate(headings):
        stop = starts[position + 1]
        following = headings[position + 1] if position + 1 < len(headings) else None
        if following and following.depth > heading.depth:
            continue  # it has sections of its own
        if sum(len(x.text) for x in lines[heading.end:stop]) <= MAX_SECTION_CHARS:
            continue
        # Without page marks, a sub-heading can only be placed on its section's first page.
        added += [Heading(i, i + 1, lines[i].text, heading.depth + 1, page=heading.page)
                  for i in range(heading.end + 1, stop) if _minor_heading(lines, i)]
    return sorted(headings + added, key=lambda h: h.start)


def _minor_heading(lines: list[Line], index: int) -> bool:
    """A short line alone between blank lines, not a sentence or list item, before prose."""
    text = lines[index].text
    words = text.split()
    if (not text or lines[index].number_only or lines[index - 1].text
            or (index + 1 < len(lines) and lines[index + 1].text)
            or not 1 <= len(words) <= MAX_MINOR_WORDS or not text[0].isalpha()
            or text[-1] in ".,;:!?" or _CAPTION.match(text) or _NUMBERED.match(text)
            or "://" in text or text.lower().startswith("www.")):
        return False
    before = next((x.text for x in reversed(lines[max(0, index - 3):index]) if x.text), "")
    if before.endswith(("\u201d", '"', "\u2019")):
        return False  # who said the quotation above ("Senior Manager, a council")
    after = next((x.text for x in lines[index + 1:index + 4] if x.text), "")
    return len(after) >= MIN_PROSE_AFTER and not after.startswith(("•", "-", "*"))
