"""Editors' changes below the web: files written, stored through the ingest path, revisions,
restore, lifecycle, uploads, duplicates, and nothing half-saved."""

from __future__ import annotations

import dataclasses
import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hub.corpus import Corpus
from hub.editor import changes, duplicate_check, revisions, uploads
from hub.editor.case_study_form import CaseStudyFields, OutcomeInput, field_errors, suggest
from hub.indexing.loader import ParseContext, parse_file
from hub.search.base import SearchRequest
from hub.store.models import Item, Revision
from tests.support.built_pdfs import CASE_PLACE, CASE_TITLE, build_encrypted_pdf, build_report_pdf
from tests.support.databases import refuse_inserts

ED = changes.Editor("editor@example.org", "127.0.0.1")
BODY = ("## What was done\n\nLeeds City Council and Jobcentre Plus joined their benefits "
        "advice desks so that unemployed residents tell their story once. Advisers share "
        "one caseload list every week and plan each jobseeker's way back to work.\n\n"
        "## Results\n\nRepeat visits fell by a third, saving £60,000 a year in staff time.")


def leeds(**edits) -> CaseStudyFields:
    fields = CaseStudyFields(
        title="One front door for benefits advice in Leeds", summary="Two desks became one.",
        date="2011-03", themes=["worklessness", "customer-insight"], places=["leeds"],
        outcomes=[OutcomeInput("£60,000", "per year", "staff time saved")], body=BODY)
    for name, value in edits.items():
        setattr(fields, name, value)
    return fields


@pytest.fixture
def corpus(editor_settings):
    corpus = Corpus(editor_settings)
    summary = corpus.ingest([editor_settings.content_dir])
    assert summary.errors == []
    yield corpus
    corpus.close()


def found(corpus, words: str) -> list[int]:
    page = corpus.search.search(SearchRequest(query=words))
    return [r["id"] for r in page["results"]]


def item(corpus, item_id) -> Item:
    with corpus.session() as session:
        return session.scalar(select(Item).where(Item.id == item_id).options(
            selectinload(Item.tags), selectinload(Item.outcomes)))


def unchanged_on_reingest(corpus) -> None:
    settings = corpus.settings
    folders = [settings.content_dir, settings.case_study_dir, settings.upload_dir]
    summary = corpus.ingest([f for f in folders if f.exists()])
    assert summary.errors == []
    assert summary.counts.keys() <= {"unchanged"}, summary.line()


def test_a_new_case_study_is_a_draft_file_stored_like_any_other(corpus):
    saved = changes.save_case_study(corpus, leeds(), ED)
    path = corpus.settings.case_study_dir / "one-front-door-for-benefits-advice-in-leeds.md"
    text = path.read_text()
    assert text.startswith("---\ntitle: One front door for benefits advice in Leeds\n")
    assert "status: draft" in text and "- Leeds" in text and "amount: £60,000" in text
    stored = item(corpus, saved.item_id)
    assert stored.key == "md:one-front-door-for-benefits-advice-in-leeds"
    assert stored.status == "draft" and stored.type == "case_study"
    assert set(stored.tag_values("theme")) == {"worklessness", "customer-insight"}
    assert "west-yorkshire" in stored.tag_values("place")  # the region follows from Leeds
    assert [o.amount_gbp for o in stored.outcomes] == [60000.0]
    assert saved.item_id not in found(corpus, "Leeds benefits advice desks")  # drafts: no
    unchanged_on_reingest(corpus)


def test_what_the_web_saves_is_what_hub_ingest_reads_from_the_file(corpus, editor_settings,
                                                                    tmp_path, new_store):
    saved = changes.save_case_study(corpus, leeds(), ED)
    changes.change_status(corpus, saved.item_id, "published", ED)
    home = tmp_path / "other"
    other = Corpus(dataclasses.replace(editor_settings, home=home, database_url=new_store(home)))
    try:
        other.ingest([editor_settings.case_study_dir])
        with corpus.session() as a, other.session() as b:
            mine = a.get(Item, saved.item_id)
            theirs = b.scalar(select(Item).where(Item.key == mine.key))
            assert theirs.content_hash == mine.content_hash
    finally:
        other.close()


def test_publish_edit_restore_and_retire_with_revisions(corpus):
    item_id = changes.save_case_study(corpus, leeds(), ED).item_id
    changes.change_status(corpus, item_id, "published", ED)
    assert found(corpus, "Leeds benefits advice desks")[0] == item_id  # searchable at once

    source, text = changes.editable(corpus, item_id)
    fields = CaseStudyFields.from_text(text, source.origin, corpus.taxonomy)
    fields.summary = "The two desks in the civic hall became one."
    fields.themes = ["worklessness"]
    saved = changes.save_case_study(corpus, fields, ED, item_id, changes.text_version(text))
    assert saved.changes == ["summary", "themes"]
    assert item(corpus, item_id).status == "published"  # an edit keeps the status

    with corpus.session() as session:
        history = revisions.history(session, item_id)
        assert [(r.number, r.action, r.author) for r in history] == [
            (3, "edit", ED.email), (2, "publish", ED.email), (1, "create", ED.email)]
        assert history[1].changes == ["status: draft → published"]
        diff = revisions.revision_diff(session, item_id, 3)[1]
    assert "-summary: Two desks became one." in diff and "+summary: The two desks" in diff

    changes.restore(corpus, item_id, 2, ED)
    restored = item(corpus, item_id)
    assert restored.summary == "Two desks became one." and restored.status == "published"
    assert set(restored.tag_values("theme")) == {"worklessness", "customer-insight"}

    changes.change_status(corpus, item_id, "retired", ED)
    assert item(corpus, item_id).status == "retired"
    assert item_id not in found(corpus, "Leeds benefits advice desks")
    assert "status: retired" in changes.editable(corpus, item_id)[1]
    unchanged_on_reingest(corpus)


def test_the_same_status_twice_and_a_missing_revision_are_refused(corpus):
    item_id = changes.save_case_study(corpus, leeds(), ED).item_id
    with pytest.raises(changes.EditError, match="draft already"):
        changes.change_status(corpus, item_id, "draft", ED)
    with pytest.raises(changes.EditError, match="No revision 7"):
        changes.restore(corpus, item_id, 7, ED)
    with pytest.raises(changes.EditError, match="same as the current"):
        changes.restore(corpus, item_id, 1, ED)


def test_a_hand_written_file_keeps_its_version_as_a_revision(corpus):
    with corpus.session() as session:
        kent = session.scalar(select(Item).where(Item.key == "md:kent-avoidable-contact"))
    source, text = changes.editable(corpus, kent.id)
    fields = CaseStudyFields.from_text(text, source.origin, corpus.taxonomy)
    assert fields.title == kent.title and fields.status == "published"
    fields.title = "Reducing avoidable contact across the Kent councils"
    changes.save_case_study(corpus, fields, ED, kent.id)
    with corpus.session() as session:
        first, second = reversed(revisions.history(session, kent.id))
    assert (first.action, first.author, first.text) == ("file", revisions.FILE_AUTHOR, text)
    assert second.changes == ["title"]
    changes.restore(corpus, kent.id, 1, ED)
    assert item(corpus, kent.id).title == kent.title


def test_an_edit_made_since_the_form_was_opened_is_not_overwritten(corpus):
    item_id = changes.save_case_study(corpus, leeds(), ED).item_id
    source, text = changes.editable(corpus, item_id)
    opened = changes.text_version(text)
    changes.save_case_study(corpus, leeds(summary="Someone else's summary."), ED, item_id, opened)
    with pytest.raises(changes.EditError, match="changed this case study after you opened"):
        changes.save_case_study(corpus, leeds(summary="Mine."), ED, item_id, opened)
    assert item(corpus, item_id).summary == "Someone else's summary."


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(corpus):
    bad = leeds(title="", date="Spring 2011", themes=["worklessness", "not-a-theme"],
                places=["atlantis"], source_url="javascript:alert(1)",
                outcomes=[OutcomeInput("£60,000", "fortnightly"), OutcomeInput("lots")])
    errors = field_errors(bad, corpus.taxonomy, "form")
    assert set(errors) == {"title", "date", "themes", "places", "source_url",
                           "outcomes[1].period", "outcomes[2].amount"}
    assert errors["themes"] == "unknown theme 'not-a-theme'"
    before = sorted(corpus.settings.case_study_dir.glob("*"))
    with pytest.raises(changes.EditError) as refused:
        changes.save_case_study(corpus, bad, ED)
    assert refused.value.errors == errors
    assert sorted(corpus.settings.case_study_dir.glob("*")) == before
    with corpus.session() as session:
        assert session.scalar(select(func.count(Revision.id))) == 0


def test_a_failing_store_puts_the_old_file_back(corpus, editor_settings):
    item_id = changes.save_case_study(corpus, leeds(), ED).item_id
    path = corpus.settings.case_study_dir / "one-front-door-for-benefits-advice-in-leeds.md"
    before = path.read_text()
    # A real failure inside the transaction: the database refuses the revision row.
    refuse_inserts(editor_settings.database_url, "item_revisions", "disk says no")
    with pytest.raises(Exception, match="disk says no"):
        changes.save_case_study(corpus, leeds(summary="Changed."), ED, item_id)
    assert path.read_text() == before
    assert item(corpus, item_id).summary == "Two desks became one."
    assert not list(path.parent.glob(".*.tmp"))


def test_a_content_folder_case_study_is_copied_to_the_editors_folder_when_edited(corpus):
    bundled = corpus.settings.content_dir / "case_studies" / "kent-avoidable-contact.md"
    original = bundled.read_text()
    with corpus.session() as session:
        item_id = session.scalar(select(Item.id).where(Item.key == "md:kent-avoidable-contact"))
    source, text = changes.editable(corpus, item_id)
    assert text == original and source.moved_from == bundled
    fields = CaseStudyFields.from_text(text, source.origin, corpus.taxonomy)
    fields.summary = "Kent's councils cut avoidable contact, as an editor tells it."
    changes.save_case_study(corpus, fields, ED, item_id)
    assert bundled.read_text() == original  # the code checkout's file is never written
    copy = corpus.settings.case_study_dir / "kent-avoidable-contact.md"
    assert "as an editor tells it" in copy.read_text()
    assert item(corpus, item_id).summary == fields.summary
    # From now on the copy decides: ingesting the content folder again changes nothing.
    unchanged_on_reingest(corpus)
    assert item(corpus, item_id).summary == fields.summary
    source, _text = changes.editable(corpus, item_id)
    assert source.path == copy and source.moved_from is None


def test_titles_never_overwrite_another_case_study(corpus):
    first = changes.save_case_study(corpus, leeds(), ED)
    second = changes.save_case_study(corpus, leeds(body="A later write-up of the same work, "
                                                        "told by the advisers themselves."), ED)
    assert first.item_id != second.item_id
    assert (corpus.settings.case_study_dir / "one-front-door-for-benefits-advice-in-leeds-2.md"
            ).exists()


def test_suggestions_come_from_the_tagger_and_the_extractor(corpus):
    fields = suggest(leeds(themes=[], places=[], outcomes=[]), corpus.parse_context.tagger)
    assert "leeds" in fields.places and "jobcentre-plus" in fields.organisations
    assert "worklessness" in fields.themes
    assert [(o.amount, o.period) for o in fields.outcomes] == [("£60,000", "per year")]


def test_similar_text_and_the_same_permalink_are_flagged(corpus):
    url = "https://example.org/leeds-front-door"
    item_id = changes.save_case_study(corpus, leeds(source_url=url), ED).item_id
    changes.change_status(corpus, item_id, "published", ED)
    with corpus.session() as session:
        near = duplicate_check.duplicates(corpus, session, "Leeds benefits advice: one front door",
                                  BODY.replace("a third", "a quarter"), None)
        assert [d.reason for d in near] == ["similar text"] and near[0].score >= 0.8
        assert duplicate_check.duplicates(corpus, session, "Allotments in Leeds",
                                  "Waiting lists for allotments fell after plots were split "
                                  "in half across the city's parks.", None) == []
        same = duplicate_check.duplicates(corpus, session, "x", "y", url, set())
        assert duplicate_check.duplicates(corpus, session, "x", "y", url, {item_id}) == []
    assert [(d.item_id, d.reason) for d in same] == [(item_id, "same permalink")]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    report = build_report_pdf(folder / "report.pdf")
    return {"report": report, "encrypted": build_encrypted_pdf(folder / "locked.pdf", report)}


def upload(corpus, data: bytes, name: str) -> changes.Saved:
    return uploads.receive(corpus, io.BytesIO(data), name, ED)


def test_an_upload_is_a_draft_tree_corrected_and_published_whole(corpus, pdfs):
    saved = upload(corpus, pdfs["report"].read_bytes(), "../../etc/Front doors (final).pdf")
    files = sorted(p.name for p in corpus.settings.upload_dir.iterdir())
    assert len(files) == 2 and files[0].endswith(".pdf") and files[1].endswith(".pdf.yml")
    assert "Front" not in files[0] and ".." not in files[0]  # a generated name
    with corpus.session() as session:
        root = session.get(Item, saved.item_id)
        review = uploads.review(corpus, session, root)
        assert {n.status for n, _ in review.nodes} == {"draft"}
        assert [c.title for c in review.case_studies] == [
            f"Case Study: {CASE_PLACE} \u2013 {CASE_TITLE}"]  # as the box prints it
        case_id = review.case_studies[0].id
    uploads.correct(corpus, saved.item_id, {"title": "Joining Up Front Doors",
                                             "themes": ["shared-services"]}, ED, publish=True)
    with corpus.session() as session:
        root = session.get(Item, saved.item_id)
        assert root.title == "Joining Up Front Doors" and root.status == "published"
        assert root.tag_values("theme") == ["shared-services"]
        assert {n.status for n, _ in uploads.review(corpus, session, root).nodes} == {"published"}
    assert case_id in found(corpus, "shared benefits front door repeat visits")
    unchanged_on_reingest(corpus)


def test_an_uploads_summary_date_places_and_organisations_are_corrected(corpus):
    text = (b"Joined-up advice desks\n\nCouncil officers and advisers shared a desk so that "
            b"residents asking about housing were also offered help with work.\n")
    saved = upload(corpus, text, "advice.txt")
    before = item(corpus, saved.item_id)
    assert before.tag_values("place") == [] and before.published is None
    corrected = {"title": before.title, "summary": "Advice desks shared by two services.",
                 "date": "September 2010", "themes": before.tag_values("theme"),
                 "places": ["leeds", "west-yorkshire"],
                 "organisations": ["jobcentre-plus"]}
    uploads.correct(corpus, saved.item_id, corrected, ED)
    after = item(corpus, saved.item_id)
    assert after.summary == "Advice desks shared by two services."
    assert (after.published.isoformat(), after.date_precision) == ("2010-09-01", "month")
    assert {"leeds", "west-yorkshire"} <= set(after.tag_values("place"))  # regions roll up
    assert after.tag_values("organisation") == ["jobcentre-plus"]
    sidecar = next(corpus.settings.upload_dir.glob("*.yml")).read_text()
    assert "title:" not in sidecar  # left as found, so the file keeps deciding
    unchanged_on_reingest(corpus)  # the sidecar holds them: re-ingesting keeps every one
    assert item(corpus, saved.item_id).tag_values("organisation") == ["jobcentre-plus"]
    with pytest.raises(changes.EditError, match="date"):
        uploads.correct(corpus, saved.item_id, {**corrected, "date": "next Tuesday"}, ED)
    assert next(corpus.settings.upload_dir.glob("*.yml")).read_text() == sidecar
    uploads.correct(corpus, saved.item_id, {**corrected, "summary": "", "date": ""}, ED)
    reverted = item(corpus, saved.item_id)
    assert reverted.summary == before.summary and reverted.published is None


def test_uploads_that_cannot_be_taken_leave_nothing_behind(corpus, pdfs):
    with corpus.session() as session:
        managed_before = [i.id for i in changes.managed(session, corpus.settings)]
    cases = [
        (pdfs["encrypted"].read_bytes(), "locked.pdf", "encrypted"),
        (b"MZ\x90\x00", "setup.exe", "not .exe"),
        (b"plain words", "notes", "files without an extension"),
        (b"", "empty.txt", "empty"),
        (b"\x00\x01binary", "data.txt", "binary data"),
        (b"%PDF-1.4 nothing else", "broken.pdf", "could not be read"),
    ]
    for data, name, problem in cases:
        with pytest.raises(changes.EditError, match=problem):
            upload(corpus, data, name)
    with pytest.raises(uploads.TooLarge):
        upload(corpus, b"x" * (2**20 + 1), "big.txt")
    assert list(corpus.settings.upload_dir.iterdir()) == []
    with corpus.session() as session:
        assert [i.id for i in changes.managed(session, corpus.settings)] == managed_before


def test_a_file_already_in_the_hub_is_refused(corpus, pdfs):
    upload(corpus, pdfs["report"].read_bytes(), "report.pdf")
    with pytest.raises(changes.EditError, match="already in the hub"):
        upload(corpus, pdfs["report"].read_bytes(), "report copy.pdf")
    assert len(list(corpus.settings.upload_dir.glob("*.pdf"))) == 1


def test_display_names_lose_folders_and_odd_characters():
    assert uploads.display_name("../../etc/passwd") == "passwd"
    assert uploads.display_name("C:\\Users\\x\\Report <b>2010</b>.pdf") == "b_.pdf"
    assert uploads.display_name("..") == "upload"
    assert uploads.display_name("Front doors (final) – v2.pdf") == "Front doors (final) _ v2.pdf"


def test_a_sidecar_can_give_themes_and_status(corpus, tmp_path, taxonomy):
    page = tmp_path / "page.txt"
    page.write_text("Sharing data between councils\n\nCouncils shared data about housing.\n")
    (tmp_path / "page.txt.yml").write_text("themes: [data-sharing]\nstatus: draft\n")
    docs = parse_file(page, "page.txt", ParseContext.for_taxonomy(taxonomy))
    assert [(d.status, d.tags[0].value) for d in docs] == [("draft", "data-sharing")]
    (tmp_path / "page.txt.yml").write_text("themes: [astrology]\n")
    summary = corpus.ingest([page])
    assert len(summary.errors) == 1
    assert summary.errors[0].endswith("page.txt.yml: themes: unknown theme 'astrology'")


def test_line_ends_from_a_browser_are_not_changes(corpus):
    crlf = BODY.replace("\n", "\r\n")
    item_id = changes.save_case_study(corpus, leeds(body=crlf), ED).item_id
    assert "\r" not in changes.editable(corpus, item_id)[1]
    saved = changes.save_case_study(corpus, leeds(body=crlf, summary="New.\r\nLines."), ED,
                                    item_id)
    assert saved.changes == ["summary"]
    with corpus.session() as session:
        assert [r.action for r in revisions.history(session, item_id)] == ["edit", "create"]


def test_an_html_upload_is_cleaned_and_a_markdown_one_cannot_take_over_a_case_study(corpus):
    page = (b"<html><head><title>Shared contact centres</title></head><body><article>"
            b"<h1>Shared contact centres</h1><p onclick='steal()'>Two districts answer each "
            b"other's calls out of hours.</p><script>steal()</script>"
            b"<p><a href='javascript:steal()'>more</a></p></article></body></html>")
    saved = upload(corpus, page, "centres.html")
    stored = item(corpus, saved.item_id)
    assert "answer each other" in stored.body_text and stored.status == "draft"
    assert "script" not in (stored.body_html or "") and "onclick" not in (stored.body_html or "")
    assert "javascript" not in (stored.body_html or "")
    kent = (corpus.settings.content_dir / "case_studies" / "kent-avoidable-contact.md").read_text()
    hijack = kent.replace("---\n", "---\nslug: kent-avoidable-contact\n", 1).replace(
        "title: ", "title: Not really ", 1)
    with pytest.raises(changes.EditError, match="already in the hub"):
        upload(corpus, hijack.encode(), "kent.md")
    with corpus.session() as session:
        assert not session.scalar(select(Item).where(Item.title.startswith("Not really")))
