"""The search backend contract: what any backend takes, what it returns, and what it must do.

Plain dataclasses only: the search package imports neither Flask nor the store's models, so
the hub (corpus-level code) turns items into IndexDocuments and results back into JSON.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

# The facets a backend counts, in display order; "place" includes each item's regions.
# "evidence" is the level on the Maryland scale, "saving" the band of what an item saved and
# "status" whether it was achieved or projected, "council" the types of the councils it names.
FACETS = ("theme", "place", "type", "organisation", "year", "evidence", "saving", "status",
          "council")
SORTS = ("relevance", "date", "evidence")
# Characters of a query read: enough for a question or a pasted abstract (cutting the IR
# collections' queries at 256 characters and 16 terms cost CISI nDCG@10 0.412 -> 0.386).
MAX_QUERY_LENGTH = 1000
MAX_PER_PAGE = 100

# Given the ids of the hits on the shown page, their full text (kept outside the index).
TextSource = Callable[[Sequence[str]], Mapping[str, str]]
# Given a facet and a value a person typed ("West Midlands"), the value as indexed, or None.
FilterResolver = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class IndexDocument:
    """One searchable item, as the hub hands it to a backend."""

    id: str
    title: str
    type: str
    body: str = ""
    summary: str = ""  # short; stored for snippets when the full text is not at hand
    headings: tuple[str, ...] = ()
    url: str | None = None
    themes: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()  # the themes its source or an editor declared
    places: tuple[str, ...] = ()  # places and the regions and counties they sit in
    organisations: tuple[str, ...] = ()
    date: str | None = None  # ISO date, "YYYY-MM-DD"
    parent_id: str | None = None
    breadcrumb: tuple[str, ...] = ()  # ("Report title", "Chapter title") for a section
    page: int | None = None
    sources: tuple[str, ...] = ()  # where the item was found (labels or origins)
    evidence: str | None = None  # "1" to "5" on the Maryland scale
    savings: tuple[str, ...] = ()  # the bands of what it saved (hub.corpus.glance)
    saving_status: tuple[str, ...] = ()  # "achieved", "projected"
    councils: tuple[str, ...] = ()  # the types of the councils among its places
    content_hash: str | None = None  # the stored item's, so `hub index check` can compare
    family: str | None = None  # the id of the report it is in (a report with sections: its own)

    @property
    def year(self) -> str | None:
        """The four-digit year of the date, if there is one."""
        return self.date[:4] if self.date else None


@dataclass(frozen=True)
class SearchRequest:
    """A person's query, the facet filters they picked, and which page they want."""

    query: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    facets: bool = True
    highlight: bool = True
    suggest: bool = True
    # Only these documents may match, when given (the digest's new items, a feed's newest).
    ids: Sequence[str] | None = None
    # A report's matching sections as one result ("n more sections in this report").
    group: bool = True
    # Only this report and what is inside it (the search behind "n more sections"), ungrouped.
    within: str | None = None


@dataclass(frozen=True)
class Hit:
    """One result on the page: the stored display fields, a score and a snippet."""

    id: str
    score: float
    title: str
    type: str
    url: str | None = None
    snippet: str = ""  # HTML: escaped text with <mark> around the matched words
    themes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    date: str | None = None
    parent_id: str | None = None
    breadcrumb: tuple[str, ...] = ()
    page: int | None = None
    sources: tuple[str, ...] = ()
    evidence: str | None = None
    family: str | None = None  # the report it is in, for "more sections in this report"
    more_in_report: int = 0  # the report's other matches folded into this result


@dataclass
class SearchPage:
    """One page of results with the total, facet counts, a suggestion and notes for people."""

    total: int
    hits: list[Hit]
    page: int = 1
    per_page: int = 10
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    messages: list[str] = field(default_factory=list)  # what was ignored or shortened, and why
    filters: dict[str, list[str]] = field(default_factory=dict)  # filters applied, as indexed
    partial: bool = False  # True when the time limit cut the search short
    # Of the total, how many have every telling word of a query of several (None: one word,
    # or no words); the rest have some of them and come after.
    all_words: int | None = None


class SearchError(Exception):
    """A backend problem that is not the person's fault (a missing or broken index)."""


class IndexUnavailable(SearchError):
    """The index cannot be read (damaged, half deleted, pointing nowhere): search is down
    until it is rebuilt; everything else carries on."""


class BaseSearchBackend(abc.ABC):
    """What every search backend does; one conformance suite (tests/test_search_backend.py)."""

    @abc.abstractmethod
    def update(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents by id in one commit; returns how many were written."""

    @abc.abstractmethod
    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id (unknown ids are ignored); returns how many were removed."""

    @abc.abstractmethod
    def rebuild(self, documents: Iterable[IndexDocument], position: int | None = None) -> int:
        """Replace the whole index with these documents, atomically, recording the change-log
        position they were read at; returns the count."""

    @abc.abstractmethod
    def position(self) -> int | None:
        """The change-log position the live index reflects (every change below it applied),
        or None when it is not known (a new or an older index: rebuild it)."""

    @abc.abstractmethod
    def set_position(self, position: int) -> None:
        """Record the position, after the writes it stands for are committed."""

    @abc.abstractmethod
    def writing(self) -> AbstractContextManager:
        """Hold the index's single-writer lock: a read of the position, the writes and the
        new position are one step, which no other writer on this index interleaves."""

    def hashes(self) -> dict[str, str | None]:
        """Each document's id and the content hash it was indexed with (None if not kept)."""
        return dict.fromkeys(self.ids())

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchPage:
        """One page of results; never raises for anything a person can type."""

    @abc.abstractmethod
    def suggest(self, text: str) -> str | None:
        """A corrected query from the corpus's own words, or None when nothing is better."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many documents the index holds."""

    @abc.abstractmethod
    def ids(self) -> set[str]:
        """The ids of every document in the index (for checks and repairs)."""

    @abc.abstractmethod
    def generation(self) -> str:
        """A name for the live index version (it changes when a rebuild is swapped in)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release searchers and files; the backend may not be used afterwards."""
