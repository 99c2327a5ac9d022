"""The delivery ledger: one row per subscriber and ISO week, each step committed before the next.

pending -> sending (committed just before the SMTP conversation) -> sent, or back to pending
(the server said "try later"), or failed (refused for good), or skipped (nothing new). A row
left in "sending" means the sender died mid-send: whether the server took the message is
unknown, so the row is reported for review and never sent again automatically.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hub.store.models import DigestDelivery, utcnow

DONE = ("sent", "skipped", "failed")


def iso_week(moment: dt.datetime) -> str:
    """The ISO week of a moment, as "2026-W48"."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def rows_for_week(session: Session, week: str) -> dict[int, DigestDelivery]:
    """This week's ledger rows by subscriber id."""
    rows = session.scalars(select(DigestDelivery).where(DigestDelivery.week == week))
    return {row.subscriber_id: row for row in rows}


def covered_until(session: Session, subscriber_id: int) -> dt.datetime | None:
    """Where the subscriber's last digest (sent or skipped) stopped: the next one starts there."""
    return session.scalar(
        select(DigestDelivery.covered_until)
        .where(DigestDelivery.subscriber_id == subscriber_id,
               DigestDelivery.covered_until.is_not(None))
        .order_by(DigestDelivery.covered_until.desc()).limit(1))


def open_row(session: Session, subscriber_id: int, week: str) -> DigestDelivery:
    """This week's row for the subscriber, created as pending and committed if missing."""
    query = (select(DigestDelivery)
             .where(DigestDelivery.subscriber_id == subscriber_id, DigestDelivery.week == week)
             .execution_options(populate_existing=True))  # fresh: another run may have moved it
    row = session.scalar(query)
    if row is None:
        session.add(DigestDelivery(subscriber_id=subscriber_id, week=week, status="pending"))
        try:
            session.commit()
        except IntegrityError:  # another run created it first: use theirs
            session.rollback()
        row = session.scalar(query)
    return row


def claim(session: Session, row: DigestDelivery, message_id: str, item_count: int) -> bool:
    """Move pending -> sending and commit; False if another run got there first."""
    result = session.execute(
        update(DigestDelivery)
        .where(DigestDelivery.id == row.id, DigestDelivery.status == "pending")
        .values(status="sending", message_id=message_id, item_count=item_count,
                attempts=DigestDelivery.attempts + 1, updated_at=utcnow()))
    session.commit()
    session.refresh(row)
    return result.rowcount == 1


def settle(session: Session, row: DigestDelivery, status: str, error: str | None = None,
           until: dt.datetime | None = None) -> None:
    """Record how a step ended, and commit."""
    row.status, row.error = status, error
    if until is not None:
        row.covered_until = until
    session.commit()
