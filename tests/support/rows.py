"""Rows built in code for the digest tests: items with tags and dates, and subscribers."""

from __future__ import annotations

import datetime as dt
import hashlib

from hub.store.database import transaction
from hub.store.models import Item, Subscriber, Tag, utcnow


def add_item(session, title: str, themes=(), places=(), type_: str = "article",
             days_ago: float = 0, published: dt.date | None = None, parent: Item | None = None,
             status: str = "published") -> Item:
    """An item first stored `days_ago` days ago, tagged with themes and places."""
    digest = hashlib.sha256(title.encode()).hexdigest()
    item = Item(key=None if parent else f"test:{title}", fingerprint=digest,
                title_key=title.lower(), type=type_, status=status, title=title,
                summary=f"What {title.lower()} found.", body_text=f"{title}. More text.",
                content_hash=digest, primary_origin="tests", published=published,
                parent=parent, anchor=title if parent else None,
                created_at=utcnow() - dt.timedelta(days=days_ago))
    item.tags = [Tag(kind="theme", value=t) for t in themes] + [
        Tag(kind="place", value=p) for p in places]
    session.add(item)
    session.flush()
    return item


def add_subscriber(session, email: str, themes, region: str | None = None,
                   status: str = "active") -> Subscriber:
    """A subscriber, active unless told otherwise."""
    subscriber = Subscriber(email=email, themes=list(themes), region=region, status=status)
    session.add(subscriber)
    session.flush()
    return subscriber


def populate(corpus, build) -> dict:
    """Run build(session) in one transaction and return what it returns."""
    with transaction(corpus.sessions) as session:
        return build(session)
