"""Web pages, as HTML or as plain-text renderings: single articles and archive pages.

An archive page (a category or tag listing) holds several articles; each becomes its own
document carrying the archive's label. Main text comes from trafilatura for single HTML
pages (it scored better on ../shared/eval/html than rules of ours would), and from the
article containers themselves on archive pages.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from hub.indexing.boilerplate import PERMALINK_LINE, prune_furniture, strip_furniture
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.error_page import NothingToStore, is_error_page
from hub.indexing.main_text import block_text, extract, with_edges
from hub.indexing.page_sections import holds_main_text, section_articles
from hub.indexing.page_title import (
    MAX_TITLE_LENGTH,
    page_title,
    site_names,
    split_title,
    without_site,
)
from hub.indexing.text import text_to_html
from hub.text.normalise import clean_whitespace, fold

ARCHIVE_LABEL = re.compile(
    r"^(?P<kind>category|tag|tags|topic|archive|archives|author|category archives|tag archives)"
    r"\s*:\s*(?P<name>.{1,120})$",
    re.IGNORECASE,
)
GUIDE_TITLE = re.compile(r"\b(guide|guidance|toolkit|handbook|how[- ]to|manual)\b", re.IGNORECASE)
PERMALINK_ANYWHERE = re.compile(r"^\s*permanent\s+link\s+to\s+this\s+(?:article|post|entry)",
                                re.IGNORECASE | re.MULTILINE)


def document_type(title: str) -> str:
    """'guide' for how-to material, 'article' for everything else on the web."""
    return "guide" if GUIDE_TITLE.search(title) else "article"


def archive_label(line: str) -> str | None:
    """'Category: Performance' from a heading line like that, normalised; else None."""
    match = ARCHIVE_LABEL.match(line.strip())
    if not match:
        return None
    kind = match.group("kind").split()[0].lower().rstrip("s")
    return f"{kind.capitalize()}: {match.group('name').strip()}"


def _article(lines: list[str], origin: str, label: str | None, url: str | None):
    lines = strip_furniture(lines)
    text = clean_whitespace("\n".join(lines))
    if not text:
        return None
    title, _, body = text.partition("\n")
    title = title.strip()
    body = body.strip()
    if len(title) > MAX_TITLE_LENGTH or not body:
        raise ParseError(origin, f"article has no title line (starts {text[:60]!r})", "title")
    return ParsedDocument(
        title=title,
        type=document_type(title),
        text=body,
        html=text_to_html(body),
        origin=origin,
        label=label,
        url=url,
    )


def split_articles(text: str, origin: str, label: str | None = None) -> list[ParsedDocument]:
    """Articles in a page's text: each ends at a "Permanent link to this article" line."""
    lines = text.replace("\r", "").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and (found := archive_label(lines[first])):
        label = found
        lines = lines[first + 1 :]
    articles: list[ParsedDocument] = []
    chunk: list[str] = []
    for line in lines:
        match = PERMALINK_LINE.match(line.strip())
        if match:
            if (doc := _article(chunk, origin, label, match.group("url"))) is not None:
                articles.append(doc)
            chunk = []
        else:
            chunk.append(line)
    if (doc := _article(chunk, origin, label, None)) is not None:
        articles.append(doc)
    return articles


def parse_web_text(text: str, origin: str) -> list[ParsedDocument]:
    """A plain-text rendering of a web page: one article, or one per article of an archive."""
    articles = split_articles(text, origin)
    if not articles:
        raise ParseError(origin, "no article text found")
    return articles


# --- HTML ---------------------------------------------------------------------------------

_CONTAINER_CLASS = re.compile(r"\b(hentry|type-post|post|blog-post|entry)\b")
MIN_ARTICLE_WORDS = 40
MIN_LABELLED_WORDS = 10  # under an archive label, short posts are still posts
DOMINANT_SHARE = 0.6


def _words(element: Tag) -> int:
    return len(element.get_text(" ").split())


def _archive_containers(soup: BeautifulSoup, label: str | None, main_text: str) -> list[Tag]:
    """The article containers of an archive page, or [] for a page with one main article.

    News pages also wrap teasers of other stories in <article>; those are short, and one
    container then holds most of the words, or none holds the page's main text. An archive
    has several substantial articles, none dominating, holding the main text; or an archive
    label.
    """
    found = soup.find_all("article") or [
        div for div in soup.find_all(["div", "section"], class_=_CONTAINER_CLASS)
        if div.find(["h1", "h2", "h3"])
    ]
    outer = [c for c in found if not any(p in found for p in c.parents)]
    least = MIN_LABELLED_WORDS if label else MIN_ARTICLE_WORDS
    substantial = [c for c in outer if c.find(["h1", "h2", "h3"]) and _words(c) >= least]
    if len(substantial) < 2:
        return []
    words = sorted((_words(c) for c in substantial), reverse=True)
    if label is None and (words[0] > DOMINANT_SHARE * sum(words)
                          or not holds_main_text(substantial, main_text)):
        return []
    return substantial


def _page_label(soup: BeautifulSoup) -> str | None:
    headings = [*soup.select(".page-title, .archive-title"), *soup.find_all("h1"),
                *soup.find_all("title")]
    for node in headings:
        text = " ".join(node.get_text(" ").split())
        label = archive_label(text) or archive_label(text.split("|")[0].split(" - ")[0])
        if label:
            return label
        match = re.match(r"^(.{1,80}) archives?\b", text, re.IGNORECASE)
        if match and node.name == "title":
            return f"Archive: {match.group(1).strip()}"
    return None


def _permalink(container: Tag) -> str | None:
    """The article's own URL: a "Permanent link" anchor, else its title link."""
    for anchor in container.find_all("a", href=True):
        around = anchor.parent.get_text(" ") if anchor.parent else ""
        if "permanent link" in around.lower() or "bookmark" in (anchor.get("rel") or []):
            return anchor["href"]
    heading = container.find(["h1", "h2", "h3"])
    link = heading.find("a", href=True) if heading else None
    return link["href"] if link else None


def _container_article(container: Tag, origin: str, label: str | None):
    url = _permalink(container)
    when = container.find("time", datetime=True)
    date = _parse_date(when["datetime"]) if when else None
    prune_furniture(container)
    try:
        doc = _article(block_text(container).split("\n"), origin, label, url)
    except ParseError:
        return None  # a container without a title line is not an article of the archive
    if doc:
        doc.date = date
    return doc


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def article_url(url: str | None) -> str | None:
    """The URL as an article's permalink, or None for a site's home page.

    Extractors fall back on the site's address when a page names no URL of its own; as a
    permalink it would make every such page of the site one item.
    """
    if not url:
        return None
    parts = urlsplit(url)
    return None if parts.path in ("", "/") and not parts.query else url


def _title_candidates(soup: BeautifulSoup, title: str) -> list[str]:
    """The lines that could be the page's title: ours, the <title> without the site, the first
    h1 (not every h1: a page may carry a hidden dialog's heading)."""
    head = soup.title.get_text(" ") if soup.title else ""
    parts = without_site(split_title(head), site_names(soup)) if head.strip() else []
    first = soup.find("h1")
    return [title, " ".join(parts), first.get_text(" ") if first else ""]


def _single_page(html: str | bytes, soup: BeautifulSoup, origin: str, label: str | None,
                 extracted: dict, title: str):
    text = extracted.get("text") or ""
    if not text.strip():
        prune_furniture(soup.body or soup)
        text = block_text(soup.body or soup)
    if PERMALINK_ANYWHERE.search(text):
        return split_articles(text, origin, label)  # an archive rendered as one text
    lines = strip_furniture(text.split("\n"))
    if lines and fold(lines[0]) == fold(title):
        lines = lines[1:]
    body = clean_whitespace(with_edges(soup, "\n".join(lines), title))
    if not title or not body:
        return []
    canonical = soup.find("link", rel="canonical", href=True)
    return [ParsedDocument(
        title=title, type=document_type(title), text=body, html=text_to_html(body),
        origin=origin, label=label,
        url=article_url(extracted.get("url") or (canonical["href"] if canonical else None)),
        date=_parse_date(extracted.get("date")),
    )]


def parse_web_html(html: str | bytes, origin: str) -> list[ParsedDocument]:
    """An HTML page: one article, or one per article container of an archive page."""
    soup = BeautifulSoup(html, "lxml")
    label = _page_label(soup)
    extracted = extract(html)
    title = page_title(soup, extracted.get("title"))
    if is_error_page(_title_candidates(soup, title), extracted.get("text") or ""):
        raise NothingToStore(origin, "the page says it was not found (an HTTP 404 page); "
                                     "nothing stored")
    main = extracted.get("text") or ""
    containers = _archive_containers(soup, label, main) or section_articles(soup, main)
    if containers:
        docs = [d for c in containers if (d := _container_article(c, origin, label))]
    else:
        docs = _single_page(html, soup, origin, label, extracted, title)
    if not docs:
        raise ParseError(origin, "no article text found in the HTML")
    return docs
