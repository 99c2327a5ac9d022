"""The practitioners' pages, through Flask's test client over a real store on disk."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from hub.store import queries
from hub.web import create_app
from tests.support.apps import ingested_app
from tests.support.own_data import DATA_DIR, SAMPLE_CONTENT_DIR

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def app(tmp_path_factory, stores):
    """One ingest for the module: every test here only reads."""
    inputs = [SAMPLE_CONTENT_DIR, DATA_DIR / "case_studies", DATA_DIR / "web"]
    with ingested_app(stores, tmp_path_factory.mktemp("pages"), inputs,
                      SERVER_NAME="hub.test") as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def item_id(app, title_start):
    corpus = app.extensions["hub.corpus"]
    with corpus.session() as session:
        return next(i.id for i in queries.all_items(session) if i.title.startswith(title_start))


@pytest.mark.parametrize("path", ["/", "/themes", "/places", "/case-studies", "/help/search",
                                  "/themes/data-sharing", "/places/west-midlands", "/search?q=data"])
def test_pages_render_with_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<style" not in response.text and "style=" not in response.text  # CSP forbids them


def test_unknown_pages_get_the_styled_404(client):
    response = client.get("/items/999999")
    assert response.status_code == 404 and "Page not found" in response.text
    assert client.get("/themes/not-a-theme").status_code == 404


def test_item_page_shows_tags_outcomes_provenance_and_citation(app, client):
    page = client.get(f"/items/{item_id(app, 'A shared benefits data hub')}").text
    assert "A shared benefits data hub for employment advisers" in page
    assert "/search?theme=data-sharing" in page and "/search?place=coventry" in page
    assert "£120,000" in page and "fewer duplicate assessments" in page
    assert "benefits-data-hub.md" in page and str(DATA_DIR) not in page  # no server folders
    assert "Cite this" in page and "Knowledge hub. Available at: http://hub.test/items/" in page
    assert "<strong>data sharing agreement</strong>" in page


def test_citations_download(app, client):
    number = item_id(app, "A shared benefits data hub")
    ris = client.get(f"/items/{number}/cite.ris")
    assert ris.status_code == 200 and ris.text.startswith("TY  - GEN")
    assert "TI  - A shared benefits data hub" in ris.text and ris.text.rstrip().endswith("ER  -")
    bib = client.get(f"/items/{number}/cite.bib").text
    assert bib.startswith(f"@misc{{hub{number},") and "year = {2010}" in bib


def test_case_study_browser_filters_and_counts(client, taxonomy):
    everything = client.get("/case-studies").text
    assert "Has a quantified saving" in everything
    narrowed = client.get("/case-studies?place=west-midlands&saving=yes").text
    assert "A shared benefits data hub" in narrowed
    assert "Winter night shelter" not in narrowed  # no saving, though in the West Midlands
    both = client.get("/case-studies?theme=data-sharing&theme=housing-regeneration").text
    assert "A shared benefits data hub" in both and "Winter night shelter" in both


def test_theme_and_place_pages_count_items(client):
    page = client.get("/places/west-midlands").text
    assert "A shared benefits data hub" in page and "Winter night shelter" in page
    assert "case stud" in page


def test_atom_feed_is_valid_and_filters_by_theme(client):
    feed = ET.fromstring(client.get("/feed.atom").data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert "Winter night shelter run by a faith partnership" in titles
    themed = ET.fromstring(client.get("/feed.atom?theme=data-sharing").data)
    themed_titles = [e.findtext(f"{ATOM}title") for e in themed.iter(f"{ATOM}entry")]
    assert "Winter night shelter run by a faith partnership" not in themed_titles
    assert "A shared benefits data hub for employment advisers" in themed_titles
    assert client.get("/feed.atom?theme=nonsense").status_code == 400


def test_machine_files(client):
    sitemap = ET.fromstring(client.get("/sitemap.xml").data)
    assert len(list(sitemap)) > 20
    assert "Sitemap: http://hub.test/sitemap.xml" in client.get("/robots.txt").text
    opensearch = client.get("/opensearch.xml")
    assert opensearch.mimetype == "application/opensearchdescription+xml"
    assert "{searchTerms}" in opensearch.text


def test_results_page_offers_see_also_beyond_the_page(app, client):
    app.extensions["hub.corpus"].refresh_caches()
    page = client.get("/search?q=shared+services+revenues").text
    assert "See also" in page


def test_server_errors_get_the_styled_500_page(settings):
    app = create_app({"HUB_SETTINGS": settings, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("broken on purpose")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.text
    assert "broken on purpose" not in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    app.extensions["hub.corpus"].close()
