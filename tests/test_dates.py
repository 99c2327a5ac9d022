"""Publication dates as far as they are known: parsing, formatting, the store and its migration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

import hub.store.database
from hub.indexing.case_study import parse_markdown
from hub.indexing.document import ParsedDocument, ParseError
from hub.indexing.loader import parse_file
from hub.store.database import make_engine, migrate, session_factory, transaction
from hub.store.models import Item
from hub.store.writing import Result, save_document
from hub.text.dates import UNDATED, format_added, format_date, iso_date, parse_partial_date

MAY_12 = dt.date(2008, 5, 12)


@pytest.mark.parametrize(("value", "precision", "shown", "iso"), [
    (MAY_12, "year", "2008", "2008"),
    (MAY_12, "month", "May 2008", "2008-05"),
    (MAY_12, "day", "12 May 2008", "2008-05-12"),
    (MAY_12, None, "12 May 2008", "2008-05-12"),  # rows stored before precision was kept
    ("2008-05-12", "month", "May 2008", "2008-05"),  # the ISO strings the API and index give
])
def test_a_date_is_shown_only_as_far_as_it_is_known(value, precision, shown, iso):
    assert format_date(value, precision) == shown
    assert iso_date(value, precision) == iso


def test_undated_says_so_and_an_unknown_precision_is_refused():
    assert format_date(None, "month") == format_date("", "day") == UNDATED
    assert iso_date(None) is None
    with pytest.raises(ValueError, match="week"):
        format_date(MAY_12, "week")


def test_the_added_day_is_labelled():
    moment = dt.datetime(2026, 12, 6, 23, 59)
    assert format_added(moment) == "Added 6 December 2026"
    assert format_added(moment) != format_date(moment)


@pytest.mark.parametrize(("value", "expected"), [
    ("2010", (dt.date(2010, 1, 1), "year")),
    (2010, (dt.date(2010, 1, 1), "year")),  # YAML reads an unquoted year as a number
    ("2010-09", (dt.date(2010, 9, 1), "month")),
    ("September 2010", (dt.date(2010, 9, 1), "month")),
    ("Sept. 2010", (dt.date(2010, 9, 1), "month")),
    ("14 September 2010", (dt.date(2010, 9, 14), "day")),
    ("September 14, 2010", (dt.date(2010, 9, 14), "day")),
    ("2010-09-14", (dt.date(2010, 9, 14), "day")),
    (dt.date(2010, 9, 14), (dt.date(2010, 9, 14), "day")),
])
def test_dates_are_read_with_their_precision(value, expected):
    assert parse_partial_date(value) == expected


@pytest.mark.parametrize("value", ["Spring 2010", "2010-13", "31 February 2010", "next week",
                                   "Ma 2010", "10"])
def test_what_is_not_a_date_is_not_read_as_one(value):
    assert parse_partial_date(value) is None


def case_study(date_line: str) -> str:
    return f"---\ntitle: Dated\n{date_line}\n---\n\nSome text about the work.\n"


@pytest.mark.parametrize(("date_line", "date", "precision"), [
    ("date: 2010", dt.date(2010, 1, 1), "year"),
    ('date: "2010-09"', dt.date(2010, 9, 1), "month"),
    ("date: September 2010", dt.date(2010, 9, 1), "month"),
    ("date: 2010-09-14", dt.date(2010, 9, 14), "day"),
    ("date: 14 September 2010", dt.date(2010, 9, 14), "day"),
    ("summary: none given", None, "day"),
])
def test_case_study_front_matter_keeps_the_precision(taxonomy, date_line, date, precision):
    doc = parse_markdown(case_study(date_line), "dated.md", taxonomy)
    assert (doc.date, doc.date_precision) == (date, precision)


def test_a_malformed_front_matter_date_names_the_field(taxonomy):
    with pytest.raises(ParseError) as caught:
        parse_markdown(case_study("date: Spring 2010"), "dated.md", taxonomy)
    assert caught.value.field_name == "date" and "Spring 2010" in str(caught.value)


def test_a_sidecar_date_replaces_the_documents_with_its_precision(tmp_path, parse_context):
    page = tmp_path / "notice.txt"
    page.write_text("A notice\n\nThe council changed how it counts calls, and said why.\n")
    (tmp_path / "notice.txt.yml").write_text("date: May 2008\n")
    [doc] = parse_file(page, str(page), parse_context)
    assert (doc.date, doc.date_precision) == (dt.date(2008, 5, 1), "month")


def stored(session, doc: ParsedDocument) -> Item:
    return session.scalar(select(Item).where(Item.key == doc.key))


def test_the_store_keeps_the_precision_and_a_change_of_it_is_a_change(tmp_path, new_store):
    engine = make_engine(new_store(tmp_path))
    migrate(engine)
    factory = session_factory(engine)
    doc = ParsedDocument(title="Dated", type="article", text="Words.", origin="a.md", key="md:a",
                         date=dt.date(2010, 9, 14), date_precision="month")
    with transaction(factory) as session:
        assert save_document(session, doc) == [Result.NEW]
        item = stored(session, doc)
        # Only the known parts are kept: the day the parser had is not stored as if known.
        assert (item.published, item.date_precision) == (dt.date(2010, 9, 1), "month")
    with transaction(factory) as session:
        assert save_document(session, doc) == [Result.UNCHANGED]
    doc.date_precision = "day"
    with transaction(factory) as session:
        assert save_document(session, doc) == [Result.UPDATED]
        assert stored(session, doc).publication() == (dt.date(2010, 9, 14), "day")


def test_a_section_without_a_date_has_its_reports(tmp_path, new_store):
    engine = make_engine(new_store(tmp_path))
    migrate(engine)
    section = ParsedDocument(title="Part", type="section", text="Part words.", origin="r.pdf",
                             anchor="s-1")
    report = ParsedDocument(title="Report", type="report", text="Words.", origin="r.pdf",
                            key="r", date=dt.date(2008, 1, 1), date_precision="year",
                            children=[section])
    with transaction(session_factory(engine)) as session:
        save_document(session, report)
        part = session.scalar(select(Item).where(Item.anchor == "s-1"))
        assert part.published is None and part.publication() == (dt.date(2008, 1, 1), "year")


def upgrade_to(engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location",
                           str(Path(hub.store.database.__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_the_migration_keeps_existing_rows_as_whole_dates(tmp_path, new_store):
    engine = make_engine(new_store(tmp_path, migrated=False))
    upgrade_to(engine, "0003")  # the store before precision was recorded
    with engine.begin() as connection:
        for title, published in (("Dated", "2009-05-14"), ("Undated", None)):
            connection.execute(text(
                "INSERT INTO items (key, fingerprint, title_key, type, status, title, body_text,"
                " published, position, extra, content_hash, primary_origin, created_at, updated_at)"
                " VALUES (:key, 'f', :key, 'article', 'published', :title, 'Words.', :published,"
                " 0, '{}', 'h', 'old.md', '2026-01-02 03:04:05', '2026-01-02 03:04:05')"),
                {"key": title.lower(), "title": title, "published": published})
    migrate(engine)
    with session_factory(engine)() as session:
        rows = {i.title: i for i in session.scalars(select(Item))}
    assert set(rows) == {"Dated", "Undated"}
    assert rows["Dated"].publication() == (dt.date(2009, 5, 14), "day")
    assert format_date(*rows["Dated"].publication()) == "14 May 2009"
    assert format_date(*rows["Undated"].publication()) == UNDATED
    assert rows["Undated"].created_at == dt.datetime(2026, 1, 2, 3, 4, 5)
