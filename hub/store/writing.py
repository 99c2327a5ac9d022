"""Write parsed documents into the store: identity, duplicates, provenance and the change log.

Identity: an explicit key (a Markdown slug) or the permalink where there is one; otherwise
the hash of the folded title and text. A document that matches an item stored from another
source is a duplicate: it adds its source (and a permalink the item lacked) and nothing else,
so the item's content always comes from the source that first brought it.
"""

from __future__ import annotations

import enum
import json

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from hub.indexing.document import ParsedDocument
from hub.store import changes, corrections
from hub.store.models import Item, Outcome, Source, Tag
from hub.store.origins import path_for
from hub.text.dates import iso_date, truncate
from hub.text.hashing import fingerprint, sha256_hex
from hub.text.normalise import title_key
from hub.text.similarity import MERGE_AT_INGEST, resemblance


class Result(enum.StrEnum):
    """What saving one document did to the store."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MERGED = "merged"


def url_key(url: str | None) -> str | None:
    """The identity key for a permalink."""
    return f"url:{url.strip()}" if url and url.strip() else None


def content_hash(doc: ParsedDocument) -> str:
    """A hash of everything about a document that the store keeps as its content."""
    payload = {
        "title": doc.title, "type": doc.type, "text": doc.text, "html": doc.html,
        # The date as far as it is known: a change of precision is a change, and a whole date
        # hashes as it did before precision was recorded (no spurious updates on re-ingest).
        "summary": doc.summary, "date": iso_date(doc.date, doc.date_precision),
        "number": doc.number, "pages": [doc.page_start, doc.page_end],
        "footnotes": doc.footnotes, "extra": doc.extra, "status": doc.status,
        "tags": sorted((t.kind, t.value, t.inferred, "|".join(t.evidence)) for t in doc.tags),
        "outcomes": [
            (o.amount_text, o.amount_gbp, o.amount_high_gbp, o.period, o.kind, o.sentence,
             *([o.status] if o.status else []))  # rows from before status hash as they did
            for o in doc.outcomes
        ],
    }
    return sha256_hex(json.dumps(payload, sort_keys=True, default=str))


def find_top_level(session: Session, doc: ParsedDocument) -> tuple[Item | None, bool]:
    """The stored item a top-level document is, and whether it is the same source's own
    (False: it is a duplicate of an item another source brought)."""
    key, printed, titled = url_key(doc.url), fingerprint(doc.title, doc.text), title_key(doc.title)
    # One round trip for every way a document can already be stored (a database on another
    # machine pays for each); the order of the checks below decides between them.
    keys = [k for k in (doc.key, key) if k]
    found = session.scalars(select(Item).where(or_(
        Item.key.in_(keys) if keys else false(),
        and_(Item.parent_id.is_(None),
             or_(Item.fingerprint == printed, Item.title_key == titled))))
        .order_by(Item.id)).all()
    if doc.key and (item := next((i for i in found if i.key == doc.key), None)):
        # An explicit key (a Markdown slug) follows its file when the file moves; while the
        # file it was stored from is still there (an editor's copy of a content-folder case
        # study), that one decides and this is a duplicate.
        return item, item.primary_origin == doc.origin or not path_for(item.primary_origin).exists()
    if key and (item := next((i for i in found if i.key == key), None)):
        return item, item.primary_origin == doc.origin
    top = [i for i in found if i.parent_id is None]
    if item := next((i for i in top if i.fingerprint == printed), None):
        return item, item.primary_origin == doc.origin
    same_title = [i for i in top if i.title_key == titled]
    for item in same_title:
        if item.primary_origin == doc.origin and item.type == doc.type:
            return item, True  # the same file's article, edited since
    for item in same_title:
        if resemblance(item.body_text, doc.text) >= MERGE_AT_INGEST:
            return item, False
    return None, False


def _find_child(session: Session, doc: ParsedDocument, parent: Item) -> Item | None:
    return session.scalar(
        select(Item).where(Item.parent_id == parent.id, Item.anchor == doc.anchor)
    )


def _write_fields(item: Item, doc: ParsedDocument, hashed: str) -> None:
    item.type = doc.type
    item.title = doc.title
    item.title_key = title_key(doc.title)
    item.fingerprint = fingerprint(doc.title, doc.text)
    item.summary = doc.summary
    item.body_text = doc.text
    item.body_html = doc.html
    item.footnotes = "\n".join(doc.footnotes) or None
    item.published = truncate(doc.date, doc.date_precision) if doc.date else None
    item.date_precision = doc.date_precision if doc.date else "day"
    item.number = doc.number
    item.page_start, item.page_end = doc.page_start, doc.page_end
    item.extra = dict(doc.extra)
    item.status = doc.status
    item.content_hash = hashed
    item.tags = [Tag(kind=t.kind, value=t.value, evidence="; ".join(t.evidence),
                     inferred=t.inferred) for t in _unique_tags(doc)]
    item.outcomes = [
        Outcome(position=i, text=o.sentence, amount_text=o.amount_text, amount_gbp=o.amount_gbp,
                amount_high_gbp=o.amount_high_gbp, period=o.period, kind=o.kind,
                status=o.status)
        for i, o in enumerate(doc.outcomes)
    ]


def _unique_tags(doc: ParsedDocument):
    seen = set()
    for tag in doc.tags:
        if (tag.kind, tag.value) not in seen:
            seen.add((tag.kind, tag.value))
            yield tag


def _add_source(item: Item, doc: ParsedDocument) -> bool:
    """Record that the item was seen in the document's source; False if already known."""
    for source in item.sources:
        if source.origin == doc.origin:
            source.url = doc.url or source.url
            source.label = doc.label
            return False
    item.sources.append(Source(origin=doc.origin, label=doc.label, url=doc.url))
    return True


def queue_for_index(session: Session, item: Item) -> None:
    """Log the item's change for every index to redo, in the caller's transaction."""
    changes.append(session, item)


def save_document(
    session: Session, doc: ParsedDocument, parent: Item | None = None, position: int = 0,
    corrected_status: str | None = None,
) -> list[Result]:
    """Store a document tree, editors' corrections kept over it (`corrected_status`: one
    made on a report above it); one Result per document, parents first."""
    if parent is None:
        item, own = find_top_level(session, doc)
    else:
        item, own = _find_child(session, doc, parent), True
    hashed = content_hash(doc)
    if item is None:
        item = Item(key=doc.key or url_key(doc.url), url=doc.url, primary_origin=doc.origin,
                    parent=parent, position=position, anchor=doc.anchor)
        _write_fields(item, doc, hashed)
        session.add(item)
        _add_source(item, doc)
        result = Result.NEW
    elif own:
        moved_url = bool(doc.url) and doc.url != item.url
        changed = (item.content_hash != corrections.stored_hash(item, hashed)
                   or item.position != position or moved_url)
        if changed:
            _write_fields(item, doc, hashed)
            item.position = position
            if moved_url:
                item.url = doc.url
                item.key = doc.key or url_key(doc.url)
        item.primary_origin = doc.origin
        new_source = _add_source(item, doc)
        result = Result.UPDATED if changed else Result.MERGED if new_source else Result.UNCHANGED
    else:
        result = _merge_duplicate(item, doc)
        if result is Result.UNCHANGED:
            return [result]
        queue_for_index(session, item)
        return [result]  # a duplicate's own children belong to the item already stored
    if result in (Result.NEW, Result.UPDATED):
        below = corrections.settle(item, corrected_status, fresh=hashed)
    else:
        below = corrections.status_below(item, corrected_status) if doc.children else None
    if result is not Result.UNCHANGED:
        queue_for_index(session, item)
    results = [result]
    for index, child in enumerate(doc.children):
        results.extend(save_document(session, child, item, index, below))
    return results


def _merge_duplicate(item: Item, doc: ParsedDocument) -> Result:
    new_source = _add_source(item, doc)
    if doc.url and not item.url:
        item.url = doc.url
        item.key = item.key or url_key(doc.url)
        return Result.MERGED
    return Result.MERGED if new_source else Result.UNCHANGED
