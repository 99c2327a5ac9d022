"""ParsedDocument: what every parser hands on to tagging and the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class OutcomeRow:
    """A quantified money outcome found in (or given for) a document."""

    amount_text: str
    amount_gbp: float
    sentence: str
    amount_high_gbp: float | None = None
    period: str | None = None
    kind: str | None = None  # saving, cost, benefit or funding
    status: str | None = None  # "projected" or "achieved", when the sentence says


@dataclass
class TagMatch:
    """A controlled-vocabulary term on a document and the words that matched it."""

    kind: str  # theme, place or organisation
    value: str  # the vocabulary slug
    evidence: list[str] = field(default_factory=list)
    inferred: bool = False  # implied by another tag (the region of a district)


@dataclass
class ParsedDocument:
    """One item as a parser sees it, before tagging and storage; children nest."""

    title: str
    type: str  # article, guide, report, section, case_study
    text: str  # clean plain text, paragraphs separated by blank lines
    origin: str  # the file path or URL it was read from
    html: str | None = None  # sanitised HTML body, when the source had structure
    label: str | None = None  # archive label it came under ("Category: Performance")
    url: str | None = None  # permalink
    key: str | None = None  # explicit identity ("case-study:<slug>"), else permalink/hash
    summary: str | None = None
    date: dt.date | None = None  # publication date; only its first `date_precision` parts are known
    date_precision: str = "day"  # "year" (2008), "month" (May 2008) or "day" (12 May 2008)
    anchor: str | None = None  # identity among its parent's children ("s-1-2")
    number: str | None = None  # section number as printed ("1.2")
    page_start: int | None = None
    page_end: int | None = None
    footnotes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # publisher, author, contact, method...
    status: str = "published"
    # Tags and outcomes given by the source (front matter); None means "find them in the text".
    given_themes: list[str] | None = None
    given_places: list[str] | None = None
    given_organisations: list[str] | None = None
    given_outcomes: list[OutcomeRow] | None = None
    # Filled in by tagging and outcome extraction.
    tags: list[TagMatch] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    children: list[ParsedDocument] = field(default_factory=list)
    # What the parser had to guess, for the ingest summary ("title taken from the file name").
    notes: list[str] = field(default_factory=list)

    def walk(self):
        """This document and every descendant, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()


class ParseError(Exception):
    """A file that cannot be parsed; the message names the file, field and problem."""

    def __init__(self, origin: str, problem: str, field_name: str | None = None):
        self.origin = origin
        self.problem = problem
        self.field_name = field_name
        where = f"{origin}: {field_name}" if field_name else origin
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):
        # Sent back from a capped child: rebuilt from its parts, not from the joined message.
        return self.__class__, (self.origin, self.problem, self.field_name)
