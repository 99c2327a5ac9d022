"""Revisions: every version of an edited file, who wrote it, when, and what changed."""

from __future__ import annotations

import difflib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.editor.case_study_form import CaseStudyFields
from hub.editor.files import MARKDOWN, EditableFile
from hub.indexing.document import ParseError
from hub.store.models import Item, Revision

FILE_AUTHOR = "(the file on disk)"


def record(session: Session, item: Item, source: EditableFile, previous: str | None, text: str,
           author: str, action: str, taxonomy) -> list[str]:
    """Add the revision for a change (and, first, the file as found if it was edited on disk
    since the last revision); returns what changed."""
    latest = latest_revision(session, item.id)
    if previous is not None and (latest is None or latest.text != previous):
        # The file was written outside the hub since (or before) the last revision: keep that
        # version too, so it can be restored.
        add_revision(session, item, "file", FILE_AUTHOR, previous, ["as found on disk"])
    changes = changed_fields(source, previous, text, taxonomy)
    add_revision(session, item, action, author, text, changes)
    return changes


def add_revision(session: Session, item: Item, action: str, author: str, text: str,
                 changes: list[str]) -> Revision:
    """Add one revision of an item, numbered after its last."""
    number = (session.scalar(select(func.max(Revision.number))
                             .where(Revision.item_id == item.id)) or 0) + 1
    revision = Revision(item_id=item.id, number=number, action=action, author=author,
                        text=text, changes=changes)
    session.add(revision)
    session.flush()
    return revision


def changed_fields(source: EditableFile, old: str | None, new: str, taxonomy) -> list[str]:
    """What differs between two versions of a file: field names, "body", status moves.

    Case studies are compared as the form sees them (names resolved, the default status
    filled in), so rewriting a hand-written file in the hub's layout is not a change.
    """
    if old is None:
        return ["created"]
    if source.kind == MARKDOWN:
        try:
            before = CaseStudyFields.from_text(old, source.origin, taxonomy)
        except ParseError:  # the old file had no usable front matter
            return ["front matter", "body"]
        names = CaseStudyFields.from_text(new, source.origin, taxonomy).changes_from(before)
    else:
        (first, _), (second, _) = source.split(old), source.split(new)
        names = [k for k in dict.fromkeys([*first, *second]) if first.get(k) != second.get(k)]
    return [f"status: {source.status(old)} → {source.status(new)}" if name == "status" else name
            for name in names]


def latest_revision(session: Session, item_id: int) -> Revision | None:
    """The newest revision of an item, or None."""
    return session.scalar(select(Revision).where(Revision.item_id == item_id)
                          .order_by(Revision.number.desc()))


def history(session: Session, item_id: int) -> list[Revision]:
    """An item's revisions, newest first."""
    return list(session.scalars(select(Revision).where(Revision.item_id == item_id)
                                .order_by(Revision.number.desc())))


def revision_diff(session: Session, item_id: int, number: int) -> tuple[Revision, str] | None:
    """A revision and a unified diff from the one before it, or None if there is none."""
    revision = session.scalar(select(Revision).where(Revision.item_id == item_id,
                                                     Revision.number == number))
    if revision is None:
        return None
    before = session.scalar(select(Revision.text).where(
        Revision.item_id == item_id, Revision.number == number - 1)) or ""
    lines = difflib.unified_diff(before.splitlines(), revision.text.splitlines(),
                                 f"revision {number - 1}", f"revision {number}", lineterm="")
    return revision, "\n".join(lines)


def recent_revisions(session: Session, limit: int = 15) -> list[tuple[Revision, Item]]:
    """The latest revisions of any item, newest first, with their items."""
    rows = session.execute(select(Revision, Item).join(Item, Item.id == Revision.item_id)
                           .order_by(Revision.id.desc()).limit(limit))
    return [(revision, item) for revision, item in rows]
