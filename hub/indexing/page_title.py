"""A web page's own title: its <title> without the site's name, checked against its headings.

Council and agency pages title themselves "Page | Section | Site name" or "Site - Page". The
page's own part is the run of <title> segments that the page also prints as a heading; when no
heading repeats it, the segments naming the site (its domain, og:site_name, publisher meta,
the text of links to the home page) are cut from either end.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from hub.text.normalise import fold

MAX_TITLE_LENGTH = 200
# Separators between a title's parts; a hyphen only counts with spaces around it, so
# "Self-build register" stays whole.
SEPARATOR = re.compile(r"\s+[|\u2013\u2014\u00bb\u00b7-]\s+|\s*::\s*|\s*\|\s*")
# Host labels that say nothing about whose site it is.
GENERIC_HOST_LABELS = {"www", "new", "beta", "old", "m", "en", "gov", "org", "co", "ac", "nhs",
                       "uk", "com", "net", "info", "london", "cymru", "scot", "wales", "police"}
SITE_META = (("property", "og:site_name"), ("name", "application-name"),
             ("name", "dcterms.publisher"), ("name", "dc.publisher"), ("name", "publisher"))
# Headings that belong to the page's furniture however they are marked up.
HEADING_TAGS = ("h1", "h2", "h3")
# Words that, beside the site's own name, make a title part only the organisation's name
# ("Westshire District Council", "Welcome to the London Borough of Eastvale").
ORGANISATION_WORDS = {"council", "borough", "district", "county", "city", "town", "parish",
                      "metropolitan", "royal", "london", "of", "the", "and", "welcome", "to",
                      "website", "official", "site", "home", "page"}


def _squash(text: str) -> str:
    """Letters and digits only, for comparing names written with or without spaces."""
    return fold(text).replace(" ", "")


def page_host(soup: BeautifulSoup) -> str | None:
    """The page's own host: its canonical or og:url, else the host most of its links go to."""
    for tag in (soup.find("link", rel="canonical", href=True),
                soup.find("meta", property="og:url", content=True)):
        if tag is not None:
            host = urlsplit(tag.get("href") or tag.get("content")).hostname
            if host:
                return host
    hosts = Counter(urlsplit(a["href"]).hostname for a in soup.find_all("a", href=True)
                    if a["href"].startswith(("http://", "https://")))
    hosts.pop(None, None)
    return hosts.most_common(1)[0][0] if hosts else None


def _is_home_link(href: str, host: str | None) -> bool:
    if not href.strip() or href.startswith(("#", "javascript:")):
        return False  # a script's button or an anchor on the page, not a link home
    parts = urlsplit(href)
    at_root = parts.path in ("", "/") and not parts.query and not parts.fragment
    return at_root and (parts.hostname is None or parts.hostname == host)


def site_names(soup: BeautifulSoup) -> set[str]:
    """Squashed names the site goes by: domain label, site-name meta, home-link texts."""
    host = page_host(soup)
    names: set[str] = set()
    if host:
        names.update(label for label in host.split(".")
                     if label not in GENERIC_HOST_LABELS and len(label) >= 3)
    for attr, value in SITE_META:
        meta = soup.find("meta", attrs={attr: value}, content=True)
        if meta is not None and meta["content"].strip():
            names.add(_squash(meta["content"]))
    for anchor in soup.find_all("a", href=True):
        if _is_home_link(anchor["href"], host):
            texts = [anchor.get_text(" "), *(img.get("alt") or "" for img in anchor.find_all("img"))]
            # One word ("Home") names no site, and would cut "Homelessness" from a title.
            names.update(_squash(t) for t in texts if len(fold(t).split()) >= 2)
    return {n for n in names if n}


def _names_site(segment: str, names: set[str]) -> bool:
    squashed = _squash(segment)
    return bool(squashed) and any(n in squashed for n in names if len(n) >= 4)


def _only_the_site(part: str, names: set[str]) -> bool:
    """True for a part that is the site's name and nothing else ("Camden Local Plan" is not)."""
    if _squash(part) in names:
        return True
    rest = [w for w in fold(part).split() if not any(w in n for n in names if len(n) >= 4)]
    return _names_site(part, names) and all(w in ORGANISATION_WORDS for w in rest)


def _headings(soup: BeautifulSoup) -> dict[str, str]:
    """Folded heading text to the heading as printed, first occurrence first."""
    found: dict[str, str] = {}
    for node in soup.find_all(HEADING_TAGS):
        text = " ".join(node.get_text(" ").split())
        if text:
            found.setdefault(fold(text), text)
    return found


def split_title(title: str) -> list[str]:
    """The parts of a <title> ("Page | Section | Site" -> three parts)."""
    return [part.strip() for part in SEPARATOR.split(title) if part.strip()]


def _heading_run(parts: list[str], headings: dict[str, str]) -> str | None:
    """The longest run of title parts printed as a heading; earlier runs win ties."""
    for size in range(len(parts), 0, -1):
        for start in range(len(parts) - size + 1):
            joined = fold(" ".join(parts[start:start + size]))
            if joined in headings:
                return headings[joined]
    return None


def without_site(parts: list[str], names: set[str]) -> list[str]:
    """Title parts without those naming the site at either end (never all of them)."""
    kept = list(parts)
    while len(kept) > 1 and _names_site(kept[-1], names):
        kept.pop()
    while len(kept) > 1 and _names_site(kept[0], names):
        kept.pop(0)
    return kept


def page_title(soup: BeautifulSoup, fallback: str | None = None) -> str:
    """The page's own title (see the module docstring); fallback is the extractor's guess."""
    head = soup.title.get_text(" ") if soup.title else ""
    og = soup.find("meta", property="og:title", content=True)
    raw = " ".join((head or (og["content"] if og else "") or fallback or "").split())
    headings = _headings(soup)
    parts = split_title(raw)
    title = _heading_run(parts, headings) if parts else None
    if title is None and parts:
        names = site_names(soup)
        kept = without_site(parts, names)
        if len(kept) == 1 and _only_the_site(kept[0], names):
            kept = []  # the <title> is only the site's name: a heading says more
        title = " - ".join(kept) if kept else None
    if not title:
        first = soup.find("h1")
        title = " ".join(first.get_text(" ").split()) if isinstance(first, Tag) else fallback
    return (title or "").strip()[:MAX_TITLE_LENGTH]
