"""Web-page furniture that is never part of an article: comment forms, share bars, permalinks."""

from __future__ import annotations

import re

from bs4 import Tag

# Elements, and class names, that hold a page's furniture rather than its articles.
FURNITURE_TAGS = ("script", "style", "noscript", "form", "nav", "footer", "aside", "iframe", "svg",
                  "button", "select", "textarea")
FURNITURE_CLASSES = re.compile(
    r"comment|respond|share|sharedaddy|social|related|navigation|nav-|breadcrumb|sidebar|widget"
    r"|postmetadata|entry-meta|entry-utility|entry-footer|byline",
    re.IGNORECASE,
)

# A line that starts the comments area: everything after it in the same article goes.
COMMENTS_START = re.compile(
    r"^(leave a (reply|comment)|\d+ (responses?|comments?|thoughts?) (to|on)\b.*"
    r"|comments are closed\.?|post a comment|add a comment|join the discussion"
    r"|you must be logged in to post a comment\.?)$",
    re.IGNORECASE,
)
# Lines that are furniture wherever they stand.
FURNITURE_LINE = re.compile(
    r"^(your e-?mail address will not be published\.?.*|required fields are marked.*"
    r"|(name|e-?mail|website|comment)\s*\*?|post comment|submit comment|cancel reply"
    r"|notify me of (follow-up comments|new posts).*|save my name, email.*"
    r"|share this:?|like this:?|loading\.\.\.|related posts:?|print this (page|article)"
    r"|skip to (main )?content|back to top|you are here:?.*)$",
    re.IGNORECASE,
)
PERMALINK_LINE = re.compile(
    r"^permanent\s+link\s+to\s+this\s+(?:article|post|entry)\s*:?\s*(?P<url>\S+)?\s*$",
    re.IGNORECASE,
)


def strip_furniture(lines: list[str]) -> list[str]:
    """The lines of one article without comment areas and page furniture."""
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        if COMMENTS_START.match(stripped):
            break
        if FURNITURE_LINE.match(stripped) or PERMALINK_LINE.match(stripped):
            continue
        kept.append(line)
    return kept


def _furniture_class(node: Tag) -> bool:
    return bool(FURNITURE_CLASSES.search(" ".join(node.get("class") or [])))


def prune_furniture(element: Tag) -> None:
    """Remove furniture elements (navigation, forms, share bars, comments) from inside element."""
    for node in element.find_all(FURNITURE_TAGS):
        node.decompose()
    for node in element.find_all(_furniture_class):
        if node is not element and node.name not in ("article", "body"):
            node.decompose()


def is_furniture(node: Tag) -> bool:
    """True for an element that is furniture or sits inside furniture."""
    return any(n.name in FURNITURE_TAGS or _furniture_class(n)
               for n in (node, *node.parents) if isinstance(n, Tag) and n.name != "[document]")
