"""Documents editors upload: saved under a generated name, parsed like `hub ingest`, kept as
drafts until an editor has checked what was found and publishes them.

The client's file name is never used for anything but display: the file is saved as
$HUB_HOME/uploads/<random>.<ext>, and its sidecar (<random>.<ext>.yml) holds the editor's
corrections (title, themes) and the status, which `hub ingest` reads too.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.corpus import Corpus
from hub.editor import audit, duplicate_check
from hub.editor.changes import EditError, Editor, Saved, editable, write_source
from hub.editor.files import UPLOAD, sidecar_text, upload_source
from hub.store.database import transaction
from hub.store.models import Item

ALLOWED_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
TYPE_NAMES = "PDF, HTML, plain text (.txt) or Markdown (.md)"
MAX_DISPLAY_NAME = 120
MAX_DUPLICATE_CHECKS = 20  # documents of one upload compared with the hub (bounded work)
_ODD = re.compile(r"[^\w .()-]+")


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
    try:
        suffix = check_type(client_name)
        path = corpus.settings.upload_dir / f"{secrets.token_hex(16)}{suffix}"
        _save_stream(stream, path, corpus.settings.max_upload_mb * 2**20)
    except EditError as exc:
        _refused(corpus, editor, name, str(exc))
        raise
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


def correct(corpus: Corpus, item_id: int, title: str | None, themes: list[str],
            editor: Editor, publish: bool = False, evidence_level: str | None = None) -> Saved:
    """Set an upload's title (one-document files), themes and confirmed evidence level
    ("" takes the suggestion back; None leaves it) through its sidecar, and publish it with
    everything in it if asked."""
    source, text = editable(corpus, item_id, UPLOAD)
    meta, _ = source.split(text)
    if title is not None and title.strip():
        meta["title"] = title.strip()
    meta["themes"] = list(themes)
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
