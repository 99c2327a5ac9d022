"""The OpenAPI description is valid, and the API's answers match it."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec

from tests.support.apps import ingested_app
from tests.support.own_data import DATA_DIR, SAMPLE_CONTENT_DIR


@pytest.fixture(scope="module")
def client(tmp_path_factory, stores):
    with ingested_app(stores, tmp_path_factory.mktemp("api"),
                      [SAMPLE_CONTENT_DIR / "case_studies", DATA_DIR / "case_studies"]) as app:
        app.extensions["hub.corpus"].refresh_caches()
        yield app.test_client()


def matches(spec: dict, name: str, instance) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    OAS30Validator(schema).validate(instance)


def test_the_description_is_valid_openapi(client):
    spec = client.get("/api/openapi.json").get_json()
    validate_spec(spec)
    assert {"/api/search", "/api/documents/{id}", "/api/documents/{id}/related"} <= set(spec["paths"])


def test_answers_match_the_description(client):
    spec = client.get("/api/openapi.json").get_json()
    found = client.get("/api/search?q=data+sharing&theme=data-sharing").get_json()
    assert found["total"] > 0
    assert list(found)[:2] == ["query", "total"]  # the documented order, not alphabetical
    matches(spec, "SearchPage", found)
    first = found["results"][0]["id"]
    matches(spec, "Document", client.get(f"/api/documents/{first}").get_json())
    related = client.get(f"/api/documents/{first}/related").get_json()
    assert related
    matches(spec, "RelatedList", related)
    assert client.get("/api/search?page=0").status_code == 400
    matches(spec, "Error", client.get("/api/search?page=0").get_json())
