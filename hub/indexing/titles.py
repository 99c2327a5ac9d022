"""A report's title as a reader would cite it, from its cover, its header fields, its metadata
or, failing all of those, its file name.

In order of trust:
1. The cover's typography: the largest text on the first page (a title block of at most a
   few lines, not a sentence, not a generic heading such as "Contents" or "Summary"). When
   the largest text only names a genre ("Newsletter") the masthead above it and the date
   beside it complete it ("<masthead> Newsletter, November 2023"); a series line under the
   title ("Research Report 361") is added in brackets.
   Without type sizes (a text rendering), the first short block of title-like lines.
2. The header fields of a committee report or memo ("Subject:", with "To:" and "Date:").
3. The document information title, unless it only names the program, a template or a file
   ("PowerPoint Presentation", "Microsoft Word - x.doc").
4. A running header that reads as a title (not the name of the publisher or programme).
5. A letter ("Dear ..."): who sent it, what it answers and when.
6. The file name, tidied, with the printed date; the ingest summary then says so.
A title printed all in lower or upper case is given the capitals a reader would cite it with.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from hub.indexing.headings import MINOR_WORDS
from hub.indexing.layout import Line
from hub.indexing.publisher import names_a_body
from hub.indexing.typography import SIZE_TOLERANCE, Block, blocks, body_size, has_styles

MAX_TITLE_LENGTH = 200
MAX_TITLE_LINES = 5
MAX_TITLE_WORDS = 30
MAX_MASTHEAD_WORDS = 8
HEADING_REPEATS = 2  # a size used this often after the cover is the headings' size
COVER_SIZE = 1.15  # a cover title is set at least this many times the body size
UNSTYLED_SCAN = 40  # lines of a text rendering searched for a title block
UNSTYLED_LINE = 70  # characters: a title line in a text rendering is no longer than this

# Metadata titles that only name a program, a template or a file.
_UNHELPFUL = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel)\b.*|powerpoint presentation|presentation\d*|"
    r"slide \d+|untitled.*|document\d*|title|new document|template.*|word document|"
    r"\S+\.(?:docx?|pdf|pptx?|xlsx?|indd|qxd|rtf|odt)|[\w\-]+_[\w\-]+|\d[\d\s\-_.]*)$",
    re.IGNORECASE)
# Headings that open a document's body rather than name it.
GENERIC_HEADINGS = frozenset({
    "contents", "table of contents", "summary", "executive summary", "introduction", "foreword",
    "preface", "background", "overview", "abstract", "acknowledgements", "acknowledgments",
    "disclaimer", "key findings", "key points", "in this edition", "in this issue", "agenda",
    "purpose", "recommendations", "conclusions", "appendix", "appendices", "notes",
})
_GENRE = re.compile(r"^(?:the\s+)?(?:e-?)?(?:newsletter|bulletin|briefing|update|magazine|"
                    r"digest|news|annual report|review|factsheet|fact sheet)"
                    r"(?:\s+(?:no\.?|issue|edition)\s*\d+)?$", re.IGNORECASE)
_SERIES = re.compile(r"\b(?:report|paper|series|note|bulletin|briefing|study)\s*"
                     r"(?:no\.?\s*|number\s*)?\d+[a-z]?\b", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^(?:\d{1,2}\s+)?(?:[A-Za-z]{3,9}\.?\s+)?(?:19|20)\d{2}"
                        r"(?:\s*[-/\u2013]\s*\d{2,4})?$")
_FIELD = re.compile(r"^(?P<label>subject|title|re|regarding|report title|to|date|from|"
                    r"meeting|committee)\s*:\s*(?P<value>.*)$", re.IGNORECASE)
_LABEL_START = re.compile(r"^[A-Z][\w /&-]{1,30}:\s")
_SALUTATION = re.compile(r"^dear\s+\S", re.IGNORECASE)
_FOI = re.compile(r"freedom of information|environmental information regulations",
                  re.IGNORECASE)
_SENDER = re.compile(r"\b(?:council|borough of|county of|city of|authority|department|"
                     r"agency|office|trust|commission|ministry|registry|service)\b",
                     re.IGNORECASE)
# File-name noise: a leading catalogue code ("d11-", "001_"), versions, "final", "draft".
_NAME_CODE = re.compile(r"^(?:[a-z]{0,3}\d{1,4}[a-z]?|\d{4}[-_]\d{2}(?:[-_]\d{2})?)[-_ ]+",
                        re.IGNORECASE)
_NAME_NOISE = re.compile(r"[-_ ](?:v\d+(?:\.\d+)*|final|draft|web|accessible|print|"
                         r"scanned|copy)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s")  # "1 Executive Summary": a heading
# A running header that names an organisation or programme rather than the document.
_NAMES_A_BODY = re.compile(r"\b(?:programme|program|council|registry|service|services|"
                           r"partnership|department|agency|authority|trust|government)$",
                           re.IGNORECASE)
MIN_HEADER_WORDS = 4
_EDGE_NUMBER = re.compile(r"^\d{1,3}\b|\b\d{1,3}$")  # the page number beside a header


@dataclass
class Title:
    """A chosen title and where it came from ("cover", "fields", "metadata", "letter", "file")."""

    text: str
    source: str

    @property
    def note(self) -> str | None:
        """What the ingest summary says about a title that had to be guessed."""
        if self.source == "file":
            return f"no title found on the first page or in the metadata; titled from the " \
                   f"file name: {self.text!r}"
        return None


def choose_title(lines: list[Line], metadata_title: str | None, origin: str,
                 date_label: str | None = None, running_headers: Counter | None = None
                 ) -> Title:
    """The document's title by the rules in the module docstring."""
    found = cover_title(lines)
    if found:
        return Title(cite_case(found)[:MAX_TITLE_LENGTH], "cover")
    found = field_title(lines)
    if found:
        return Title(found[:MAX_TITLE_LENGTH], "fields")
    if metadata_title and helpful_metadata(metadata_title):
        return Title(cite_case(metadata_title)[:MAX_TITLE_LENGTH], "metadata")
    found = header_title(running_headers)
    if found:
        return Title(cite_case(found)[:MAX_TITLE_LENGTH], "header")
    found = letter_title(lines, date_label)
    if found:
        return Title(found[:MAX_TITLE_LENGTH], "letter")
    name = file_title(origin)
    if date_label:
        name = f"{name}, {date_label}"
    return Title(name[:MAX_TITLE_LENGTH], "file")


def header_title(running_headers: Counter | None) -> str | None:
    """The running header most repeated, when it reads as a document's title (not the name of
    the body or programme that published it, not a page number line)."""
    for text, count in (running_headers or Counter()).most_common(3):
        text = " ".join(_EDGE_NUMBER.sub("", text).split())
        if count >= 2 and len(_WORD.findall(text)) >= MIN_HEADER_WORDS \
                and not _NAMES_A_BODY.search(text) and not _DATE_ONLY.match(text):
            return text
    return None


def helpful_metadata(title: str) -> bool:
    """False for a metadata title that only names a program, a template or a file."""
    title = " ".join(title.split())
    return bool(_WORD.search(title)) and not _UNHELPFUL.match(title) \
        and title.lower() not in GENERIC_HEADINGS


def cover_title(lines: list[Line]) -> str | None:
    """The title set largest on the first page with text (None if nothing stands out)."""
    if not has_styles(lines):
        return _unstyled_title(lines)
    found = _cover(lines)
    return " ".join(_cover_parts(*found)[1]) if found else None


def cover_blocks(lines: list[Line]) -> tuple[Block, ...]:
    """The blocks of the cover the title is made of (title, masthead, series line)."""
    found = _cover(lines) if has_styles(lines) else None
    return _cover_parts(*found)[0] if found else ()


def _cover_parts(block: Block, cover: list[Block], large: list[Block]):
    """(the blocks used, the title's parts): the title block, completed by a masthead and
    date when it only names a genre, and by a series line under it."""
    used, title = [block], block.text
    if _GENRE.match(_without_date(title)):
        masthead = next((b for b in large if b is not block and _title_shaped(b)
                         and b.words <= MAX_MASTHEAD_WORDS and not _GENRE.match(b.text)), None)
        date = _date_in(title) or next(
            (b.text for b in cover if b.start >= block.end and _DATE_ONLY.match(b.text)), "")
        title = " ".join(p for p in (masthead.text if masthead else "",
                                     _without_date(title)) if p)
        title = f"{title}, {date}" if date else title
        used += [masthead] if masthead else []
    after = [b for b in cover if b.start >= block.end]
    if after and _SERIES.search(after[0].text) and after[0].words <= 12 \
            and not after[0].reads_as_sentence():
        used.append(after[0])
        lines = after[0].lines  # a date set under the series line in the same type is no part
        series = " ".join(lines[:-1]) if len(lines) > 1 and _DATE_ONLY.match(lines[-1]) \
            else after[0].text
        title = f"{title} ({series})"
    return tuple(used), [title]


def _cover(lines: list[Line]) -> tuple[Block, list[Block], list[Block]] | None:
    """The title block, the first page's blocks and those set large enough for a title."""
    body = body_size(lines)
    first_page = next((x.page for x in lines if x.text), None)
    if first_page is not None and first_page > 1:
        return None  # the first page is an image: its title cannot be read
    every = blocks(lines)
    cover = [b for b in every if b.page == first_page]
    later = [b for b in every if b.page != first_page]
    large = [b for b in cover if b.size >= body * COVER_SIZE and _letters(b.text)]
    for block in sorted(large, key=lambda b: -b.size):
        if not _title_shaped(block) or names_a_body(block.text):
            continue  # a body's name set large is a masthead or logo, not the title
        if block is not cover[0] and _heading_size(block, later):
            return None  # the largest type on the cover is the headings' type
        return block, cover, large
    return None


def _title_shaped(block: Block) -> bool:
    text = block.text
    return (len(block.lines) <= MAX_TITLE_LINES and block.words <= MAX_TITLE_WORDS
            and not block.reads_as_sentence() and not _DATE_ONLY.match(text)
            and text.lower().strip(" :") not in GENERIC_HEADINGS
            and not (text.endswith(".") and block.words > 6))


def _heading_size(block: Block, later: list[Block]) -> bool:
    """True when the block's type recurs on later pages: a heading style, not a title's."""
    return sum(1 for b in later if abs(b.size - block.size) <= SIZE_TOLERANCE
               and b.bold == block.bold) >= HEADING_REPEATS


def _without_date(text: str) -> str:
    date = _date_in(text)
    return text.replace(date, "").strip(" ,-\u2013") if date else text


def _date_in(text: str) -> str:
    match = re.search(r"(?:\d{1,2}\s+)?[A-Z][a-z]{2,8}\.?\s+(?:19|20)\d{2}$", text)
    return match.group() if match else ""


def _letters(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 3


def _unstyled_title(lines: list[Line]) -> str | None:
    """In a text rendering: the first short block of title-like lines."""
    block: list[str] = []
    for line in lines[:UNSTYLED_SCAN] + [Line("", None)]:
        if line.text and not line.number_only:
            block.append(line.text)
            continue
        text = " ".join(block)
        words = _WORD.findall(text)
        if (block and len(block) <= MAX_TITLE_LINES and not _NUMBERED.match(text) and 2 <= len(words) <= MAX_TITLE_WORDS
                and all(len(x) <= UNSTYLED_LINE for x in block)
                and max(len(w) for w in words) > 2 and not text.endswith((".", ",", ";", ":"))
                and text.lower() not in GENERIC_HEADINGS and not _DATE_ONLY.match(text)):
            return text
        if block and len(text) > UNSTYLED_LINE * 2:
            return None  # running text before any title: the document has none on top
        block = []
    return None


def field_title(lines: list[Line]) -> str | None:
    """'Subject' of a committee report or memo, with whom it went to and when."""
    fields: dict[str, str] = {}
    head = [x.text for x in lines[:60] if x.text]
    for position, text in enumerate(head):
        match = _FIELD.match(text)
        if not match:
            continue
        value = match.group("value").strip()
        for more in head[position + 1: position + 3]:  # a value that wraps onto the next lines
            if _FIELD.match(more) or _LABEL_START.match(more) or not value or value[-1] in ".:":
                break
            value = f"{value} {more}"
        fields.setdefault(match.group("label").lower(), value)
    subject = fields.get("subject") or fields.get("report title") or fields.get("title")
    if not subject or len(_WORD.findall(subject)) < 2:
        return None
    to, date = fields.get("to") or fields.get("committee") or fields.get("meeting"), \
        fields.get("date")
    if to and date:
        return f"{subject} (report to {to}, {date})"
    return subject


def letter_title(lines: list[Line], date_label: str | None) -> str | None:
    """'<sender> Freedom of Information response (letter, <date>)' for an untitled letter."""
    head = [x.text for x in lines if x.text][:40]
    if not any(_SALUTATION.match(text) for text in head):
        return None
    sender = next((_sender_name(t) for t in head if _sender_name(t)), "")
    foi = bool(_FOI.search(" ".join(x.text for x in lines[:200])))
    if foi:
        title = f"{sender} Freedom of Information response".strip()
        return f"{title} (letter, {date_label})" if date_label else f"{title} (letter)"
    if sender:
        return f"Letter from {sender}, {date_label}" if date_label else f"Letter from {sender}"
    return None


def _sender_name(text: str) -> str:
    """An organisation's name at the head of a letter ("London Borough of Bexley ...")."""
    match = re.search(r"((?:London Borough|Royal Borough|City|County|Borough) of [A-Z][\w&' -]+?"
                      r"|[A-Z][\w&'-]*(?: [A-Z][\w&'-]*){0,4} (?:County |District |Borough |City )?"
                      r"Council)(?= [A-Z0-9]|,|$)", text)
    return match.group(1).strip() if match and _SENDER.search(match.group(1)) else ""


def file_title(origin: str) -> str:
    """A file name as a title: 'd11-oxford-user-testing_v2.pdf' -> 'Oxford user testing'."""
    stem = PurePath(origin.split("?")[0]).stem
    stem = _NAME_CODE.sub("", stem)
    stem = _NAME_NOISE.sub("", stem)
    words = re.sub(r"[-_.+]+", " ", stem).split()
    text = " ".join(words) or PurePath(origin).name
    return text[:1].upper() + text[1:]


def cite_case(title: str) -> str:
    """A title printed all in lower or upper case with the capitals it would be cited with."""
    title = " ".join(title.split())
    letters = [ch for ch in title if ch.isalpha()]
    if not letters or not (all(ch.islower() for ch in letters)
                           or all(ch.isupper() for ch in letters) and len(letters) > 4):
        return title
    words = title.lower().split()
    return " ".join(w if n and w in MINOR_WORDS else w[:1].upper() + w[1:]
                    for n, w in enumerate(words))
