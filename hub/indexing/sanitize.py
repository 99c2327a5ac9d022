"""Render Markdown and clean HTML so that nothing a source or editor wrote can run in a page.

Markdown passes raw HTML through untouched, so every rendered body goes through nh3 (the
Ammonia sanitiser): it keeps an allow-list of tags and attributes, drops event handlers,
scripts, styles and iframes, and only lets http, https and mailto URLs through.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Deeper than any document needs: block quotes and lists nested further are refused before
# rendering, whatever the Markdown library's version does with them (recursing until Python
# stops it, or working through them for minutes).
MAX_NESTING = 100
_OPENERS = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


class TooDeeplyNested(ValueError):
    """Markdown whose block quotes or lists nest deeper than MAX_NESTING."""


def nesting_depth(text: str) -> int:
    """The deepest run of block-quote and list markers opening any line."""
    deepest = 0
    for line in text.split("\n"):
        depth, position = 0, 0
        while match := _OPENERS.match(line, position):
            depth, position = depth + 1, match.end()
            if depth > MAX_NESTING:
                return depth  # enough to refuse: no need to count a hostile line to its end
        deepest = max(deepest, depth)
    return deepest


def sanitize_html(html: str) -> str:
    """HTML reduced to safe, structural tags; links get rel=noopener noreferrer nofollow."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown rendered to sanitised HTML (headings start at h2: the page owns h1);
    TooDeeplyNested for block quotes or lists nested past MAX_NESTING."""
    if nesting_depth(text) > MAX_NESTING:
        raise TooDeeplyNested(f"its structure nests too deeply to read (more than "
                              f"{MAX_NESTING} levels of quotes or lists)")
    html = markdown_lib.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return sanitize_html(html.replace("<h1", "<h2").replace("</h1>", "</h2>"))
