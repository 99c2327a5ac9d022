"""A report's table of contents: its entries, and where each one's heading stands in the text.

Entries are lines ending in a page number (after dot leaders, a tab or spaces) in a run near
the front of the report, with page numbers that never go down. A numbered entry is a chapter
(or, numbered "2.1", a section); an unnumbered entry under a numbered chapter is one of its
sections. Each entry is then found in the body, in order, as a line (or a heading wrapped
over two or three lines, or "chapter 2" on one line and the title on the next) that reads the
same as the entry once case and punctuation are folded away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hub.indexing.headings import Heading
from hub.indexing.layout import Line
from hub.text.normalise import fold

MIN_ENTRIES = 3
FRONT_SHARE = 0.3  # a table of contents sits in the first part of a report
MIN_FOUND_SHARE = 0.6  # fewer entries found in the body than this: not a usable contents
MAX_WRAP = 3  # lines a heading in the body may wrap over
MAX_GAP = 2  # blank or stray lines allowed between entries

_CONTENTS = re.compile(r"^(table of )?contents$", re.IGNORECASE)
_ENTRY = re.compile(r"^(?P<label>\S.*?)(?:\s*(?:\.\s?){2,}|\s*\u2026+|\t+|\s{2,}|\s)\s*(?P<page>\d{1,4})$")
_LABEL = re.compile(r"^(?:(?P<kind>chapter|part|section)\s+)?(?P<number>\d{1,2}(?:\.\d{1,2}){0,2}"
                    r"|[IVX]{1,4})[.:]?\s+(?P<title>\S.*)$", re.IGNORECASE)
# A bullet, or a line ending as a list item does, is part of a list, never a heading.
_LIST_ITEM = re.compile(r"^[-*\u2022\u2023\u25aa\u25cf\u2013\u2014]\s|[,;]$")
_BACK_MATTER = re.compile(r"^(?:appendix|appendices|annex(?:es)?|glossary|references|"
                          r"bibliography|acknowledg(?:e)?ments|index|endnotes|notes)\b",
                          re.IGNORECASE)
_APPENDICES = re.compile(r"^(?:appendices|annexes)\b", re.IGNORECASE)
_ONE_APPENDIX = re.compile(r"^(?:appendix|annex)\s+\w", re.IGNORECASE)
_AMPERSAND = re.compile(r"\s*&\s*")
_TRAILING_NOTE = re.compile(r"\s*\([^()]{1,20}\)$")  # "... Government (CLG)"


@dataclass
class Entry:
    """One line of a table of contents."""

    title: str
    page: int
    number: str | None
    depth: int


def find_contents(lines: list[Line]) -> tuple[int, int, list[Entry]] | None:
    """The first and last+1 line index of the table of contents, and its entries; else None."""
    limit = max(60, int(len(lines) * FRONT_SHARE))
    best: tuple[int, int, list[Entry]] | None = None
    index = 0
    while index < limit:
        run = _entry_run(lines, index)
        if run and (best is None or len(run[2]) > len(best[2])):
            best = run
        index = run[1] if run else index + 1
    return best


def _entry_run(lines: list[Line], start: int) -> tuple[int, int, list[Entry]] | None:
    """A run of entries starting at `start` with pages that never decrease."""
    raw: list[tuple[str, int]] = []
    index, gap, end = start, 0, start
    while index < len(lines) and gap <= MAX_GAP:
        match = _ENTRY.match(lines[index].text)
        if match and (not raw or int(match.group("page")) >= raw[-1][1]):
            raw.append((match.group("label").strip(" .\u2026"), int(match.group("page"))))
            gap, end = 0, index + 1
        elif lines[index].text:
            if not raw:
                return None
            gap += 1
        index += 1
    if len(raw) < MIN_ENTRIES:
        return None
    before = start - 1  # the "Contents" heading belongs to the table
    while before >= 0 and not lines[before].text:
        before -= 1
    if before >= 0 and _CONTENTS.match(lines[before].text):
        start = before
    return start, end, _entries(raw)


def _entries(raw: list[tuple[str, int]]) -> list[Entry]:
    entries: list[Entry] = []
    chapter_seen = False
    grouped = False  # an "Appendices" entry heads the appendices listed after it
    for label, page in raw:
        match = _LABEL.match(label)
        if match:
            number = match.group("number")
            depth = number.count(".") + 1
            chapter_seen = chapter_seen or depth == 1
            entries.append(Entry(match.group("title").strip(), page, number, depth))
        else:
            # Back matter stands beside the chapters, numbered or not; "Appendix 1" after
            # "Appendices" is one of them.
            single = bool(_ONE_APPENDIX.match(label))
            depth = 2 if single and grouped else \
                1 if not chapter_seen or _BACK_MATTER.match(label) else 2
            grouped = grouped or bool(_APPENDICES.match(label))
            entries.append(Entry(label, page, None, depth))
    return entries


def _heading_text(text: str) -> str:
    """A line folded for comparing with entries; '' for list items, which are never headings."""
    if _LIST_ITEM.match(text):
        return ""
    return _fold(_TRAILING_NOTE.sub("", text))


def _fold(text: str) -> str:
    """Folded for matching, "&" read as "and" (a contents page and the heading it points to
    often differ in just that: "Introduction and Background", "Introduction & Background")."""
    return fold(_AMPERSAND.sub(" and ", text))


def locate(lines: list[Line], entries: list[Entry], after: int) -> list[Heading] | None:
    """The heading of each entry found in the body after the contents, in order; None if few."""
    folded = [_heading_text(line.text) for line in lines]
    headings: list[Heading] = []
    cursor = after
    for entry in entries:
        span = _find(folded, entry, cursor)
        if span is None:
            continue
        start, end = span
        headings.append(Heading(start, end, entry.title, entry.depth, entry.number, entry.page))
        cursor = end
    return headings if len(headings) >= MIN_FOUND_SHARE * len(entries) else None


def _find(folded: list[str], entry: Entry, cursor: int) -> tuple[int, int] | None:
    title = _fold(entry.title)
    prefixes = {""} | ({fold(entry.number), fold(f"chapter {entry.number}"),
                        fold(f"part {entry.number}"), fold(f"section {entry.number}")}
                       if entry.number else set())
    whole = {f"{p} {title}".strip() for p in prefixes}
    for index in range(cursor, len(folded)):
        if not folded[index]:
            continue
        if folded[index] in whole:
            return index, index + 1
        if folded[index] in prefixes or any(w.startswith(folded[index] + " ") for w in whole):
            end = _wrapped_end(folded, index, whole)
            if end:
                return index, end
    return None


def _wrapped_end(folded: list[str], start: int, whole: set[str]) -> int | None:
    """The index after a heading that wraps from `start` over the next lines, if it does."""
    joined, index, taken = folded[start], start + 1, 1
    while index < len(folded) and taken < MAX_WRAP + 1:
        if folded[index]:
            joined = f"{joined} {folded[index]}"
            taken += 1
            if joined in whole:
                return index + 1
            if not any(w.startswith(joined) for w in whole):
                return None
        index += 1
    return None
