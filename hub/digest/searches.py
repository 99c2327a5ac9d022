"""Saved searches: a search as its canonical query string, checked and bounded, and what it matches.

A subscriber's saved search is the query string of the results page it came from, reduced to
what decides the matches (the words and the filters, in one order; no page, no sort), so that
the same search saved twice is one string. The digest asks the search backend which of the
week's new items it matches; the feed of a search asks the same of the newest items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.search.base import FACETS, MAX_PER_PAGE, BaseSearchBackend, SearchRequest
from hub.store.models import Item
from hub.vocabulary.taxonomy import Taxonomy

MAX_QUERY = 256  # as the query parser cuts
MAX_VALUES = 20  # values of one filter
MAX_VALUE = 100
MAX_CHARS = 1000  # the whole saved query string
MAX_SEARCHES = 10  # saved searches per subscriber: the oldest goes when an eleventh is added
VOCABULARY = ("theme", "place", "organisation")  # filters whose values are taxonomy slugs
FEED_SCAN = 2000  # a search's feed looks for its matches among this many newest items


class InvalidSearch(ValueError):
    """A search that cannot be saved; the message says why."""


def _clean(value: str, name: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise InvalidSearch(f"search: {name} holds control characters")
    return " ".join(value.split())


def _filter_value(taxonomy: Taxonomy, name: str, value: str) -> str:
    """A filter value as the index holds it: a slug for vocabulary, else lower case."""
    if name not in VOCABULARY:
        return value.lower().replace(" ", "_")[:MAX_VALUE]
    slug = value if value in getattr(taxonomy, name + "s") else taxonomy.resolve(name, value)
    if slug is None:
        raise InvalidSearch(f"search: unknown {name} {value[:MAX_VALUE]!r}")
    return slug


def canonical(pairs: Iterable[tuple[str, str]], taxonomy: Taxonomy) -> str:
    """The canonical query string of a search given as (name, value) pairs.

    Keeps the first `q` and each filter named in FACETS (vocabulary values as slugs), in
    FACETS order; drops page, sort and anything unknown. InvalidSearch if nothing is left
    to search by, a value names nothing, or the result is longer than MAX_CHARS.
    """
    query, filters = None, {name: [] for name in FACETS}
    for name, value in pairs:
        if name == "q" and query is None:
            query = _clean(value[: MAX_QUERY * 4], "the query")[:MAX_QUERY]
        elif name in filters and value.strip() and len(filters[name]) < MAX_VALUES:
            slug = _filter_value(taxonomy, name, _clean(value[: MAX_VALUE * 4], name))
            if slug not in filters[name]:
                filters[name].append(slug)
    fields = ([("q", query)] if query else []) + [
        (name, value) for name in FACETS for value in filters[name]]
    if not fields:
        raise InvalidSearch("search: a saved search needs words or a filter")
    text = urlencode(fields)
    if len(text) > MAX_CHARS:
        raise InvalidSearch(f"search: too long to save (over {MAX_CHARS} characters)")
    return text


def pairs(text: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a query string, read only as far as a search can reach."""
    return parse_qsl(text[: MAX_CHARS * 4])[: (MAX_VALUES + 1) * len(FACETS)]


def parts(saved: str) -> tuple[str, dict[str, list[str]]]:
    """The words and the filters of a saved (canonical) search."""
    query, filters = "", {}
    for name, value in pairs(saved):
        if name == "q":
            query = value
        elif name in FACETS:
            filters.setdefault(name, []).append(value)
    return query, filters


def path(saved: str) -> str:
    """The results page of a saved search, on the hub."""
    return f"/search?{saved}"


def describe(saved: str, taxonomy: Taxonomy) -> str:
    """The search in words: “reducing worklessness”; theme: Housing; place: West Midlands."""
    query, filters = parts(saved)
    shown = [f"“{query}”"] if query else []
    for name, values in filters.items():
        names = [taxonomy.name_of(name, v) if name in VOCABULARY else v.replace("_", " ")
                 for v in values]
        shown.append(f"{name}: {' or '.join(names)}")
    return "; ".join(shown)


def request_for(saved: str, ids: Sequence[str] | None = None) -> SearchRequest:
    """The backend request for a saved search, kept to `ids` when given: ids only, no extras."""
    query, filters = parts(saved)
    return SearchRequest(query=query, filters=filters, per_page=MAX_PER_PAGE, facets=False,
                         highlight=False, suggest=False, ids=ids)


def matching(backend: BaseSearchBackend, saved: str, item_ids: Sequence[int]) -> set[int]:
    """Which of these items the saved search matches, asked a page's worth at a time."""
    found: set[int] = set()
    for start in range(0, len(item_ids), MAX_PER_PAGE):
        chunk = [str(i) for i in item_ids[start:start + MAX_PER_PAGE]]
        found.update(int(hit.id) for hit in backend.search(request_for(saved, chunk)).hits)
    return found


def newest_matching(session: Session, backend: BaseSearchBackend, saved: str,
                    limit: int) -> list[Item]:
    """The items the hub added last that the search matches (newest first), among the
    FEED_SCAN newest listed items: a feed of what is new, not of everything that matches."""
    newest = list(session.scalars(select(Item.id).where(Item.is_listed)
                                  .order_by(Item.created_at.desc(), Item.id.desc())
                                  .limit(FEED_SCAN)))
    chosen: list[int] = []
    for start in range(0, len(newest), MAX_PER_PAGE):
        chunk = newest[start:start + MAX_PER_PAGE]
        found = matching(backend, saved, chunk)
        chosen += [i for i in chunk if i in found]
        if len(chosen) >= limit:
            break
    return [session.get(Item, i) for i in chosen[:limit]]
