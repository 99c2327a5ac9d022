"""The files editors change: a Markdown case study, or an upload and its sidecar.

Editors' files live in the editors' folder (`Settings.editor_files_dir`: HUB_FILES_DIR, which
web nodes share, else the home), never in the code checkout. A case study is
<files>/case_studies/<slug>.md, edited in place; one of the content folder's case studies is
copied there when first edited, and its item moves with it (the copy wins from then on). An
upload is <files>/uploads/<random>.<ext>, read as it came; editors' corrections and its status
go in the sidecar <random>.<ext>.yml, which `hub ingest` reads too.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from hub.config import Settings
from hub.editor.case_study_form import markdown_file
from hub.indexing.case_study import split_front_matter
from hub.indexing.document import ParsedDocument, ParseError
from hub.store.models import Item
from hub.store.origins import origin_for, path_for

MARKDOWN, UPLOAD = "markdown", "upload"


@dataclass(frozen=True)
class EditableFile:
    """The file the parser reads, and the file editors' changes are written to."""

    kind: str  # MARKDOWN: both are the .md file; UPLOAD: the upload and its sidecar
    path: Path
    edited: Path
    # A content-folder case study being copied into the editors' folder: read until the copy
    # exists; its items move to the copy when the first change is stored.
    moved_from: Path | None = None

    @property
    def origin(self) -> str:
        """How the store names the source file."""
        return origin_for(self.path)

    def read(self) -> str | None:
        """The edited file's text exactly as stored, or None when it does not exist yet."""
        for path in (self.edited, self.moved_from):
            if path is not None and path.exists():
                return path.read_bytes().decode("utf-8", errors="replace")
        return None

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
        """Give an upload's documents that have neither a permalink nor a key of their own (a
        Markdown slug) an identity that follows the file, not its title."""
        if self.kind != UPLOAD:
            return
        for number, doc in enumerate(docs):
            if not doc.url and not doc.key:
                doc.key = f"upload:{self.path.name}" + (f"#{number}" if number else "")


def markdown_source(path: Path) -> EditableFile:
    """A Markdown file, edited in place."""
    return EditableFile(MARKDOWN, path, path)


def upload_source(path: Path) -> EditableFile:
    """An uploaded file, corrected through its sidecar."""
    return EditableFile(UPLOAD, path, path.with_name(path.name + ".yml"))


def sidecar_text(meta: dict) -> str:
    """A sidecar file for these fields."""
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)


def _inside(path: Path, folder: Path) -> bool:
    return path.is_relative_to(folder.resolve())


def source_of(settings: Settings, item: Item) -> EditableFile | None:
    """The file an item is edited through, or None for items the hub does not edit."""
    if item.parent_id is not None:
        return None
    path = path_for(item.primary_origin)
    if path.suffix.lower() in (".md", ".markdown"):
        if _inside(path, settings.case_study_dir):
            return markdown_source(path)
        if _inside(path, settings.content_dir):
            copy = settings.case_study_dir / path.name
            return EditableFile(MARKDOWN, copy, copy, moved_from=path)
    if _inside(path, settings.upload_dir) and path.exists():
        return upload_source(path)
    return None


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
