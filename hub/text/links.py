"""Links and control characters from untrusted sources, checked in one place.

A link is kept only when its scheme is one a reader can safely follow: `javascript:` and
`data:` run or carry code in the reader's browser, and file or other schemes point nowhere
useful. Control characters (NUL and the like) break parsers and databases and mean nothing
in text, so they are removed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
MAIL_SCHEMES = ("http", "https", "mailto")
# C0 controls except tab, line feed, form feed and carriage return (which mean something in
# text: the form feed separates a PDF rendering's pages), plus DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_url(url: str | None, schemes: tuple[str, ...] = WEB_SCHEMES) -> str | None:
    """The URL, trimmed, if its scheme is one of schemes (http and https by default), else None."""
    if not url:
        return None
    # Browsers drop these before reading a scheme ("java\tscript:" is javascript:), so a
    # URL holding any is refused rather than judged on what is left.
    url = url.strip()
    if not url or has_control_characters(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in schemes:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return url


def has_control_characters(text: str) -> bool:
    """True when the text holds any control character, line breaks and tabs included."""
    return bool(_ANY_CONTROL.search(text))


def without_control_characters(text: str) -> tuple[str, int]:
    """The text with control characters removed, and how many there were."""
    return _CONTROL.subn("", text)
