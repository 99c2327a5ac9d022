"""Evidence at a glance: bands, grid and map counts equal to search, the map's accessibility
parts, council types, the evidence facet and sort, over a real store and index."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hub.corpus.glance import BANDS, COUNCIL_TYPES, band, saving_bands
from hub.indexing.document import OutcomeRow
from hub.search.base import SearchRequest
from hub.store.models import Item, Outcome
from hub.web.region_map import boundaries
from tests.support.apps import ingested_app
from tests.support.own_data import DATA_DIR, SAMPLE_CONTENT_DIR


@pytest.fixture(scope="module")
def app(tmp_path_factory, stores):
    with ingested_app(stores, tmp_path_factory.mktemp("glance"),
                      [SAMPLE_CONTENT_DIR, DATA_DIR / "case_studies"],
                      SERVER_NAME="hub.test") as app:
        yield app


@pytest.mark.parametrize("amount, period, expected", [
    (49_999, "per year", "under-50k"), (50_000, "per year", "50k-250k"),
    (5_000, "per month", "50k-250k"), (2_400_000, "over 3 years", "250k-1m"),
    (1_000_000, "per year", "over-1m"), (500_000, "one-off", "one-off"),
    (500_000, None, "unstated"), (500_000, "over the period", "unstated"),
])
def test_each_saving_falls_in_one_band_by_its_stated_rule(amount, period, expected):
    assert band(amount, period) == expected


def test_a_range_across_bands_counts_once_by_its_lower_figure():
    across = OutcomeRow("£40k-£60k", 40_000, "Saved £40k-£60k a year.", amount_high_gbp=60_000,
                        period="per year", kind="saving")
    again = OutcomeRow("£45k", 45_000, "And £45k a year.", period="per year", kind="saving")
    cost = OutcomeRow("£2m", 2_000_000, "It cost £2m a year.", period="per year", kind="cost")
    assert saving_bands([across, again, cost]) == ("under-50k",)


def test_band_counts_equal_the_items_outcomes(app):
    corpus = app.extensions["hub.corpus"]
    found = corpus.search.backend.search(SearchRequest(per_page=1, highlight=False))
    with corpus.session() as session:
        expected: dict[str, int] = {}
        for item in session.scalars(select(Item).where(Item.is_searchable)):
            for value in saving_bands(item.outcomes):
                expected[value] = expected.get(value, 0) + 1
        assert session.scalar(select(Outcome.id).where(Outcome.kind == "saving")) is not None
    assert expected and found.facets["saving"] == expected
    assert set(expected) <= set(BANDS)


def test_grid_and_map_counts_equal_search_counts(app):
    client = app.test_client()
    corpus = app.extensions["hub.corpus"]
    home = client.get("/").text
    cells = re.findall(r'<a href="(/search\?[^"]+)" aria-label="(\d+) (?:on|result)', home)
    assert len(cells) > 5
    for url, count in cells:
        page = client.get(url.replace("&amp;", "&")).text
        assert f"<strong>{count}</strong> result" in page, url
    theme = next(iter(corpus.taxonomy.themes))
    page = client.get(f"/themes/{theme}").text
    for url, count in re.findall(r'<a href="(/search\?[^"]+)" aria-label="(\d+) result', page):
        assert f"<strong>{count}</strong> result" in client.get(url.replace("&amp;", "&")).text


def test_the_map_has_a_title_a_description_links_and_a_table(app):
    page = app.test_client().get("/").text
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert '<title id="map-title">' in svg and '<desc id="map-desc">' in svg
    assert svg.count("<a href=") == len(boundaries()) == 9
    assert "<caption>Search results by region" in page and '<th scope="row">London</th>' in page


def test_evidence_facet_and_sort(app):
    corpus = app.extensions["hub.corpus"]
    backend = corpus.search.backend
    counts = backend.search(SearchRequest(per_page=1)).facets["evidence"]
    assert counts and set(counts) <= {"1", "2", "3", "4", "5"}
    strongest = max(counts)
    ranked = backend.search(SearchRequest(sort="evidence", per_page=3))
    assert ranked.hits[0].evidence == strongest
    only = backend.search(SearchRequest(filters={"evidence": [strongest]}))
    assert only.total == counts[strongest]


def test_council_types_are_a_filter_and_a_place_panel(app):
    corpus = app.extensions["hub.corpus"]
    english = [p for p in corpus.taxonomy.places.values() if p.kind in COUNCIL_TYPES]
    assert english and all(p.region for p in english)
    counts = corpus.search.backend.search(SearchRequest(per_page=1)).facets["council"]
    assert counts and set(counts) <= set(COUNCIL_TYPES)
    kind = max(counts, key=counts.get)
    place = next(p for p in english if p.kind == kind)
    page = app.test_client().get(f"/places/{place.slug}").text
    assert "Case studies from councils of the same type" in page
    assert f"council={kind}" in page


def test_an_item_page_shows_its_level_its_sentence_and_its_savings_bands(app):
    client = app.test_client()
    corpus = app.extensions["hub.corpus"]
    with corpus.session() as session:
        item = next(i for i in session.scalars(select(Item).where(Item.is_listed))
                    if (i.extra.get("evidence") or {}).get("sentence")
                    and any(o.kind == "saving" for o in i.outcomes))
        evidence, saving = item.extra["evidence"], next(o for o in item.outcomes
                                                         if o.kind == "saving")
        page = client.get(f"/items/{item.id}").text
    assert "<dt>Evidence level</dt>" in page and 'href="/help/search#evidence"' in page
    assert evidence["sentence"].split()[0] in page and "suggested from the text" in page
    assert f"<td>{BANDS[band(saving.amount_gbp, saving.period)]}</td>" in page
