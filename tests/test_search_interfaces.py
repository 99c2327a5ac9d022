"""`hub search`, `hub index ...` and GET /api/search, through CliRunner and the test client."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hub.cli import main
from hub.search.base import FACETS, SearchRequest
from hub.web import create_app
from tests.support.own_data import DATA_DIR, SAMPLE_CONTENT_DIR

RESULT_FIELDS = {"id", "title", "type", "url", "snippet", "themes", "places", "parent",
                 "sources", "score"}


@pytest.fixture
def home(tmp_path, store_url):
    home = ["--home", str(tmp_path / "instance")]
    result = CliRunner().invoke(main, [*home, "ingest", str(DATA_DIR / "case_studies")])
    assert result.exit_code == 0, result.output
    assert "search index: 2 updated, 0 removed" in result.output
    return home


def run(home, *args):
    result = CliRunner().invoke(main, [*home, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_search_json(home):
    data = json.loads(run(home, "search", "employment", "advisers", "--json"))
    assert data["total"] == 1
    hit = data["results"][0]
    assert set(hit) >= RESULT_FIELDS
    assert hit["title"] == "A shared benefits data hub for employment advisers"
    assert "<mark>" in hit["snippet"]
    assert data["facets"]["place"]["west-midlands"] == 1
    assert set(data["facets"]) == set(FACETS)


def test_cli_search_filters_limit_and_text(home):
    data = json.loads(run(home, "search", "council", "--place", "Birmingham", "--json"))
    assert [h["title"] for h in data["results"]] == ["Winter night shelter run by a faith partnership"]
    assert data["facets"]["place"]["coventry"] == 1  # place counts ignore the place filter
    data = json.loads(run(home, "search", "council", "--limit", "1", "--json"))
    assert len(data["results"]) == 1 and data["total"] == 2
    text = run(home, "search", "night", "sheltr")
    assert "Did you mean: night shelter" in text


def test_cli_index_rebuild_update_status(home, tmp_path):
    assert "rebuilt: 2 published items" in run(home, "index", "rebuild")
    first = run(home, "index", "status")
    run(home, "index", "rebuild")
    second = run(home, "index", "status")
    assert "2 documents; at position" in second and "0 changes to follow" in second
    assert first.split(":")[0] != second.split(":")[0]
    generations = [p.name for p in (tmp_path / "instance" / "index").glob("gen-*")]
    assert len(generations) == 2  # the live one and the one before it
    assert "0 updated" in run(home, "index", "update")


def test_the_index_catches_up_after_an_interrupted_run(tmp_path, settings):
    from hub.corpus import Corpus

    corpus = Corpus(settings)
    assert corpus.search.rebuild() == 0  # an empty index, at the log's start
    corpus.ingest([DATA_DIR / "case_studies"], index=False)  # as if it died before indexing
    assert corpus.search.backend.count() == 0
    assert corpus.search.status()["behind"] == 2
    assert corpus.search.follow() == (2, 0)
    assert corpus.search.backend.count() == 2
    assert corpus.search.status()["behind"] == 0
    assert corpus.search.follow() == (0, 0)  # the log is kept, but read only once
    corpus.close()


def test_an_index_with_no_place_in_the_log_is_rebuilt(tmp_path, settings):
    from hub.corpus import Corpus

    corpus = Corpus(settings)
    corpus.ingest([DATA_DIR / "case_studies"], index=False)
    status = corpus.search.status()
    assert status["position"] is None and status["behind"] == 2
    assert corpus.search.follow() == (2, 0)  # rebuilt from the store
    assert corpus.search.status()["position"] is not None
    corpus.close()


@pytest.fixture
def client(settings):
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings})
    app.extensions["hub.corpus"].ingest([DATA_DIR / "case_studies"])
    yield app.test_client()
    app.extensions["hub.corpus"].close()


def test_api_search(client):
    data = client.get("/api/search?q=shelter&per_page=5").get_json()
    assert data["total"] == 1 and data["per_page"] == 5
    assert set(data["results"][0]) >= RESULT_FIELDS
    assert data["suggestion"] is None
    both = client.get("/api/search?place=coventry&place=birmingham").get_json()
    assert both["total"] == 2  # OR within a facet
    none = client.get("/api/search?place=coventry&theme=housing-regeneration").get_json()
    assert none["total"] == 0  # AND across facets
    by_date = client.get("/api/search?sort=date").get_json()
    assert [h["date"] for h in by_date["results"]] == ["2012-01-15", "2010-04-01"]


@pytest.mark.parametrize("query, problem", [("page=abc", "page"), ("per_page=0", "per_page"),
                                            ("per_page=500", "per_page"), ("sort=best", "sort")])
def test_api_search_rejects_bad_parameters_clearly(client, query, problem):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(problem)


@pytest.mark.parametrize("q", ["*a*", "?????", "[a TO z]", "x" * 10_000, '"(', "OR " * 1000])
def test_api_hostile_queries_never_fail(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200
    data = response.get_json()
    assert data["results"] or data["messages"] or data["total"] == 0


def test_items_are_indexed_under_the_regions_their_places_sit_in(taxonomy):
    from hub.corpus.search_sync import index_document
    from hub.store.models import Item, Tag

    # A place tag whose region was never inferred still rolls up to its region.
    item = Item(id=99, title="t", type="article", body_text="", sources=[], children=[],
                tags=[Tag(kind="place", value="coventry")])
    assert index_document(item, taxonomy).places[:2] == ("coventry", "west-midlands-county")
    assert "west-midlands" in index_document(item, taxonomy).places
    assert index_document(item).places == ("coventry",)


def test_what_a_case_studys_page_shows_is_searchable_and_declared_themes_kept(taxonomy):
    from hub.corpus.search_sync import index_document
    from hub.indexing.tag import GIVEN_EVIDENCE
    from hub.store.corrections import EDITOR_EVIDENCE
    from hub.store.models import Item, Tag

    item = Item(id=98, title="t", type="case_study", body_text="What changed.", sources=[],
                children=[], extra={"method": "Call sampling before and after.",
                                    "contact": "Insight team, Kent County Council"},
                tags=[Tag(kind="theme", value="customer-insight", evidence=GIVEN_EVIDENCE),
                      Tag(kind="theme", value="performance", evidence=EDITOR_EVIDENCE),
                      Tag(kind="theme", value="worklessness", evidence="jobseekers")])
    document = index_document(item, taxonomy)
    assert document.body.split("\n\n") == ["What changed.", "Call sampling before and after.",
                                           "Insight team, Kent County Council"]
    assert document.subjects == ("customer-insight", "performance")
    assert document.themes == ("customer-insight", "performance", "worklessness")


def test_a_case_study_is_found_by_its_method(corpus):
    corpus.ingest([SAMPLE_CONTENT_DIR / "case_studies"])
    # The phrase is in its method alone, not in its title, summary or text.
    page = corpus.search.backend.search(SearchRequest(query='"call sampling"'))
    assert page.total == 1
    assert page.hits[0].title == "Reducing avoidable contact in Kent's contact centres"
