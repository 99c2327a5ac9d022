"""The change log: what changed, in an order every reader can follow exactly.

Every store write appends a Change in its own transaction (`append`). A reader (each node's
search index) keeps its own position and reads the changes from there up to the horizon
(`changed_items`): the position below which no transaction can still add a change.

- SQLite runs one writing transaction at a time, so changes commit in id order: a position is
  an id, and the horizon is one past the highest id ever handed out.
- PostgreSQL numbers a row when it is inserted, but transactions commit in any order: change 11
  may commit after change 12, and a reader that moved past 12 would never see 11. There a
  position is a transaction id: the horizon is the oldest transaction still running (the
  snapshot's xmin), so every change below it has committed or never will.

Followers register their position (`register`); `prune` deletes the log below the lowest
position of the followers seen within FOLLOWER_EXPIRY and raises the floor to it. An index with
no position, or one below the floor, has missed changes: it must be rebuilt from the store.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, delete, event, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from hub.store.models import Change, Follower, Item, StoreMark, utcnow

FOLLOWER_EXPIRY = dt.timedelta(days=7)
FLOOR = "change_log_floor"
_WAITING = "hub.changes.waiting"  # session.info key: items whose changes await the flush


def append(session: Session, item: Item) -> None:
    """Log that an item changed, in the caller's transaction (with the session's next flush)."""
    waiting = session.info.get(_WAITING)
    if waiting is None:
        waiting = session.info[_WAITING] = set()
        event.listen(session, "after_flush_postexec", _write_waiting)
    waiting.add(item)


def _write_waiting(session: Session, _context) -> None:
    # After the flush every waiting item has its id: one insert for all of them, rather than
    # a flush per item to learn its id (a round trip each on a database across the network).
    waiting = session.info[_WAITING]
    ids = sorted({item.id for item in waiting if item.id is not None})
    waiting.clear()
    if ids:
        session.execute(insert(Change), [{"item_id": i, "at": utcnow()} for i in ids])


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _position(session: Session) -> ColumnElement[int]:
    return Change.tx if _postgres(session) else Change.id


def horizon(session: Session) -> int:
    """The position below which every change has committed (or never will)."""
    if _postgres(session):
        return int(session.scalar(text(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")))
    # sqlite_sequence keeps the highest id ever handed out, even after pruning emptied the log.
    issued = session.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'"))
    return int(issued or 0) + 1


def changed_items(session: Session, start: int, end: int) -> set[int]:
    """The ids of the items changed at positions start <= p < end."""
    position = _position(session)
    return set(session.scalars(select(Change.item_id).distinct()
                               .where(position >= start, position < end)))


def pending(session: Session, start: int | None) -> int:
    """How many changes are logged at or after a position (all of them for None)."""
    query = select(func.count(Change.id))
    if start is not None:
        query = query.where(_position(session) >= start)
    return session.scalar(query) or 0


def floor(session: Session) -> int:
    """The position below which the log has been pruned."""
    return session.scalar(select(StoreMark.value).where(StoreMark.name == FLOOR)) or 0


def register(session: Session, name: str, position: int) -> None:
    """Record how far a follower has read (and that it is alive), in the caller's transaction."""
    insert = postgres_insert if _postgres(session) else sqlite_insert
    now = utcnow()
    statement = insert(Follower).values(name=name, position=position, seen_at=now)
    session.execute(statement.on_conflict_do_update(
        index_elements=[Follower.name], set_={"position": position, "seen_at": now}))


def followers(session: Session) -> list[Follower]:
    """Every registered follower, the furthest behind first."""
    return list(session.scalars(select(Follower).order_by(Follower.position, Follower.name)))


def prune(session: Session, now: dt.datetime | None = None) -> int:
    """Delete the changes every live follower has read and raise the floor; returns how many."""
    seen = (now or utcnow()) - FOLLOWER_EXPIRY
    lowest = session.scalar(select(func.min(Follower.position)).where(Follower.seen_at >= seen))
    if lowest is None:
        return 0
    session.execute(update(StoreMark).where(StoreMark.name == FLOOR, StoreMark.value < lowest)
                    .values(value=lowest))
    return session.execute(delete(Change).where(_position(session) < lowest)).rowcount or 0
