"""Who published a report: what it says ("Published by ...", "© ... 2015"), else the body its
cover or letterhead names, else a metadata author that is a body rather than a person.

Bodies are recognised by the organisation vocabulary, by a council's own forms in the
gazetteer ("London Borough of Bexley"), or by the words public bodies' names end in
("... Registry", "... Council", "Department for ..."). A person's name or a staff number in the
document information is never a publisher.
"""

from __future__ import annotations

import re

from hub.indexing.layout import Line
from hub.vocabulary.taxonomy import Taxonomy

MAX_NAME_WORDS = 10
FIRST_PAGES = 2

_STATED = re.compile(r"(?:\bpublished by|\bpublisher\s*:|\u00a9|\(c\)|copyright)\s*(?:\u00a9\s*)?"
                     r"(?:the\s+)?(?P<name>(?-i:[A-Z])[^,.;:|\u2013\u2014]{2,100}?)"
                     r"(?=\s*(?:[,.;:|\u2013\u2014]|\d{4}|www\.|https?:|$))", re.IGNORECASE)
_NOT_A_PUBLISHER = re.compile(r"^(?:the\s+)?(?:crown|copyright|all rights|the authors?)\b",
                              re.IGNORECASE)
_COUNCIL = re.compile(r"\b(?:Council|Borough|County|City|District|Cyngor|Comhairle)\b")
# A header field's label or a meeting ("To: Full Council") is not a body's name.
_BODY = re.compile(r"(?!(?:To|From|Dear|Date|Subject|Re|Full|Cabinet|Chief)\b)"
                   r"(?:HM |Her Majesty's |The )?[A-Z][\w&'\u2019-]*(?: (?:of|for|and|the|&|"
                   r"[A-Z][\w&'\u2019-]*))*? (?:Council|Registry|Agency|Department|Office|"
                   r"Authority|Trust|Commission|Ministry|Service|Partnership|Board|Institute|"
                   r"Association|Treasury|Customs)(?: \([A-Z]{2,8}\))?|"
                   r"(?:Department|Ministry|Office|Institute) (?:of|for) [A-Z][\w ,&'-]*")
_POSSESSIVE = re.compile(r"['\u2019]s$")


def names_a_body(text: str) -> bool:
    """True when a line is nothing but a public body's name ("Kent County Council")."""
    return bool(_BODY.fullmatch(" ".join(text.split()).strip(",.;:")))


def find_publisher(lines: list[Line], cover_texts: list[str], metadata_author: str | None,
                   taxonomy: Taxonomy) -> str | None:
    """The publisher's name as printed, or None when the document does not say."""
    first = [x.text for x in lines if x.text and (x.page or 1) <= FIRST_PAGES]
    last_page = max((x.page for x in lines if x.page), default=None)
    last = [x.text for x in lines if x.text and x.page == last_page and x.page not in (1, 2)]
    for text in first + last:
        for match in _STATED.finditer(text):
            name = " ".join(match.group("name").split())
            if not _NOT_A_PUBLISHER.match(name) and len(name.split()) <= MAX_NAME_WORDS:
                return name
    for text in cover_texts + first[:12]:
        name = _body_named(text, taxonomy)
        if name:
            return name
    author = " ".join((metadata_author or "").split())
    if author and _body_named(author, taxonomy) == author:
        return author
    return None


def _body_named(text: str, taxonomy: Taxonomy) -> str | None:
    """The longest public body a line names: a vocabulary organisation, a council's own form
    of name, or a name ending as public bodies' names do. Names start and end with a capital,
    so only such spans are looked up."""
    words = [_POSSESSIVE.sub("", w.strip(",.;:()")) for w in text.split()]
    capital = [bool(w[:1].isupper()) for w in words]
    for size in range(min(len(words), MAX_NAME_WORDS), 1, -1):
        for start in range(len(words) - size + 1):
            if not (capital[start] and capital[start + size - 1]):
                continue
            name = " ".join(words[start:start + size])
            if taxonomy.resolve("organisation", name) or _BODY.fullmatch(name):
                return name
            place = taxonomy.resolve("place", name)
            if place and name != taxonomy.name_of("place", place) and _COUNCIL.search(name):
                return name  # a council's own form: "London Borough of Bexley"
    return None
