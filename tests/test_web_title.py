"""A web page's own title: the <title> part the page prints as a heading, or without the site."""

from __future__ import annotations

from bs4 import BeautifulSoup

from hub.indexing.page_title import page_title, site_names, split_title


def _title(head: str, body: str = "", url: str = "https://www.westshire.gov.uk/page/1") -> str:
    html = (f'<html><head><title>{head}</title><meta property="og:url" content="{url}"></head>'
            f"<body>{body}</body></html>")
    return page_title(BeautifulSoup(html, "lxml"))


def test_site_suffix_goes_when_the_heading_repeats_the_page_part():
    assert _title("Street lighting repairs - Westshire District Council",
                  "<h1>Street lighting repairs</h1>") == "Street lighting repairs"


def test_the_page_part_wins_over_the_section_the_h1_names():
    # "Page | Section | Site": the site's h1 names the section, the page's own heading is an h2.
    body = "<h1>Roads and travel</h1><main><h2>Grit bins</h2><p>Where they are.</p></main>"
    assert _title("Grit bins | Roads and travel | Westshire Council", body) == "Grit bins"


def test_without_a_matching_heading_the_site_name_is_cut_from_either_end():
    assert _title("Parking permits - Westshire") == "Parking permits"
    assert _title("Westshire Council | Parking permits") == "Parking permits"
    assert _title("Parking permits | Visitors",
                  url="https://www.eastvale.gov.uk/x") == "Parking permits - Visitors"


def test_site_name_from_meta_and_home_link_as_well_as_the_domain():
    html = ('<html><head><title>Food hygiene ratings :: Riverside Borough</title>'
            '<meta property="og:site_name" content="Riverside Borough"></head><body>'
            '<a href="/"><img alt="Valley Homes Trust" src="l.png"></a></body></html>')
    soup = BeautifulSoup(html, "lxml")
    assert {"riversideborough", "valleyhomestrust"} <= site_names(soup)
    assert page_title(soup) == "Food hygiene ratings"


def test_hyphenated_words_and_one_word_home_links_do_not_cut_titles():
    assert split_title("Self-build register - Westshire") == ["Self-build register", "Westshire"]
    body = '<a href="https://www.westshire.gov.uk/">Home</a>'
    assert _title("Homelessness advice", body) == "Homelessness advice"


def test_a_title_that_only_names_the_site_gives_way_to_the_h1():
    assert _title("Westshire District Council", "<h1>Council tax bands</h1>") == "Council tax bands"


def test_a_lone_title_naming_the_place_is_still_the_pages_title():
    assert _title("Westshire Local Plan", "<h1>Planning policy</h1>") == "Westshire Local Plan"
