"""Editors' changes: a file is written, read back through the ingest path, and stored.

Every item an editor changes lives in a file, as everything ingested does: a case study in
<files>/case_studies/<slug>.md, an upload in <files>/uploads with its sidecar
(<name>.pdf.yml: title, themes, status), <files> being the editors' folder (hub.editor.files). A change rewrites that file, parses the source with
`parse_file` and stores the result with `save_document`, exactly as `hub ingest` would, so
re-ingesting the folders changes nothing. The file, the store, the revision and the audit
entry change together or not at all: the old file is put back if storing fails.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from hub.config import Settings
from hub.corpus import Corpus
from hub.editor import audit, revisions
from hub.editor.case_study_form import CaseStudyFields, field_errors
from hub.editor.files import MARKDOWN, EditableFile, markdown_source, source_of, staged
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.loader import parse_file
from hub.store.database import transaction
from hub.store.models import Item
from hub.store.origins import origin_for
from hub.store.writing import find_top_level, save_document
from hub.text.hashing import sha256_hex
from hub.text.normalise import slugify

log = logging.getLogger(__name__)
STATUS_ACTIONS = {"published": "publish", "retired": "retire", "draft": "draft"}


class EditError(Exception):
    """A change that was refused, nothing saved; `errors` holds problems by field name."""

    def __init__(self, message: str, errors: dict[str, str] | None = None,
                 item_id: int | None = None):
        super().__init__(message)
        self.errors = errors or {}
        self.item_id = item_id


@dataclass(frozen=True)
class Editor:
    """Who makes a change, and from which address (for the audit log)."""

    email: str
    address: str | None = None


@dataclass
class Saved:
    """What a change did: the item (the first document of its file) and what changed."""

    item_id: int
    changes: list[str] = field(default_factory=list)


def root_item(session: Session, origin: str) -> Item | None:
    """The first top-level item stored from a source file."""
    return session.scalar(select(Item).where(Item.primary_origin == origin,
                                             Item.parent_id.is_(None)).order_by(Item.id))


def _refuse_duplicates(session: Session, docs: list[ParsedDocument], origin: str) -> None:
    for doc in docs:
        item, _ = find_top_level(session, doc)
        # Another file's item: storing would merge into it (a duplicate) or, for a Markdown
        # slug, which identifies an item wherever its file is, overwrite it.
        if item is not None and item.primary_origin != origin:
            raise EditError(
                f"This is already in the hub as “{item.title}” (item {item.id}): the same "
                "permalink, or the same title and text. Nothing was saved.", item_id=item.id)


def _move_items(session: Session, old: str, new: str) -> None:
    """Make the items stored from one file the items of another (a case study's copy)."""
    session.execute(update(Item).where(Item.primary_origin == old).values(primary_origin=new))


def _stored_id(corpus: Corpus, source: EditableFile) -> int | None:
    with corpus.session() as session:
        item = root_item(session, source.origin)
        return item.id if item else None


def _parse(corpus: Corpus, source: EditableFile) -> list[ParsedDocument]:
    try:
        docs = parse_file(source.path, source.origin, corpus.parse_context)
    except ParseError as exc:
        raise EditError(f"This file could not be read ({exc.problem}).",
                        {exc.field_name or "file": exc.problem}) from None
    source.identify(docs)
    return docs


def write_source(corpus: Corpus, source: EditableFile, text: str, editor: Editor, action: str,
                 detail: str | None = None) -> Saved:
    """Write the edited file and store what the source now parses to, with a revision and
    an audit entry; EditError (nothing changed) if the source does not parse."""
    previous = source.read()
    if previous == text and (unchanged := _stored_id(corpus, source)) is not None:
        return Saved(unchanged)
    with staged(source.edited, text):
        docs = _parse(corpus, source)
        with transaction(corpus.sessions) as session:
            if source.moved_from is not None:
                _move_items(session, origin_for(source.moved_from), source.origin)
            _refuse_duplicates(session, docs, source.origin)
            for doc in docs:
                save_document(session, doc)
            item = root_item(session, source.origin)
            changes = revisions.record(session, item, source, previous, text, editor.email,
                                       action, corpus.taxonomy)
            audit.record(session, editor.email, action, item_id=item.id, target=item.title,
                         detail=detail or ", ".join(changes), address=editor.address)
    refresh(corpus)
    return Saved(item.id, changes)


def refresh(corpus: Corpus) -> None:
    """Bring search and related items up to date now; the background worker retries failures."""
    try:
        corpus.refresh_caches()
    except Exception:  # noqa: BLE001 - the change is stored and logged; the worker follows it
        log.exception("refreshing the search index after an edit failed")


def managed(session: Session, settings: Settings, status: str | None = None,
            limit: int = 200) -> list[Item]:
    """Top-level items kept in files editors change (content-folder Markdown, editors' case
    studies, uploads), most recently changed first."""
    folders = (origin_for(settings.content_dir), origin_for(settings.case_study_dir),
               origin_for(settings.upload_dir))
    query = select(Item).where(Item.parent_id.is_(None), or_(*(
        Item.primary_origin.startswith(folder + os.sep, autoescape=True) for folder in folders)))
    if status:
        query = query.where(Item.status == status)
    return list(session.scalars(query.order_by(Item.updated_at.desc(), Item.id.desc()).limit(limit)))


def editable(corpus: Corpus, item_id: int, kind: str | None = None) -> tuple[EditableFile, str]:
    """The source of an item editors may change, and its current text; else EditError."""
    with corpus.session() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise EditError(f"No item {item_id}.")
        source = source_of(corpus.settings, item)
    if source is None or (kind and source.kind != kind):
        raise EditError(f"“{item.title}” comes from {Path(item.primary_origin).name}, which is "
                        "not edited here: change that file and ingest it again.")
    return source, source.read() or ""


def text_version(text: str) -> str:
    """A short digest of a file's text: what a form was opened on, to detect edits since."""
    return sha256_hex(text)[:16]


def change_status(corpus: Corpus, item_id: int, status: str, editor: Editor) -> Saved:
    """Publish, retire or return an item (and everything in its file) to draft."""
    if status not in STATUS_ACTIONS:
        raise EditError(f"Unknown status {status!r}.")
    source, text = editable(corpus, item_id)
    current = source.status(text)
    if current == status:
        raise EditError(f"It is {status} already.")
    return write_source(corpus, source, source.with_status(text, status), editor,
                        STATUS_ACTIONS[status], detail=f"{current} → {status}")


def restore(corpus: Corpus, item_id: int, number: int, editor: Editor) -> Saved:
    """Bring back an earlier revision's content; the item keeps its current status."""
    source, text = editable(corpus, item_id)
    with corpus.session() as session:
        found = revisions.revision_diff(session, item_id, number)
    if found is None:
        raise EditError(f"No revision {number} of item {item_id}.")
    restored = source.with_status(found[0].text, source.status(text))
    if restored == text:
        raise EditError(f"Revision {number} is the same as the current version.")
    return write_source(corpus, source, restored, editor, "restore", detail=f"revision {number}")


def _free_path(corpus: Corpus, title: str) -> Path:
    """A case-study file name from the title that no file or stored item uses yet."""
    base = slugify(title)
    base = f"{base}-case-study" if base.upper() == "README" else base  # ingest skips READMEs
    with corpus.session() as session:
        for number in range(1, 1000):
            slug = base if number == 1 else f"{base}-{number}"
            path = corpus.settings.case_study_dir / f"{slug}.md"
            if not path.exists() and not session.scalar(
                    select(Item.id).where(Item.key == f"md:{slug}")):
                return path
    raise EditError("Too many case studies with this title.", {"title": "choose another title"})


def save_case_study(corpus: Corpus, fields: CaseStudyFields, editor: Editor,
                    item_id: int | None = None, version: str | None = None) -> Saved:
    """Create (as a draft) or edit a case study; EditError with problems by field."""
    taxonomy = corpus.taxonomy
    if item_id is None:
        source, action = markdown_source(_free_path(corpus, fields.title)), "create"
        fields.status = "draft"
    else:
        source, text = editable(corpus, item_id, MARKDOWN)
        if version is not None and version != text_version(text):
            raise EditError("Someone changed this case study after you opened it; your changes "
                            "were not saved. Open it again to see their version.")
        current = CaseStudyFields.from_text(text, source.origin, taxonomy)
        fields.status, fields.kept, action = current.status, current.kept, "edit"
    errors = field_errors(fields, taxonomy, source.origin)
    if errors:
        raise EditError("The case study was not saved: correct the fields marked.", errors)
    return write_source(corpus, source, fields.text(taxonomy), editor, action)
