"""Pages to one stream of lines: page furniture, page numbers and footnotes taken out.

A report's text arrives page by page (from a PDF, or from a text rendering where a form feed
or a line's single leading space marks a new page). This module finds what is furniture
rather than text: running headers and footers (lines that recur at the top or bottom of many
pages; without page marks, short lines that recur far more often than a heading would),
"22 | Report title" footers and bare page numbers. It moves footnotes (the numbered notes at
the foot of a page) aside, and marks lines that hold nothing but a paragraph number ("1.2.3",
OCR's "124") so that structure can use them and text can drop them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from hub.indexing.typeface import NO_STYLE, LineStyle, undouble
from hub.indexing.words import fix_ligatures, join_line, repair_urls

EDGE_LINES = 2  # lines at the top and at the bottom of a page where furniture sits
MIN_FURNITURE_PAGES = 3  # a running header recurs on at least this many pages...
FURNITURE_PAGE_SHARE = 0.1  # ... and on at least this share of them
UNPAGED_REPEAT_EVERY = 150  # without pages: furniture recurs at least once per this many lines
MIN_UNPAGED_REPEATS = 5
MAX_FURNITURE_LENGTH = 100
MAX_PAGE_MARK_SHARE = 0.1  # more lines than this starting with a space: indentation, not pages
MIN_FOOTNOTE_WORDS = 6
FULL_LINE = 60  # characters: a line this long that stops mid-sentence wraps on

NUMBER_ONLY = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3}){0,4}\.?\)?$")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?$|^[-\u2013\u2014]\s*\d{1,4}\s*"
                          r"[-\u2013\u2014]$|^[ivxlc]{1,6}$", re.IGNORECASE)
_PIPE_FOOTER = re.compile(r"^\d{1,4}\s*\|\s*(?P<a>\S.{2,120})$|^(?P<b>\S.{2,120}?)\s*\|\s*\d{1,4}$")
# A note's number, then a capital or an opening quote ("12 programmes" is a wrapped line).
_FOOTNOTE_START = re.compile(r"^(?:\d{1,4}|[\u2020\u2021])\s+[A-Z\u2018\u201c'\"(\[]")
_LEADERS = re.compile(r"(?:\.\s?){3,}\s*\d+$|\t\s*\d+$")  # a contents line, not a note
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_MID_SENTENCE = re.compile(r"[a-z,\-]$")
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[^\W\d_]{3,}")
_FIGURES = re.compile(r"[\u00a3$%]?\d[\d,.]*[kmbn%]?")
_MONTHS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                     "nov", "dec"})
MIN_CHART_LINES = 2  # consecutive lines of labels make a chart or a grid
MIN_AXIS_LABELS = 3
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass
class Line:
    """One line of a report: its text (stripped; '' for a blank) and the page it is on."""

    text: str
    page: int | None
    number_only: bool = False  # a paragraph or section number standing alone
    style: LineStyle = NO_STYLE  # size and weight, where the source had typography
    chart: bool = False  # a chart's axis labels or a grid of numbers: not running text


@dataclass
class Layout:
    """A report's lines in reading order, with what was taken out of them."""

    lines: list[Line]
    footnotes: dict[int, list[str]] = field(default_factory=dict)  # page -> its footnotes
    furniture: Counter = field(default_factory=Counter)  # running header texts, numbers removed
    paged: bool = True  # False when the text carried no page marks
    page_count: int = 0


def split_pages(text: str) -> tuple[list[str], bool]:
    """A text rendering's pages, and whether it marked them (form feed or leading space)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        return text.split("\f"), True
    lines = text.split("\n")
    marks = [i for i, line in enumerate(lines) if re.match(r"^ \S", line)]
    content = sum(1 for line in lines if line.strip())
    if len(marks) < 2 or len(marks) > MAX_PAGE_MARK_SHARE * content:
        return [text], False
    starts = ([0] if marks[0] != 0 else []) + marks
    ends = starts[1:] + [len(lines)]
    return ["\n".join(lines[a:b]) for a, b in zip(starts, ends, strict=True)], True


class _Styled(str):
    """A line's text that carries its style through the filtering below (which keeps or
    drops whole lines, never edits them)."""

    style: LineStyle = NO_STYLE


def lay_out(pages: list[str], paged: bool = True,
            styles: list[list[LineStyle]] | None = None) -> Layout:
    """The lines of all pages with furniture removed and footnotes set aside; `styles`
    gives each page's line styles (one per line of its text) when the source has them."""
    styles = styles or []
    page_lines = [_page_lines(page, styles[n] if n < len(styles) else [])
                  for n, page in enumerate(pages)]
    layout = _lay_out(page_lines, paged, strip=True)
    if not any(line.text and not line.number_only for line in layout.lines):
        # Nothing but "furniture": the repeated lines are the document (a one-line poster
        # on every page, a form), so keep them.
        layout = _lay_out(page_lines, paged, strip=False)
    return layout


def _lay_out(page_lines: list[list[str]], paged: bool, strip: bool) -> Layout:
    layout = Layout(lines=[], paged=paged, page_count=len(page_lines))
    furniture = _furniture_keys(page_lines, layout.paged) if strip else set()
    for number, lines in enumerate(page_lines, 1):
        kept = _strip_furniture(lines, furniture, layout) if strip else _trim_blanks(lines)
        if layout.paged:
            kept, notes = _split_footnotes(kept)
            if notes:
                layout.footnotes[number] = notes
        page = number if layout.paged else None
        start = len(layout.lines)
        layout.lines.extend(Line(t, page, bool(NUMBER_ONLY.match(t)), getattr(t, "style", NO_STYLE))
                            for t in kept)
        _mark_charts(layout.lines, start)
        layout.lines.append(Line("", page))
    return layout


def chart_like(text: str) -> bool:
    """True for a line of labels rather than words: numbers and sums only ("2,000,000",
    "£1,615k£1,560k", "2018 2019 2020") or a run of month names (an axis)."""
    words = _WORDS.findall(text)
    if any(word.lower()[:3] not in _MONTHS for word in words):
        return False
    figures = _FIGURES.findall(text)
    return bool(figures) or len(words) >= MIN_AXIS_LABELS


def _mark_charts(lines: list[Line], start: int) -> None:
    """Mark runs of chart-like lines on a page (one such line alone may be a year heading or
    a total, and stays), and a single line holding several sums (bar labels)."""
    index = start
    while index < len(lines):
        end = index
        while end < len(lines) and lines[end].text and chart_like(lines[end].text):
            end += 1
        many = end - index >= MIN_CHART_LINES
        for line in lines[index:end]:
            if many or line.text.count("\u00a3") >= MIN_AXIS_LABELS:
                line.chart = True
        index = max(end, index + 1)


def _page_lines(page: str, styles: list[LineStyle]) -> list[str]:
    page = _CONTROL.sub("", fix_ligatures(page))  # NULs and such from broken font maps
    lines = []
    for number, raw in enumerate(page.split("\n")):
        line = _Styled(undouble(_SPACES.sub(" ", raw).strip()))
        if number < len(styles):
            line.style = styles[number]
        lines.append(line)
    return lines


def furniture_key(line: str) -> str:
    """A line folded so that a running header matches itself whatever its page number."""
    return _DIGITS.sub("#", line.lower()).strip()


def _edges(lines: list[str]) -> list[str]:
    filled = [line for line in lines if line]
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:] if len(filled) > EDGE_LINES else filled


def _furniture_keys(page_lines: list[list[str]], paged: bool) -> set[str]:
    """Keys of the lines that recur as running headers or footers."""
    if paged:
        seen = Counter(key for lines in page_lines for key in {furniture_key(x) for x in _edges(lines)})
        needed = max(MIN_FURNITURE_PAGES, FURNITURE_PAGE_SHARE * len(page_lines))
    else:
        all_lines = [line for lines in page_lines for line in lines if line]
        seen = Counter(furniture_key(line) for line in all_lines)
        needed = max(MIN_UNPAGED_REPEATS, len(all_lines) / UNPAGED_REPEAT_EVERY)
    return {key for key, count in seen.items()
            if count >= needed and len(key) <= MAX_FURNITURE_LENGTH and re.search("[a-z]", key)}


def _strip_furniture(lines: list[str], furniture: set[str], layout: Layout) -> list[str]:
    edges = set(_edges(lines))
    kept = []
    for line in lines:
        footer = _PIPE_FOOTER.match(line)
        if footer or furniture_key(line) in furniture:
            layout.furniture[(footer.group("a") or footer.group("b")) if footer else line] += 1
        elif not (line in edges and layout.paged and _PAGE_NUMBER.match(line)):
            kept.append(line)
    return _trim_blanks(kept)


def _trim_blanks(lines: list[str]) -> list[str]:
    collapsed: list[str] = []
    for line in lines:
        if line or (collapsed and collapsed[-1]):
            collapsed.append(line)
    while collapsed and not collapsed[-1]:
        collapsed.pop()
    return collapsed


def _split_footnotes(lines: list[str]) -> tuple[list[str], list[str]]:
    """The page's body lines and its footnotes (each note's lines joined), split at the foot."""
    for start in range(max(1, len(lines) // 2), len(lines)):
        if _starts_footnote(lines[start]) and _all_footnotes(lines[start:]):
            return _trim_blanks(lines[:start]), _notes(lines[start:])
    return lines, []


def _starts_footnote(line: str) -> bool:
    return (bool(_FOOTNOTE_START.match(line)) and len(line.split()) >= MIN_FOOTNOTE_WORDS
            and not _LEADERS.search(line))


def _all_footnotes(lines: list[str]) -> bool:
    """True when every block from here to the foot of the page reads as part of a footnote:
    a numbered note (numbers rising), a URL, or the continuation of the note before."""
    previous, last_number = "", 0
    for block in _blocks(lines):
        first = block[0]
        if _starts_footnote(first):
            number = int(first.split()[0]) if first[0].isdigit() else last_number + 1
            if number <= last_number:
                return False
            last_number = number
        elif not (_URL_ONLY.match(first) or first[:1].islower()
                  or (_MID_SENTENCE.search(previous) and len(previous) >= FULL_LINE)):
            return False
        if any(_starts_footnote(x) and int(x.split()[0]) <= last_number
               for x in block[1:] if x[0].isdigit()):
            return False
        last_number = max([last_number] + [int(x.split()[0]) for x in block[1:]
                                           if _starts_footnote(x) and x[0].isdigit()])
        previous = block[-1]
    return True


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _notes(lines: list[str]) -> list[str]:
    notes: list[str] = []
    for line in (x for x in lines if x):
        if _starts_footnote(line) or not notes:
            notes.append(line)
        elif _URL_ONLY.match(line) and line.split("//")[-1] in repair_urls(notes[-1]):
            continue  # the link text a PDF repeats after a note that holds the same URL
        else:
            notes[-1] = join_line(notes[-1], line)
    return notes
