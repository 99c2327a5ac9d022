"""Editors' changes: a file is written, read back through the ingest path, and stored.

Every item an editor changes lives in a file, as everything ingested does: a case study in
<content>/case_studies/<slug>.md, an upload in $HUB_HOME/uploads with its sidecar
(<name>.pdf.yml: title, themes, status). A change rewrites that file, parses the source with
`parse_file` and stores the result with `save_document`, exactly as `hub ingest` would, so
re-ingesting the folders changes nothing. The file, the store, the revision and the audit
entry change together or not at all: the old file is put back if storing fails.
"""

from __future__ import annotations

import difflib
import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hub import audit
from hub.case_study_file import CaseStudyFields, field_errors, markdown_file
from hub.config import Settings
from hub.corpus import Corpus, origin_for, path_for
from hub.indexing.case_study import split_front_matter
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.loader import parse_file
from hub.indexing.text import digest, slugify
from hub.models import Item, Revision, transaction
from hub.storage import find_top_level, save_document

log = logging.getLogger(__name__)
MARKDOWN, UPLOAD = "markdown", "upload"
STATUS_ACTIONS = {"published": "publish", "retired": "retire", "draft": "draft"}
FILE_AUTHOR = "(the file on disk)"


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


@dataclass(frozen=True)
class Source:
    """The file the parser reads, and the file editors' changes are written to."""

    kind: str  # MARKDOWN: both are the .md file; UPLOAD: the upload and its sidecar
    path: Path
    edited: Path

    @property
    def origin(self) -> str:
        """How the store names the source file."""
        return origin_for(self.path)

    def read(self) -> str | None:
        """The edited file's text exactly as stored, or None when it does not exist yet."""
        if not self.edited.exists():
            return None
        return self.edited.read_bytes().decode("utf-8", errors="replace")

    def split(self, text: str) -> tuple[dict, str]:
        """The fields and body of a version of the edited file (a broken one: no fields)."""
        try:
            if self.kind == MARKDOWN:
                return split_front_matter(text, self.origin)
            meta = yaml.safe_load(text)
            return (meta if isinstance(meta, dict) else {}), ""
        except (ParseError, yaml.YAMLError):
            return {}, text

    def status(self, text: str | None) -> str:
        """The status a version of the file gives (published when it names none)."""
        return str(self.split(text or "")[0].get("status", "published"))

    def with_status(self, text: str, status: str) -> str:
        """The same version with another status."""
        meta, body = self.split(text)
        meta["status"] = status
        if self.kind == MARKDOWN:
            return markdown_file(meta, body)
        return sidecar_text(meta)

    def identify(self, docs: list[ParsedDocument]) -> None:
        """Give an upload's documents an identity that follows the file, not its title."""
        if self.kind != UPLOAD:
            return
        for number, doc in enumerate(docs):
            if not doc.url:
                doc.key = f"upload:{self.path.name}" + (f"#{number}" if number else "")


def markdown_source(path: Path) -> Source:
    """A Markdown file, edited in place."""
    return Source(MARKDOWN, path, path)


def upload_source(path: Path) -> Source:
    """An uploaded file, corrected through its sidecar."""
    return Source(UPLOAD, path, path.with_name(path.name + ".yml"))


def sidecar_text(meta: dict) -> str:
    """A sidecar file for these fields."""
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)


def _inside(path: Path, folder: Path) -> bool:
    return path.is_relative_to(folder.resolve())


def source_of(settings: Settings, item: Item) -> Source | None:
    """The file an item is edited through, or None for items the hub does not edit."""
    if item.parent_id is not None:
        return None
    path = path_for(item.primary_origin)
    if path.suffix.lower() in (".md", ".markdown") and _inside(path, settings.content_dir):
        return markdown_source(path)
    if _inside(path, settings.upload_dir) and path.exists():
        return upload_source(path)
    return None


@dataclass
class Saved:
    """What a change did: the item (the first document of its file) and what changed."""

    item_id: int
    changes: list[str] = field(default_factory=list)


@contextmanager
def staged(path: Path, text: str) -> Iterator[None]:
    """Write a file atomically; put the old one back if the block fails."""
    old = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, text.encode("utf-8"))
    try:
        yield
    except BaseException:
        if old is None:
            path.unlink(missing_ok=True)
        else:
            _write_atomically(path, old)
        raise


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def root_item(session: Session, origin: str) -> Item | None:
    """The first top-level item stored from a source file."""
    return session.scalar(select(Item).where(Item.primary_origin == origin,
                                             Item.parent_id.is_(None)).order_by(Item.id))


def _refuse_duplicates(session: Session, docs: list[ParsedDocument]) -> None:
    for doc in docs:
        item, own = find_top_level(session, doc)
        if item is not None and not own:
            raise EditError(
                f"This is already in the hub as “{item.title}” (item {item.id}): the same "
                "permalink, or the same title and text. Nothing was saved.", item_id=item.id)


def write_source(corpus: Corpus, source: Source, text: str, editor: Editor, action: str,
                 detail: str | None = None) -> Saved:
    """Write the edited file and store what the source now parses to, with a revision and
    an audit entry; EditError (nothing changed) if the source does not parse."""
    previous = source.read()
    if previous == text:
        with corpus.session() as session:
            item = root_item(session, source.origin)
            if item is not None:
                return Saved(item.id)
    with staged(source.edited, text):
        try:
            docs = parse_file(source.path, source.origin, corpus.parse_context)
        except ParseError as exc:
            raise EditError(f"This file could not be read ({exc.problem}).",
                            {exc.field_name or "file": exc.problem}) from None
        source.identify(docs)
        with transaction(corpus.sessions) as session:
            _refuse_duplicates(session, docs)
            for doc in docs:
                save_document(session, doc)
            item = root_item(session, source.origin)
            changes = _revise(session, item, source, previous, text, editor, action,
                              corpus.taxonomy)
            audit.record(session, editor.email, action, item_id=item.id, target=item.title,
                         detail=detail or ", ".join(changes), address=editor.address)
    refresh(corpus)
    return Saved(item.id, changes)


def refresh(corpus: Corpus) -> None:
    """Bring search and related items up to date now; the background worker retries failures."""
    try:
        corpus.refresh_caches()
    except Exception:  # noqa: BLE001 - the change is stored; the outbox keeps the index work
        log.exception("refreshing the search index after an edit failed")


def _revise(session: Session, item: Item, source: Source, previous: str | None, text: str,
            editor: Editor, action: str, taxonomy) -> list[str]:
    latest = latest_revision(session, item.id)
    if previous is not None and (latest is None or latest.text != previous):
        # The file was written outside the hub since (or before) the last revision: keep that
        # version too, so it can be restored.
        _add_revision(session, item, "file", FILE_AUTHOR, previous, ["as found on disk"])
    changes = changed_fields(source, previous, text, taxonomy)
    _add_revision(session, item, action, editor.email, text, changes)
    return changes


def _add_revision(session: Session, item: Item, action: str, author: str, text: str,
                  changes: list[str]) -> Revision:
    number = (session.scalar(select(func.max(Revision.number))
                             .where(Revision.item_id == item.id)) or 0) + 1
    revision = Revision(item_id=item.id, number=number, action=action, author=author,
                        text=text, changes=changes)
    session.add(revision)
    session.flush()
    return revision


def changed_fields(source: Source, old: str | None, new: str, taxonomy) -> list[str]:
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


def managed(session: Session, settings: Settings, status: str | None = None,
            limit: int = 200) -> list[Item]:
    """Top-level items kept in files editors change (content-folder Markdown, uploads),
    most recently changed first."""
    folders = (origin_for(settings.content_dir), origin_for(settings.upload_dir))
    query = select(Item).where(Item.parent_id.is_(None), or_(*(
        Item.primary_origin.startswith(folder + os.sep, autoescape=True) for folder in folders)))
    if status:
        query = query.where(Item.status == status)
    return list(session.scalars(query.order_by(Item.updated_at.desc()).limit(limit)))


def recent_revisions(session: Session, limit: int = 15) -> list[tuple[Revision, Item]]:
    """The latest revisions of any item, newest first, with their items."""
    rows = session.execute(select(Revision, Item).join(Item, Item.id == Revision.item_id)
                           .order_by(Revision.id.desc()).limit(limit))
    return [(revision, item) for revision, item in rows]


def editable(corpus: Corpus, item_id: int, kind: str | None = None) -> tuple[Source, str]:
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
    return digest(text)[:16]


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
        found = revision_diff(session, item_id, number)
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
