"""A single page's main text: trafilatura's extraction, with the article's edges put back.

trafilatura finds the body well (it scored better on ../shared/eval/html than rules of ours),
but it cuts at the edges of the block it picks: a standfirst printed in its own box just
before the body, or a closing paragraph that is only a link (the document the page is about).
Both are found in the page next to the first and last blocks it kept, and put back when they
are prose of the article rather than furniture (navigation, a breadcrumb, a share bar).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import trafilatura
from bs4 import BeautifulSoup, NavigableString, Tag

from hub.indexing.boilerplate import is_furniture
from hub.indexing.page_title import page_host
from hub.text.normalise import clean_whitespace, fold

BLOCKS = {"p", "div", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "pre", "tr", "dt", "dd", "br", "figcaption", "table", "ul", "ol", "header"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SENTENCE_ENDS = (".", "!", "?")
TEXT_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "dd", "td")
# A standfirst is a sentence or two; anything longer before the body is other content.
MAX_LEAD_WORDS = 80
MIN_LEAD_WORDS = 6
MAX_LEAD_LINK_SHARE = 0.3
MAX_CLOSING_LINK_WORDS = 15


def extract(html: str | bytes) -> dict:
    """trafilatura's main text and metadata of a page, as a dict (empty if it found none)."""
    found = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, with_metadata=True
    )
    return found.as_dict() if found else {}


def block_text(element: Tag) -> str:
    """Visible text of an element, with a line break per block and bullets for list items."""
    parts: list[str] = []
    for node in element.descendants:
        if isinstance(node, Tag):
            if node.name in BLOCKS:
                parts.append("\n")
            if node.name == "li":
                parts.append("\u2022 ")
        elif node.parent is not None and node.parent.name not in ("script", "style"):
            parts.append(str(node))
    return clean_whitespace("".join(parts))


def _words(node: Tag) -> int:
    return len(node.get_text(" ").split())


def _link_share(node: Tag) -> float:
    linked = sum(len(a.get_text(" ").split()) for a in node.find_all("a"))
    return linked / max(1, _words(node))


def _find_block(soup: BeautifulSoup, line: str) -> Tag | None:
    """The first block element of the page (in reading order) whose text is the given line."""
    wanted = fold(line)
    if not wanted:
        return None
    for node in soup.find_all(TEXT_BLOCKS):
        if fold(node.get_text(" ")) == wanted:
            return node
    return None


def _siblings(node: Tag, forward: bool):
    """Element siblings on one side, nearest first, skipping whitespace."""
    sibling = node.next_sibling if forward else node.previous_sibling
    while sibling is not None:
        if isinstance(sibling, Tag):
            yield sibling
        elif str(sibling).strip():
            return  # loose text between blocks: the structure is not a list of blocks
        sibling = sibling.next_sibling if forward else sibling.previous_sibling


def _edge_of_region(node: Tag, forward: bool) -> Tag:
    """Climb while the node is the first block of its parent (the last, going forward)."""
    while node.parent is not None and node.parent.name not in ("body", "html", "main", "article"):
        if any(_words(s) for s in _siblings(node, forward=forward)):
            break
        node = node.parent
    return node


def _title_heading(soup: BeautifulSoup, title: str) -> Tag | None:
    wanted = fold(title)
    return next((h for h in soup.find_all(HEADINGS) if fold(h.get_text(" ")) == wanted), None)


def _only_links_between(start: Tag, end: Tag) -> bool:
    """True when nothing but links and furniture stands between two elements of the page."""
    inside = list(start.descendants)
    for node in (inside[-1] if inside else start).next_elements:
        if node is end:
            return True
        if (isinstance(node, NavigableString) and node.strip() and node.parent is not None
                and node.find_parent("a") is None and not is_furniture(node.parent)):
            return False
    return False


def _is_lead(node: Tag, title: str, heading: Tag | None) -> bool:
    """A standfirst: one or two sentences of prose, right after the page's title heading."""
    text = block_text(node)
    return (heading is not None and MIN_LEAD_WORDS <= len(text.split()) <= MAX_LEAD_WORDS
            and "\n" not in text and text.rstrip().endswith(SENTENCE_ENDS)
            and not is_furniture(node) and _link_share(node) <= MAX_LEAD_LINK_SHARE
            and fold(text) != fold(title) and _only_links_between(heading, node))


def lead_before(soup: BeautifulSoup, first_line: str, title: str) -> str:
    """A standfirst printed just before the block the main text starts with, or ''."""
    first = _find_block(soup, first_line)
    if first is None:
        return ""
    region = _edge_of_region(first, forward=False)
    for sibling in _siblings(region, forward=False):
        if not _words(sibling):
            continue
        return block_text(sibling) if _is_lead(sibling, title, _title_heading(soup, title)) else ""
    return ""


def _stays_on_site(href: str, soup: BeautifulSoup) -> bool:
    host = urlsplit(href).hostname
    return host is None or host == page_host(soup)


def closing_link_after(soup: BeautifulSoup, last_line: str) -> str:
    """A closing paragraph that is one short link within the site (the document the page
    offers), last in the body after its last line, or ''."""
    last = _find_block(soup, last_line)
    if last is None or last.name != "p":
        return ""
    following = [s for s in _siblings(last, forward=True) if _words(s)]
    if len(following) != 1:  # more after it: the body goes on, or furniture follows
        return ""
    closing = following[0]
    links = closing.find_all("a", href=True)
    if (closing.name == "p" and len(links) == 1 and _stays_on_site(links[0]["href"], soup)
            and not is_furniture(closing)
            and _link_share(closing) == 1.0 and _words(closing) <= MAX_CLOSING_LINK_WORDS):
        return block_text(closing)
    return ""


def with_edges(soup: BeautifulSoup, text: str, title: str) -> str:
    """The extracted text with a standfirst before it and a closing link after it, if any."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return text
    lead = lead_before(soup, lines[0], title)
    closing = closing_link_after(soup, lines[-1])
    if lead and fold(lead) not in fold(text):
        text = f"{lead}\n{text}"
    if closing and fold(closing) not in fold(lines[-1]):
        text = f"{text}\n{closing}"
    return text
