"""Case-study boxes inside a report: "Case Study: Place - Title", and the place resolved.

The heading may wrap onto a second line; the dash between place and title may be -, – or —,
or missing ("Case Study: Lewisham Review of Offenders on Probation"), in which case the place
is the longest run of leading words the gazetteer knows. A place such as "Central Beds and
Luton" names two authorities; each part is resolved on its own when the whole is not a name.
A box's body runs to the next box or heading (its end is settled by the report parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hub.indexing.headings import CONNECTOR_END, heading_like, stands_alone
from hub.indexing.layout import Line
from hub.indexing.typography import same_style, set_apart
from hub.vocabulary.taxonomy import Taxonomy

MAX_TITLE_LINES = 3
MAX_TITLE_LINE = 90
MAX_PLACE_WORDS = 5
MAX_STANDALONE_WORDS = 8  # an unnumbered heading that ends a box is short

_BOX = re.compile(r"^case[\s-]+study(?:\s+\d{1,3})?\s*[:\-\u2013\u2014]\s*(?P<rest>\S.*)$",
                  re.IGNORECASE)
# A dash between place and title: an en or em dash, or a hyphen with a space beside it.
_DASH = re.compile(r"^(?P<place>.+?)(?:\s*[\u2013\u2014]\s*|\s+-\s*|\s*-\s+)(?P<title>\S.*)$")
_PLACE_PARTS = re.compile(r"\s*(?:,|&|/|\band\b)\s*")

@dataclass
class Box:
    """One case-study box: its heading lines, place and title; `end` closes its body."""

    start: int
    title_end: int
    title: str  # the title after "Case Study:" and the place
    place: str | None = None  # as printed
    printed: str = ""  # the whole heading as the report prints it ("Case Study: Kent - Title")
    places: list[str] = field(default_factory=list)  # gazetteer slugs
    end: int = 0


def find_boxes(lines: list[Line], taxonomy: Taxonomy) -> list[Box]:
    """Every case-study box heading in the lines, in order."""
    boxes = []
    for index, line in enumerate(lines):
        match = _BOX.match(line.text)
        if match and stands_alone(lines, index):
            heading, title_end = _heading(lines, index, match.group("rest"))
            place, title, places = split_place(heading, taxonomy)
            printed = line.text[: match.start("rest")] + heading
            boxes.append(Box(index, title_end, title, place, places=places,
                             printed=" ".join(printed.split())))
    return boxes


def _heading(lines: list[Line], index: int, rest: str) -> tuple[str, int]:
    """The box heading after "Case Study:", with the lines it wraps onto, and the index after."""
    end = index + 1
    while end < len(lines) and lines[end].text and not lines[end].number_only \
            and _same_type(lines[index], lines[end]):
        end += 1
    block = [line.text for line in lines[index + 1 : end]]
    if len(block) < MAX_TITLE_LINES and all(len(x) <= MAX_TITLE_LINE for x in block):
        return " ".join([rest, *block]), end  # the heading stands as a block of its own
    following = block[0] if block else ""
    if following and _wraps_onto(rest, following):
        return f"{rest} {following}", index + 2
    return rest, index + 1


def _same_type(heading: Line, line: Line) -> bool:
    """False when type sizes show the line is set unlike the heading (its text, not more of
    the heading); True when they are alike or unknown."""
    if not (heading.style.size and line.style.size):
        return True
    return same_style(heading, line) and not set_apart(heading, line)


def _wraps_onto(first: str, following: str) -> bool:
    if len(following) > MAX_TITLE_LINE or following[-1:] in ".;:,":
        return False
    return (following[:1].islower() or bool(CONNECTOR_END.search(first))
            or heading_like(following))


def split_place(heading: str, taxonomy: Taxonomy) -> tuple[str | None, str, list[str]]:
    """(place as printed, title, place slugs) from "Place - Title" or "Place Title"."""
    heading = " ".join(heading.split())
    match = _DASH.match(heading)
    if match:
        place = match.group("place").strip()
        return place, match.group("title").strip(), resolve_places(place, taxonomy)
    words = heading.split()
    for size in range(min(MAX_PLACE_WORDS, len(words) - 1), 0, -1):
        place = " ".join(words[:size])
        places = resolve_places(place, taxonomy)
        if places:
            return place, " ".join(words[size:]), places
    return None, heading, []


def resolve_places(name: str, taxonomy: Taxonomy) -> list[str]:
    """Gazetteer slugs for a place name, or for each part of "A and B"; [] if any is unknown."""
    whole = taxonomy.resolve("place", name)
    if whole:
        return [whole]
    parts = [p for p in _PLACE_PARTS.split(name) if p]
    slugs = [taxonomy.resolve("place", part) for part in parts]
    if len(parts) < 2 or not all(slugs):
        return []
    return list(dict.fromkeys(slugs))


def ends_box(lines: list[Line], index: int) -> bool:
    """True for a short unnumbered heading standing alone: the text after a box resumes."""
    text = lines[index].text
    before = lines[index - 1].text if index else ""
    after = lines[index + 1].text if index + 1 < len(lines) else ""
    return (not before and not after and heading_like(text)
            and len(text.split()) <= MAX_STANDALONE_WORDS and not text.endswith("."))
