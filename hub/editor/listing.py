"""The dashboard's list of every stored item: found by the words of its title, filtered by
type, status and where it came from, a page at a time."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from hub.config import Settings
from hub.store.models import ITEM_TYPES, STATUSES, Item
from hub.store.origins import origin_for

ORIGINS = {"content": "Content folder",
           "uploads": "Uploaded on the web",
           "ingested": "Ingested files"}
PER_PAGE = 50
MAX_WORDS = 10


@dataclass
class Filters:
    """What the editor asked for; unknown values are dropped, not refused."""

    words: str = ""
    type: str = ""
    status: str = ""
    origin: str = ""
    page: int = 1

    @classmethod
    def of(cls, args) -> Filters:
        """Filters from a query string (any mapping with .get)."""
        page = args.get("page", "1")
        return cls(words=" ".join(str(args.get("q", "")).split())[:200],
                   type=args.get("type", "") if args.get("type") in ITEM_TYPES else "",
                   status=args.get("status", "") if args.get("status") in STATUSES else "",
                   origin=args.get("origin", "") if args.get("origin") in ORIGINS else "",
                   page=int(page) if page.isdigit() and 0 < int(page) <= 10_000 else 1)

    @property
    def active(self) -> bool:
        """Whether anything narrows the list."""
        return bool(self.words or self.type or self.status or self.origin)


def _in_folder(folder) -> object:
    return Item.primary_origin.startswith(origin_for(folder) + os.sep, autoescape=True)


def _origin_clause(settings: Settings, origin: str):
    content = or_(_in_folder(settings.content_dir), _in_folder(settings.case_study_dir))
    uploads = _in_folder(settings.upload_dir)
    return {"content": content, "uploads": uploads,
            "ingested": and_(not_(content), not_(uploads))}[origin]


def find(session: Session, settings: Settings, filters: Filters,
         per_page: int = PER_PAGE) -> tuple[list[Item], int]:
    """One page of matching items, most recently changed first, and how many match."""
    query = select(Item)
    for word in filters.words.split()[:MAX_WORDS]:
        query = query.where(or_(Item.title.icontains(word, autoescape=True),
                                Item.primary_origin.icontains(word, autoescape=True)))
    if filters.type:
        query = query.where(Item.type == filters.type)
    if filters.status:
        query = query.where(Item.status == filters.status)
    if filters.origin:
        query = query.where(_origin_clause(settings, filters.origin))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Item.updated_at.desc(), Item.id.desc())
                           .offset((filters.page - 1) * per_page).limit(per_page))
    return list(rows), total


def origin_of(settings: Settings, item: Item) -> str:
    """Which of ORIGINS an item came from."""
    folders = (settings.content_dir, settings.case_study_dir)
    if any(item.primary_origin.startswith(origin_for(f) + os.sep) for f in folders):
        return "content"
    if item.primary_origin.startswith(origin_for(settings.upload_dir) + os.sep):
        return "uploads"
    return "ingested"
