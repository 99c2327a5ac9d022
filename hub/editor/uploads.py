"""Documents editors upload: saved under a generated name, parsed like `hub ingest`, kept as
drafts until an editor has checked what was found and publishes them.

The client's file name is never used for anything but display: the file is saved as
$HUB_HOME/uploads/<random>.<ext>, and its sidecar (<random>.<ext>.yml) holds the editor's
corrections (title, themes) and the status, which `hub ingest` reads too.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.corpus import Corpus
from hub.editor import audit, duplicate_check
from hub.editor.changes import EditError, Editor, Saved, editable, write_source
from hub.editor.files import UPLOAD, sidecar_text, upload_source
from hub.store import corrections
from hub.store.database import transaction
from hub.store.models import Item

ALLOWED_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
TYPE_NAMES = "PDF, HTML, plain text (.txt) or Markdown (.md)"
MAX_DISPLAY_NAME = 120
MAX_DUPLICATE_CHECKS = 20  # documents of one upload compared with the hub (bounded work)
JOB_GRACE_SECONDS = 120  # beyond the parse limit, a job still "processing" was cut off
_ODD = re.compile(r"[^\w .()-]+")
_TOKEN = re.compile(r"[0-9a-f]{32}")
log = logging.getLogger(__name__)


class TooLarge(EditError):
    """An upload over the configured size."""


def display_name(client_name: str | None) -> str:
    """The client's file name made safe to show: no folders, no odd characters."""
    name = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _ODD.sub("_", name).strip(" ._") or "upload"
    return name[-MAX_DISPLAY_NAME:]


def check_type(client_name: str | None) -> str:
    """The file's suffix if the hub reads that kind of file, else EditError."""
    suffix = Path(display_name(client_name)).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise EditError(f"{display_name(client_name)}: the hub reads {TYPE_NAMES} files, "
                        f"not {suffix or 'files without an extension'}. Nothing was saved.",
                        {"file": "wrong file type"})
    return suffix


def _save_stream(stream: BinaryIO, path: Path, max_bytes: int) -> int:
    """Copy an upload to disk, stopping (and removing it) beyond max_bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("xb") as out:
        while chunk := stream.read(1 << 16):
            written += len(chunk)
            if written > max_bytes:
                break
            out.write(chunk)
    if written > max_bytes:
        path.unlink()
        raise TooLarge(f"The file is larger than {max_bytes // 2**20} MB. Nothing was saved.")
    if written == 0:
        path.unlink()
        raise EditError("The file is empty. Nothing was saved.", {"file": "empty file"})
    return written


def receive(corpus: Corpus, stream: BinaryIO, client_name: str | None, editor: Editor) -> Saved:
    """Store an upload as a draft tree; EditError (nothing kept) for a file it cannot take."""
    name = display_name(client_name)
    return _store(corpus, _save(corpus, stream, client_name, editor), name, editor)


def start(corpus: Corpus, stream: BinaryIO, client_name: str | None, editor: Editor) -> str:
    """Save an upload and read it in the background; the token that `job` reports on.

    EditError at once for a file of the wrong type or size; whatever reading finds comes
    later, so a hostile file never holds the web worker that received it.
    """
    name = display_name(client_name)
    path = _save(corpus, stream, client_name, editor)
    token = path.stem
    _write_job(corpus, token, {"state": "processing", "name": name, "started": time.time()})
    threading.Thread(target=_finish, args=(corpus, path, name, editor, token),
                     name=f"upload-{token[:8]}", daemon=True).start()
    return token


def job(corpus: Corpus, token: str) -> dict | None:
    """What became of a background upload: state "processing", "done" (item_id) or "failed"
    (message); None for a token the hub never gave."""
    if not _TOKEN.fullmatch(token):
        return None
    try:
        found = json.loads((_jobs_dir(corpus) / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    # A server stopped mid-read leaves "processing" behind: past the parse limit, say so.
    if found["state"] == "processing" and \
            time.time() - found["started"] > corpus.settings.parse_seconds + JOB_GRACE_SECONDS:
        return {**found, "state": "failed", "message": f"{found['name']} was not read: the "
                "server stopped while reading it. Upload it again. Nothing was saved."}
    return found


def _finish(corpus: Corpus, path: Path, name: str, editor: Editor, token: str) -> None:
    """Runs in the background thread: store the upload and record how it went."""
    try:
        saved = _store(corpus, path, name, editor)
        outcome = {"state": "done", "item_id": saved.item_id}
    except EditError as exc:
        outcome = {"state": "failed", "message": str(exc), "item_id": exc.item_id}
    except Exception as exc:  # noqa: BLE001 - the editor must hear of any failure
        log.exception("upload %s failed", token)
        outcome = {"state": "failed", "message": f"{name} could not be stored "
                   f"({type(exc).__name__}). Nothing was saved."}
    _write_job(corpus, token, {"name": name, "started": time.time(), **outcome})


def _jobs_dir(corpus: Corpus) -> Path:
    return corpus.settings.upload_jobs_dir


def _write_job(corpus: Corpus, token: str, state: dict) -> None:
    folder = _jobs_dir(corpus)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f"{token}.json.tmp"
    temporary.write_text(json.dumps(state), encoding="utf-8")
    os.replace(temporary, folder / f"{token}.json")  # readers never see half a file


def _save(corpus: Corpus, stream: BinaryIO, client_name: str | None, editor: Editor) -> Path:
    """The upload saved under a generated name; EditError (audited) if it cannot be taken."""
    name = display_name(client_name)
    try:
        suffix = check_type(client_name)
        path = corpus.settings.upload_dir / f"{secrets.token_hex(16)}{suffix}"
        _save_stream(stream, path, corpus.settings.max_upload_mb * 2**20)
    except EditError as exc:
        _refused(corpus, editor, name, str(exc))
        raise
    return path


def _store(corpus: Corpus, path: Path, name: str, editor: Editor) -> Saved:
    """Read a saved upload as `hub ingest` would and store it as a draft; the file is
    removed again if it cannot be stored (EditError, audited)."""
    source = upload_source(path)
    try:
        return write_source(corpus, source, sidecar_text({"status": "draft"}), editor,
                            "upload", detail=f"{name} saved as {path.name}")
    except BaseException as exc:
        path.unlink(missing_ok=True)
        if not isinstance(exc, EditError):
            raise
        message = str(exc).removesuffix(" Nothing was saved.").removeprefix("This file ")
        message = f"{name} {message.removeprefix('This ')}"
        _refused(corpus, editor, name, message)
        raise EditError(f"{message} Nothing was saved.", exc.errors, exc.item_id) from None


def _refused(corpus: Corpus, editor: Editor, name: str, reason: str) -> None:
    with transaction(corpus.sessions) as session:
        audit.record(session, editor.email, "upload-refused", target=name, detail=reason,
                     address=editor.address)


# What an upload's sidecar holds for the editor's corrections: lists of vocabulary slugs, and
# text fields that describe one document (a file of several keeps each document's own).
TAG_FIELDS = ("themes", "places", "organisations")
ONE_DOCUMENT_FIELDS = ("title", "summary", "date")


def current_values(item: Item) -> dict:
    """What an upload's document shows now, in the fields its sidecar can correct."""
    return {**{name: corrections.shown(corrections.value_of(item, name), name) or ""
               for name in ONE_DOCUMENT_FIELDS},
            **{name: corrections.shown(corrections.value_of(item, name), name)
               for name in TAG_FIELDS}}


def correct(corpus: Corpus, item_id: int, values: dict, editor: Editor, publish: bool = False,
            evidence_level: str | None = None) -> Saved:
    """Set an upload's title, summary and date (a file of one document), its themes, places and
    organisations, and its confirmed evidence level ("" takes the suggestion back; None leaves
    it) through its sidecar, and publish it with everything in it if asked.

    A text field left empty goes back to what the file says; a tag list replaces the tagger's.
    """
    source, text = editable(corpus, item_id, UPLOAD)
    meta, _ = source.split(text)
    with corpus.session() as session:
        found = session.get(Item, item_id)
        shown_now = current_values(found)
        documents = session.scalar(select(func.count()).where(
            Item.primary_origin == found.primary_origin, Item.parent_id.is_(None)))
    names = TAG_FIELDS if documents > 1 else (*ONE_DOCUMENT_FIELDS, *TAG_FIELDS)
    for name in names:
        value = values.get(name)
        if value is None or (name not in meta and value == shown_now[name]):
            continue  # not offered, or left as found: the file keeps deciding
        if name in TAG_FIELDS:
            meta[name] = list(value)
        elif str(value).strip():
            meta[name] = str(value).strip()
        else:
            meta.pop(name, None)
    if evidence_level:
        meta["evidence_level"] = int(evidence_level)
    elif evidence_level is not None:
        meta.pop("evidence_level", None)
    if publish:
        meta["status"] = "published"
    return write_source(corpus, source, sidecar_text(meta), editor,
                        "publish" if publish else "correct")


@dataclass
class Review:
    """What an upload was found to hold, for the editor to check before publishing."""

    roots: list[Item]
    nodes: list[tuple[Item, int]]  # every item of the file with its depth, in reading order
    duplicates: dict[int, list[duplicate_check.Duplicate]] = field(default_factory=dict)

    @property
    def case_studies(self) -> list[Item]:
        """The case studies found inside the documents."""
        return [node for node, depth in self.nodes if depth and node.type == "case_study"]


def _walk(item: Item, depth: int = 0):
    yield item, depth
    for child in item.children:
        yield from _walk(child, depth + 1)


def review(corpus: Corpus, session: Session, item: Item) -> Review:
    """The documents stored from the same file as an item, and their possible duplicates."""
    roots = list(session.scalars(select(Item).where(
        Item.primary_origin == item.primary_origin, Item.parent_id.is_(None)).order_by(Item.id)))
    nodes = [pair for root in roots for pair in _walk(root)]
    own = {node.id for node, _ in nodes}
    checked = [node for node, depth in nodes if not depth or node.type == "case_study"]
    found = {node.id: duplicate_check.duplicates(corpus, session, node.title, node.body_text or "",
                                         node.url, own)
             for node in checked[:MAX_DUPLICATE_CHECKS]}
    return Review(roots, nodes, {k: v for k, v in found.items() if v})
