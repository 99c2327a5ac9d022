"""Markdown case studies: front matter, sanitised HTML, and clear errors for bad fields."""

from __future__ import annotations

import pytest

from hub.indexing.case_study import parse_markdown
from hub.indexing.document import ParseError
from hub.store import queries
from hub.store.writing import Result
from tests.support.own_data import DATA_DIR


def test_front_matter_becomes_structured_fields(taxonomy):
    path = DATA_DIR / "case_studies" / "benefits-data-hub.md"
    doc = parse_markdown(path.read_text(), str(path), taxonomy)
    assert doc.type == "case_study"
    assert doc.key == "md:benefits-data-hub"
    assert doc.date.isoformat() == "2010-04-01"
    assert doc.given_themes == ["data-sharing", "worklessness"]
    assert doc.given_places == ["coventry"]
    assert doc.given_organisations == [taxonomy.resolve("organisation", "DWP")]
    assert doc.given_outcomes[0].amount_gbp == 120000
    assert doc.given_outcomes[0].period == "per year"
    assert doc.extra["contact"].startswith("Employment and Skills Team")
    assert "<strong>data sharing agreement</strong>" in doc.html
    assert "• Consent is recorded once" in doc.text


@pytest.mark.parametrize("name, field, words", [
    ("unknown-theme.md", "themes", "underwater basket weaving"),
    ("bad-date.md", "date", "31/02/2010"),
    ("no-title.md", "title", "missing title"),
])
def test_bad_front_matter_names_file_and_field(taxonomy, name, field, words):
    path = DATA_DIR / "bad_case_studies" / name
    with pytest.raises(ParseError) as error:
        parse_markdown(path.read_text(), str(path), taxonomy)
    message = str(error.value)
    assert name in message and field in message and words in message


def test_bad_files_fail_while_the_others_are_stored(corpus, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for source in [*(DATA_DIR / "case_studies").glob("*.md"),
                   *(DATA_DIR / "bad_case_studies").glob("*.md")]:
        (folder / source.name).write_text(source.read_text())
    summary = corpus.ingest([folder])
    assert summary.files == 5
    assert len(summary.errors) == 3
    assert summary.counts[Result.NEW] == 2
    joined = "\n".join(summary.errors)
    for name, field in [("unknown-theme.md", "themes"), ("bad-date.md", "date"),
                        ("no-title.md", "title")]:
        assert f"{name}: {field}:" in joined


def test_a_failed_edit_leaves_the_stored_item_alone(corpus, tmp_path):
    path = tmp_path / "case.md"
    good = (DATA_DIR / "case_studies" / "night-shelter.md").read_text()
    path.write_text(good)
    assert corpus.ingest([path]).errors == []
    with corpus.session() as session:
        before = [(i.title, i.content_hash) for i in queries.all_items(session)]
    path.write_text(good.replace("date: 2012-01-15", "date: sometime"))
    assert len(corpus.ingest([path]).errors) == 1
    with corpus.session() as session:
        assert [(i.title, i.content_hash) for i in queries.all_items(session)] == before


def test_editing_a_case_study_updates_the_same_item(corpus, tmp_path):
    path = tmp_path / "case.md"
    text = (DATA_DIR / "case_studies" / "night-shelter.md").read_text()
    path.write_text(text)
    corpus.ingest([path])
    path.write_text(text.replace("rotating night shelter", "rotating winter night shelter"))
    summary = corpus.ingest([path])
    assert summary.counts == {Result.UPDATED: 1}
    with corpus.session() as session:
        items = queries.all_items(session)
        assert len(items) == 1 and "rotating winter night shelter" in items[0].body_text


def test_script_and_event_handlers_are_removed(taxonomy):
    text = ("---\ntitle: Hostile\n---\n<script>alert(1)</script>\n\n"
            "<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3))\n")
    doc = parse_markdown(text, "hostile.md", taxonomy)
    assert "<script" not in doc.html and "onerror" not in doc.html
    assert "javascript:" not in doc.html
