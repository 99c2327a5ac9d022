"""The edges of a page's main text: a standfirst before the body, a closing document link."""

from __future__ import annotations

from bs4 import BeautifulSoup

from hub.indexing.main_text import closing_link_after, lead_before
from hub.indexing.web_page import article_url, parse_web_html
from tests.support.own_data import DATA_DIR


def test_council_page_keeps_standfirst_and_closing_link_and_drops_the_chrome():
    [doc] = parse_web_html((DATA_DIR / "web" / "council_page.html").read_text(), "lights.html")
    assert doc.title == "Street lighting repairs"
    assert doc.text.startswith("We look after more than nine thousand street lights")
    assert doc.text.rstrip().endswith("Lighting columns in the district")
    for furniture in ("small files on your device", "Offices close early", "Other services",
                      "Market Square", "Built with a content system", "Home"):
        assert furniture not in doc.text


def _page(between: str, lead: str) -> BeautifulSoup:
    return BeautifulSoup(
        f"<html><body><h1>Allotments</h1>{between}<div class='lead'>{lead}</div>"
        "<div class='body'><p>There are twelve allotment sites in the borough, each run by a "
        "committee of the people who rent its plots.</p></div></body></html>", "lxml")


FIRST = "There are twelve allotment sites in the borough, each run by a committee of the people who rent its plots."


def test_a_standfirst_is_one_sentence_right_after_the_title():
    lead = "<p>Renting a plot costs less than a weekly bus fare and the waiting list is short.</p>"
    assert lead_before(_page("", lead), FIRST, "Allotments").startswith("Renting a plot")
    links_only = "<ol><li><a href='/'>Home</a></li><li><a href='/leisure'>Leisure</a></li></ol>"
    assert lead_before(_page(links_only, lead), FIRST, "Allotments").startswith("Renting a plot")


def test_bylines_dates_and_text_after_other_prose_are_no_standfirst():
    assert lead_before(_page("", "<p>By the parks team</p><p>12 May</p>"), FIRST,
                       "Allotments") == ""
    words = "<p>Posted in the spring newsletter for tenants and residents of the estate</p>"
    assert lead_before(_page("", words), FIRST, "Allotments") == ""  # no sentence end
    other = "<p>Our offices are closed on Monday for the bank holiday.</p>"
    lead = "<p>Renting a plot costs less than a weekly bus fare and the waiting list is short.</p>"
    assert lead_before(_page(other, lead), FIRST, "Allotments") == ""


def _closing(link: str, more: str = "") -> str:
    soup = BeautifulSoup(
        "<html><head><link rel='canonical' href='https://www.eastvale.gov.uk/plots'></head><body>"
        f"<div class='body'><p>{FIRST}</p><p>{link}</p>{more}</div></body></html>", "lxml")
    return closing_link_after(soup, FIRST)


def test_a_closing_paragraph_that_links_to_the_sites_document_is_kept():
    assert _closing("<a href='/files/plots.pdf'>Map of allotment sites</a>") == (
        "Map of allotment sites")
    assert _closing("<a href='https://elsewhere.example/'>Read more on another site</a>") == ""
    assert _closing("<a href='/files/plots.pdf'>Map of allotment sites</a>",
                    more="<p><a href='/next'>Next</a></p>") == ""
    assert _closing("See the <a href='/files/plots.pdf'>map</a> of the sites we run.") == ""


def test_a_site_home_page_is_no_permalink():
    assert article_url("https://www.eastvale.gov.uk/") is None
    assert article_url("https://www.eastvale.gov.uk") is None
    assert article_url("https://www.eastvale.gov.uk/?page=7") == "https://www.eastvale.gov.uk/?page=7"
    assert article_url("https://www.eastvale.gov.uk/plots") == "https://www.eastvale.gov.uk/plots"
