"""A document's publication date as printed on its first pages ("July 2015", "Date: 13 March 2025").

Readers date a report by what its cover or heading says, not by when a PDF was written. The
first pages are searched in order of trust: a line that is only a date or a labelled date
("Date:", "Published", "Date modified:"), then the first date in running text, then a year
printed in the title. Only what is printed is kept: "May 2008" is a month, "2008" a year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from hub.text.dates import parse_partial_date

FIRST_PAGES = 2
UNPAGED_LINES = 80  # without page marks: the first this many lines stand for the first pages
EARLIEST_YEAR = 1900

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}"
                   rf"|{_MONTH}\.?\s+\d{{1,2}},\s+\d{{4}}|{_MONTH}\.?,?\s+\d{{4}})\b")
_LABEL = re.compile(r"^(?:date(?:d| of (?:issue|publication)| modified| published)?|published"
                    r"(?: on)?|issued|updated|last updated)\b\s*:?\s*", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d/.-])(?:19|20)\d{2}(?![\d/-])")


def printed_date(lines: Iterable[tuple[str, int | None]], title: str = "",
                 today: dt.date | None = None) -> tuple[dt.date, str] | None:
    """(date, precision) printed on the first pages of (text, page) lines, else in the title."""
    today = today or dt.date.today()
    first = _first_pages(lines)
    for text in first:  # a date standing alone, or labelled as the document's date
        rest = _LABEL.sub("", text, count=1)
        if rest != text or len(text) <= 20:
            found = _whole_date(rest.strip(" .,"), today)
            if found:
                return found
    for text in first:
        for match in _DATE.finditer(text):
            found = _plausible(parse_partial_date(match.group().replace(",", "")), today)
            if found:
                return found
    years = [int(y) for y in _YEAR.findall(title)]
    if years and EARLIEST_YEAR <= years[-1] <= today.year:
        return dt.date(years[-1], 1, 1), "year"
    return None


def metadata_date(value: dt.date | None, today: dt.date | None = None) -> tuple[dt.date, str] | None:
    """A PDF's creation date as a month, when it is plausible as a publication date."""
    if value is None:
        return None
    found = _plausible((value.replace(day=1), "month"), today or dt.date.today())
    return found if found and found[0].year >= 1993 else None  # PDF itself dates from 1993


def _first_pages(lines: Iterable[tuple[str, int | None]]) -> list[str]:
    first: list[str] = []
    for text, page in lines:
        if page is not None and page > FIRST_PAGES or page is None and len(first) >= UNPAGED_LINES:
            break
        if text:
            first.append(text)
    return first


def _whole_date(text: str, today: dt.date) -> tuple[dt.date, str] | None:
    match = _DATE.fullmatch(text)
    return _plausible(parse_partial_date(match.group().replace(",", "")), today) if match else None


def _plausible(found: tuple[dt.date, str] | None, today: dt.date) -> tuple[dt.date, str] | None:
    if found and found[0].year >= EARLIEST_YEAR and found[0] <= today:
        return found
    return None
