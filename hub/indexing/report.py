"""Long reports (PDF, or text renderings of PDFs): a report item with its sections.

Placeholder until the PDF issue lands: the whole text becomes one report item.
"""

from __future__ import annotations

from pathlib import Path

from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.text import clean_whitespace


def has_report_structure(text: str) -> bool:
    """True when a text shows a report's structure (a table of contents, numbered sections)."""
    return False


def parse_report_text(text: str, origin: str, meta: dict) -> ParsedDocument:
    """A text rendering of a PDF report as a report item."""
    body = clean_whitespace(text)
    if not body:
        raise ParseError(origin, "no text")
    title = meta.get("title") or body.split("\n", 1)[0][:200]
    return ParsedDocument(title=title, type="report", text=body, origin=origin)


def parse_pdf(path: Path, origin: str, meta: dict) -> ParsedDocument:
    """A PDF report as a report item."""
    raise ParseError(origin, "PDF reports are not supported yet")
