"""Saved searches: the canonical form, saving with double opt-in, the digest's per-search
selection, and the Atom feed of any search (Flask's test client, aiosmtpd on loopback)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from hub.cli import main
from hub.digest import searches
from hub.digest.subscribers import find, path
from tests.support.forms import app_corpus, csrf_token, mail_app, mail_client, submit  # noqa: F401 (fixtures)
from tests.support.mail import TEST_SECRET
from tests.support.rows import add_item, add_subscriber, populate

ATOM = "{http://www.w3.org/2005/Atom}"


def week_of_news(session) -> dict:
    """New and old items on data sharing and worklessness, in and out of the West Midlands."""
    return {
        "old": add_item(session, "Data sharing in Coventry, 2009", ["data-sharing"],
                        ["coventry", "west-midlands"], days_ago=60),
        "new": add_item(session, "Data sharing across Coventry", ["data-sharing"],
                        ["coventry", "west-midlands"], days_ago=1),
        "elsewhere": add_item(session, "Data sharing in Cornwall", ["data-sharing"],
                              ["cornwall"], days_ago=1),
        "jobs": add_item(session, "Back to work in Coventry", ["worklessness"],
                         ["coventry", "west-midlands"], days_ago=2),
    }


def confirm_link(message) -> str:
    """The path of the confirmation link in an email (which also links to the search)."""
    return re.search(r"https://hub\.test(/subscriptions/confirm/\S+)",
                     message.get_content()).group(1)


def indexed(corpus, build):
    rows = populate(corpus, build)
    corpus.search.rebuild()
    return rows


def test_the_canonical_form_is_one_string_per_search(taxonomy):
    typed = [("sort", "date"), ("theme", "Data sharing"), ("q", " data   sharing "),
             ("page", "3"), ("place", "west-midlands"), ("theme", "data-sharing"),
             ("type", "Case study"), ("colour", "blue")]
    saved = searches.canonical(typed, taxonomy)
    assert saved == "q=data+sharing&theme=data-sharing&place=west-midlands&type=case_study"
    assert searches.canonical(searches.pairs(saved), taxonomy) == saved
    assert searches.describe(saved, taxonomy) == (
        "“data sharing”; theme: Data sharing; place: West Midlands; type: case study")
    for bad, reason in [([("page", "2")], "needs words or a filter"),
                        ([("theme", "astrology")], "unknown theme"),
                        ([("q", "x\x00y")], "control characters"),
                        ([("year", str(1900 + n)) for n in range(20)] + [("q", "é" * 256)],
                         "too long")]:
        with pytest.raises(searches.InvalidSearch, match=reason):
            searches.canonical(bad, taxonomy)


def test_save_a_search_confirm_it_then_add_and_drop_another(client, corpus, smtp):
    page = client.get("/subscriptions/search?q=data+sharing&place=West+Midlands&page=2")
    assert page.status_code == 200
    assert "“data sharing”; place: West Midlands" in page.text
    done = submit(client, "/subscriptions/search?q=data+sharing&place=West+Midlands",
                  {"email": "Officer@Example.org"})
    assert done.status_code == 200 and "Check your email" in done.text
    with corpus.session() as session:
        stored = find(session, "officer@example.org")
        assert (stored.status, stored.searches, stored.themes) == ("unconfirmed", [], [])

    [message] = smtp.received()
    assert message["Subject"] == "Knowledge hub: please confirm emails about your search"
    assert "https://hub.test/search?q=data+sharing&place=west-midlands" in message.get_content()
    confirm = confirm_link(message)
    shown = client.get(confirm)
    assert "what is new for the search “data sharing”; place: West Midlands" in shown.text
    submit(client, confirm)
    with corpus.session() as session:
        stored = find(session, "officer@example.org")
        assert (stored.status, stored.searches) == (
            "active", ["q=data+sharing&place=west-midlands"])

    # An active subscriber adds a theme page's search: it waits for its own confirmation.
    submit(client, "/subscriptions/search?theme=worklessness", {"email": "officer@example.org"})
    second = smtp.received()[-1]
    with corpus.session() as session:
        assert len(find(session, "officer@example.org").searches) == 1
    submit(client, confirm_link(second))
    with corpus.session() as session:
        assert find(session, "officer@example.org").searches == [
            "q=data+sharing&place=west-midlands", "theme=worklessness"]

    # Preferences: untick one search; no theme is needed while a search is kept.
    with corpus.session() as session:
        preferences = path(TEST_SECRET, "preferences", find(session, "officer@example.org"))
    kept = submit(client, preferences, {"searches": ["theme=worklessness"], "region": ""})
    assert kept.status_code == 200 and "Your choices are saved" in kept.text
    with corpus.session() as session:
        assert find(session, "officer@example.org").searches == ["theme=worklessness"]
    empty = submit(client, preferences, {"region": ""})
    assert empty.status_code == 400 and "keep one saved search" in empty.text


@pytest.mark.parametrize("query", ["", "?page=2", "?theme=astrology", "?q=" + quote("é" * 300)])
def test_a_search_that_cannot_be_saved_is_refused(client, corpus, smtp, query):
    assert client.get("/subscriptions/search" + query).status_code == 400
    assert smtp.messages == []


def test_a_search_that_cannot_be_saved_is_not_posted_either(client, corpus, smtp):
    page = client.get("/subscriptions/search?theme=data-sharing")
    response = client.post("/subscriptions/search?theme=astrology", data={
        "csrf_token": csrf_token(page.text), "email": "a@example.org"})
    assert response.status_code == 400 and "unknown theme" in response.text
    assert smtp.messages == []


def test_the_digest_sends_what_is_new_for_each_saved_search(corpus, settings, mail_env, smtp):
    items = indexed(corpus, lambda s: {
        **week_of_news(s),
        "searcher": add_subscriber(s, "searcher@example.org", []),
        "themed": add_subscriber(s, "themed@example.org", ["performance"]),
    })
    populate(corpus, lambda s: setattr(s.get(type(items["searcher"]), items["searcher"].id),
                                       "searches", ["q=data+sharing&place=west-midlands",
                                                    "theme=worklessness"]))
    result = CliRunner().invoke(main, ["--home", str(settings.home), "digest", "send"],
                                env={**mail_env, "HUB_CONTENT_DIR": str(settings.content_dir)})
    assert result.exit_code == 0, result.output
    assert smtp.count_by_recipient() == {"searcher@example.org": 1}  # themed: nothing new
    message = smtp.received()[0]
    assert message["Subject"] == ("Knowledge hub: 2 new items on your search “data sharing”; "
                                  "place: West Midlands, your search theme: Worklessness and "
                                  "employment")
    plain = message.get_body(("plain",)).get_content()
    first, second = plain.split("== Your search ")[1:]
    assert "Data sharing across Coventry" in first
    assert "Back to work in Coventry" in second and "Data sharing across" not in second
    assert "https://hub.test/search?q=data+sharing&place=west-midlands" in first
    # Not new (60 days old), or matching no saved search: only under "also new", never in one.
    assert "Data sharing in Coventry, 2009" not in plain
    assert "Data sharing in Cornwall" not in first + second.split("== Also new")[0]


def test_an_atom_feed_for_any_search(client, corpus):
    indexed(corpus, week_of_news)
    feed = ET.fromstring(client.get("/feed.atom?q=data+sharing&place=West+Midlands&sort=date")
                         .data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Data sharing across Coventry", "Data sharing in Coventry, 2009"]
    assert feed.findtext(f"{ATOM}title") == (
        "Knowledge hub: latest additions for “data sharing”; place: West Midlands")
    alternate = [link.get("href") for link in feed.iter(f"{ATOM}link")
                 if link.get("rel") == "alternate"][0]
    assert alternate.endswith("/search?q=data+sharing&place=west-midlands")
    assert client.get("/feed.atom?place=atlantis").status_code == 400


def test_results_theme_and_place_pages_link_to_emails_and_a_feed(client, corpus):
    indexed(corpus, week_of_news)
    for address, saved in [("/search?q=data+sharing&page=1", "q=data+sharing"),
                           ("/themes/data-sharing", "theme=data-sharing"),
                           ("/places/coventry", "place=coventry")]:
        page = client.get(address).text
        assert f'href="/subscriptions/search?{saved}"' in page, address
        assert f'href="/feed.atom?{saved}"' in page, address
        assert 'href="/subscriptions/">Weekly digest by email</a>' in page, address
