"""What kind of document a PDF or text rendering is: a report, one case study, a newsletter or
a slide deck; and a report tree reshaped as the one case study it is.

- A slide deck: made by presentation software (the document information says so), or most
  pages landscape with little text on each.
- A newsletter: its cover names the genre ("Newsletter", "Bulletin") or lists what is "in this
  edition"; its stories are its sections, and a story about a named place or organisation is a
  case study.
- One case study: short (a few pages), about a named place or organisation, and either called
  a case study or told as one: headings for what went before, what was done and what changed,
  whatever they are called ("Previously / The Solution / The Benefits").
"""

from __future__ import annotations

import html
import re

from hub.indexing.document import ParsedDocument
from hub.indexing.layout import Line
from hub.indexing.text import text_to_html
from hub.vocabulary.taxonomy import Taxonomy

MAX_CASE_STUDY_PAGES = 4
MAX_UNPAGED_CASE_STUDY = 12_000  # characters, for a text rendering without page marks
MIN_STORY_PARTS = 2  # of before / action / result, among the headings
MIN_DECK_PAGES = 3
DECK_LANDSCAPE_SHARE = 0.8
DECK_WORDS_PER_PAGE = 120  # a slide holds fewer words than this, typically

_PRESENTATION_SOFTWARE = re.compile(r"powerpoint|keynote|impress|google slides|prezi|"
                                    r"presentation", re.IGNORECASE)
# A statistical or research bulletin is a report, not a newsletter.
_NEWSLETTER = re.compile(r"(?<!statistical )(?<!research )\b(?:e-?)?(?:newsletter|bulletin|"
                         r"e-?news)\b", re.IGNORECASE)
_EDITION = re.compile(r"^in (?:this|the) (?:edition|issue|newsletter|bulletin)\b", re.IGNORECASE)
_CALLED_CASE_STUDY = re.compile(r"\bcase[\s-]+stud(?:y|ies)\b", re.IGNORECASE)
_STORY_PARTS = (
    re.compile(r"\b(previously|background|context|challenges?|problems?|issues?|situation|"
               r"before|starting point|the need|why)\b", re.IGNORECASE),
    re.compile(r"\b(solutions?|approach|what (?:we|they|the \w+) did|what was done|actions?|"
               r"response|interventions?|implementation|how it works|how we did it|"
               r"the project|delivery)\b", re.IGNORECASE),
    re.compile(r"\b(benefits?|outcomes?|results?|impact|what changed|difference|"
               r"achievements?|lessons|learning|savings)\b", re.IGNORECASE),
)
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'\u2019&-]*(?:\s+(?:of|and|upon|on|in|the|&)?\s*"
                              r"[A-Z][\w'\u2019&-]*){0,4}")


def is_slide_deck(producer: str, metadata_title: str | None, pages: list[str],
                  landscape_pages: int) -> bool:
    """True for a PDF exported from presentation software or laid out as slides."""
    if _PRESENTATION_SOFTWARE.search(producer or "") or \
            _PRESENTATION_SOFTWARE.search(metadata_title or ""):
        return True
    if len(pages) < MIN_DECK_PAGES or landscape_pages < DECK_LANDSCAPE_SHARE * len(pages):
        return False
    words = sorted(len(page.split()) for page in pages)
    return words[len(words) // 2] <= DECK_WORDS_PER_PAGE


def is_newsletter(title: str, lines: list[Line]) -> bool:
    """True when the title names the genre or the first page lists the edition's stories."""
    if _NEWSLETTER.search(title):
        return True
    first = [x.text for x in lines if x.text and (x.page or 1) == 1]
    return any(_EDITION.match(text) for text in first)


def is_case_study(report: ParsedDocument, page_count: int, taxonomy: Taxonomy) -> bool:
    """True for a short document that tells one case of a named place or organisation (and
    holds no case-study boxes of its own: then it is a report of several)."""
    if any(child.type == "case_study" for child in report.children):
        return False
    text = "\n".join(node.text for node in report.walk())
    short = page_count <= MAX_CASE_STUDY_PAGES if page_count else \
        len(text) <= MAX_UNPAGED_CASE_STUDY
    if not short:
        return False
    headings = [node.title for node in report.walk() if node is not report]
    told = sum(1 for part in _STORY_PARTS if any(part.search(h) for h in headings))
    called = bool(_CALLED_CASE_STUDY.search(report.title))
    if not (called or told >= MIN_STORY_PARTS):
        return False
    return bool(named_in(f"{report.title}\n{text}", taxonomy))


def named_in(text: str, taxonomy: Taxonomy) -> set[str]:
    """Places and organisations of the vocabulary named in a text ("place:x", "org:y")."""
    found: set[str] = set()
    for match in _CAPITALISED_RUN.finditer(text):
        words = match.group().split()
        for start in range(len(words)):
            for end in range(len(words), start, -1):
                name = " ".join(words[start:end]).rstrip("'\u2019s")
                for kind in ("place", "organisation"):
                    slug = taxonomy.resolve(kind, name)
                    if slug:
                        found.add(f"{kind}:{slug}")
    return found


def lift_named_stories(newsletter: ParsedDocument, taxonomy: Taxonomy) -> None:
    """A newsletter's story about a named place or organisation ("Fenland District Council's
    first year on the register") is a case study: it becomes one, whole."""
    for story in newsletter.children:
        if story.type == "section" and named_in(story.title, taxonomy):
            as_case_study(story)


def as_case_study(report: ParsedDocument) -> ParsedDocument:
    """The report as the one case study it is: its sections' headings and text in order, in
    one item, with no children (a case study is one unit, not split into results)."""
    parts: list[tuple[str | None, str]] = [(None, report.text)] if report.text else []

    def collect(node: ParsedDocument) -> None:
        for child in node.children:
            parts.append((child.title, child.text))
            collect(child)

    collect(report)
    text = "\n\n".join(p for title, body in parts for p in (title, body) if p)
    body_html = "\n".join(
        piece for title, body in parts
        for piece in ((f"<h2>{html.escape(title)}</h2>" if title else ""),
                      text_to_html(body) if body else "") if piece)
    footnotes = [note for node in report.walk() for note in node.footnotes]
    report.type, report.text, report.html = "case_study", text, body_html
    report.footnotes, report.children = footnotes, []
    return report
