"""Report text repair and structure, on small texts we wrote: OCR words, furniture, footnotes,
paragraph numbers, headings, contents and case-study boxes."""

from __future__ import annotations

import pytest

from hub.indexing.boxes import find_boxes, resolve_places, split_place
from hub.indexing.clean import to_text
from hub.indexing.contents import find_contents, locate
from hub.indexing.headings import follows, numbered_headings, readings
from hub.indexing.layout import lay_out, split_pages
from hub.indexing.report import has_report_structure, parse_report_text
from hub.indexing.words import join_hyphenated, repair_urls, repair_words


@pytest.mark.parametrize("damaged, repaired", [
    ("Inthe first year", "In the first year"),
    ("Thisreportis short.", "This report is short."),
    ("as aresult of it", "as a result of it"),
    ("with asmaller team", "with a smaller team"),
    ("6.2 CustomerInsight", "6.2 Customer Insight"),
    ("thedatadid notindicate", "the data did not indicate"),
    ("4.2 Dataand Systems", "4.2 Data and Systems"),
    ("Reviewof the pilots", "Review of the pilots"),
])
def test_run_together_words_are_split(damaged, repaired):
    assert repair_words(damaged) == repaired


@pytest.mark.parametrize("word", [
    "Tameside", "wellbeing", "VfM", "IDeA", "NEETs", "focussed", "hotspots", "Worcestershire",
    "Kirkland", "Forsythe", "Bertrand",
])
def test_names_compounds_and_acronyms_are_left_alone(word, taxonomy):
    names = frozenset(p.name.lower() for p in taxonomy.places.values())
    assert repair_words(f"seen in {word} today", names) == f"seen in {word} today"


def test_hyphens_at_line_ends_are_joined_by_the_vocabulary():
    assert join_hyphenated("custo-", "mer") == "customer"
    assert join_hyphenated("decision-", "making") == "decision-making"


@pytest.mark.parametrize("damaged, repaired", [
    ("see http:/Avww.example.gov.uk/report.htm", "see http://www.example.gov.uk/report.htm"),
    ("at http:/Awvww.council.gov.uk/a.pdf", "at http://www.council.gov.uk/a.pdf"),
    ("https:/example.org/x", "https://example.org/x"),
])
def test_damaged_urls_are_repaired(damaged, repaired):
    assert repair_urls(damaged) == repaired


def lines_of(text):
    pages, paged = split_pages(text)
    return lay_out(pages, paged)


def test_bullets_paragraph_numbers_and_wrapped_paragraphs():
    text = ("2.1.1 The partners agreed three aims for the\n"
            "first year of the pilot:\n\n"
            "e one front door for benefit claims\n"
            "* one shared record of each visit\n\n"
            "\u2022 one set of opening hours across\n"
            "the district.\n\n"
            "1.2.3\n\n"
            "The board met monthly and kept\n\n"
            "minutes of each meeting.\n")
    assert to_text(lines_of(text).lines) == (
        "The partners agreed three aims for the first year of the pilot:\n"
        "\u2022 one front door for benefit claims\n"
        "\u2022 one shared record of each visit\n"
        "\u2022 one set of opening hours across the district.\n\n"
        "The board met monthly and kept minutes of each meeting.")


def test_a_paragraph_goes_on_across_a_break_in_lower_case_or_with_a_number():
    text = ("The pilot was funded from\n\n12 programmes in all.\n\nIt ended in\n\n"
            "spring.\n\nThe board met.\n\n14 members came.\n")
    assert to_text(lines_of(text).lines) == (
        "The pilot was funded from 12 programmes in all.\n\nIt ended in spring.\n\n"
        "The board met.\n\n14 members came.")


SUBJECTS = ["housing", "benefits", "libraries", "waste", "parking"]


def page(number: int, note: str) -> str:
    """A page: running header, page number, six lines of text, and perhaps a footnote."""
    subject = SUBJECTS[number - 1]
    body = [f"The {subject} team {verb} with its partners in the {month}."
            for verb, month in zip(["met", "worked", "planned", "agreed", "spoke", "wrote"],
                                   ["spring", "summer", "autumn", "winter", "new year", "end"],
                                   strict=True)]
    return "\n".join(["Shared Services Review 2010", str(number), *body, "", note])


def test_running_headers_page_numbers_and_footnotes_are_taken_out():
    notes = {2: "4 The survey ran for six weeks in the spring of 2009 across two towns.",
             3: "5 Figures are for the financial year and include the costs of staff."}
    layout = lay_out([page(n, notes.get(n, "")) for n in range(1, 6)], True)
    text = "\n".join(line.text for line in layout.lines)
    assert "Shared Services Review" not in text and "survey ran" not in text
    assert not any(line.text.isdigit() for line in layout.lines)
    assert layout.footnotes == {2: [notes[2]], 3: [notes[3]]}
    assert layout.furniture.most_common(1)[0][0] == "Shared Services Review 2010"


def test_a_leading_space_marks_pages_in_a_text_rendering():
    filler = "A line of text that is not the start of a page.\n" * 20
    text = f" 1 Introduction\n\n{filler}\n Second page starts here.\n\n{filler}"
    pages, paged = split_pages(text)
    assert paged and len(pages) == 2
    assert split_pages("one\f two")[0] == ["one", " two"]
    assert split_pages("no marks\nat all\n") == (["no marks\nat all\n"], False)


def test_numbers_follow_in_sequence_and_lost_dots_are_put_back():
    assert readings("124") == [(124,), (1, 24), (12, 4), (1, 2, 4)]
    assert follows((1, 2, 3), (1, 2, 4)) and follows((1, 5), (2,)) and follows((2,), (2, 1))
    assert follows((5, 3), (5, 4)) and not follows((5, 3), (54,))
    assert not follows((3, 2), (3, 2)) and not follows((3,), (7,))


def test_numbered_and_margin_numbered_headings():
    text = ("1 Introduction\n\n1.1\n\n1.1.1\n\nBackground\n\n"
            "The review began in the spring and took a year.\n\n"
            "1.2 How We Worked\n\nWe visited six partnerships.\n\n"
            "1.2.1 We then asked each partnership which of its enquiries took\n"
            "the longest to answer and why.\n\n"
            "13 Findings From the Visits\n\nThe visits showed a pattern.\n\n"
            "2 Conclusions\n\nShared front doors work.\n")
    found = [(h.number, h.title) for h in numbered_headings(lines_of(text).lines)]
    assert found == [("1", "Introduction"), ("1.1", "Background"), ("1.2", "How We Worked"),
                     ("1.3", "Findings From the Visits"), ("2", "Conclusions")]


CONTENTS = ("Contents\n\n1 Where we started ........ 3\nthe old way ........ 3\n"
            "the new way\t4\n2 What changed ........ 6\nstaff ........ 6\n\n"
            "chapter 1\n\nwhere we started\n\nthe old way\n\nSome text.\n\n"
            "- the new way;\n\nthe new way\n\nMore text.\n\n"
            "chapter 2 what changed\n\nstaff\n\nThe end.\n")


def test_a_table_of_contents_gives_chapters_and_their_sections():
    lines = lines_of(CONTENTS).lines
    start, end, entries = find_contents(lines)
    assert (start, [e.title for e in entries]) == (0, ["Where we started", "the old way",
                                                       "the new way", "What changed", "staff"])
    assert [(e.number, e.depth, e.page) for e in entries] == [
        ("1", 1, 3), (None, 2, 3), (None, 2, 4), ("2", 1, 6), (None, 2, 6)]
    headings = locate(lines, entries, end)
    assert [lines[h.start].text for h in headings] == [
        "chapter 1", "the old way", "the new way", "chapter 2 what changed", "staff"]
    assert has_report_structure(CONTENTS)


def test_case_study_headings_split_into_place_and_title(taxonomy):
    assert split_place("Coventry \u2014 Joined-Up Advice", taxonomy) == (
        "Coventry", "Joined-Up Advice", ["coventry"])
    assert split_place("Kent - High-Level Review", taxonomy)[1] == "High-Level Review"
    assert split_place("Lewisham Review of Night Shelters", taxonomy) == (
        "Lewisham", "Review of Night Shelters", ["lewisham"])
    assert split_place("Central Beds and Luton - Data", taxonomy)[2] == [
        "central-bedfordshire", "luton"]
    assert resolve_places("Brighton and Hove", taxonomy) == [
        taxonomy.resolve("place", "Brighton and Hove")]
    assert split_place("A Place Nobody Knows - Title", taxonomy)[2] == []


def test_case_study_boxes_wrap_and_end_at_the_next_heading(taxonomy):
    text = ("The examples below show the range.\n\n"
            "Case Study: Coventry - A Shared Front Door That Cut Repeat\nVisits\n\n"
            "Coventry joined its advice desks. It saved \u00a385,000 a year.\n\n"
            "Lessons Learned\n\nThe main text resumes here.\n")
    lines = lines_of(text).lines
    [box] = find_boxes(lines, taxonomy)
    assert (box.place, box.title, box.places) == (
        "Coventry", "A Shared Front Door That Cut Repeat Visits", ["coventry"])
    doc = parse_report_text(text, "boxes.txt", {}, taxonomy)
    [case] = doc.children
    assert case.type == "case_study" and case.text.startswith("Coventry joined")
    assert "Lessons Learned" not in case.text and "main text resumes" in doc.text


def test_a_section_whose_chapter_was_not_found_is_not_put_under_another(taxonomy):
    text = ("1 Introduction\n\nWhy we looked.\n\n1.1 Scope of the Work\n\nSix councils.\n\n"
            "2.1 Findings From the Visits\n\nShared doors work.\n\n"
            "2.2 Costs of the Change\n\nLess than feared.\n")
    doc = parse_report_text(text, "orphans.txt", {}, taxonomy)
    assert [(c.number, c.anchor) for c in doc.children] == [
        ("1", "ch-1"), ("2.1", "s-2-1"), ("2.2", "s-2-2")]
    assert [(c.number, c.anchor) for c in doc.children[0].children] == [("1.1", "s-1-1")]


def test_contents_entries_match_headings_with_ampersands_and_group_appendices(taxonomy):
    from hub.indexing.report import parse_report_text

    contents = ("Contents\n\nSummary ........ 2\nPart 1 Introduction and Background ........ 3\n"
                "Part 2 Findings ........ 4\nAppendices ........ 5\nAppendix 1 Method ........ 5\n"
                "Appendix 2 Survey ........ 6\n")
    body = "\f".join([
        "Summary\n\nThe review looked at advice services over two years.",
        "Part 1: Introduction & Background\n\nThe service began in one town and grew.",
        "Part 2: Findings\n\nResidents were seen sooner and came back less often.",
        "Appendices\n\nAppendix 1 Method\n\nWe interviewed twenty residents and ten staff.",
        "Appendix 2 Survey\n\nThe survey ran for six weeks in the spring.",
    ])
    doc = parse_report_text("A Review of Advice Services\f" + contents + "\f" + body,
                            "review.txt", {}, taxonomy)
    assert [c.title for c in doc.children] == [
        "Summary", "Introduction and Background", "Findings", "Appendices"]
    assert [c.title for c in doc.children[-1].children] == ["Appendix 1 Method",
                                                            "Appendix 2 Survey"]
