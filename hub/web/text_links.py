"""Plain text with its web addresses as links, for notes and sources shown on pages.

Footnotes in reports are full of long URLs; shown as plain text they neither wrap nor can be
followed. The text is escaped first, so nothing in it becomes markup but the links made here,
and only http(s) and www addresses become links (never javascript: or data:).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# An address runs to the next space; punctuation that ends a sentence is left outside it.
_ADDRESS = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+?(?=[.,;:!?)\]]*(?:\s|$))",
                      re.IGNORECASE)


def linkify(text: str | None) -> Markup:
    """The text, escaped, with each http(s) or www address a link that may break anywhere."""
    if not text:
        return Markup("")
    out: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(text):
        address = match.group()
        href = address if address.lower().startswith("http") else f"https://{address}"
        out.append(str(escape(text[last:match.start()])))
        out.append(f'<a class="address" href="{escape(href)}" rel="noopener noreferrer nofollow">'
                   f"{escape(address)}</a>")
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
