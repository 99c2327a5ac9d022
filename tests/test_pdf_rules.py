"""Reading real documents, one rule per PDF built at run time (tests/support/rule_pdfs.py):
titles from type, generic metadata refused, slide decks, one-page case studies, chart labels,
doubled bold, names kept whole, headings from type alone, and covers with no title to read."""

from __future__ import annotations

import datetime as dt

import pytest

from hub.indexing.loader import parse_file
from hub.indexing.report import parse_pdf
from tests.support import rule_pdfs


def parsed(path, taxonomy):
    return parse_pdf(path, str(path), {}, taxonomy)


def test_the_title_is_the_large_type_under_a_running_header(tmp_path, taxonomy):
    doc = parsed(rule_pdfs.build_titled_report(tmp_path / "r.pdf"), taxonomy)
    # The cover's title with its series line, not the running header above it.
    assert doc.title == f"{rule_pdfs.COVER_TITLE} ({rule_pdfs.SERIES})"
    assert rule_pdfs.RUNNING_HEADER not in doc.title
    # The month printed on the cover, as a month.
    assert (doc.date, doc.date_precision) == (dt.date(2008, 5, 1), "month")


@pytest.mark.parametrize("generic", ["PowerPoint Presentation", "Microsoft Word - draft3.doc",
                                     "Slide 1", "untitled"])
def test_generic_metadata_is_never_the_title(tmp_path, taxonomy, generic):
    with_cover = parsed(rule_pdfs.build_titled_report(tmp_path / "a.pdf", generic), taxonomy)
    assert with_cover.title.startswith(rule_pdfs.COVER_TITLE)
    plain = parsed(rule_pdfs.build_plain_cover(tmp_path / "annual-figures_v2.pdf", generic),
                   taxonomy)
    assert plain.title == "Annual figures"
    assert any("file name" in note for note in plain.notes)


def test_useful_metadata_titles_a_document_whose_type_shows_none(tmp_path, taxonomy):
    doc = parsed(rule_pdfs.build_plain_cover(tmp_path / "x.pdf", "Library Figures 2016-17"),
                 taxonomy)
    assert doc.title == "Library Figures 2016-17"
    assert doc.notes == []


def test_a_first_page_of_image_gets_a_file_name_title_and_a_note_in_the_summary(tmp_path,
                                                                              corpus):
    path = rule_pdfs.build_plain_cover(tmp_path / "d07-branch-returns-2017.pdf", image_first=True)
    summary = corpus.ingest([path])
    assert summary.errors == []
    [note] = summary.notes
    assert "d07-branch-returns-2017.pdf" in note and "file name" in note
    doc = parsed(path, corpus.taxonomy)
    assert doc.title == "Branch returns 2017"  # never a sentence fragment from page 2


def test_a_slide_deck_is_recognised_and_its_talks_are_its_sections(tmp_path, taxonomy):
    doc = parsed(rule_pdfs.build_slide_deck(tmp_path / "deck.pdf"), taxonomy)
    assert doc.type == "slides"
    assert doc.title == rule_pdfs.DECK_TITLE  # the title slide, not "PowerPoint Presentation"
    assert [c.title for c in doc.children] == list(rule_pdfs.TALKS)
    for talk in doc.children:
        assert [s.title for s in talk.children] == list(rule_pdfs.SLIDES[talk.title])


def test_a_deck_is_known_by_its_pages_when_the_metadata_says_nothing(tmp_path, taxonomy):
    path = rule_pdfs.build_slide_deck(tmp_path / "deck.pdf", metadata_title="Tenancy talks",
                                      producer="Quartz PDFContext")
    assert parsed(path, taxonomy).type == "slides"


def test_a_one_page_case_study_is_one_case_study(tmp_path, taxonomy):
    doc = parsed(rule_pdfs.build_one_page_case_study(tmp_path / "case.pdf"), taxonomy)
    assert doc.type == "case_study"
    assert doc.title == rule_pdfs.CASE_TITLE  # the title once, not twice
    assert doc.children == []
    for heading in rule_pdfs.CASE_PARTS:
        assert heading in doc.text
    assert "three offices" in doc.text and "saved" in doc.text


def test_a_short_report_that_tells_no_case_stays_a_report(tmp_path, taxonomy):
    doc = parsed(rule_pdfs.build_typeset_report(tmp_path / "r.pdf"), taxonomy)
    assert doc.type == "report"


def test_chart_labels_are_neither_text_nor_outcomes(tmp_path, parse_context):
    path = rule_pdfs.build_chart_page(tmp_path / "chart.pdf")
    [doc] = parse_file(path, str(path), parse_context)
    outcomes = [o for node in doc.walk() for o in node.outcomes]
    assert [(o.amount_gbp, o.kind) for o in outcomes] == [(12_500, "saving")]
    text = "\n".join(node.text for node in doc.walk())
    assert "\u00a3150k" not in text and "\u00a344k" not in text
    assert "running total" in text


def test_a_line_drawn_twice_for_bold_is_read_once(tmp_path, taxonomy):
    doc = parsed(rule_pdfs.build_doubled_bold(tmp_path / "update.pdf"), taxonomy)
    text = "\n".join(node.text for node in doc.walk())
    assert "February 2024February 2024" not in text
    assert (doc.date, doc.date_precision) == (dt.date(2024, 2, 1), "month")


def test_names_and_compounds_stay_whole_and_broken_words_are_rejoined(tmp_path, taxonomy):
    doc = parsed(rule_pdfs.build_names_page(tmp_path / "notes.pdf"), taxonomy)
    text = "\n".join(node.text for node in doc.walk())
    assert "Hartisford" in text and "Hart is ford" not in text
    assert "Corporate planning" in text
    assert "This report is about wellbeing and homelessness" in text


def test_headings_that_differ_only_by_type_make_chapters_and_sections(tmp_path, taxonomy):
    doc = parsed(rule_pdfs.build_typeset_report(tmp_path / "r.pdf"), taxonomy)
    assert doc.title == "Review of the Shared Front Desk"
    assert [c.title for c in doc.children] == list(rule_pdfs.CHAPTERS)
    for chapter in doc.children:
        assert [s.title for s in chapter.children] == list(rule_pdfs.CHAPTERS[chapter.title])
        assert chapter.text and all(s.text for s in chapter.children)


@pytest.mark.parametrize("lines, cover, author, publisher", [
    ([("Published by the Local Government Association, May 2010", 2)], [], None,
     "Local Government Association"),
    ([("\u00a9 Crown copyright 2015", 2), ("Published by HM Treasury, July 2015", 2)], [], None,
     "HM Treasury"),
    ([("Dear Ms Smith", 1), ("Thank you for your letter.", 1)], ["Coventry City Council"], None,
     "Coventry City Council"),
    ([("Copyright in the typographical arrangement rests with the Crown.", 2)],
     ["Northshire Land Registry"], None, "Northshire Land Registry"),
    ([("A plain page.", 1)], [], "Fisher, Paul", None),  # a person is no publisher
    ([("To: Full Council", 1), ("From: the Leader", 1)], [], "7225547", None),
])
def test_the_publisher_is_what_the_document_says_or_the_body_it_names(
        lines, cover, author, publisher, taxonomy):
    from hub.indexing.layout import Line
    from hub.indexing.publisher import find_publisher

    found = find_publisher([Line(text, page) for text, page in lines], cover, author, taxonomy)
    assert found == publisher


def test_a_body_named_in_the_largest_type_is_a_masthead_not_the_title(tmp_path, taxonomy):
    from reportlab.lib.pagesizes import A4

    path = tmp_path / "masthead.pdf"
    pdf = rule_pdfs.titled_page(path, "Northshire County Council", size=30, top=80)
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawString(60, A4[1] - 160, "Home Care Commissioning Review")
    rule_pdfs._page_text(pdf, rule_pdfs.BODY * 4, A4[1] - 220)
    pdf.save()
    doc = parsed(path, taxonomy)
    assert doc.title == "Home Care Commissioning Review"
    assert doc.extra["publisher"] == "Northshire County Council"
