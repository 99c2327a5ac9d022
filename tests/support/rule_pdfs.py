"""PDFs built at run time with reportlab, one per rule of reading real documents: a title in
large type under a running header, generic metadata, a slide deck, a one-page case study, a
chart with £ labels, a line drawn twice for bold, names the word splitter must keep, headings
that differ only by type, and covers with nothing to read a title from.

Every text here is our own; places come from the tests' vocabulary (tests/data/vocabulary).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

BODY = ("The service brought advice, housing and benefits staff into one team so that a "
        "resident tells their story once. Staff share one record and one list of actions, "
        "and the team meets each morning to agree who calls whom that day.")
RUNNING_HEADER = "Neighbourhood Services Improvement Programme"
COVER_TITLE = "Joining Up Advice for Tenants Across the County"
SERIES = "Research Report 12"
DECK_TITLE = "Learning Exchange: Preventing Homelessness"
TALKS = ("Talk one: Tenancy sustainment in practice", "Talk two: Digital inclusion for renters")
SLIDES = {TALKS[0]: ("Why tenancies fail", "What the team changed"),
          TALKS[1]: ("Who is offline", "Lending devices through libraries")}
CASE_TITLE = "Case study: A shared front desk for Coventry residents"
CASE_PARTS = ("The challenge", "What we did", "The difference it made")
CHAPTERS = {"Why the service changed": ("Referral routes", "Waiting times"),
            "What residents told us": ("Views on the new desk",)}
NAMES_TEXT = ("The Hartisford team met at the town hall. Corpor ate planning sets the budget. "
              "Thisreportis about wellbeing and homelessness services.")


def _page_text(pdf: canvas.Canvas, text: str, top: float, size: float = 11, width: int = 88,
               font: str = "Helvetica") -> float:
    """Write a paragraph wrapped at about `width` characters; returns the next line's height."""
    pdf.setFont(font, size)
    line, y = "", top
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            pdf.drawString(60, y, line)
            y -= size * 1.25
            line = ""
        line = f"{line} {word}".strip()
    if line:
        pdf.drawString(60, y, line)
        y -= size * 1.25
    return y - size * 0.6


def _header_and_number(pdf: canvas.Canvas, number: int) -> None:
    pdf.setFont("Helvetica", 8)
    pdf.drawString(60, A4[1] - 30, RUNNING_HEADER)
    pdf.drawString(A4[0] - 80, 30, str(number))


def titled_page(path: Path, title: str, size: float = 20, top: float = 90) -> canvas.Canvas:
    """A new A4 PDF whose first page opens with a bold title; the caller adds the rest."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica-Bold", size)
    pdf.drawString(60, A4[1] - top, title)
    return pdf


def build_titled_report(path: Path, metadata_title: str | None = None) -> Path:
    """Three pages under a running header; the cover's title set large, a series line and a
    printed month under it; headings in bold after it."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if metadata_title:
        pdf.setTitle(metadata_title)
    for number in range(1, 4):
        _header_and_number(pdf, number)
        y = A4[1] - 120
        if number == 1:
            pdf.setFont("Helvetica-Bold", 24)
            pdf.drawString(60, y, "Joining Up Advice for Tenants")
            pdf.drawString(60, y - 30, "Across the County")
            pdf.setFont("Helvetica", 14)
            pdf.drawString(60, y - 70, SERIES)
            pdf.drawString(60, y - 90, "May 2008")
            y -= 140
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(60, y, f"Part {number} of the review")
        y = _page_text(pdf, BODY * 3, y - 24)
        pdf.showPage()
    pdf.save()
    return path


def build_plain_cover(path: Path, metadata_title: str | None = None,
                      image_first: bool = False) -> Path:
    """Two pages with nothing set larger than the body (or a first page that is only a
    drawing): no title can be read from the type."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if metadata_title:
        pdf.setTitle(metadata_title)
    if image_first:
        pdf.setFillGray(0.6)
        pdf.rect(60, 300, 400, 400, fill=1, stroke=0)  # a picture, no text layer
        pdf.showPage()
    for _ in range(2):
        _page_text(pdf, ("the figures below were gathered over the year from every office and "
                         "checked by the finance team before they were sent. ") * 6,
                   A4[1] - 80)
        pdf.showPage()
    pdf.save()
    return path


def build_slide_deck(path: Path, metadata_title: str = "PowerPoint Presentation",
                     producer: str = "Microsoft PowerPoint") -> Path:
    """A landscape deck: a title slide, then two talks, each opened by a slide holding only
    its title, with two content slides each."""
    size = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=size)
    pdf.setTitle(metadata_title)
    pdf.setCreator(producer)

    def slide(title: str, body: str | None, title_size: float = 28) -> None:
        pdf.setFont("Helvetica-Bold", title_size)
        pdf.drawString(50, size[1] - 90, title)
        if body:
            _page_text(pdf, body, size[1] - 150, size=18, width=60)
        pdf.showPage()

    slide(DECK_TITLE, "A morning of talks from three councils.", title_size=34)
    for talk in TALKS:
        slide(talk, None)
        for title in SLIDES[talk]:
            slide(title, f"{title}: most of the change came from asking tenants early and "
                         "often.")
    pdf.save()
    return path


def build_one_page_case_study(path: Path) -> Path:
    """One page: a title set large, then what went before, what was done and what changed."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawString(60, A4[1] - 90, CASE_TITLE)
    y = A4[1] - 140
    texts = ("Residents of Coventry had to visit three offices to sort out one problem.",
             BODY,
             "Repeat visits fell by a third in the first year and the council saved "
             "\u00a340,000 a year in staff time.")
    for heading, text in zip(CASE_PARTS, texts, strict=True):
        pdf.setFont("Helvetica-Bold", 15)
        pdf.drawString(60, y, heading)
        y = _page_text(pdf, text, y - 22)
    pdf.save()
    return path


def build_chart_page(path: Path) -> Path:
    """A page of prose with one real saving, and a bar chart whose labels are sums."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = _page_text(pdf, "Costs of the pilot were tracked monthly. The scheme saved \u00a312,500 "
                        "in its first year. " + BODY, A4[1] - 80)
    pdf.setFont("Helvetica", 8)
    for step, label in enumerate(("\u00a3150k", "\u00a3100k", "\u00a350k", "\u00a30")):
        pdf.drawString(60, y - 20 - step * 40, label)  # the axis
    pdf.drawString(100, y - 200, "\u00a318k \u00a325k \u00a331k \u00a344k")  # bar labels
    pdf.drawString(100, y - 215, "2019 2020 2021 2022")
    _page_text(pdf, "The chart shows the running total since the pilot began.", y - 260)
    pdf.save()
    return path


def build_doubled_bold(path: Path) -> Path:
    """A date line drawn twice a fraction of a point apart, as designers fake bold."""
    pdf = titled_page(path, "Quarterly Update for Partners")
    pdf.setFont("Helvetica", 16)
    pdf.drawString(60, A4[1] - 130, "February 2024")
    pdf.drawString(60.3, A4[1] - 130, "February 2024")
    _page_text(pdf, BODY, A4[1] - 180)
    pdf.save()
    return path


def build_names_page(path: Path) -> Path:
    """Prose with a proper noun, a word broken in two, a run-on sentence start and compounds."""
    pdf = titled_page(path, "Notes from the Town Hall Meeting")
    _page_text(pdf, NAMES_TEXT + " " + BODY, A4[1] - 140)
    pdf.save()
    return path


def build_typeset_report(path: Path) -> Path:
    """A report with no contents page and no numbers: chapters 16 pt bold, sections 12 pt
    bold, body 10 pt; the headings are in sentence case."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawString(60, A4[1] - 90, "Review of the Shared Front Desk")
    pdf.showPage()
    for chapter, sections in CHAPTERS.items():
        y = A4[1] - 80
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(60, y, chapter)
        y = _page_text(pdf, BODY, y - 26, size=10)
        for section in sections:
            pdf.setFont("Helvetica-Bold", 12)
            pdf.drawString(60, y - 8, section)
            y = _page_text(pdf, BODY + " " + BODY, y - 28, size=10)
        pdf.showPage()
    pdf.save()
    return path
