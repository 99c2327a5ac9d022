"""The JSON API, driven through Flask's test client."""

from __future__ import annotations

import pytest

from hub.store import queries
from hub.web import create_app
from tests.support.own_data import DATA_DIR


@pytest.fixture
def app(settings):
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings})
    app.extensions["hub.corpus"].ingest([DATA_DIR / "case_studies"])
    yield app
    app.extensions["hub.corpus"].close()


def test_document_json(app):
    client = app.test_client()
    listed = client.get("/api/documents/1").get_json()
    assert listed["id"] == 1 and listed["text"]
    assert client.get("/api/documents/999").status_code == 404


@pytest.fixture
def related_app(settings):
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings})
    corpus = app.extensions["hub.corpus"]
    corpus.ingest([DATA_DIR / "related", DATA_DIR / "case_studies"])
    with corpus.session() as session:
        ids = {i.title: i.id for i in queries.all_items(session)}
    yield app, ids
    corpus.close()


def test_related_json(related_app):
    app, ids = related_app
    client = app.test_client()
    response = client.get(f"/api/documents/{ids['A shared benefits data hub for employment advisers']}"
                          "/related?limit=3")
    assert response.status_code == 200
    found = response.get_json()
    assert 1 <= len(found) <= 3
    for entry in found:
        assert set(entry) == {"id", "title", "type", "url", "score", "reasons"}
        assert set(entry["reasons"]) == {"themes", "terms"}
        assert entry["score"] > 0 and entry["title"] == next(t for t, i in ids.items()
                                                             if i == entry["id"])
    assert found[0]["title"] == "An information sharing protocol for family support workers"
    assert found[0]["reasons"]["themes"] == ["Data sharing"]


def test_related_404_and_400(related_app):
    from hub.store.database import transaction
    from hub.store.models import Item

    app, ids = related_app
    client = app.test_client()
    assert client.get("/api/documents/999/related").status_code == 404
    retired = ids["Halving allotment waiting lists by splitting plots"]
    with transaction(app.extensions["hub.corpus"].sessions) as session:
        session.get(Item, retired).status = "draft"
    assert client.get(f"/api/documents/{retired}/related").status_code == 404
    other = ids["Apprenticeship brokerage for school leavers"]
    for bad in ("0", "51", "many"):
        response = client.get(f"/api/documents/{other}/related?limit={bad}")
        assert response.status_code == 400 and "limit" in response.get_json()["error"]
    found = client.get(f"/api/documents/{other}/related?limit=50").get_json()
    assert retired not in {r["id"] for r in found}
