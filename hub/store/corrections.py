"""Editors' corrections over what a source says: applied whenever an item is written.

An item shows its source's values except where an editor corrected them (`Correction.fields`);
a status corrected on a report holds for everything in it unless a section has its own. What
the source gave for each corrected field is kept (`Correction.source`), so a withdrawn
correction puts it back without reading the file again, and a re-ingest of a changed file
refreshes it while the correction stays. The item's content hash is the source's hash plus
its corrections, so re-ingesting the same file finds nothing changed.
"""

from __future__ import annotations

import json

from hub.store.models import STATUSES, Correction, Item, Tag
from hub.text.dates import iso_date, parse_partial_date, truncate
from hub.text.hashing import sha256_hex

TAG_KINDS = {"themes": "theme", "places": "place", "organisations": "organisation"}
FIELDS = ("title", "summary", "date", *TAG_KINDS, "status")
EDITOR_EVIDENCE = "corrected by an editor"


def value_of(item: Item, name: str):
    """What an item shows for a field now, as corrections hold it (JSON: dates in ISO, the
    date's precision by its length; tags with their evidence, so they come back whole)."""
    if name == "date":
        return iso_date(item.published, item.date_precision)
    if name in TAG_KINDS:
        return [[t.value, t.evidence, t.inferred] for t in item.tags if t.kind == TAG_KINDS[name]]
    return getattr(item, name)


def shown(value, name: str):
    """A field's value as an editor sees it (tags: their slugs)."""
    if name in TAG_KINDS:
        return [entry[0] if isinstance(entry, list) else entry for entry in value or []]
    return value


def _write(item: Item, name: str, value) -> None:
    if name == "date":
        parsed = parse_partial_date(value) if value else None
        item.published = truncate(*parsed) if parsed else None
        item.date_precision = parsed[1] if parsed else "day"
    elif name in TAG_KINDS:
        kind = TAG_KINDS[name]
        rows = [entry if isinstance(entry, list) else [entry, EDITOR_EVIDENCE, False]
                for entry in value or []]
        item.tags = [t for t in item.tags if t.kind != kind] + [
            Tag(kind=kind, value=slug, evidence=evidence, inferred=inferred)
            for slug, evidence, inferred in rows]
    elif name == "status":
        if value not in STATUSES:
            raise ValueError(f"unknown status {value!r}")
        item.status = value
    else:  # title, summary
        setattr(item, name, value)


def corrected_hash(source_hash: str, fields: dict | None) -> str:
    """The content hash of an item with these corrections over a source with this hash."""
    if not fields:
        return source_hash
    return sha256_hex(source_hash, json.dumps(fields, sort_keys=True))


def stored_hash(item: Item, source_hash: str) -> str:
    """The hash an item stored from a source with this hash holds, corrections and all."""
    row = item.correction
    return corrected_hash(source_hash, row.fields if row else None)


def status_below(item: Item, inherited: str | None) -> str | None:
    """The status correction in force for what sits inside an item."""
    row = item.correction
    return (row.fields or {}).get("status", inherited) if row else inherited


def settle(item: Item, inherited: str | None = None, fresh: str | None = None) -> str | None:
    """Make an item show its corrections (and a status corrected on a report above it) over
    its source's values; `fresh` is the source's hash when the item was just written from it.
    Returns the status correction in force for what sits inside it."""
    row = item.correction
    own = dict(row.fields or {}) if row else {}
    status = own.get("status", inherited)
    wanted = {name: value for name, value in own.items() if name != "status"}
    if status is not None:
        wanted["status"] = status
    if row is None:
        if not wanted:
            return status
        row = item.correction = Correction(fields={}, source={}, source_hash=item.content_hash)
    if fresh is not None:  # the item holds its source's values again: they are the new ones
        row.source = {name: value_of(item, name) for name in row.source}
        row.source_hash = fresh
    source = dict(row.source or {})
    for name in [name for name in source if name not in wanted]:
        _write(item, name, source.pop(name))
    for name, value in wanted.items():
        source.setdefault(name, value_of(item, name))
        _write(item, name, value)
    row.source = source
    item.content_hash = corrected_hash(row.source_hash, own)
    if not own and not source:
        item.correction = None
    return status


def tree(item: Item) -> list[Item]:
    """An item and everything inside it, in reading order."""
    found = [item]
    for child in item.children:
        found.extend(tree(child))
    return found
