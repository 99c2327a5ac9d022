"""What the type says about a report's lines: the body size, and runs of lines set alike.

A title or heading is set larger or bolder than the running text around it. The body size is
the size most letters are set in; a block is a run of consecutive lines on one page set in
the same size and weight (a title or heading that wraps stays one block). Lines from a text
rendering have no style (size 0): nothing here applies to them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from hub.indexing.layout import Line
from hub.indexing.words import join_line

SIZE_TOLERANCE = 0.6  # points: sizes this close are the same size (rounding, scaling)
LARGER = 1.12  # a line set at this many times the body size or more stands out by size
LEADING = 1.45  # a wrapped line sits at most this many times its size below the line above
SAME_LEADING = 1.15  # lines of one block are evenly spaced: within this factor of the first gap
MAX_BLOCK_LINES = 40  # a run longer than this is running text whatever its type

_SENTENCE_END = re.compile(r"[.;]$")


@dataclass
class Block:
    """Consecutive lines on one page set in the same size and weight."""

    start: int  # index of its first line
    end: int  # index after its last line
    size: float
    bold: bool
    page: int | None
    lines: list[str]

    @property
    def text(self) -> str:
        """The lines joined as one line, rejoining words hyphenated at a break."""
        joined = ""
        for line in self.lines:
            joined = join_line(joined, line)
        return joined

    @property
    def words(self) -> int:
        """How many words the block holds."""
        return len(self.text.split())

    def reads_as_sentence(self) -> bool:
        """True for running prose set large (a standfirst, a pull quote), not a title."""
        return bool(_SENTENCE_END.search(self.text)) and self.words > 10


def has_styles(lines: list[Line]) -> bool:
    """True when the lines carry type sizes (they came from a PDF's text layer)."""
    return any(line.style.size for line in lines)


def _for_these_lines(compute):
    """Remember a function's answer for the last list of lines it was given (the same list
    object, unchanged in length): titles, headings and genre all ask about one document's
    lines several times while it is parsed, and each answer costs a pass over every line."""
    last: list = [None, None, None]  # the lines, their length, the answer

    @functools.wraps(compute)
    def remembered(lines: list[Line]):
        if last[0] is lines and last[1] == len(lines):
            return last[2]
        answer = compute(lines)
        last[:] = [lines, len(lines), answer]
        return answer

    return remembered


@_for_these_lines
def body_size(lines: list[Line]) -> float:
    """The size most letters are set in (0 when the lines carry no sizes)."""
    sizes: Counter = Counter()
    for line in lines:
        if line.style.size:
            sizes[round(line.style.size)] += len(line.text)
    if not sizes:
        return 0.0
    common = sizes.most_common(1)[0][0]
    # The exact size: the most used of the sizes that round to the common one.
    exact = Counter({line.style.size: len(line.text) for line in lines
                     if line.style.size and round(line.style.size) == common})
    return exact.most_common(1)[0][0]


def stands_out(line: Line, body: float) -> bool:
    """True when a line is set larger than the body, or bold at about the body size."""
    size = line.style.size
    if not size or not body:
        return False
    return size >= body * LARGER or (line.style.bold and size >= body - SIZE_TOLERANCE)


def same_style(a: Line, b: Line) -> bool:
    """True when two lines are set in the same size and weight."""
    return abs(a.style.size - b.style.size) <= SIZE_TOLERANCE and a.style.bold == b.style.bold


def drop(above: Line, below: Line) -> float | None:
    """How far below one line's baseline the next one sits (None when not known)."""
    if above.style.baseline is None or below.style.baseline is None:
        return None
    return above.style.baseline - below.style.baseline


def set_apart(above: Line, below: Line, leading: float | None = None) -> bool:
    """True when more white space separates two lines than a wrapped line's leading (the
    block's own, when known), or the second is not below the first (another column)."""
    fall = drop(above, below)
    if fall is None:
        return False
    if leading:
        return fall <= 0 or fall > leading * SAME_LEADING
    return fall <= 0 or fall > LEADING * max(above.style.size, below.style.size)


@_for_these_lines
def blocks(lines: list[Line]) -> list[Block]:
    """The runs of lines set alike (blank lines end a run), in reading order."""
    start, stop = 0, len(lines)
    found: list[Block] = []
    index = start
    while index < stop:
        line = lines[index]
        if not line.text or line.number_only or not line.style.size:
            index += 1
            continue
        end, leading = index + 1, None
        while (end < stop and lines[end].text and not lines[end].number_only
               and lines[end].page == line.page and same_style(lines[end], line)
               and not set_apart(lines[end - 1], lines[end], leading)
               and end - index < MAX_BLOCK_LINES):
            leading = leading or drop(lines[end - 1], lines[end])
            end += 1
        found.append(Block(index, end, line.style.size, line.style.bold, line.page,
                           [x.text for x in lines[index:end]]))
        index = end
    return found
