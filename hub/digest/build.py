"""What goes into one subscriber's digest: new items by theme, their region lifted.

"Related older item" is a seam: the builder takes any `related_older(item) -> Item | None`.
DigestRun plugs in the TF-IDF recommender (`recommended_older`), falling back to the older
published item sharing the most themes when the model has nothing older to offer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from hub.digest import searches
from hub.store.models import Item, Subscriber, Tag
from hub.text.counts import count
from hub.text.normalise import shorten
from hub.vocabulary.taxonomy import Taxonomy

RelatedOlder = Callable[[Item], Item | None]
ALSO_LIMIT = 5  # items outside the subscriber's themes, shown after theirs
SUMMARY_CHARS = 280


def listed(query):
    """Only items a digest lists: published, and not a section of a report (its report is)."""
    return query.where(Item.is_listed)


def new_items(session: Session, since: dt.datetime, until: dt.datetime) -> list[Item]:
    """Listed items the hub first stored in [since, until), with their tags loaded."""
    query = listed(select(Item)).where(Item.created_at >= since, Item.created_at < until)
    return list(session.scalars(query.options(selectinload(Item.tags)).order_by(Item.id)))


def order_date(item: Item) -> dt.date:
    """The date that orders items and says which is older: when it was published, or else
    when the hub first stored it. Never shown: the digest shows each date for what it is."""
    return item.published or item.created_at.date()


def shared_themes_related(session: Session) -> RelatedOlder:
    """The default seam: the older listed item sharing most themes (ties: the newest)."""

    def related_older(item: Item) -> Item | None:
        themes = item.tag_values("theme")
        if not themes:
            return None
        shared = func.count(Tag.value)
        rows = session.execute(
            listed(select(Item.id, Item.published, Item.created_at, shared))
            .join(Tag, Tag.item_id == Item.id)
            .where(Tag.kind == "theme", Tag.value.in_(themes), Item.id != item.id)
            .group_by(Item.id, Item.published, Item.created_at)
        ).all()
        date = order_date(item)
        older = [r for r in rows if r.id != item.parent_id and (r.published or r.created_at.date()) < date]
        if not older:
            return None
        best = max(older, key=lambda r: (r[3], r.published or r.created_at.date(), r.id))
        return session.get(Item, best.id)

    return related_older


def recommended_older(session: Session, related, fallback: RelatedOlder,
                      new_ids: frozenset[int] = frozenset(), candidates: int = 20) -> RelatedOlder:
    """The best TF-IDF suggestion that is older, listed and not itself new; else the fallback."""

    def related_older(item: Item) -> Item | None:
        date = order_date(item)
        for entry in related.for_item(session, item.id, candidates):
            other = session.get(Item, entry["id"])
            if (other is not None and other.id not in new_ids and other.is_listed
                    and other.id != item.parent_id and order_date(other) < date):
                return other
        return fallback(item)

    return related_older


@dataclass
class Entry:
    """One item as the digest shows it."""

    id: int
    title: str
    type: str
    summary: str
    published: dt.date | None  # as far as the source says, to `precision`; None when undated
    precision: str
    added: dt.datetime  # when the hub first stored it
    order: dt.date  # order_date(): for sorting only
    in_region: bool = False
    related: Entry | None = None

    @classmethod
    def of(cls, item: Item, in_region: bool = False) -> Entry:
        """An item's entry (without its related item)."""
        published, precision = item.publication()
        return cls(item.id, item.title, item.type, summary_of(item), published, precision,
                   item.created_at, order_date(item), in_region)

    @property
    def kind(self) -> str:
        """The item type in words ("case study")."""
        return self.type.replace("_", " ")


@dataclass
class Section:
    """The new items under one theme, or for one saved search."""

    theme: str  # the theme's slug; "" for a saved search
    name: str
    entries: list[Entry] = field(default_factory=list)
    search: str | None = None  # the saved search's canonical query string

    @property
    def phrase(self) -> str:
        """The name for the middle of a sentence: "data sharing", "your search “…”"."""
        # A search's name starts with our own "Your search"; what follows keeps its capitals.
        return self.name[:1].lower() + self.name[1:] if self.search else sentence_case(self.name)


@dataclass
class Digest:
    """One subscriber's digest: their themes first, then a few other new items."""

    sections: list[Section]
    also: list[Entry]
    region: str | None  # the region's name, when they chose one

    @property
    def count(self) -> int:
        """How many new items there are in the subscriber's themes."""
        return sum(len(s.entries) for s in self.sections)

    @property
    def subject(self) -> str:
        """A subject that says what is inside."""
        names = [s.phrase for s in self.sections]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        return f"Knowledge hub: {count(self.count, 'new item')} on {shown}"


def sentence_case(name: str) -> str:
    """A theme name for the middle of a sentence ("Data sharing" -> "data sharing")."""
    words = name.split()
    # Proper nouns ("Total Place") and acronyms keep their capitals.
    if any(w[:1].isupper() for w in words[1:]) or words[0][1:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def summary_of(item: Item) -> str:
    """The item's summary (or the start of its text), cut at a word near SUMMARY_CHARS."""
    return shorten(item.summary or item.body_text or "", SUMMARY_CHARS)


class DigestBuilder:
    """Builds digests for many subscribers, looking up each related item only once."""

    def __init__(self, taxonomy: Taxonomy, related_older: RelatedOlder):
        self.taxonomy = taxonomy
        self.related_older = related_older
        self._related: dict[int, Entry | None] = {}

    def entry(self, item: Item, region: str | None) -> Entry:
        """An item as shown, with a related older item for a case study."""
        entry = Entry.of(item, in_region=bool(region) and region in item.tag_values("place"))
        if item.type == "case_study":
            entry.related = self._related_entry(item)
        return entry

    def _related_entry(self, item: Item) -> Entry | None:
        if item.id not in self._related:
            older = self.related_older(item)
            self._related[item.id] = older and Entry.of(older)
        return self._related[item.id]

    def build(self, subscriber: Subscriber, items: list[Item],
              matches: Mapping[str, set[int]] | None = None) -> Digest | None:
        """The subscriber's digest from the new items, or None if none is in their themes or
        saved searches (`matches`: the ids each saved search matches). An item is listed
        once: under its first theme, else its first saved search."""
        sections = [Section(slug, self.taxonomy.name_of("theme", slug))
                    for slug in subscriber.themes]
        sections += [Section("", "Your search " + searches.describe(saved, self.taxonomy),
                             search=saved) for saved in subscriber.searches or ()]
        also: list[Entry] = []
        for item in items:
            themes = item.tag_values("theme")
            home = next((s for s in sections if s.theme in themes
                         or item.id in (matches or {}).get(s.search or "", ())), None)
            entry = self.entry(item, subscriber.region)
            (home.entries if home else also).append(entry)
        kept = [s for s in sections if s.entries]
        if not kept:
            return None
        for section in kept:
            section.entries.sort(key=_order)
        region = self.taxonomy.name_of("place", subscriber.region) if subscriber.region else None
        return Digest(kept, sorted(also, key=_order)[:ALSO_LIMIT], region)


def _order(entry: Entry):
    # Their region first, then the newest.
    return (not entry.in_region, -entry.order.toordinal(), -entry.id)
