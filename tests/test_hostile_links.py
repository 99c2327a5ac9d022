"""Links from any source keep only http(s); pages and the API name sources by file name, never
by the server's path."""

from __future__ import annotations

import json

import pytest

from hub.web import create_app
from tests.test_editor_pages import harmful

pytestmark = pytest.mark.reliability

# The ways a script URL has been written to get past a check.
BAD_URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "  javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
    "file:///etc/passwd", "javascript://example.org/%0Aalert(1)",
]


def _write_sources(folder):
    for n, url in enumerate(BAD_URLS):
        (folder / f"canonical-{n}.html").write_text(
            f"<html><head><title>Canonical {n}</title><link rel='canonical' href='{url}'></head>"
            f"<body><article><h1>Canonical page {n}</h1><p>Pooled budgets with partners in "
            f"Leeds, number {n}.</p></article></body></html>")
        (folder / f"permalink-{n}.txt").write_text(
            f"Permalink article {n}\n\nThe council pooled budgets with partners, case {n}.\n\n"
            f"Permanent link to this article: {url}\n")
        (folder / f"sidecar-{n}.html").write_text(
            f"<html><head><title>Sidecar {n}</title></head><body><article><h1>Sidecar page {n}"
            f"</h1><p>Shared services across councils, example {n}.</p></article></body></html>")
        (folder / f"sidecar-{n}.html.yml").write_text(f"url: {json.dumps(url)}\n")


@pytest.fixture
def ingested(tmp_path, corpus):
    folder = tmp_path / "hostile-links"
    folder.mkdir()
    _write_sources(folder)
    summary = corpus.ingest([folder])
    return summary


def test_unsafe_links_are_dropped_with_a_note(ingested, corpus):
    assert not ingested.errors, ingested.errors
    dropped = [note for note in ingested.notes if "was dropped: only http and https" in note]
    # Every canonical link and sidecar url; a permalink line the text parser does not take
    # for one ("java<tab>script:") stays text.
    for kind in ("canonical", "sidecar"):
        assert len([n for n in dropped if f"/{kind}-" in n]) == len(BAD_URLS), dropped
    assert len(dropped) >= 2 * len(BAD_URLS) + len(BAD_URLS) // 2
    with corpus.session() as session:
        from hub.store.models import Item, Source

        urls = [u for (u,) in session.query(Item.url)] + [u for (u,) in session.query(Source.url)]
    assert all(u is None or u.startswith("https://") for u in urls), urls


def test_no_page_or_answer_links_to_a_script_or_a_server_path(ingested, corpus, settings):
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings})
    client = app.test_client()
    with corpus.session() as session:
        from hub.store.models import Item

        ids = [i for (i,) in session.query(Item.id)]
    assert ids
    folder = str(settings.home.parent)
    answers = [client.get("/api/search?q=council&per_page=50").text,
               client.get("/api/search?q=pooled&per_page=50").text]
    for item_id in ids:
        page = client.get(f"/items/{item_id}").text
        assert harmful(page) == [], item_id
        assert folder not in page
        answers.append(client.get(f"/api/documents/{item_id}").text)
    results = client.get("/search?q=council").text
    assert harmful(results) == [] and folder not in results
    for answer in answers:
        lowered = answer.lower()
        assert "javascript:" not in lowered and "data:text" not in lowered
        assert "vbscript:" not in lowered and "file:" not in lowered
        assert folder not in answer
