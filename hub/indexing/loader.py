"""Find input files, pick the parser for each, and enrich what it returns (tags, outcomes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from hub.indexing import report
from hub.indexing.case_study import STATUSES, parse_date, parse_markdown, vocabulary
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.outcomes import drop_restatements, extract_outcomes
from hub.indexing.tag import Tagger
from hub.indexing.web_page import parse_web_html, parse_web_text
from hub.vocabulary.taxonomy import Taxonomy

SUPPORTED_SUFFIXES = (".html", ".htm", ".txt", ".md", ".markdown", ".pdf")
SIDECAR_SUFFIXES = (".yml", ".yaml")
SIDECAR_FIELDS = {"title", "publisher", "author", "date", "url", "type", "label", "summary",
                  "themes", "status"}
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass
class ParseContext:
    """What parsing needs besides the file: the vocabulary and a tagger built from it."""

    taxonomy: Taxonomy
    tagger: Tagger

    @classmethod
    def for_taxonomy(cls, taxonomy: Taxonomy) -> ParseContext:
        """A context whose tagger is built from the given taxonomy."""
        return cls(taxonomy, Tagger(taxonomy))


def discover(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The supported files under the given files and folders, and an error per bad path."""
    files: list[Path] = []
    errors: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and p.stem.upper() != "README"  # a folder's notes, not content
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                errors.append(f"{path}: unsupported file type {path.suffix or '(none)'!r} "
                              f"(supported: {', '.join(SUPPORTED_SUFFIXES)})")
        else:
            errors.append(f"{path}: no such file or folder")
    return list(dict.fromkeys(files)), errors


def read_text(path: Path, origin: str) -> str:
    """A text file's contents, as UTF-8 or, failing that, Windows-1252."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ParseError(origin, "binary data in a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_PERMALINK = re.compile(r"^\s*permanent link to this", re.IGNORECASE | re.MULTILINE)


def looks_like_report(text: str) -> bool:
    """True for a text rendering of a PDF report rather than of a web page."""
    if _PERMALINK.search(text):
        return False
    return "\f" in text or len(text) > 40_000 or report.has_report_structure(text)


def read_sidecar(path: Path, origin: str, taxonomy: Taxonomy) -> dict:
    """Editor-given metadata from report.pdf.yml (or .yaml) beside an input, if any."""
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.name + suffix)
        if sidecar.is_file():
            where = f"{origin}{suffix}"
            try:
                meta = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ParseError(where, f"not valid YAML: {exc}") from None
            if not isinstance(meta, dict):
                raise ParseError(where, "must be a mapping of fields")
            unknown = sorted(set(meta) - SIDECAR_FIELDS)
            if unknown:
                raise ParseError(where, f"unknown field (known: {', '.join(sorted(SIDECAR_FIELDS))})",
                                 unknown[0])
            _check_sidecar(meta, where, taxonomy)
            return meta
    return {}


def _check_sidecar(meta: dict, where: str, taxonomy: Taxonomy) -> None:
    if "date" in meta:
        meta["date"], meta["date_precision"] = parse_date(meta["date"], where)
    if "status" in meta and meta["status"] not in STATUSES:
        raise ParseError(where, f"{meta['status']!r} is not one of {', '.join(STATUSES)}", "status")
    if "themes" in meta:
        meta["themes"] = vocabulary(meta, "themes", "theme", taxonomy, where)


def _parse(path: Path, origin: str, context: ParseContext, meta: dict) -> list[ParsedDocument]:
    suffix = path.suffix.lower()
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ParseError(origin, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    if suffix == ".pdf":
        return [report.parse_pdf(path, origin, meta, context.taxonomy)]
    text = read_text(path, origin)
    if suffix in (".md", ".markdown"):
        return [parse_markdown(text, origin, context.taxonomy)]
    if suffix in (".html", ".htm"):
        return parse_web_html(text, origin)
    if meta.get("type") == "report" or (meta.get("type") is None and looks_like_report(text)):
        return [report.parse_report_text(text, origin, meta, context.taxonomy)]
    return parse_web_text(text, origin)


def _apply_sidecar(docs: list[ParsedDocument], meta: dict) -> None:
    for doc in docs:
        doc.label = meta.get("label", doc.label)
        doc.given_themes = meta.get("themes", doc.given_themes)
        for node in doc.walk():  # a report is published or retired with everything in it
            node.status = meta.get("status", node.status)
    if len(docs) != 1:
        return
    doc = docs[0]
    doc.title = meta.get("title", doc.title)
    doc.url = meta.get("url", doc.url)
    if "date" in meta:  # an editor's date replaces the document's, precision and all
        doc.date, doc.date_precision = meta["date"], meta["date_precision"]
    doc.summary = meta.get("summary", doc.summary)
    doc.type = meta.get("type", doc.type)
    for name in ("publisher", "author"):
        if name in meta:
            doc.extra[name] = str(meta[name])


def enrich(doc: ParsedDocument, context: ParseContext) -> None:
    """Tag a document tree and extract its outcomes (unless the source gave them)."""
    for node in doc.walk():
        context.tagger.tag(node)
        node.outcomes = (
            node.given_outcomes if node.given_outcomes is not None else extract_outcomes(node.text)
        )
    drop_restatements(list(doc.walk()))


def parse_file(path: Path, origin: str, context: ParseContext) -> list[ParsedDocument]:
    """Every document in one file, tagged and with outcomes; ParseError if it cannot be read."""
    meta = read_sidecar(path, origin, context.taxonomy)
    try:
        docs = _parse(path, origin, context, meta)
    except ParseError:
        raise
    except (OSError, ValueError, LookupError) as exc:
        raise ParseError(origin, f"cannot be parsed: {exc}") from exc
    _apply_sidecar(docs, meta)
    for doc in docs:
        enrich(doc, context)
    return docs
