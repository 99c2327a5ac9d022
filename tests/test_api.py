"""The JSON API, driven through Flask's test client."""

from __future__ import annotations

import pytest

from conftest import DATA_DIR
from hub.web import create_app


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
