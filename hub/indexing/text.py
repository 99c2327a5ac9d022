"""Text helpers for the parsers: sentences, and plain text as simple HTML."""

from __future__ import annotations

import html
import re

# A sentence ends at . ! or ? followed by space and a capital, quote or digit; abbreviations
# common in this field ("eg.", "Dr.", "No.") and decimals ("£1.5m") do not end one.
_ABBREVIATIONS = ("e.g", "i.e", "eg", "ie", "etc", "dr", "mr", "mrs", "ms", "no", "st", "cllr", "vs")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u2018\u201c(]?[A-Z0-9£])")


def sentences(text: str) -> list[str]:
    """Split text into sentences, keeping paragraphs and bullet lines apart."""
    result: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*[*\u2022-]\s)", text):
        block = " ".join(block.split())
        if not block:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(block):
            before = block[start : match.start()].rstrip(".!?\"')\u201d\u2019").split()
            if before and before[-1].lower() in _ABBREVIATIONS:
                continue
            result.append(block[start : match.start() + 1].strip())
            start = match.end()
        if block[start:].strip():
            result.append(block[start:].strip())
    return result


_BULLET = re.compile(r"^\s*(?:[\u2022*\u25cf\u25aa\u2023\u2043-]|\d+[.)])\s+")


def text_to_html(text: str) -> str:
    """Plain text as simple HTML: paragraphs, and bullet lines gathered into lists."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if _BULLET.match(line):
                if paragraph:
                    out.append(f"<p>{html.escape(' '.join(paragraph))}</p>")
                    paragraph = []
                items.append(html.escape(_BULLET.sub("", line)))
            elif items and not paragraph and line[:1].islower():
                items[-1] += " " + html.escape(line)  # a bullet that wrapped onto a new line
            else:
                if items:
                    out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
                    items = []
                paragraph.append(line)
        if paragraph:
            out.append(f"<p>{html.escape(' '.join(paragraph))}</p>")
        if items:
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
    return "\n".join(out)
