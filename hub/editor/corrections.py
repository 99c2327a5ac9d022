"""Corrections to items no file of the hub's holds: ingested documents, and the sections and
case studies inside any report. Title, summary, date, themes, places, organisations and status
are kept in the store beside what the source says (hub.store.corrections), so re-ingesting
the source keeps them; each change is a revision of the item (its corrections as YAML) with
an audit entry, and restore brings an earlier set back.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from sqlalchemy.orm import Session

from hub.corpus import Corpus
from hub.editor import audit, changes, revisions
from hub.editor.changes import STATUS_ACTIONS, EditError, Editor, Saved, refresh, text_version
from hub.editor.files import source_of
from hub.store import corrections
from hub.store.corrections import FIELDS, TAG_KINDS
from hub.store.database import transaction
from hub.store.models import STATUSES, Correction, Item
from hub.store.writing import queue_for_index
from hub.text.dates import iso_date, parse_partial_date

MAX_TITLE, MAX_SUMMARY = 300, 2000
INGESTED = "(the ingested file)"


@dataclass
class Correctable:
    """An item's fields as an editor corrects them, and which of them are corrected now."""

    item_id: int
    values: dict
    corrected: set[str]


def correctable(settings, item: Item) -> bool:
    """Whether an item is corrected here: it is in no file the hub edits (a case study's
    Markdown, an upload's sidecar, each corrected in its own form)."""
    return source_of(settings, item) is None


def inherited_status(item: Item) -> str | None:
    """The status corrected on the nearest report above an item that has one."""
    status = None
    for above in item.ancestors():  # outermost first: the nearest one wins
        status = corrections.status_below(above, status)
    return status


def _baseline(item: Item, name: str):
    """What the item would show for a field without its own correction."""
    row = item.correction
    if name == "status" and (above := inherited_status(item)) is not None:
        return above
    value = row.source[name] if row and name in (row.source or {}) else corrections.value_of(
        item, name)
    return corrections.shown(value, name)


def current(item: Item) -> Correctable:
    """The values an item shows, for the form."""
    row = item.correction
    values = {name: corrections.shown(corrections.value_of(item, name), name) for name in FIELDS}
    return Correctable(item.id, values, set((row.fields or {}) if row else ()))


def document(item: Item) -> str:
    """An item's own corrections as YAML: what a revision holds."""
    row = item.correction
    fields = (row.fields or {}) if row else {}
    return yaml.safe_dump({name: fields[name] for name in FIELDS if name in fields},
                          sort_keys=False, allow_unicode=True, width=100)


def checked(values: dict, taxonomy) -> dict:
    """The editor's values made canonical; EditError naming every field that is wrong."""
    errors, clean = {}, {}
    for name, value in values.items():
        if name not in FIELDS:
            raise EditError(f"{name} cannot be corrected.")
        if name in TAG_KINDS:
            known = getattr(taxonomy, name)
            unknown = [slug for slug in value if slug not in known]
            if unknown:
                errors[name] = f"unknown {TAG_KINDS[name]} {unknown[0]!r}"
            clean[name] = list(dict.fromkeys(value))
            continue
        text = " ".join(str(value or "").split())
        if name == "title":
            if not text or len(text) > MAX_TITLE:
                errors[name] = f"give a title of at most {MAX_TITLE} characters"
        elif name == "summary":
            text = text or None
            if text and len(text) > MAX_SUMMARY:
                errors[name] = f"at most {MAX_SUMMARY} characters"
        elif name == "date" and text:
            parsed = parse_partial_date(text)
            if parsed is None:
                errors[name] = "a year (2008), a month (May 2008) or a day (12 May 2008)"
            text = iso_date(*parsed) if parsed else text
        elif name == "date":
            text = None
        elif name == "status" and text not in STATUSES:
            errors[name] = f"one of {', '.join(STATUSES)}"
        clean[name] = text
    if errors:
        raise EditError("Nothing was saved: correct the fields marked.", errors)
    return clean


def _same(name: str, one, other) -> bool:
    if name in TAG_KINDS:
        return sorted(one or []) == sorted(other or [])
    if isinstance(one, str) and isinstance(other, str):  # a form's line breaks are no change
        return one.split() == other.split()
    return one == other


def _settle_tree(session: Session, item: Item) -> None:
    """Apply an item's corrections to it and everything inside it; queue what changed."""
    def walk(node: Item, above: str | None) -> None:
        before = (node.content_hash, node.status)
        below = corrections.settle(node, above)
        if (node.content_hash, node.status) != before:
            queue_for_index(session, node)
        for child in node.children:
            walk(child, below)

    walk(item, inherited_status(item))


def _load(session: Session, corpus: Corpus, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise EditError(f"No item {item_id}.")
    if not correctable(corpus.settings, item):
        raise EditError(f"“{item.title}” is kept in a file the hub edits: change it there.")
    return item


def _store(session: Session, item: Item, fields: dict) -> None:
    row = item.correction
    if row is None and fields:
        item.correction = Correction(fields=fields, source={},
                                                 source_hash=item.content_hash)
    elif row is not None:
        row.fields = fields
    _settle_tree(session, item)


def version(item: Item) -> str:
    """A digest of an item's corrections: what a form was opened on, to detect edits since."""
    return text_version(document(item))


def correct(corpus: Corpus, item_id: int, values: dict, editor: Editor,
            opened: str | None = None) -> Saved:
    """Set the fields given (others stay as they are); a value the same as the source's
    withdraws the correction. One revision and audit entry; nothing if nothing changed.
    `opened`: the version the form was opened on (a newer change is not overwritten)."""
    values = checked(values, corpus.taxonomy)
    with transaction(corpus.sessions) as session:
        item = _load(session, corpus, item_id)
        previous = document(item)
        if opened is not None and opened != text_version(previous):
            raise EditError("Someone corrected this item after you opened it; your changes "
                            "were not saved. Open it again to see their version.")
        before = dict((item.correction.fields or {}) if item.correction else {})
        fields = dict(before)
        for name, value in values.items():
            fields.pop(name, None)
            if not _same(name, value, _baseline(item, name)):
                fields[name] = value
        changed = [name for name in FIELDS if not _same(name, fields.get(name), before.get(name))]
        if not changed:
            return Saved(item.id, [])
        _store(session, item, fields)
        action = STATUS_ACTIONS[values["status"]] if changed == ["status"] else "correct"
        _record(session, item, previous, action, editor, changed)
    refresh(corpus)
    return Saved(item_id, changed)


def change_status(corpus: Corpus, item_id: int, status: str, editor: Editor) -> Saved:
    """Publish, retire or return to draft an item and everything in it."""
    saved = correct(corpus, item_id, {"status": status}, editor)
    if not saved.changes:
        raise EditError(f"It is {status} already.")
    return saved


def restore(corpus: Corpus, item_id: int, number: int, editor: Editor) -> Saved:
    """Bring back an earlier revision's corrections; the item keeps its current status."""
    with transaction(corpus.sessions) as session:
        item = _load(session, corpus, item_id)
        found = revisions.revision_diff(session, item_id, number)
        if found is None:
            raise EditError(f"No revision {number} of item {item_id}.")
        fields = yaml.safe_load(found[0].text) or {}
        now = (item.correction.fields or {}) if item.correction else {}
        fields = {name: fields[name] for name in FIELDS if name in fields and name != "status"}
        if "status" in now:
            fields["status"] = now["status"]
        previous = document(item)
        _store(session, item, fields)
        if document(item) == previous:
            raise EditError(f"Revision {number} is the same as the current version.")
        _record(session, item, previous, "restore", editor, [f"revision {number}"])
    refresh(corpus)
    return Saved(item_id, [f"revision {number}"])


def _kept_in_file(corpus: Corpus, item_id: int) -> bool:
    with corpus.session() as session:
        item = session.get(Item, item_id)
        return item is not None and not correctable(corpus.settings, item)


def set_status(corpus: Corpus, item_id: int, status: str, editor: Editor) -> Saved:
    """Publish, retire or return to draft any item: in its file when the hub edits one,
    else as a correction."""
    if _kept_in_file(corpus, item_id):
        return changes.change_status(corpus, item_id, status, editor)
    return change_status(corpus, item_id, status, editor)


def restore_revision(corpus: Corpus, item_id: int, number: int, editor: Editor) -> Saved:
    """Restore a revision of any item: its file's, or its corrections'."""
    if _kept_in_file(corpus, item_id):
        return changes.restore(corpus, item_id, number, editor)
    return restore(corpus, item_id, number, editor)


def _record(session: Session, item: Item, previous: str, action: str, editor: Editor,
            what: list[str]) -> None:
    latest = revisions.latest_revision(session, item.id)
    if latest is None or latest.text != previous:
        # The first correction: keep the item as ingested, so it can be restored.
        revisions.add_revision(session, item, "ingested", INGESTED, previous,
                               ["before any correction"])
    revisions.add_revision(session, item, action, editor.email, document(item), what)
    audit.record(session, editor.email, action, item_id=item.id, target=item.title,
                 detail=", ".join(what), address=editor.address)
