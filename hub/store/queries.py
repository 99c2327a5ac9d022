"""Read-side queries for pages, feeds and the digest: latest items, browsing, counts, trees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, distinct, exists, extract, func, select
from sqlalchemy.orm import Session, selectinload

from hub.store.models import Item, Outcome, Tag

SAVING_KINDS = ("saving", "benefit")


def all_items(session: Session, type_: str | None = None) -> list[Item]:
    """Every item in id order, optionally of one type, with tags and sources loaded."""
    query = select(Item).options(selectinload(Item.tags), selectinload(Item.sources))
    if type_:
        query = query.where(Item.type == type_)
    return list(session.scalars(query.order_by(Item.id)))


def stats(session: Session, taxonomy) -> dict:
    """Counts of items by type, theme and region, largest first (names from the taxonomy)."""
    by_type = session.execute(
        select(Item.type, func.count()).group_by(Item.type)
        .order_by(func.count().desc(), Item.type)
    ).all()
    by_tag = session.execute(
        select(Tag.kind, Tag.value, func.count()).group_by(Tag.kind, Tag.value)
        .order_by(func.count().desc(), Tag.kind, Tag.value)
    ).all()
    regions = {p.slug for p in taxonomy.regions()}
    return {
        "items": session.scalar(select(func.count(Item.id))) or 0,
        "types": [(t, n) for t, n in by_type],
        "themes": [(taxonomy.name_of("theme", v), n) for k, v, n in by_tag if k == "theme"],
        "regions": [(taxonomy.name_of("place", v), n) for k, v, n in by_tag
                    if k == "place" and v in regions],
    }


def published_item(session: Session, item_id: int) -> Item | None:
    """A published item by id, or None."""
    item = session.get(Item, item_id)
    return item if item is not None and item.is_published else None


def latest(session: Session, limit: int = 10, theme: str | None = None) -> list[Item]:
    """The most recently added browsable items, optionally on one theme."""
    query = select(Item).where(Item.is_listed)
    if theme:
        query = query.where(_has_tag("theme", [theme]))
    query = query.order_by(Item.created_at.desc(), Item.id.desc()).limit(limit)
    return list(session.scalars(query.options(selectinload(Item.tags))))


def tag_counts(session: Session, kind: str) -> dict[str, int]:
    """How many published browsable items carry each value of a tag kind."""
    rows = session.execute(
        select(Tag.value, func.count(distinct(Item.id)))
        .join(Item, Item.id == Tag.item_id)
        .where(Tag.kind == kind, Item.is_listed)
        .group_by(Tag.value)
    )
    return dict(rows.all())


def type_counts(session: Session, kind: str, value: str) -> dict[str, int]:
    """Items by type among those tagged with one theme, place or organisation."""
    rows = session.execute(
        select(Item.type, func.count(Item.id))
        .where(Item.is_published, _has_tag(kind, [value]))
        .group_by(Item.type)
    )
    return dict(rows.all())


def tagged(session: Session, kind: str, value: str, limit: int = 50) -> list[Item]:
    """Browsable items with one tag, newest first."""
    query = (
        select(Item).where(Item.is_listed, _has_tag(kind, [value]))
        .order_by(Item.published.desc().nulls_last(), Item.title, Item.id).limit(limit)
    )
    return list(session.scalars(query.options(selectinload(Item.tags))))


def _has_tag(kind: str, values: list[str]):
    return exists().where(Tag.item_id == Item.id, Tag.kind == kind, Tag.value.in_(values))


def _has_saving():
    return exists().where(Outcome.item_id == Item.id, Outcome.kind.in_(SAVING_KINDS))


@dataclass
class CaseStudyFilter:
    """What the case-study browser narrows by: OR within a field, AND across fields."""

    themes: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # regions or places (regions roll up)
    organisations: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    has_saving: bool = False

    def conditions(self, skip: str | None = None) -> list:
        """SQL conditions for every field but `skip` (facet counts ignore their own field)."""
        found = []
        for name, kind in (("themes", "theme"), ("places", "place"),
                           ("organisations", "organisation")):
            values = getattr(self, name)
            if values and name != skip:
                found.append(_has_tag(kind, values))
        if self.years and skip != "years":
            found.append(extract("year", Item.published).in_(self.years))
        if self.has_saving and skip != "has_saving":
            found.append(_has_saving())
        return found


@dataclass
class CaseStudyPage:
    """One page of filtered case studies with the facet counts beside it."""

    items: list[Item]
    total: int
    facets: dict[str, dict[str, int]]


def _case_studies(conditions: list) -> Select:
    return select(Item).where(Item.is_published, Item.type == "case_study", *conditions)


def browse_case_studies(
    session: Session, chosen: CaseStudyFilter, page: int = 1, per_page: int = 20
) -> CaseStudyPage:
    """Case studies matching the filter, newest first, with counts for each facet."""
    query = _case_studies(chosen.conditions())
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = session.scalars(
        query.options(selectinload(Item.tags), selectinload(Item.outcomes))
        .order_by(Item.published.desc().nulls_last(), Item.title, Item.id)
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    facets = {
        name: _tag_facet(session, kind, chosen.conditions(skip=name))
        for name, kind in (("themes", "theme"), ("places", "place"),
                           ("organisations", "organisation"))
    }
    facets["years"] = _year_facet(session, chosen.conditions(skip="years"))
    facets["has_saving"] = {"yes": session.scalar(
        select(func.count()).select_from(
            _case_studies([*chosen.conditions(skip="has_saving"), _has_saving()]).subquery()
        )
    ) or 0}
    return CaseStudyPage(list(items), total, facets)


def _tag_facet(session: Session, kind: str, conditions: list) -> dict[str, int]:
    matching = _case_studies(conditions).with_only_columns(Item.id).subquery()
    rows = session.execute(
        select(Tag.value, func.count(Tag.item_id))
        .where(Tag.kind == kind, Tag.item_id.in_(select(matching.c.id)))
        .group_by(Tag.value)
    )
    return dict(rows.all())


def _year_facet(session: Session, conditions: list) -> dict[str, int]:
    year = extract("year", Item.published)
    rows = session.execute(
        _case_studies(conditions).with_only_columns(year, func.count(Item.id))
        .where(Item.published.is_not(None)).group_by(year)
    )
    return {str(y): n for y, n in rows.all() if y}


def root_of(item: Item) -> Item:
    """The top-level document an item sits in (itself if it has no parent)."""
    chain = item.ancestors()
    return chain[0] if chain else item


def sitemap_entries(session: Session) -> list[tuple[int, dt.datetime]]:
    """(id, last modified) of every published item, for sitemap.xml."""
    return list(session.execute(
        select(Item.id, Item.updated_at).where(Item.is_published).order_by(Item.id)
    ).all())


def children_tree(session: Session, item: Item) -> list[tuple[Item, list]]:
    """The published descendants of an item as (child, grandchildren) pairs, in order."""
    rows = session.scalars(
        select(Item).where(Item.parent_id == item.id, Item.is_published).order_by(Item.position)
    ).all()
    return [(c, children_tree(session, c)) for c in rows]


def theme_reach(session: Session, theme: str) -> tuple[list[tuple[int, str]], list[Outcome]]:
    """Where a theme's listed items were tried and what they saved: the (item id, place slug)
    of each place named directly (not implied), and their saving outcomes."""
    themed = select(Item.id).where(Item.is_listed, _has_tag("theme", [theme]))
    places = session.execute(select(Tag.item_id, Tag.value).where(
        Tag.kind == "place", Tag.inferred.is_(False), Tag.item_id.in_(themed))).all()
    outcomes = session.scalars(select(Outcome).where(
        Outcome.kind == "saving", Outcome.item_id.in_(themed))).all()
    return [tuple(row) for row in places], list(outcomes)
