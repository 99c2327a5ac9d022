"""Pages that hold several separate articles side by side (a multi-part guide shown on one page).

Such a page marks each part as an <article> with its own heading, the parts sitting in
parallel: the same heading level, at the same depth, each in its own branch under one
common ancestor. A news page's teasers of other stories can look alike, so the parts must
also hold the page's main text, and a part whose heading is a link (a teaser pointing
elsewhere) disqualifies the group. One long article split into <section>s stays one article:
only <article>, the markup that says "this stands on its own", separates items.
"""

from __future__ import annotations

from collections import defaultdict

from bs4 import BeautifulSoup, Tag

from hub.indexing.main_text import HEADINGS
from hub.text.normalise import fold

MIN_PART_WORDS = 5  # besides its heading: a part with only a title is no article
MIN_MAIN_LINE_WORDS = 6  # a line of the main text long enough to say where it came from


def _lead_heading(container: Tag) -> Tag | None:
    """The heading a container starts with (no text of its own before it), if any."""
    heading = container.find(HEADINGS)
    if heading is None:
        return None
    before = []
    for node in container.descendants:
        if node is heading:
            break
        if isinstance(node, str):
            before.append(node)
    return heading if not "".join(before).strip() else None


def _depth(node: Tag) -> int:
    return sum(1 for _ in node.parents)


def _in_parallel(parts: list[Tag]) -> bool:
    """True when the parts sit in distinct branches under one common ancestor."""
    chains = [list(p.parents) for p in parts]
    common = next((a for a in chains[0] if all(a in chain for chain in chains[1:])), None)
    if common is None:
        return False
    branches = set()
    for part, chain in zip(parts, chains, strict=True):
        below = chain[: chain.index(common)]
        branches.add(id(below[-1]) if below else id(part))
    return len(branches) == len(parts)


def holds_main_text(parts: list[Tag], main_text: str) -> bool:
    """True when the page's main text (as an extractor found it) comes from inside the parts."""
    lines = [fold(line) for line in main_text.split("\n")]
    lines = [line for line in lines if len(line.split()) >= MIN_MAIN_LINE_WORDS]
    if not lines:
        return False
    inside = fold(" \n ".join(p.get_text(" ") for p in parts))
    return sum(line in inside for line in lines) * 2 > len(lines)


def section_articles(soup: BeautifulSoup, main_text: str) -> list[Tag]:
    """The separate articles a page holds side by side, or [] for a page of one article."""
    articles = soup.find_all("article")
    outer = [a for a in articles if not any(p.name == "article" for p in a.parents)]
    groups: dict[tuple[str, int], list[Tag]] = defaultdict(list)
    for article in outer:
        heading = _lead_heading(article)
        if heading is None:
            continue
        if heading.find("a", href=True) or heading.find_parent("a") is not None:
            continue  # a heading linking elsewhere: a teaser or an archive's post, not a part
        body_words = len(article.get_text(" ").split()) - len(heading.get_text(" ").split())
        if body_words >= MIN_PART_WORDS:
            groups[(heading.name, _depth(article))].append(article)
    parts = max(groups.values(), key=len, default=[])
    if len(parts) < 2 or not _in_parallel(parts) or not holds_main_text(parts, main_text):
        return []
    return parts
