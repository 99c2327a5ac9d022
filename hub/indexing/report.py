"""Long reports (PDF, or text renderings of PDFs): a report item with its chapters, sections
and case-study boxes.

The pages go through layout (furniture and footnotes out), then structure is found: the
table of contents where there is one and its entries can be found in the text, numbered
headings otherwise; case-study boxes are found either way. Every line then belongs to the
report's front matter, to one section or to one case study, and each becomes an item with
its text, HTML, footnotes and page range. Case studies are children of the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hub.indexing.boxes import Box, ends_box, find_boxes
from hub.indexing.capped import MAX_TEXT_CHARS
from hub.indexing.clean import to_text
from hub.indexing.contents import find_contents, locate
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.genre import (
    as_case_study,
    is_case_study,
    is_newsletter,
    is_slide_deck,
    lift_named_stories,
)
from hub.indexing.headings import Heading, numbered_headings, split_long_sections
from hub.indexing.layout import Layout, Line, lay_out, split_pages
from hub.indexing.pdf import PdfText, read_pdf
from hub.indexing.printed_date import metadata_date, printed_date
from hub.indexing.publisher import find_publisher
from hub.indexing.styled_headings import slide_headings, styled_headings
from hub.indexing.text import sentences, text_to_html
from hub.indexing.titles import choose_title, cover_blocks
from hub.indexing.words import known_words, mostly_english, proper_nouns, repair_words
from hub.text.dates import format_date
from hub.text.normalise import shorten, slugify
from hub.vocabulary.taxonomy import Taxonomy

MIN_STRUCTURE_HEADINGS = 3
SUMMARY_SENTENCES = 2
SUMMARY_CHARACTERS = 300


def has_report_structure(text: str) -> bool:
    """True when a text shows a report's structure (a table of contents, numbered sections)."""
    pages, paged = split_pages(text)
    lines = lay_out(pages, paged).lines
    headings, _ = find_structure(lines)
    return len(headings) >= MIN_STRUCTURE_HEADINGS and any(h.depth > 1 for h in headings)


def parse_report_text(text: str, origin: str, meta: dict, taxonomy: Taxonomy) -> ParsedDocument:
    """A text rendering of a PDF report (a form feed or a leading space marks a page)."""
    pages, paged = split_pages(text)
    return build_report(pages, paged, origin, taxonomy)


def parse_pdf(path: Path, origin: str, meta: dict, taxonomy: Taxonomy,
              max_text_chars: int = MAX_TEXT_CHARS) -> ParsedDocument:
    """A PDF report with its document metadata; run it in a capped child (the loader does)."""
    pdf = read_pdf(path, origin, max_text_chars=max_text_chars)
    doc = build_report(pdf.pages, True, origin, taxonomy, pdf)
    if pdf.author:
        doc.extra["author"] = pdf.author
    if pdf.salvaged:
        doc.extra["salvaged"] = "text recovered from a damaged file's raw content streams"
    return doc


def find_structure(lines: list[Line], slides: bool = False
                   ) -> tuple[list[Heading], tuple[int, int] | None]:
    """Headings from the table of contents if it can be followed, else from typography and
    numbering (a slide deck's from its slides' titles); and the span of the table of
    contents, when it was used."""
    contents = find_contents(lines)
    if contents:
        start, end, entries = contents
        located = locate(lines, entries, end)
        if located:
            return split_long_sections(lines, located), (start, end)
        lines = lines[:start] + [Line("", x.page) for x in lines[start:end]] + lines[end:]
    if slides:
        return slide_headings(lines, skip=cover_blocks(lines)), None
    numbered = numbered_headings(lines)
    styled = styled_headings(lines, skip=cover_blocks(lines))
    headings = _merge(styled, numbered) if styled else numbered
    return split_long_sections(lines, headings), None


def _merge(styled: list[Heading], numbered: list[Heading]) -> list[Heading]:
    """Headings found by type, with numbered ones the type missed ("1.1" set in body type)
    placed under them."""
    taken = [range(h.start, h.end) for h in styled]
    extra = [h for h in numbered if not any(h.start in span or h.end - 1 in span
                                            for span in taken)]
    return sorted(styled + extra, key=lambda h: h.start)


def build_report(pages: list[str], paged: bool, origin: str, taxonomy: Taxonomy,
                 pdf: PdfText | None = None) -> ParsedDocument:
    """The report tree for a document's pages (with the line styles, metadata and page shapes
    of the PDF they came from, when they did), its title, date and kind."""
    layout = lay_out(pages, paged, pdf.styles if pdf else None)
    lines = layout.lines
    if not any(line.text for line in lines):
        raise ParseError(origin, "no text")
    known = _vocabulary_words(taxonomy) | proper_nouns(x.text for x in lines)
    slides = bool(pdf) and is_slide_deck(pdf.producer, pdf.title, pages, pdf.landscape_pages)
    headings, contents = find_structure(lines, slides)
    cover = {b.start for b in cover_blocks(lines)}
    boxes = [b for b in find_boxes(lines, taxonomy) if b.start not in cover]
    boxed = {b.start for b in boxes}
    headings = [h for h in headings if h.start not in boxed]  # a box's heading is the box's
    _close_boxes(lines, boxes, headings)
    split = mostly_english(x.text for x in lines)
    builder = _TreeBuilder(layout, origin, known, split)
    report = builder.build(headings, boxes, contents)
    _title_and_date(report, layout, pdf.title if pdf else None, pdf.date if pdf else None,
                    builder.repair)
    publisher = find_publisher(lines, [b.text for b in cover_blocks(lines)],
                               pdf.author if pdf else None, taxonomy)
    if publisher:
        report.extra["publisher"] = publisher
    _date_and_summarise_case_studies(report)
    if slides:
        report.type = "slides"
    elif is_newsletter(report.title, lines):
        report.type = "newsletter"
        lift_named_stories(report, taxonomy)
    elif is_case_study(report, layout.page_count if layout.paged else 0, taxonomy):
        as_case_study(report)
    return report


def _title_and_date(report: ParsedDocument, layout: Layout, given_title: str | None,
                    given_date: dt.date | None, repair) -> None:
    """The title a reader would cite and the date printed on the first pages."""
    lines = layout.lines
    date = printed_date((x.text, x.page) for x in lines)
    title = choose_title(lines, given_title, report.origin, date and format_date(*date),
                         layout.furniture)
    report.title = repair(title.text) if title.source in ("cover", "header") else title.text
    if title.note:
        report.notes.append(title.note)
    date = date or printed_date((), report.title) or metadata_date(given_date)
    if date:
        report.date, report.date_precision = date


def _date_and_summarise_case_studies(report: ParsedDocument) -> None:
    """Case studies lifted from a report get the report's date (they are listed on their
    own) and, for result lists, a summary: their opening sentences."""
    for node in report.walk():
        if node is report or node.type != "case_study":
            continue
        if node.date is None and report.date is not None:
            node.date, node.date_precision = report.date, report.date_precision
        if not node.summary and node.text:
            opening = " ".join(sentences(node.text.split("\n\n")[0])[:SUMMARY_SENTENCES])
            node.summary = shorten(opening, SUMMARY_CHARACTERS)


_KNOWN_WORDS: dict[int, tuple[Taxonomy, frozenset[str]]] = {}


def _vocabulary_words(taxonomy: Taxonomy) -> frozenset[str]:
    """The words of every place and organisation name, once per taxonomy (a few thousand
    names: worth keeping rather than recomputing for every file)."""
    cached = _KNOWN_WORDS.get(id(taxonomy))
    if cached is None or cached[0] is not taxonomy:
        names = [p.name for p in taxonomy.places.values()]
        names += [o.name for o in taxonomy.organisations.values()]
        cached = _KNOWN_WORDS[id(taxonomy)] = (taxonomy, known_words(names))
    return cached[1]


def _close_boxes(lines: list[Line], boxes: list[Box], headings: list[Heading]) -> None:
    """Each box's body ends at the next box, the next heading or a standalone subheading."""
    stops = sorted({b.start for b in boxes} | {h.start for h in headings} | {len(lines)})
    for box in boxes:
        stop = next(s for s in stops if s > box.start)
        box.end = next((i for i in range(box.title_end + 1, stop)
                        if lines[i].text and ends_box(lines, i)), stop)


class _TreeBuilder:
    """Turns headings and boxes over a layout into ParsedDocuments, one line to one owner."""

    def __init__(self, layout: Layout, origin: str, known: frozenset[str], split: bool):
        self.layout, self.origin, self.known, self.split = layout, origin, known, split
        self.lines = layout.lines

    def repair(self, text: str) -> str:
        """A title or footnote with its words repaired as the body's are."""
        return repair_words(text, self.known, self.split)

    def build(self, headings: list[Heading], boxes: list[Box],
              contents: tuple[int, int] | None) -> ParsedDocument:
        """The report with its sections nested under it and its case studies after them."""
        report = ParsedDocument(title="", type="report", text="", origin=self.origin)
        nodes = {id(h): self._section(h) for h in headings}
        nodes |= {id(b): self._case_study(b) for b in boxes}
        owners = self._owners(report, headings, boxes, contents, nodes)
        owned: dict[int, list[int]] = {}
        for index, owner in enumerate(owners):
            if owner is not None:
                owned.setdefault(id(owner), []).append(index)
        self._nest(report, headings, nodes)
        report.children.extend(nodes[id(b)] for b in boxes)
        for node in (report, *nodes.values()):
            self._fill(node, owned.get(id(node), []))
        # Its page shows the front matter (its sections follow it); its text for search also
        # lists its contents, which is what the report as a whole is about.
        report.html = text_to_html(report.text) if report.text else None
        report.text = self._report_text(report.text, headings, nodes)
        self._pages(report, headings, nodes)
        self._footnotes(report, owners)
        _set_anchors(report)
        return report

    def _owners(self, report, headings, boxes, contents, nodes) -> list:
        """For each line, the node whose text it is (None for heading and contents lines)."""
        owners: list = [report] * len(self.lines)
        marks = sorted((h.start, h.end, id(h)) for h in headings)
        for number, (start, end, key) in enumerate(marks):
            stop = marks[number + 1][0] if number + 1 < len(marks) else len(self.lines)
            owners[start:end] = [None] * (end - start)
            owners[end:stop] = [nodes[key]] * max(0, stop - end)
        for box in boxes:
            owners[box.start:box.title_end] = [None] * (box.title_end - box.start)
            owners[box.title_end:box.end] = [nodes[id(box)]] * max(0, box.end - box.title_end)
        if contents:
            owners[contents[0]:contents[1]] = [None] * (contents[1] - contents[0])
        return owners

    def _section(self, heading: Heading) -> ParsedDocument:
        title = self.repair(heading.title).rstrip(" .")  # "Fits into Total Place."
        return ParsedDocument(title=title, type="section", text="", origin=self.origin,
                              number=heading.number,
                              page_start=self.lines[heading.start].page or heading.page)

    def _case_study(self, box: Box) -> ParsedDocument:
        # Titled as the report prints it, so that its place stays in it ("Case Study:
        # Durham - Housing Spend"); the place is also kept on its own.
        doc = ParsedDocument(title=self.repair(box.printed or box.title), type="case_study",
                             text="", origin=self.origin, given_places=box.places or None)
        if box.place:
            doc.extra["place"] = box.place
        return doc

    def _nest(self, report: ParsedDocument, headings: list[Heading], nodes: dict) -> None:
        """Each heading under the nearest one above it that is shallower and, when both are
        numbered, whose number it extends (5.1 never goes under 4 when 5 was not found)."""
        stack: list[tuple[int, ParsedDocument]] = [(0, report)]
        for heading in headings:
            while len(stack) > 1 and (stack[-1][0] >= heading.depth
                                      or not _extends(heading.number, stack[-1][1].number)):
                stack.pop()
            node = nodes[id(heading)]
            stack[-1][1].children.append(node)
            stack.append((heading.depth, node))

    def _fill(self, node: ParsedDocument, indices: list[int]) -> None:
        node.text = to_text([self.lines[i] for i in indices], self.known, self.split)
        node.html = text_to_html(node.text) if node.text else None
        pages = [self.lines[i].page for i in indices if self.lines[i].text and self.lines[i].page]
        if pages:
            node.page_start = node.page_start or min(pages)
            node.page_end = max(pages)

    def _report_text(self, front: str, headings: list[Heading], nodes: dict) -> str:
        """The front matter, then the contents: what the report item as a whole is about."""
        listing = [f"{h.number or ''} {nodes[id(h)].title}".strip() for h in headings]
        contents = "\n".join(["Contents", *listing]) if listing else ""
        return "\n\n".join(part for part in (front, contents) if part)

    def _pages(self, report: ParsedDocument, headings: list[Heading], nodes: dict) -> None:
        """Page ranges: each node's own lines and its children's; contents pages when unpaged."""
        if self.layout.paged:
            report.page_start, report.page_end = 1, self.layout.page_count
        else:
            _printed_page_ends(headings, nodes)
        _cover_children(report)


    def _footnotes(self, report: ParsedDocument, owners: list) -> None:
        """Each page's footnotes go to whatever owns the last line of text on that page."""
        last_owner: dict[int, ParsedDocument] = {}
        for line, owner in zip(self.lines, owners, strict=True):
            if line.text and line.page and owner is not None:
                last_owner[line.page] = owner
        for page, notes in sorted(self.layout.footnotes.items()):
            last_owner.get(page, report).footnotes.extend(self.repair(n) for n in notes)

def _extends(number: str | None, parent: str | None) -> bool:
    return not (number and parent) or number.startswith(parent + ".")


def _cover_children(node: ParsedDocument) -> None:
    """A section's page range reaches to the end of its last subsection."""
    for child in node.children:
        _cover_children(child)
        if node.type != "report" and child.page_end and node.page_start:
            node.page_end = max(node.page_end or node.page_start, child.page_end)
    if node.page_start and node.page_end is None:
        node.page_end = node.page_start


def _printed_page_ends(headings: list[Heading], nodes: dict) -> None:
    """Without page marks: a section ends the page before the next heading at its level or above."""
    for position, heading in enumerate(headings):
        nxt = next((h for h in headings[position + 1:] if h.depth <= heading.depth), None)
        node = nodes[id(heading)]
        node.page_start = heading.page
        if heading.page and nxt and nxt.page:
            node.page_end = max(heading.page, nxt.page - 1)


def _set_anchors(node: ParsedDocument) -> None:
    """Anchors unique among siblings: ch-3, s-3-2, s-<slug>, cs-<place-title>."""
    seen: set[str] = set()
    for child in node.children:
        if child.type == "case_study":
            base = "cs-" + slugify(f"{child.extra.get('place', '')} {child.title}", 70)
        elif child.number:
            base = ("s-" if "." in child.number else "ch-") + child.number.replace(".", "-")
        else:
            base = ("ch-" if node.type == "report" else "s-") + slugify(child.title, 60)
        anchor, n = base, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        child.anchor = anchor
        _set_anchors(child)
