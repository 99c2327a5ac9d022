"""Acceptance over the web-page seeds: splitting, identity, provenance, labels, boilerplate, tags."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from hub.store import queries
from hub.store.models import Item
from hub.store.writing import Result

BOILERPLATE = ("Permanent link to this article", "Leave a Reply",
               "Your e-mail address will not be published")


# The subject is what the product makes of the real seed documents, tagged with the bundled
# vocabulary (see tests.support.product_data): here the corpus and settings are the product's.
@pytest.fixture
def corpus(product_corpus):
    return product_corpus


@pytest.fixture
def settings(product_settings):
    return product_settings


@pytest.fixture
def web_seeds(corpus, seeds):
    summary = corpus.ingest([seeds["000"], seeds["001"], seeds["002"]])
    assert summary.errors == []
    return summary


def by_title(corpus, title):
    with corpus.session() as session:
        items = [i for i in queries.all_items(session) if i.title == title]
        assert len(items) == 1, f"{title!r} stored {len(items)} times"
        item = items[0]
        _ = item.outcomes, item.sources  # load before the session closes
        return item


def test_three_pages_give_eleven_distinct_articles(corpus, seeds, web_seeds):
    with corpus.session() as session:
        items = queries.all_items(session)
        assert len(items) == 11
        per_origin = {}
        for item in items:
            per_origin.setdefault(item.primary_origin, []).append(item)
    assert len(per_origin[str(seeds["000"])]) == 6
    assert len(per_origin[str(seeds["001"])]) == 5
    assert str(seeds["002"]) not in per_origin
    assert web_seeds.counts[Result.NEW] == 11


@pytest.mark.parametrize("title, permalink, origins", [
    ("Good practice in data sharing", "https://www.educe.co.uk/?p=257", ("000", "001")),
    ("A national information function for local government?",
     "https://www.educe.co.uk/?p=231", ("000", "002")),
])
def test_duplicates_keep_both_sources_and_the_permalink(corpus, seeds, web_seeds, title,
                                                        permalink, origins):
    item = by_title(corpus, title)
    assert item.url == permalink
    assert {s.origin for s in item.sources} == {str(seeds[o]) for o in origins}


def test_archive_labels_are_kept_per_source(corpus, seeds, web_seeds):
    with corpus.session() as session:
        for item in queries.all_items(session):
            labels = {s.origin: s.label for s in item.sources}
            if str(seeds["000"]) in labels:
                assert labels[str(seeds["000"])] == "Category: Performance"
            if str(seeds["001"]) in labels:
                assert labels[str(seeds["001"])] == "Tag: good practice"


def test_no_boilerplate_survives(corpus, web_seeds):
    with corpus.session() as session:
        for item in queries.all_items(session):
            for phrase in BOILERPLATE:
                assert phrase not in item.body_text
                assert phrase not in (item.body_html or "")


def test_themes_and_places(corpus, web_seeds):
    data_sharing = by_title(corpus, "Good practice in data sharing")
    assert {"data-sharing", "worklessness"} <= set(data_sharing.tag_values("theme"))
    east = by_title(corpus, "Customer Insight and Research in the East Midlands")
    assert "customer-insight" in east.tag_values("theme")
    assert "east-midlands" in east.tag_values("place")
    cumbria = by_title(corpus, "Locality Working in West Cumbria")
    assert {"allerdale", "copeland", "north-west"} <= set(cumbria.tag_values("place"))


def test_tags_keep_their_evidence(corpus, web_seeds):
    item = by_title(corpus, "Good practice in data sharing")
    with corpus.session() as session:
        tags = {t.value: t for t in session.get(Item, item.id).tags}
    assert "data sharing" in tags["data-sharing"].evidence.lower()


def test_reingesting_all_seeds_changes_nothing(corpus, seeds):
    first = corpus.ingest(list(seeds.values()))
    assert first.errors == []
    with corpus.session() as session:
        before = {(i.id, i.content_hash) for i in session.scalars(select(Item))}
    again = corpus.ingest(list(seeds.values()))
    assert again.errors == []
    assert set(again.counts) == {Result.UNCHANGED}
    assert again.counts[Result.UNCHANGED] == sum(first.counts.values())
    with corpus.session() as session:
        after = {(i.id, i.content_hash) for i in session.scalars(select(Item))}
    assert after == before


def test_ingest_order_does_not_change_the_result(settings, seeds, tmp_path, new_store):
    from hub.corpus import Corpus

    def snapshot(order, home):
        home = tmp_path / home
        corpus = Corpus(dataclasses.replace(settings, home=home, database_url=new_store(home)))
        corpus.ingest([seeds[n] for n in order])
        with corpus.session() as session:
            result = sorted((i.title, i.url, len(i.sources)) for i in queries.all_items(session))
        corpus.close()
        return result

    assert snapshot(["000", "001", "002"], "a") == snapshot(["002", "001", "000"], "b")
