"""One helper for counts and plurals (hub.text.counts), and the places that use it: the pages
(the `counted` and `noun_for` filters), the CLI and the digest's subject."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from hub.cli import main
from hub.digest.build import Digest, Section
from hub.text.counts import count, noun_for, plural
from hub.web import create_app
from tests.support.own_data import DATA_DIR
from tests.support.rows import add_subscriber, populate


@pytest.mark.parametrize("noun, made", [
    ("case study", "case studies"), ("entry", "entries"), ("subscriber", "subscribers"),
    ("account", "accounts"), ("day", "days"), ("box", "boxes"), ("match", "matches"),
    ("person", "people"), ("Slide deck", "Slide decks"), ("report section", "report sections"),
])
def test_plurals(noun, made):
    assert plural(noun) == made


def test_counts_say_one_as_one_and_group_thousands():
    assert count(1, "case study") == "1 case study"
    assert count(5, "case study") == "5 case studies"
    assert count(0, "result") == "0 results"
    assert count(1204, "item") == "1,204 items"
    assert count(2, "criterion", "criteria") == "2 criteria"
    assert noun_for(1, "account") == "account" and noun_for(3, "account") == "accounts"


def cli(settings, *args):
    return CliRunner().invoke(main, ["--home", str(settings.home), *args],
                              env={"HUB_CONTENT_DIR": str(settings.content_dir)})


def test_the_cli_counts_one_subscriber_and_one_account(corpus, settings):
    populate(corpus, lambda s: add_subscriber(s, "ann@example.org", ["data-sharing"]))
    assert cli(settings, "subscribers", "list").output.splitlines()[-1] == "1 subscriber"
    added = CliRunner().invoke(main, ["--home", str(settings.home), "users", "add",
                                      "ed@example.org", "--password-stdin"],
                               input="a long enough password for tests\n",
                               env={"HUB_CONTENT_DIR": str(settings.content_dir)})
    assert added.exit_code == 0, added.output
    assert cli(settings, "users", "list").output.splitlines()[-1] == "1 account"


def test_the_cli_counts_one_file_and_one_result(settings, tmp_path):
    ingested = cli(settings, "ingest", str(DATA_DIR / "content" / "case_studies" /
                                           "kent-avoidable-contact.md"))
    assert "1 file read: 1 new" in ingested.output and "; 0 errors" in ingested.output
    found = cli(settings, "search", "avoidable")
    assert "\n1 result\n" in f"\n{found.output}"


def test_pages_count_case_studies_and_results(settings):
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings, "SERVER_NAME": "hub.test"})
    corpus = app.extensions["hub.corpus"]
    try:
        assert corpus.ingest([DATA_DIR / "content" / "case_studies"]).errors == []
        client = app.test_client()
        browse = client.get("/case-studies").text
        assert "</strong> case studies</p>" in browse and "case studys" not in browse
        one = client.get("/search?q=avoidable").text
        assert "<strong>1</strong> result for" in one
        none = client.get("/search?q=zebra").text
        assert "<strong>0</strong> results" in none
    finally:
        corpus.close()


def test_the_digest_subject_counts_one_new_item():
    section = Section(theme="data-sharing", name="Data sharing", entries=[object()])
    digest = Digest(sections=[section], also=[], region=None)
    assert digest.subject == "Knowledge hub: 1 new item on data sharing"
