"""The audit log: who did what to which item, and from where; admins read it on the web."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.store.models import AuditEntry

# What each action means, for the admin's page; record() refuses anything else.
ACTIONS = {
    "login": "logged in",
    "login-refused": "login refused (wrong email or password)",
    "login-locked": "login refused (too many failed attempts)",
    "logout": "logged out",
    "user-added": "account added",
    "password-set": "password changed",
    "create": "created",
    "edit": "edited",
    "upload": "uploaded",
    "upload-refused": "upload refused",
    "correct": "corrected",
    "publish": "published",
    "retire": "retired",
    "draft": "returned to draft",
    "restore": "restored a revision",
}


def record(session: Session, actor: str, action: str, *, item_id: int | None = None,
           target: str | None = None, detail: str | None = None,
           address: str | None = None) -> AuditEntry:
    """Add one entry in the caller's transaction (so it commits, or not, with the change)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(actor=actor[:254], action=action, item_id=item_id,
                       target=target[:1000] if target else None, detail=detail,
                       address=address[:100] if address else None)
    session.add(entry)
    return entry


def entries(session: Session, page: int = 1, per_page: int = 50,
            action: str | None = None) -> tuple[list[AuditEntry], int]:
    """One page of entries, newest first, and how many there are in all."""
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.id.desc())
                           .offset((page - 1) * per_page).limit(per_page))
    return list(rows), total
