"""Error pages ("Page not found") store nothing, and the ingest summary says they were skipped."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from hub.cli import main
from hub.indexing.error_page import NothingToStore, is_error_title
from hub.indexing.web_page import parse_web_html
from hub.store.queries import all_items
from tests.support.own_data import DATA_DIR


@pytest.mark.parametrize("title", ["Page not found", "Oops! Error 404", "404",
                                   "Sorry, we can't find that page", "Error 410: page removed",
                                   "The page you were looking for no longer exists",
                                   "Page no longer available"])
def test_error_titles(title):
    assert is_error_title(title)


@pytest.mark.parametrize("title", ["Finding a care home", "How we fixed the 404 errors on our site",
                                   "This page", "Available grants", "Street lighting repairs"])
def test_article_titles_are_not_error_titles(title):
    assert not is_error_title(title)


def test_a_not_found_page_is_no_article():
    with pytest.raises(NothingToStore, match="not found"):
        parse_web_html((DATA_DIR / "web" / "not_found.html").read_text(), "gone.html")


def test_a_long_text_is_an_article_whatever_its_title():
    paragraph = "<p>" + "Residents told us where the signs were missing. " * 80 + "</p>"
    html = f"<html><head><title>Page not found</title></head><body>{paragraph}</body></html>"
    [doc] = parse_web_html(html, "long.html")
    assert "signs were missing" in doc.text


def test_ingest_skips_the_error_page_and_says_so(corpus, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("not_found.html", "single.html"):
        shutil.copy(DATA_DIR / "web" / name, folder / name)
    summary = corpus.ingest([folder], index=False)
    assert summary.errors == []
    [skipped] = summary.skipped
    assert "not_found.html: the page says it was not found" in skipped
    assert "1 new" in summary.line() and "1 skipped" in summary.line()
    with corpus.session() as session:
        assert [i.title for i in all_items(session)] == [
            "Mapping customer journeys for young jobseekers"]


def test_the_command_prints_each_skipped_page_and_exits_zero(tmp_path, store_url):
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "i"), "ingest",
                                       str(DATA_DIR / "web" / "not_found.html")])
    assert result.exit_code == 0, result.output
    assert "skipped: " in result.output and "not_found.html" in result.output
    assert "0 new" in result.output and "1 skipped" in result.output


def test_a_hidden_dialogs_error_heading_does_not_make_an_article_an_error_page():
    html = ("<html><head><title>Bulky waste collections</title></head><body>"
            "<h1>Bulky waste collections</h1><p>We collect up to five large items, such as a sofa "
            "or a fridge, from outside your home for a single fee. Book a date online and leave "
            "the items out by seven in the morning.</p>"
            "<div class='dialog' hidden><h1>Page not found</h1></div></body></html>")
    [doc] = parse_web_html(html, "bulky.html")
    assert doc.title == "Bulky waste collections"
