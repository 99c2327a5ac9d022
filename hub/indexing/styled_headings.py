"""Headings from typography: lines set larger or bolder than the body, whatever their wording.

Many reports have no table of contents and headings in sentence case ("Finding the repairs
form on the website"), so neither a contents page nor title-case wording finds them; their
type does. A heading is a block (hub.indexing.typography) set larger than the body, or bold
at the body size, that is short and not prose: at most a few lines and words, not a sentence,
not a caption, not a label leading into its text ("Summary:"). Its depth comes from its
number where it has one ("2.1" is a section), else from its type: the largest heading type
is a chapter, the next a section, the next a subsection. The cover title is not a heading.
"""

from __future__ import annotations

import re

from hub.indexing.headings import MAX_DEPTH, Heading, readings
from hub.indexing.layout import Line
from hub.indexing.typography import LARGER, SIZE_TOLERANCE, Block, blocks, body_size, stands_out

MAX_HEADING_LINES = 3
MAX_HEADING_WORDS = 18
MIN_HEADINGS = 2
MAX_DIGIT_SHARE = 0.25
NUMBERED_LARGER = 1.04
DIVIDER_WORDS = 12  # a slide with no more words than this beside its title opens a part
SAME_LEVEL = 0.92  # heading sizes within this ratio of a larger one are the same level

_NUMBER = re.compile(r"^(?:(?:part|chapter|section)\s+)?(?P<number>\d{1,2}(?:\.\d{1,2}){0,3})"
                     r"(?:[.:)]|\s)\s*(?=\S)", re.IGNORECASE)
_CAPTION = re.compile(r"^(?:figure|fig\.|table|chart|graph|source|sources|note|notes|photo|"
                      r"image|map|exhibit|diagram|key)\b\s*[\d:.]", re.IGNORECASE)
# A list item, a link's arrow or a symbol-font glyph: parts of a form or a list, not headings.
_NOT_A_TITLE = re.compile(r"^[-\u2013\u2014\u2022*>]|-->|[\uf000-\uf8ff]|^\W*$|"
                          r"[\u00a3$\u20ac]\s*$")  # a table's column head ends in "£"
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def styled_headings(lines: list[Line], skip: tuple[Block, ...] = ()) -> list[Heading]:
    """Headings set apart by their type, in order, with depths; [] without type sizes.
    Blocks in `skip` (the cover's title and masthead) are not headings."""
    body = body_size(lines)
    if not body:
        return []
    skipped = {b.start for b in skip}
    found = [b for b in blocks(lines) if _heading_block(lines, b, body)
             and b.start not in skipped]
    if len(found) < MIN_HEADINGS:
        return []
    return _with_depths(found)


def _heading_block(lines: list[Line], block: Block, body: float) -> bool:
    first = lines[block.start]
    text = block.text
    numbered = bool(_NUMBER.match(text))
    # A numbered line needs less to stand out: a point larger than the body is a heading style.
    if not (stands_out(first, body) or numbered and first.style.size >= body * NUMBERED_LARGER):
        return False
    if (len(block.lines) > MAX_HEADING_LINES or block.words > MAX_HEADING_WORDS
            or block.reads_as_sentence() or _CAPTION.match(text) or not _LETTERS.search(text)
            or _NOT_A_TITLE.search(text)):
        return False
    digits = sum(ch.isdigit() for ch in _NUMBER.sub("", text, count=1))
    if digits > MAX_DIGIT_SHARE * len(text):
        return False  # a row of a table set in bold
    if text.endswith(".") and block.words > 6 and not numbered:
        return False
    # A bold label leading into its text ("Summary:") is not a heading. (A bold run that
    # starts a line of body type is no heading either: the line is then not bold as a whole.)
    return not (block.size < body * LARGER and not numbered and text.endswith(":"))


def _with_depths(found: list[Block]) -> list[Heading]:
    """Headings with depths from their numbers, else from their type's rank."""
    keys = _style_keys(found)
    styles = sorted(set(keys.values()), key=lambda k: (-k[0], not k[1]))
    numbered_styles = {keys[id(b)] for b in found if _number(b.text)}
    chapter_style = min(numbered_styles, key=lambda k: styles.index(k)) if numbered_styles \
        else None
    headings: list[Heading] = []
    current_number_depth = 0
    for block in found:
        key = keys[id(block)]
        number = _number(block.text)
        if number:
            depth = min(len(number), MAX_DEPTH)
            current_number_depth = depth
            title = _NUMBER.sub("", block.text, count=1)
            printed = ".".join(map(str, number))
        else:
            title, printed = block.text, None
            if chapter_style is None:
                depth = min(styles.index(key) + 1, MAX_DEPTH)
            elif styles.index(key) < styles.index(chapter_style) or (
                    key == chapter_style and not current_number_depth):
                # Larger than the numbered chapters, or like them before the numbering
                # starts ("Summary" before "1."): a chapter too.
                depth = 1
            else:
                depth = min(current_number_depth + 1, MAX_DEPTH) if current_number_depth else 1
        headings.append(Heading(block.start, block.end, title.strip(), depth, printed))
    return headings


def _style_keys(found: list[Block]) -> dict[int, tuple[float, bool]]:
    """Each block's style, with sizes within a few per cent of each other taken as one
    (a designer's 31 and 33 point story headings are one level)."""
    levels: list[float] = []
    for size in sorted({b.size for b in found}, reverse=True):
        if not levels or size < levels[-1] * SAME_LEVEL:
            levels.append(size)
    def level(size: float) -> float:
        return min(x for x in levels if x >= size - SIZE_TOLERANCE)
    return {id(b): (level(b.size), b.bold) for b in found}


def _number(text: str) -> tuple[int, ...] | None:
    match = _NUMBER.match(text)
    if not match:
        return None
    found = readings(match.group("number"))
    return found[0] if found else None


def slide_headings(lines: list[Line], skip: tuple[Block, ...] = ()) -> list[Heading]:
    """A slide deck's structure: each slide's title (its largest short block); when some
    slides hold little but their title (the first slide of each talk or part), those are the
    sections and the other slides' titles sit under them. The title slide (holding the blocks
    in `skip`) is the deck's cover, not a section."""
    skipped = {b.start for b in skip}
    pages: dict[int | None, list[Block]] = {}
    for block in blocks(lines):
        pages.setdefault(block.page, []).append(block)
    slides: list[tuple[Block, int]] = []  # each slide's title, and the words beside it
    for page_blocks in pages.values():
        if any(b.start in skipped for b in page_blocks):
            continue
        shaped = [b for b in page_blocks if _slide_title_shaped(b)]
        if not shaped:
            continue
        title = max(shaped, key=lambda b: (b.size, -b.start))
        slides.append((title, sum(b.words for b in page_blocks if b is not title)))
    if not slides:
        return []
    usual = sorted(words for _, words in slides)[len(slides) // 2]
    dividers = [words <= min(DIVIDER_WORDS, usual / 2) for _, words in slides]
    headings: list[Heading] = []
    previous = ""
    for (block, _), alone in zip(slides, dividers, strict=True):
        if block.text.lower() == previous:
            continue  # "Findings" again on the next slide: one section goes on
        previous = block.text.lower()
        depth = 1 if sum(dividers) < MIN_HEADINGS or alone else 2
        headings.append(Heading(block.start, block.end, block.text, depth))
    return headings


def _slide_title_shaped(block: Block) -> bool:
    return (len(block.lines) <= MAX_HEADING_LINES and block.words <= MAX_HEADING_WORDS
            and not block.reads_as_sentence() and bool(_LETTERS.search(block.text))
            and not _NOT_A_TITLE.search(block.text))
