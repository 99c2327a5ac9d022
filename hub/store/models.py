"""The store's tables as SQLAlchemy models, and the vocabularies of their columns."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,
)

ITEM_TYPES = ("article", "guide", "report", "newsletter", "slides", "section", "case_study")
STATUSES = ("draft", "published", "retired")
PUBLISHED = "published"
TAG_KINDS = ("theme", "place", "organisation")
SUBSCRIBER_STATUSES = ("unconfirmed", "active", "unsubscribed")
# A ledger row moves pending -> sending -> sent; "sending" left behind means a send was cut off
# and nobody knows whether the server took it, so it is reported, never retried.
DELIVERY_STATUSES = ("pending", "sending", "sent", "skipped", "failed")
USER_ROLES = ("editor", "admin")


def utcnow() -> dt.datetime:
    """The current time in UTC, without tzinfo (how the store keeps times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def walk_up(start, parent_of) -> list:
    """The chain of parents above `start`, nearest first; a cycle (which the store forbids)
    stops it rather than looping."""
    chain, seen, current = [], {start}, parent_of(start)
    while current is not None and current not in seen:
        seen.add(current)
        chain.append(current)
        current = parent_of(current)
    return chain


class Base(DeclarativeBase):
    """Declarative base for every table of the store."""


class Item(Base):
    """One piece of evidence: an article, guide, report, report section or case study."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identity: a permalink ("url:…") or an explicit slug ("case-study:…"); children have none
    # and are known by (parent_id, anchor) instead.
    key: Mapped[str | None] = mapped_column(String(1000), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    title_key: Mapped[str] = mapped_column(String(500), index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PUBLISHED, index=True)
    title: Mapped[str] = mapped_column(String(1000))
    summary: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    footnotes: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))
    published: Mapped[dt.date | None] = mapped_column(Date)  # as far as the source says:
    # only the first `date_precision` parts ("year", "month", "day") of `published` are known.
    date_precision: Mapped[str] = mapped_column(String(5), default="day", server_default="day")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    anchor: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(40))
    page_start: Mapped[int | None] = mapped_column(Integer)
    page_end: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    primary_origin: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    parent: Mapped[Item | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Item]] = relationship(
        back_populates="parent", order_by="Item.position", cascade="all, delete-orphan"
    )
    sources: Mapped[list[Source]] = relationship(
        back_populates="item", order_by="Source.id", cascade="all, delete-orphan"
    )
    tags: Mapped[list[Tag]] = relationship(
        back_populates="item", order_by="(Tag.kind, Tag.inferred, Tag.value)",
        cascade="all, delete-orphan",
    )
    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="item", order_by="Outcome.position", cascade="all, delete-orphan"
    )
    correction: Mapped[Correction | None] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("parent_id", "anchor", name="uq_items_parent_anchor"),
        Index("ix_items_parent_position", "parent_id", "position"),
    )

    def tag_values(self, kind: str) -> list[str]:
        """The slugs of this item's tags of one kind, direct ones first."""
        return [t.value for t in self.tags if t.kind == kind]

    # What readers may see, defined once for Python (item.is_published) and SQL
    # (select(Item).where(Item.is_published)): pages, search, related items and the digest.

    @hybrid_property
    def is_published(self) -> bool:
        """Published: shown to readers, searchable, suggested (drafts and retired are not)."""
        return self.status == PUBLISHED

    @hybrid_property
    def is_listed(self) -> bool:
        """Published and listed on its own: a whole document or a case study, not a report's
        section (browsing, feeds and the digest list its report instead)."""
        return self.is_published and (self.parent_id is None or self.type == "case_study")

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_sql(cls) -> ColumnElement[bool]:
        return and_(cls.status == PUBLISHED, or_(cls.parent_id.is_(None), cls.type == "case_study"))

    @hybrid_property
    def is_searchable(self) -> bool:
        """Published and with words of its own: a section that is only a heading over its
        subsections is a place in its report's contents, never a search result."""
        return self.is_published and (self.type != "section" or bool((self.body_text or "").strip()))

    @is_searchable.inplace.expression
    @classmethod
    def _is_searchable_sql(cls) -> ColumnElement[bool]:
        return and_(cls.status == PUBLISHED,
                    or_(cls.type != "section", func.trim(func.coalesce(cls.body_text, "")) != ""))

    def publication(self) -> tuple[dt.date | None, str]:
        """(date, precision) of the item's publication, or of the nearest report it sits in
        (a section is published with its report); (None, "day") when neither is dated."""
        if self.published is not None:  # no walk up (no lazy loads) when the item is dated
            return self.published, self.date_precision or "day"
        if self.parent_id is None:  # a stored top-level item: nothing above it to load
            return None, "day"
        for item in reversed(self.ancestors()):  # nearest first
            if item.published is not None:
                return item.published, item.date_precision or "day"
        return None, "day"

    def ancestors(self) -> list[Item]:
        """The item's parents, outermost first (report, then chapter)."""
        return [*reversed(walk_up(self, lambda item: item.parent))]


class Source(Base):
    """A file or URL an item was seen in, with the archive label it came under."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(1000))
    label: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(1000))
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    item: Mapped[Item] = relationship(back_populates="sources")

    __table_args__ = (UniqueConstraint("item_id", "origin", name="uq_sources_item_origin"),)


class Tag(Base):
    """A theme, place or organisation on an item, with the words that matched."""

    __tablename__ = "item_tags"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    # True for a tag implied by another (the region of a matched district).
    inferred: Mapped[bool] = mapped_column(Boolean, default=False)

    item: Mapped[Item] = relationship(back_populates="tags")


class Outcome(Base):
    """A quantified money outcome ("£74,000 per year") and the sentence it came from."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    amount_text: Mapped[str] = mapped_column(String(200))
    amount_gbp: Mapped[float] = mapped_column(Float)
    amount_high_gbp: Mapped[float | None] = mapped_column(Float)
    period: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(20))  # saving, cost, benefit, funding
    status: Mapped[str | None] = mapped_column(String(20))  # projected or achieved

    item: Mapped[Item] = relationship(back_populates="outcomes")


class Correction(Base):
    """An editor's corrections to a stored item, kept beside what its source says, so that
    re-ingesting the source keeps them (hub.store.corrections applies them)."""

    __tablename__ = "item_corrections"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    # The editor's values by field (title, summary, date, themes, places, organisations,
    # status); and what the source gave for every field the item shows corrected (its own
    # corrections and a status from a report above it), to go back to when one is withdrawn.
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[dict] = mapped_column(JSON, default=dict)
    source_hash: Mapped[str] = mapped_column(String(64))  # the source's content hash
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    item: Mapped[Item] = relationship(back_populates="correction")


class Change(Base):
    """One entry of the change log: an item whose derived entries (search index, related
    model) must be redone, appended in the same transaction as the write. Every index follows
    the log from its own position (hub.store.changes); nothing is deleted by reading it."""

    __tablename__ = "change_log"
    # AUTOINCREMENT: SQLite must never hand out a number again after the log is pruned.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer)
    # PostgreSQL: the writing transaction's id (a server default). Commit order is not id
    # order there, so readers follow transaction ids below the oldest one still running.
    tx: Mapped[int | None] = mapped_column(BigInteger, FetchedValue(), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Follower(Base):
    """A search index that follows the change log (one per node), and how far it has read:
    the log is pruned below the lowest position of the followers seen lately."""

    __tablename__ = "change_log_followers"

    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class StoreMark(Base):
    """A named number the store keeps about itself (how far the change log was pruned)."""

    __tablename__ = "store_marks"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Subscriber(Base):
    """Someone who gets the weekly digest for the themes they chose (and, optionally, a
    region) and for their saved searches."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    themes: Mapped[list] = mapped_column(JSON, default=list)  # theme slugs
    # Saved searches, each its canonical query string (hub.digest.searches), oldest first.
    searches: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    region: Mapped[str | None] = mapped_column(String(200))  # a region's place slug
    status: Mapped[str] = mapped_column(String(20), default="unconfirmed", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    deliveries: Mapped[list[DigestDelivery]] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", passive_deletes=True
    )


class DigestDelivery(Base):
    """The ledger: one row per subscriber and ISO week, so a digest is never sent twice."""

    __tablename__ = "digest_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (subscriber_id, week) constraint serves look-ups.
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(10))  # ISO week, "2026-W48"
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    message_id: Mapped[str | None] = mapped_column(String(300))
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    # The end of the window this digest covered: the next digest starts there.
    covered_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    subscriber: Mapped[Subscriber] = relationship(back_populates="deliveries")

    __table_args__ = (UniqueConstraint("subscriber_id", "week", name="uq_deliveries_week"),)


class User(Base):
    """An editor or admin who signs in to add, edit, publish and retire items."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))  # argon2id, with its parameters
    role: Mapped[str] = mapped_column(String(20), default="editor")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Sessions carry the epoch they were issued in; raising it (logout, a new password)
    # ends every session of the account, wherever its cookie was copied to.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """One failed login, counted per account and per client address by every worker process."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))  # "account" or "address"
    key: Mapped[str] = mapped_column(String(300))  # the email typed, or the client address
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_login_failures_scope_key_at", "scope", "key", "at"),)


class Revision(Base):
    """A version of the file an item is edited through (Markdown, or an upload's sidecar)."""

    __tablename__ = "item_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # create, edit, publish, retire, restore...
    author: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)  # the whole file as it was written
    changes: Mapped[list] = mapped_column(JSON, default=list)  # what changed, field by field

    __table_args__ = (UniqueConstraint("item_id", "number", name="uq_revisions_item_number"),)


class AuditEntry(Base):
    """One editor action (or refused login), for admins to review."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    # No foreign key: the log outlives what it talks about.
    item_id: Mapped[int | None] = mapped_column(Integer)
    target: Mapped[str | None] = mapped_column(String(1000))
    detail: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(100))
