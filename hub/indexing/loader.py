"""Find input files, pick the parser for each, and enrich what it returns (tags, outcomes).

Every file is read in a capped child process (hub.indexing.capped): the sidecar, the parser,
the editor's metadata applied, links and text checked. Tagging and outcomes, on text the cap
has bounded, run here with the tagger this process keeps.
"""

from __future__ import annotations

import codecs
import functools
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hub.indexing import report
from hub.indexing.capped import Limits, run_capped_batch, too_much_text
from hub.indexing.case_study import STATUSES, parse_date, parse_markdown, vocabulary
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.evidence import attach_levels, check_level
from hub.indexing.outcomes import drop_restatements, extract_outcomes
from hub.indexing.tag import Tagger
from hub.indexing.web_page import parse_web_html, parse_web_text
from hub.text.counts import count
from hub.text.links import safe_url, without_control_characters
from hub.vocabulary.taxonomy import Taxonomy

SUPPORTED_SUFFIXES = (".html", ".htm", ".txt", ".md", ".markdown", ".pdf")
SIDECAR_SUFFIXES = (".yml", ".yaml")
SIDECAR_FIELDS = {"title", "publisher", "author", "date", "url", "type", "label", "summary",
                  "themes", "places", "organisations", "status", "evidence_level"}
TAG_LISTS = (("themes", "theme"), ("places", "place"), ("organisations", "organisation"))
MAX_FILE_BYTES = 200 * 1024 * 1024
MARKUP_ALLOWANCE = 4  # an HTML file may hold this many times the text cap in characters
# Files up to this size share a capped child, BATCH_FILES at a time (see parse_files).
SMALL_FILE_BYTES = 256 * 1024
BATCH_FILES = 32


@dataclass
class ParseContext:
    """What parsing needs besides the file: the vocabulary, a tagger built from it, limits."""

    taxonomy: Taxonomy
    tagger: Tagger
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def for_taxonomy(cls, taxonomy: Taxonomy, limits: Limits | None = None) -> ParseContext:
        """A context whose tagger is built from the given taxonomy."""
        return cls(taxonomy, Tagger(taxonomy), limits or Limits())

    @functools.cached_property
    def parcel(self) -> TaxonomyParcel:
        """The taxonomy as a child receives it (pickled once per context)."""
        return TaxonomyParcel(pickle.dumps(self.taxonomy, protocol=pickle.HIGHEST_PROTOCOL))


class TaxonomyParcel:
    """The taxonomy sent to a child as bytes, unpickled on first use: a web page needs none."""

    def __init__(self, data: bytes):
        self.data = data

    @functools.cached_property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy itself."""
        return pickle.loads(self.data)  # noqa: S301 - pickled by this hub's parent process

    def __getstate__(self):
        return {"data": self.data}


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


BINARY_SHARE = 0.1  # NUL bytes in the first 8 KB beyond this share: not a text file


def read_text(path: Path, origin: str, notes: list[str] | None = None) -> str:
    """A text file's contents (UTF-8, UTF-16 with its byte-order mark, else Windows-1252),
    control characters removed with a note."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if data[:8192].count(0) > BINARY_SHARE * min(len(data), 8192):
            raise ParseError(origin, "binary data in a text file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text, removed = without_control_characters(text)
    if removed and notes is not None:
        notes.append(f"{count(removed, 'control character')} (NUL and the like) removed")
    return text


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
                meta = yaml.safe_load(read_text(sidecar, where)) or {}
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
    for name, kind in TAG_LISTS:
        if name in meta:
            meta[name] = vocabulary(meta, name, kind, taxonomy, where)
    if "evidence_level" in meta:
        meta["evidence_level"] = check_level(meta["evidence_level"], where)


def _parse(path: Path, origin: str, parcel: TaxonomyParcel, meta: dict, limits: Limits,
           notes: list[str]) -> list[ParsedDocument]:
    suffix = path.suffix.lower()
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ParseError(origin, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    if suffix == ".pdf":
        return [report.parse_pdf(path, origin, meta, parcel.taxonomy, limits.max_text_chars)]
    text = read_text(path, origin, notes)
    # Markup counts too: a page is mostly markup, so it may be a few times the text allowed.
    allowed = limits.max_text_chars * (MARKUP_ALLOWANCE if suffix in (".html", ".htm") else 1)
    if len(text) > allowed:
        raise ParseError(origin, too_much_text(len(text), allowed))
    if suffix in (".md", ".markdown"):
        return [parse_markdown(text, origin, parcel.taxonomy)]
    if suffix in (".html", ".htm"):
        return parse_web_html(text, origin)
    if meta.get("type") == "report" or (meta.get("type") is None and looks_like_report(text)):
        return [report.parse_report_text(text, origin, meta, parcel.taxonomy)]
    return parse_web_text(text, origin)


def _apply_sidecar(docs: list[ParsedDocument], meta: dict) -> None:
    for doc in docs:
        doc.label = meta.get("label", doc.label)
        doc.given_themes = meta.get("themes", doc.given_themes)
        doc.given_places = meta.get("places", doc.given_places)
        doc.given_organisations = meta.get("organisations", doc.given_organisations)
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
    for name in ("publisher", "author", "evidence_level"):
        if name in meta:
            doc.extra[name] = meta[name] if name == "evidence_level" else str(meta[name])


def enrich(doc: ParsedDocument, context: ParseContext) -> None:
    """Tag a document tree, extract its outcomes (unless the source gave them) and suggest
    its evidence levels."""
    for node in doc.walk():
        context.tagger.tag(node)
        node.outcomes = (
            node.given_outcomes if node.given_outcomes is not None else extract_outcomes(node.text)
        )
    drop_restatements(list(doc.walk()))
    attach_levels(doc)


def parse_file(path: Path, origin: str, context: ParseContext) -> list[ParsedDocument]:
    """Every document in one file, tagged and with outcomes; ParseError if it cannot be read.

    The file is read in a capped child (read_file); a file that breaks a cap fails alone.
    """
    [(_path, _origin, outcome)] = parse_files([(path, origin)], context)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def parse_files(files: list[tuple[Path, str]], context: ParseContext,
                ) -> Iterator[tuple[Path, str, list[ParsedDocument] | Exception]]:
    """Each (path, origin)'s documents, tagged and with outcomes, or the ParseError (or
    NothingToStore) it raised, in order, each as soon as it is read.

    Every file is read in a capped child (read_file). Small files share one: a child's start
    costs more than reading a short page, and a file that breaks a cap still fails alone
    (hub.indexing.capped.run_capped_batch); a large file has a child of its own.
    """
    for batch in _batches(files):
        calls = [((path, origin, context.parcel, context.limits), origin)
                 for path, origin in batch]
        for position, (kind, value) in run_capped_batch(read_file, calls, context.limits):
            path, origin = batch[position]
            if kind == "ok":
                for doc in value:
                    enrich(doc, context)
            yield path, origin, value


def _batches(files: list[tuple[Path, str]]) -> Iterator[list[tuple[Path, str]]]:
    """Runs of up to BATCH_FILES small files, and each large file on its own."""
    batch: list[tuple[Path, str]] = []
    for path, origin in files:
        try:
            small = path.stat().st_size <= SMALL_FILE_BYTES
        except OSError:
            small = False  # read alone, where reading it says what is wrong
        if not small:
            if batch:
                yield batch
                batch = []
            yield [(path, origin)]
            continue
        batch.append((path, origin))
        if len(batch) == BATCH_FILES:
            yield batch
            batch = []
    if batch:
        yield batch


def read_file(path: Path, origin: str, parcel: TaxonomyParcel,
              limits: Limits) -> list[ParsedDocument]:
    """One file's documents, before tagging; runs in a capped child (see parse_file)."""
    notes: list[str] = []
    meta = read_sidecar(path, origin, parcel.taxonomy)
    if meta.get("url") is not None and not safe_url(str(meta["url"])):
        notes.append(_dropped(meta.pop("url"), "the sidecar's url"))
    try:
        docs = _parse(path, origin, parcel, meta, limits, notes)
    except ParseError:
        raise
    except (OSError, ValueError, LookupError) as exc:
        raise ParseError(origin, f"cannot be parsed: {exc}") from exc
    _apply_sidecar(docs, meta)
    characters = sum(len(node.text) for doc in docs for node in doc.walk())
    if characters > limits.max_text_chars:
        raise ParseError(origin, too_much_text(characters, limits.max_text_chars))
    for node in (node for doc in docs for node in doc.walk()):
        if node.url and not safe_url(node.url):
            node.notes.append(_dropped(node.url, "its link"))
            node.url = None
    if docs:
        docs[0].notes[:0] = notes
    return docs


def _dropped(url, what: str) -> str:
    return f"{what} {str(url)[:60]!r} was dropped: only http and https links are kept"
