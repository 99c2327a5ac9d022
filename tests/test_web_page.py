"""HTML pages: archive pages split into articles with their label; single pages via trafilatura."""

from __future__ import annotations

from hub.indexing.web_page import archive_label, parse_web_html, parse_web_text
from tests.support.own_data import DATA_DIR


def test_archive_page_splits_into_articles_with_label_and_permalinks():
    html = (DATA_DIR / "web" / "archive.html").read_text()
    docs = parse_web_html(html, "archive.html")
    assert [d.title for d in docs] == ["Three districts share one revenues team",
                                       "A joint contact centre for police and council"]
    assert [d.url for d in docs] == ["https://example.org/?p=10", "https://example.org/?p=11"]
    assert {d.label for d in docs} == {"Tag: shared services"}
    assert docs[0].date.isoformat() == "2011-03-04"
    assert "• One manager for the three teams" in docs[0].text
    for doc in docs:
        assert "Share this" not in doc.text and "Leave a Reply" not in doc.text
        assert "Permanent link" not in doc.text and "About us" not in doc.text


def test_single_page_keeps_main_text_and_drops_furniture():
    html = (DATA_DIR / "web" / "single.html").read_text()
    [doc] = parse_web_html(html, "single.html")
    assert doc.title == "Mapping customer journeys for young jobseekers"
    assert doc.url == "https://example.org/journeys"
    assert "one named adviser" in doc.text
    for furniture in ("Leave a Reply", "Your e-mail address", "Registered in England", "Contact"):
        assert furniture not in doc.text


def test_archive_labels_are_normalised():
    assert archive_label("Category: Performance") == "Category: Performance"
    assert archive_label("Tag Archives: good practice") == "Tag: good practice"
    assert archive_label("A national information function?") is None


def test_text_page_without_permalink_is_one_article():
    docs = parse_web_text("A title\n\nSome body text.\n\nLeave a Reply\n\nName *\n", "x.txt")
    assert len(docs) == 1 and docs[0].text == "Some body text." and docs[0].url is None
