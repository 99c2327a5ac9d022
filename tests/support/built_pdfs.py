"""Small PDFs built with reportlab from text we wrote: a report, and hostile or broken files."""

from __future__ import annotations

import zlib
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

TITLE = "Joining Up Front Doors: A Review of Shared Customer Services"
RUNNING_HEADER = "Joining Up Front Doors 2011"
FILLER = (
    "Officers from the partner councils met every fortnight to compare what residents "
    "asked for at each counter, and found that many visits were repeat calls about the "
    "same claim. "
)

# (page the heading starts on, number, title, paragraphs); chapters start a new page.
CHAPTERS = [
    (2, "1", "Introduction", [
        ("1.1", "Purpose of this Review",
         ["This review looks at how neighbouring councils share one front door for "
          "benefits, housing and council tax enquiries. " + FILLER]),
        ("1.2", "How We Worked",
         ["We visited six partnerships and asked staff which enquiries took longest. " + FILLER]),
    ]),
    (3, "2", "What We Found", [
        ("2.1", "Customer Insight",
         ["Partners that mapped the journeys of their most frequent callers redesigned "
          "their forms first. " + FILLER]),
    ]),
    (5, "3", "Recommendations", [
        ("3.1", "Next Steps for Partnerships",
         ["Every partnership should agree one set of service standards before it shares a "
          "building. " + FILLER]),
    ]),
]
CASE_PAGE = 3
CASE_PLACE = "Coventry"
CASE_TITLE = "A Shared Benefits Front Door That Cut Repeat Visits to the Council House"
CASE_BODY = ("Coventry joined its benefits and housing advice desks in 2009. Within a year repeat "
             "visits fell by a third, saving an estimated £85,000 per year in staff time.")
SECTION_AFTER_CASE = ("2.2", "Shared Contact Centres", 4,
                      ["Two districts now answer each other's calls out of hours. " + FILLER])
FOOTNOTE = "1 The survey of callers ran from June to August 2010 and reached 1,200 residents."


def _decorate(canv, doc) -> None:
    canv.saveState()
    canv.setFont("Helvetica", 8)
    canv.drawString(72, A4[1] - 40, RUNNING_HEADER)
    canv.drawString(A4[0] / 2, 30, str(doc.page))
    canv.restoreState()


def _contents(styles) -> list:
    rows = [Paragraph("Contents", styles["Heading1"])]
    for page, number, title, sections in CHAPTERS:
        rows.append(Paragraph(f"{number} {title} ........ {page}", styles["BodyText"]))
        for s_number, s_title, _ in sections:
            rows.append(Paragraph(f"{s_number} {s_title} ........ {page}", styles["BodyText"]))
        if number == "2":
            rows.append(Paragraph(f"{SECTION_AFTER_CASE[0]} {SECTION_AFTER_CASE[1]} ........ "
                                  f"{SECTION_AFTER_CASE[2]}", styles["BodyText"]))
    return rows


def _case_box(styles) -> Table:
    heading = Paragraph(f"Case Study: {CASE_PLACE} \u2013 {CASE_TITLE}", styles["Heading3"])
    box = Table([[heading], [Paragraph(CASE_BODY, styles["BodyText"])]], colWidths=[300])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, "black")]))
    return box


def build_report_pdf(path: Path) -> Path:
    """A five-page report: cover and contents, three chapters, a case-study box, a footnote."""
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=TITLE, author="Hub Test Team")
    story = [Paragraph(TITLE, styles["Title"]), *_contents(styles)]
    for _, number, title, sections in CHAPTERS:
        story += [PageBreak(), Paragraph(f"{number} {title}", styles["Heading1"])]
        for s_number, s_title, paragraphs in sections:
            story.append(Paragraph(f"{s_number} {s_title}", styles["Heading2"]))
            story += [Paragraph(p, styles["BodyText"]) for p in paragraphs]
        if number == "2":
            story += [Spacer(1, 12), _case_box(styles), Spacer(1, 300),
                      Paragraph(FOOTNOTE, styles["Normal"]), PageBreak(),
                      Paragraph(f"{SECTION_AFTER_CASE[0]} {SECTION_AFTER_CASE[1]}",
                                styles["Heading2"]),
                      *[Paragraph(p, styles["BodyText"]) for p in SECTION_AFTER_CASE[3]]]
    doc.build(story, onFirstPage=_decorate, onLaterPages=_decorate)
    return path


def build_image_only_pdf(path: Path) -> Path:
    """Two pages of drawings and no text at all, like a scan without OCR."""
    canv = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        canv.rect(100, 100, 300, 400, fill=1)
        canv.circle(250, 600, 50)
        canv.showPage()
    canv.save()
    return path


def build_encrypted_pdf(path: Path, source: Path, password: str = "s3cret") -> Path:
    """A copy of a PDF that needs a password to open."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password + "-owner",
                   algorithm="AES-256")
    writer.write(path)
    return path


def build_bomb_pdf(path: Path, inflated_mib: int = 200) -> Path:
    """A one-page PDF whose content stream inflates from a few hundred KiB to many MiB."""
    return one_page_pdf(path, b"BT /F1 12 Tf 72 720 Td (Boom) Tj ET\n"
                        + b" " * (inflated_mib << 20))


def one_page_pdf(path: Path, content: bytes, filters: int = 1) -> Path:
    """A one-page PDF whose content stream is `content`, Flate-compressed `filters` times."""
    stream = content
    for _ in range(filters):
        stream = zlib.compress(stream, 9)
    names = b" ".join([b"/FlateDecode"] * filters)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(stream), names) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _write_objects(path, objects)


def _write_objects(path: Path, objects: list[bytes]) -> Path:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
