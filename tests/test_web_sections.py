"""A page holding separate articles side by side becomes one item per article, and only then."""

from __future__ import annotations

from hub.indexing.web_page import parse_web_html
from tests.support.own_data import DATA_DIR


def _parse(name: str):
    return parse_web_html((DATA_DIR / "web" / name).read_text(), name)


def test_parallel_articles_with_their_own_headings_are_separate_items():
    docs = _parse("multi_part.html")
    assert [d.title for d in docs] == ["Street trading", "Scaffolding", "Pavement tables"]
    scaffolding = docs[1].text
    assert scaffolding.startswith("A builder who puts up scaffolding")
    assert scaffolding.rstrip().endswith("when a condition is broken.")
    assert "Apply for a consent" in docs[0].text
    for doc in docs:
        assert doc.url is None  # the page's address is no permalink of one part
        for furniture in ("Previous page", "Share on a network", "In this section", "Civic Centre"):
            assert furniture not in doc.text


def test_one_article_with_sections_and_teasers_of_other_stories_stays_one_item():
    [doc] = _parse("teasers.html")
    assert doc.title == "New library opens in Millbrook"
    assert "Opening hours" in doc.text and "quiet room upstairs" in doc.text
    assert "Park cafe" not in doc.text


def test_parallel_articles_not_holding_the_main_text_are_not_split_off():
    story = ("<p>The council has agreed a new plan for the town centre after two years of talks "
             "with traders, bus companies and the people who live above the shops.</p>") * 6
    cards = "".join(f"<article><h3>Event {n}</h3><p>A stall and a talk in the square.</p></article>"
                    for n in range(3))
    html = (f"<html><head><title>Town centre plan agreed</title></head><body>"
            f"<main><h1>Town centre plan agreed</h1>{story}</main>"
            f"<div class='events'>{cards}</div></body></html>")
    [doc] = parse_web_html(html, "plan.html")
    assert doc.title == "Town centre plan agreed" and "people who live above" in doc.text
