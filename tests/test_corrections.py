"""Editors' corrections to ingested items: each field, status over a report's sections,
revisions with restore, the audit entry, and corrections kept when the file is ingested again
(also when it changed); and the dashboard's search and filters over every item."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from hub.config import Settings
from hub.corpus import Corpus
from hub.editor import accounts, changes, corrections, listing, revisions
from hub.search.base import SearchRequest
from hub.store.database import transaction
from hub.store.models import AuditEntry, Correction, Item
from hub.web import create_app
from tests.support.built_pdfs import TITLE, build_report_pdf
from tests.support.databases import store_for
from tests.support.editor import ADMIN, PASSWORD, csrf_token, sign_in
from tests.support.own_data import make_content

ED = changes.Editor("editor@example.org", "127.0.0.1")
SECTION = "Customer Insight"
COVENTRY = "Getting to know out-of-work residents in Coventry through customer insight"


def instance(home, content, database_url) -> Settings:
    return Settings(home=home, database_url=database_url, content_dir=content)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, stores):
    """An instance holding the sample case studies and a report PDF, ingested once: each
    test works on a copy of it (files stay where they are, so origins still name them)."""
    root = tmp_path_factory.mktemp("corrections")
    content = make_content(root / "content")
    (root / "seeds").mkdir()
    pdf = build_report_pdf(root / "seeds" / "front-doors.pdf")
    with store_for(stores, root / "instance") as url:
        corpus = Corpus(instance(root / "instance", content, url))
        summary = corpus.ingest([content, pdf])
        corpus.close()
        assert summary.errors == []
        yield root / "instance", content, pdf, url


@pytest.fixture
def corpus(ingested, tmp_path, new_store):
    home, content, pdf, url = ingested
    shutil.copytree(home, tmp_path / "instance")
    copy = new_store(tmp_path / "instance", copy_of=url)
    corpus = Corpus(instance(tmp_path / "instance", content, copy))
    corpus.pdf = pdf
    yield corpus
    corpus.close()
    pdf.with_name(pdf.name + ".yml").unlink(missing_ok=True)  # a test gave the file one


def reingest(corpus) -> dict:
    summary = corpus.ingest([corpus.pdf])
    assert summary.errors == []
    return summary.counts


def stored(corpus, title: str) -> Item:
    with corpus.session() as session:
        found = session.scalars(select(Item).where(Item.title == title)).all()
        assert len(found) == 1, f"{len(found)} items titled {title!r}"
        item = found[0]
        item.tags, item.correction  # noqa: B018 - loaded before the session closes
        return item


def titles_found(corpus, words: str) -> list[str]:
    return [r["title"] for r in corpus.search.search(SearchRequest(query=words))["results"]]


def test_a_corrected_title_and_a_retired_section_survive_reingest(corpus):
    report, section = stored(corpus, TITLE), stored(corpus, SECTION)
    saved = corrections.correct(corpus, report.id, {"title": "Joining Up Front Doors"}, ED)
    assert saved.changes == ["title"]
    corrections.change_status(corpus, section.id, "retired", ED)
    assert stored(corpus, "Joining Up Front Doors").id == report.id
    assert SECTION not in titles_found(corpus, "mapped journeys frequent callers")
    assert "Joining Up Front Doors" in titles_found(corpus, "shared front door review")

    counts = reingest(corpus)
    assert counts.keys() == {"unchanged"}, counts  # nothing to write: corrections included
    assert stored(corpus, "Joining Up Front Doors").status == "published"
    assert stored(corpus, SECTION).status == "retired"
    with corpus.session() as session:  # the source's title is kept to go back to
        assert session.get(Correction, report.id).source == {"title": TITLE}


def test_a_changed_file_updates_what_was_not_corrected(corpus):
    report = stored(corpus, TITLE)
    corrections.correct(corpus, report.id, {"title": "Joining Up Front Doors"}, ED)
    sidecar = corpus.pdf.with_name(corpus.pdf.name + ".yml")
    sidecar.write_text("summary: Six partnerships.\ndate: May 2009\n")
    assert reingest(corpus).get("updated")
    item = stored(corpus, "Joining Up Front Doors")
    assert item.summary == "Six partnerships."
    assert (item.published, item.date_precision) == (dt.date(2009, 5, 1), "month")
    corrections.correct(corpus, report.id, {"summary": "Partnerships compared."}, ED)
    sidecar.write_text("summary: Seven partnerships.\ndate: May 2009\n")
    assert reingest(corpus).get("updated")
    assert stored(corpus, "Joining Up Front Doors").summary == "Partnerships compared."
    with corpus.session() as session:  # the file's new summary, to go back to
        assert session.get(Correction, report.id).source == {
            "title": TITLE, "summary": "Seven partnerships."}
    corrections.restore(corpus, report.id, 1, ED)  # withdrawn: the file's values show
    item = stored(corpus, TITLE)
    assert item.id == report.id and item.summary == "Seven partnerships."


def test_every_field_can_be_corrected_and_restored(corpus):
    report = stored(corpus, TITLE)
    values = {"title": "Front doors, shared", "summary": "How councils share one front door.",
              "date": "2008", "themes": ["shared-services"], "places": ["leeds"],
              "organisations": ["jobcentre-plus"]}
    saved = corrections.correct(corpus, report.id, values, ED)
    assert saved.changes == ["title", "summary", "date", "themes", "places", "organisations"]
    item = stored(corpus, "Front doors, shared")
    assert item.summary == "How councils share one front door."
    assert (item.published, item.date_precision) == (dt.date(2008, 1, 1), "year")
    assert item.tag_values("theme") == ["shared-services"]
    assert item.tag_values("place") == ["leeds"]
    assert item.tag_values("organisation") == ["jobcentre-plus"]
    assert corrections.current(item).corrected == set(values)
    assert reingest(corpus).keys() == {"unchanged"}

    corrections.correct(corpus, report.id, {"date": "", "title": TITLE}, ED)  # undated;
    item = stored(corpus, TITLE)  # the source's title again: no longer a correction
    assert item.published is None and "title" not in corrections.current(item).corrected
    with corpus.session() as session:
        history = revisions.history(session, report.id)
        assert [r.action for r in history] == ["correct", "correct", "ingested"]
        assert history[-1].text == "{}\n"
        entries = session.scalars(select(AuditEntry).where(AuditEntry.item_id == report.id))
        assert [e.detail for e in entries] == [
            "title, summary, date, themes, places, organisations", "title, date"]
    corrections.restore(corpus, report.id, 2, ED)
    assert stored(corpus, "Front doors, shared").tag_values("place") == ["leeds"]
    corrections.restore(corpus, report.id, 1, ED)
    item = stored(corpus, TITLE)
    assert item.correction is None and item.summary != "How councils share one front door."
    assert item.published is not None  # the file's own date is back
    with pytest.raises(changes.EditError, match="same as the current"):
        corrections.restore(corpus, report.id, 1, ED)


def test_wrong_values_are_refused_field_by_field(corpus):
    report = stored(corpus, TITLE)
    with pytest.raises(changes.EditError) as refused:
        corrections.correct(corpus, report.id, {"title": " ", "date": "Mayday 2009",
                                                "themes": ["no-such-theme"],
                                                "status": "gone"}, ED)
    assert set(refused.value.errors) == {"title", "date", "themes", "status"}
    assert stored(corpus, TITLE).correction is None


def test_retiring_a_report_retires_its_sections_until_one_is_published_again(corpus):
    report, section = stored(corpus, TITLE), stored(corpus, SECTION)
    corrections.change_status(corpus, report.id, "retired", ED)
    assert stored(corpus, SECTION).status == "retired"
    assert SECTION not in titles_found(corpus, "mapped journeys frequent callers")
    corrections.change_status(corpus, section.id, "published", ED)
    assert stored(corpus, SECTION).status == "published"
    assert reingest(corpus).keys() == {"unchanged"}
    corrections.change_status(corpus, report.id, "published", ED)  # the source's status:
    assert stored(corpus, TITLE).correction is None  # no correction left on the report
    with pytest.raises(changes.EditError, match="published already"):
        corrections.change_status(corpus, report.id, "published", ED)


def test_items_kept_in_files_the_hub_edits_are_not_corrected_here(corpus):
    case_study = stored(corpus, COVENTRY)
    with pytest.raises(changes.EditError, match="kept in a file"):
        corrections.correct(corpus, case_study.id, {"title": "Another"}, ED)


def test_the_dashboard_finds_every_item_by_words_type_status_and_origin(corpus):
    settings = corpus.settings
    section = stored(corpus, SECTION)
    corrections.change_status(corpus, section.id, "retired", ED)

    def titles(**asked) -> list[str]:
        with corpus.session() as session:
            return [i.title for i in listing.find(session, settings,
                                                  listing.Filters.of(asked))[0]]

    assert titles(q="customer insight", type="section") == [SECTION]
    assert titles(status="retired") == [SECTION]
    ingested = titles(origin="ingested")
    assert TITLE in ingested and SECTION in ingested and len(ingested) > 5
    assert COVENTRY not in ingested
    content = titles(origin="content", type="case_study")
    assert COVENTRY in content and TITLE not in content
    assert titles(origin="uploads") == []
    assert titles(q="front-doors.pdf", type="report") == [TITLE]  # by file name too
    assert titles(type="nonsense") == titles()  # unknown filters are dropped
    with corpus.session() as session:
        page, total = listing.find(session, settings, listing.Filters.of({"page": "2"}), 5)
        assert len(page) == 5 and total > 10


@pytest.fixture
def client(corpus):
    app = create_app({"TESTING": True, "HUB_SETTINGS": corpus.settings})
    with transaction(app.extensions["hub.corpus"].sessions) as session:
        accounts.add_user(session, ADMIN, PASSWORD, "admin")
    client = app.test_client()
    assert sign_in(client).status_code == 303
    yield client
    app.extensions["hub.corpus"].close()


def listed(client, query: str) -> list[str]:
    page = BeautifulSoup(client.get("/editor/?" + query).text, "html.parser")
    return [a.get_text() for a in page.select("table[aria-labelledby=all] td:first-child a")]


def form_of(client, path: str) -> dict:
    """A form's fields as the browser would send them, untouched."""
    page = BeautifulSoup(client.get(path).text, "html.parser")
    form = page.select_one("form.stack")
    data = {field["name"]: field.get("value", "") for field in form.select("input")
            if field.get("type") not in ("checkbox",)}
    data.update({area["name"]: area.get_text() for area in form.select("textarea")})
    data.update({select["name"]: select.select_one("option[selected]")["value"]
                 for select in form.select("select")})
    for box in form.select("input[type=checkbox][checked]"):
        data.setdefault(box["name"], []).append(box["value"])
    return data


def test_the_dashboard_form_filters_and_links_every_item(client, corpus):
    assert listed(client, "type=report&origin=ingested") == [TITLE]
    assert listed(client, "q=customer+insight&type=section") == [SECTION]
    assert COVENTRY in listed(client, "origin=content&status=published")
    page = client.get("/editor/?status=retired&type=report").text
    assert "0 items found" in page and "Show every item" in page
    section = stored(corpus, SECTION)
    assert f'href="/editor/items/{section.id}/correct"' in client.get(
        "/editor/?type=section").text


def test_the_correction_form_saves_only_what_changed(client, corpus):
    report = stored(corpus, TITLE)
    path = f"/editor/items/{report.id}/correct"
    sent = form_of(client, path)
    assert sent["date"] == "" or sent["date"][-4:].isdigit()
    response = client.post(path, data={**sent, "title": "Joining Up Front Doors"})
    assert response.status_code == 303
    page = client.get(path).text
    assert "Saved: title." in page and "Corrected now: title." in page
    assert f"/editor/items/{report.id}/revisions/1/restore" in page  # as ingested

    again = form_of(client, path)  # sent back untouched: nothing changes
    client.post(path, data=again)
    assert "Saved: nothing had changed." in client.get(path).text

    stale = client.post(path, data={**sent, "title": "Another title"})  # opened before
    assert stale.status_code == 400 and "Someone corrected this item" in stale.text
    wrong = client.post(path, data={**again, "date": "Smarch 2009"})
    assert wrong.status_code == 400 and "a month (May 2008)" in wrong.text
    refused = client.post(path, data={**again, "csrf_token": "forged"})
    assert refused.status_code == 400
    assert stored(corpus, "Joining Up Front Doors").id == report.id


def test_status_buttons_and_restore_work_on_ingested_items(client, corpus):
    report, section = stored(corpus, TITLE), stored(corpus, SECTION)
    item_page = f"/editor/items/{report.id}"
    page = client.get(item_page).text
    assert "Corrections made here are kept in the hub" in page
    client.post(f"{item_page}/status", data={"csrf_token": csrf_token(page),
                                             "status": "retired"})
    page = client.get(item_page).text
    assert "Retired: it has left search" in page
    assert stored(corpus, SECTION).status == "retired"
    assert client.get(f"/items/{section.id}").status_code == 404
    client.post(f"{item_page}/revisions/1/restore", data={"csrf_token": csrf_token(page)})
    # Restore keeps today's status, as for files; publishing brings the sections back.
    assert stored(corpus, TITLE).status == "retired"
    client.post(f"{item_page}/status", data={"csrf_token": csrf_token(page),
                                             "status": "published"})
    assert stored(corpus, SECTION).status == "published"
    with corpus.session() as session:
        actions = [e.action for e in session.scalars(
            select(AuditEntry).where(AuditEntry.item_id == report.id))]
    assert actions == ["retire", "publish"]
