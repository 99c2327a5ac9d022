"""Exports of the current search: CSV and RIS, parsed back, in the results' order, with the
search's filters, bounded, and linked from the results page (the app's test client)."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from hub.web.exports import CSV_COLUMNS, exported_ids
from tests.support.apps import ingested_app
from tests.support.own_data import DATA_DIR


@pytest.fixture(scope="module")
def app(tmp_path_factory, stores):
    with ingested_app(stores, tmp_path_factory.mktemp("exports"), [DATA_DIR / "content"],
                      SERVER_NAME="hub.test") as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def api_ids(client, query: str) -> list[int]:
    return [hit["id"] for hit in client.get(f"/api/search?{query}&per_page=100").json["results"]]


def read_ris(text: str) -> list[dict[str, list[str]]]:
    """RIS records as {tag: [values]}; every record must open with TY and close with ER."""
    records, current = [], None
    for line in text.split("\r\n"):
        if not line:
            continue
        tag, sep, value = line[:2], line[2:6], line[6:]
        assert sep == "  - ", line
        if tag == "TY":
            assert current is None, "a record opened inside another"
            current = {}
        assert current is not None, f"{line!r} outside a record"
        if tag == "ER":
            records.append(current)
            current = None
        else:
            current.setdefault(tag, []).append(value)
    assert current is None, "the last record is not closed"
    return records


def test_csv_export_is_the_search_with_its_filters_in_order(client):
    query = "q=shared&theme=partnership-working"
    response = client.get(f"/search/export.csv?{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="hub-search.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [int(r["id"]) for r in rows] == api_ids(client, query) != []
    assert all("Partnership working" in r["themes"].split(" | ") for r in rows)
    assert all(r["url"].startswith("http://hub.test/items/") for r in rows)
    assert {r["type"] for r in rows} <= {"case_study", "guide"}
    # Narrower filters give fewer rows: the filters are applied, not dropped.
    everything = list(csv.DictReader(io.StringIO(
        client.get("/search/export.csv?q=shared").text)))
    assert len(everything) > len(rows)


def test_ris_export_parses_back_one_record_per_result(client):
    query = "q=shared&type=case_study"
    response = client.get(f"/search/export.ris?{query}")
    assert response.mimetype == "application/x-research-info-systems"
    records = read_ris(response.text)
    ids = api_ids(client, query)
    assert [r["UR"] for r in records] == [[f"http://hub.test/items/{i}"] for i in ids]
    csv_titles = [r["title"] for r in csv.DictReader(io.StringIO(
        client.get(f"/search/export.csv?{query}").text))]
    assert [r["TI"][0] for r in records] == csv_titles
    assert all(r["TY"] == ["GEN"] for r in records)  # case studies, as the item page cites them
    # The same record the item page gives for its own citation: RIS is written once.
    item = client.get(f"/items/{ids[0]}/cite.ris").text
    assert read_ris(item)[0] | {"Y2": []} == records[0] | {"Y2": []}


def test_an_export_is_bounded(app):
    with app.test_request_context("/search/export.csv?q="):
        ids, total = exported_ids(limit=3)
        assert len(ids) == 3 and total > 3
        every, _ = exported_ids()
        assert len(every) == total and len(set(every)) == total


def test_results_page_links_both_exports_with_the_filters(client):
    page = BeautifulSoup(client.get("/search?q=shared&theme=partnership-working&page=1").text,
                         "html.parser")
    links = {urlsplit(a["href"]).path: parse_qs(urlsplit(a["href"]).query)
             for a in page.select("p.export a")}
    assert set(links) == {"/search/export.csv", "/search/export.ris"}
    for args in links.values():
        assert args == {"q": ["shared"], "theme": ["partnership-working"]}
