"""Web error pages ("Page not found", "Error 404"): recognised, so that nothing is stored for them.

A saved page can be the site's answer to a dead link. It has a title and some text (an apology,
a search box, the cookie notice), so it would otherwise be stored as an article. It is known by
a title made only of error words that include a status code or say the page is not there.
"""

from __future__ import annotations

from hub.text.normalise import fold

# Every word an error page's title is made of ("Oops! Error 404", "Sorry, we can't find
# that page", "The page you were looking for no longer exists").
ERROR_TITLE_WORDS = {
    "oops", "whoops", "sorry", "uh", "oh", "error", "http", "status", "code", "page", "file",
    "document", "not", "no", "longer", "found", "find", "cannot", "can", "t", "could", "couldn",
    "be", "been", "is", "was", "has", "have", "does", "doesn", "exist", "exists", "missing",
    "unavailable", "available", "moved", "removed", "deleted", "the", "this", "that", "we",
    "you", "were", "are", "looking", "for", "requested", "404", "410",
}
# At least one of these must be there: "This page" alone is no error page.
ERROR_SIGNALS = {"404", "410", "found", "find", "exist", "exists", "missing", "unavailable",
                 "removed", "deleted"}
NEGATIONS = {"not", "no", "cannot"}
MAX_ERROR_PAGE_WORDS = 500  # error pages are short; a long text is an article whatever its title


class NothingToStore(Exception):  # noqa: N818 - not an error: the file is read and skipped
    """A file that was read but holds nothing to store (a web error page); the reason says why."""

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason

    def __reduce__(self):
        return self.__class__, (self.origin, self.reason)


def is_error_title(title: str) -> bool:
    """True for "Page not found", "Oops! Error 404" and the like, not for articles about them."""
    words = fold(title).split()
    if not words or len(words) > 12:
        return False
    found = set(words)
    says_gone = bool(found & ERROR_SIGNALS) or ("available" in found and bool(found & NEGATIONS))
    return found <= ERROR_TITLE_WORDS and says_gone


def is_error_page(titles: list[str], text: str) -> bool:
    """True when one of the page's titles is an error title and its text is short."""
    return len(text.split()) <= MAX_ERROR_PAGE_WORDS and any(is_error_title(t) for t in titles)
