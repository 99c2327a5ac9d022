"""Last-resort text from a damaged PDF: the strings its content streams show, read from raw bytes.

When pypdf cannot rebuild a file's object structure (a broken cross-reference table, a
missing object header), the page content streams are often still intact in the bytes. This
scans every stream, inflates it within a fixed budget, and keeps the literal strings shown
by text operators (Tj, TJ, ' and ") inside BT ... ET blocks. It knows nothing of fonts, so it
only keeps strings that read as text; it is used only for files pypdf found damaged.
"""

from __future__ import annotations

import re
import zlib

MAX_STREAM_OUTPUT = 4 * 1024 * 1024  # bytes one stream may inflate to
MAX_TOTAL_OUTPUT = 32 * 1024 * 1024  # bytes all streams together may inflate to
MIN_LETTER_SHARE = 0.5  # salvaged text must be at least this share letters and spaces

# A stream ends at its endstream keyword or, where that is damaged, at the end of its object.
_STREAM = re.compile(rb"stream\r?\n(.*?)(?:\r?\nendstream|endobj)", re.DOTALL)
_TEXT_BLOCK = re.compile(rb"\bBT\b(.*?)\bET\b", re.DOTALL)
# A literal string (balanced parentheses one level deep, escapes allowed) or an array of them,
# followed by the operator that shows it.
_SHOWN = re.compile(rb"(\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|\[[^\]]*\])\s*(Tj|TJ|'|\")")
_LITERAL = re.compile(rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
            b"(": b"(", b")": b")", b"\\": b"\\"}
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_LINE_BREAKING = re.compile(rb"\b(Td|TD|T\*|Tm)\b")


def salvage_text(data: bytes) -> str:
    """The text shown by the content streams found in a PDF's raw bytes ('' if none reads)."""
    lines: list[str] = []
    budget = MAX_TOTAL_OUTPUT
    for match in _STREAM.finditer(data):
        content = _inflate(match.group(1), min(budget, MAX_STREAM_OUTPUT))
        budget -= len(content)
        for block in _TEXT_BLOCK.finditer(content):
            lines.extend(_block_lines(block.group(1)))
        if budget <= 0:
            break
    text = "\n".join(line for line in lines if line.strip())
    readable = sum(ch.isalpha() or ch.isspace() for ch in text)
    return text if text and readable >= MIN_LETTER_SHARE * len(text) else ""


def _inflate(raw: bytes, limit: int) -> bytes:
    """The stream inflated (Flate) within the limit, or as stored when it is not compressed."""
    try:
        return zlib.decompressobj().decompress(raw, max(limit, 1))
    except zlib.error:
        return raw[:limit]


def _block_lines(block: bytes) -> list[str]:
    """The lines of text one BT ... ET block shows."""
    lines, current = [], []
    position = 0
    for match in _SHOWN.finditer(block):
        if _LINE_BREAKING.search(block, position, match.start()) and current:
            lines.append("".join(current))
            current = []
        current.extend(_decode(s) for s in _LITERAL.findall(match.group(1)))
        position = match.end()
    if current:
        lines.append("".join(current))
    return lines


def _decode(literal: bytes) -> str:
    """A PDF literal string's bytes as text (escapes resolved, Latin-1 as the fallback)."""
    def unescape(match: re.Match) -> bytes:
        """The byte an escape (\\n, \\053, \\() stands for."""
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _ESCAPES.get(code, b"" if code in (b"\n", b"\r") else code)

    raw = _ESCAPE.sub(unescape, literal[1:-1])
    return raw.decode("latin-1")
