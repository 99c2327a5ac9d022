"""A PDF page's text with the type it is set in: each line's size and weight.

pypdf's text visitor reports every run of text it adds to the page's text, with the font
and the matrices in force; joined, the runs are exactly what extract_text returns. From them
each line gets the size it is mostly set in (the font size scaled by the text and
transformation matrices, in points) and whether it is bold. Titles and headings are found
from these styles (hub.indexing.typography).

Designers fake bold by drawing the same run twice, a fraction of a point apart; a text layer
then reads "February 2024February 2024". A run that repeats the run before it at (almost) the
same place is drawn once here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import NamedTuple

SAME_PLACE = 1.5  # points: a repeat this close to the run before is the same run drawn again
MIN_BOLD_SHARE = 0.8  # of a line's letters, set bold, for the line to count as bold

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|,b$|-b$", re.IGNORECASE)
MIN_DOUBLED = 4  # characters: shorter repeats ("no no", "ha ha") are text, not a drawing artefact


class LineStyle(NamedTuple):
    """How a line is set: its main size in points (0 when unknown), whether it is bold, and
    the height of its baseline on the page (points from the bottom; None when unknown)."""

    size: float
    bold: bool
    baseline: float | None = None


NO_STYLE = LineStyle(0.0, False)


def styled_text(page) -> tuple[str, list[LineStyle]]:
    """A pypdf page's text and one LineStyle per line of it (lines split at newlines)."""
    runs: list[tuple[str, float, bool, tuple[float, float]]] = []

    def visit(text, cm, tm, font, size):
        if not text:
            return
        matrix = _multiply(tm, cm) if tm and cm else (1, 0, 0, 1, 0, 0)
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) or 1.0
        place = (matrix[4], matrix[5])
        if text.strip() and runs and _drawn_again(runs, text, place):
            return
        runs.append((text, float(size or 0) * scale, _is_bold(font), place))

    page.extract_text(visitor_text=visit)
    text = "".join(run[0] for run in runs)
    return text, _line_styles(runs)


def _drawn_again(runs, text: str, place: tuple[float, float]) -> bool:
    """True when the last visible run shows the same text at (almost) the same place."""
    for previous, _, _, (x, y) in reversed(runs):
        if previous.strip():
            return (previous == text and abs(x - place[0]) <= SAME_PLACE
                    and abs(y - place[1]) <= SAME_PLACE)
    return False


def _multiply(a, b) -> tuple[float, ...]:
    """The product of two PDF matrices [a b c d e f] (a applied first)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _is_bold(font) -> bool:
    if not font:
        return False
    name = str(font.get("/BaseFont", ""))
    if _BOLD_NAME.search(name):
        return True
    try:
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else None
        weight = float(descriptor.get("/FontWeight", 0)) if descriptor is not None else 0
    except Exception:  # noqa: BLE001 - a broken descriptor only loses the weight
        return False
    return weight >= 600


def _line_styles(runs) -> list[LineStyle]:
    """One style per line: the size most of its letters are set in, and boldness."""
    styles: list[LineStyle] = []
    sizes: Counter = Counter()
    bold = letters = 0
    baseline = None
    for text, size, is_bold, (_, y) in runs:
        for position, part in enumerate(text.split("\n")):
            if position:
                styles.append(_style(sizes, bold, letters, baseline))
                sizes, bold, letters, baseline = Counter(), 0, 0, None
            count = sum(ch.isalnum() for ch in part)
            if count and baseline is None:
                baseline = round(y, 1)
            sizes[round(size, 1)] += count
            letters += count
            bold += count if is_bold else 0
    styles.append(_style(sizes, bold, letters, baseline))
    return styles


def _style(sizes: Counter, bold: int, letters: int, baseline: float | None) -> LineStyle:
    if not letters:
        return NO_STYLE
    return LineStyle(sizes.most_common(1)[0][0], bold >= MIN_BOLD_SHARE * letters, baseline)


def undouble(line: str) -> str:
    """A line that is one run printed twice ("November 2023November 2023", "Newsletter
    Newsletter") printed once. Linear in the line: it runs on every line of every page."""
    size = len(line)
    if size >= 2 * MIN_DOUBLED and size % 2 == 0 and line[: size // 2] == line[size // 2:]:
        return line[: size // 2]
    words = line.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:] \
            and len(" ".join(words[:half])) >= MIN_DOUBLED:
        return " ".join(words[:half])
    return line
