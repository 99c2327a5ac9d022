"""Web-page furniture that is never part of an article: comment forms, share bars, permalinks."""

from __future__ import annotations

import re

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
