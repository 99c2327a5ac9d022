"""Every place a date is shown says only what the source says (a year, a month, a day, or
"Undated"), and the day the hub added the item apart and labelled: the item page, result lists,
case-study browsing, theme pages, the Atom feed, citations, the API, the CLI and the digest."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from hub.cli import main
from hub.digest.mail import load_mail_settings
from hub.digest.run import DigestRun
from hub.store import queries
from tests.support.mail import TEST_SECRET
from tests.support.rows import add_subscriber, populate

ATOM = "{http://www.w3.org/2005/Atom}"
# Title -> the front-matter date line, and how a reader must see that date.
CASES = {
    "Zephyr yearly review": ("date: 2008", "2008"),
    "Zephyr monthly review": ("date: September 2010", "September 2010"),
    "Zephyr daily review": ("date: 2011-03-14", "14 March 2011"),
    "Zephyr undated review": ("", "Undated"),
}
# What must never appear for them: a day or a month the sources do not give.
INVENTED = ("1 January 2008", "January 2008", "1 September 2010", "2008-01-01", "2010-09-01")


def added_day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


@pytest.fixture(scope="module")
def hub_app(tmp_path_factory, stores):
    from tests.support.apps import ingested_app

    root = tmp_path_factory.mktemp("dates")
    folder = root / "dated"
    folder.mkdir()
    for number, (title, (date_line, _)) in enumerate(CASES.items()):
        (folder / f"zephyr-{number}.md").write_text(
            f"---\ntitle: {title}\nsummary: How {title.lower()} went.\n{date_line}\n"
            "themes: [data-sharing]\n---\n\nThe zephyr team shared data between services.\n")
    with ingested_app(stores, root, [folder], SERVER_NAME="hub.test") as app:
        corpus = app.extensions["hub.corpus"]
        corpus.refresh_caches()
        with corpus.session() as session:
            app.config["ITEMS"] = {i.title: (i.id, i.created_at)
                                   for i in queries.all_items(session)}
        yield app


@pytest.fixture(scope="module")
def client(hub_app):
    return hub_app.test_client()


@pytest.fixture(scope="module")
def items(hub_app) -> dict[str, tuple[int, dt.datetime]]:
    return hub_app.config["ITEMS"]


def no_invented_dates(text: str) -> None:
    for wrong in INVENTED:
        assert wrong not in text, wrong


def squash(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_item_pages(client, items):
    for title, (_, shown) in CASES.items():
        item_id, created = items[title]
        page = BeautifulSoup(client.get(f"/items/{item_id}").text, "html.parser")
        facts = page.select_one("dl.facts")
        pairs = dict(zip([squash(d) for d in facts.find_all("dt")],
                         [squash(d) for d in facts.find_all("dd")], strict=True))
        assert pairs["Published"] == shown
        assert pairs["Added"] == added_day(created)
        no_invented_dates(squash(facts))
    month_page = client.get(f"/items/{items['Zephyr monthly review'][0]}").text
    assert '<time datetime="2010-09">September 2010</time>' in month_page


def metas(html: str, heading: str) -> dict[str, str]:
    """The meta line of each result in a list, by title."""
    page = BeautifulSoup(html, "html.parser")
    return {squash(li.find(heading)): squash(li.select_one("p.meta"))
            for li in page.select("li.result") if li.find(heading)}


def test_search_results(client):
    found = metas(client.get("/search?q=zephyr").text, "h2")
    assert {title: found[title] for title in CASES} == {t: s for t, (_, s) in CASES.items()}


def test_case_study_browsing(client):
    found = metas(client.get("/case-studies?theme=data-sharing").text, "h2")
    for title, (_, shown) in CASES.items():
        assert found[title] == shown  # no outcomes, so nothing follows the date
        no_invented_dates(found[title])


def test_theme_page_cards_show_both_dates_labelled(client, items):
    found = metas(client.get("/themes/data-sharing").text, "h3")
    for title, (_, shown) in CASES.items():
        assert found[title] == f"{shown} · Added {added_day(items[title][1])} · Data sharing"


def test_atom_feed(client, items):
    feed = ET.fromstring(client.get("/feed.atom").data)
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    for title, (_, shown) in CASES.items():
        entry = entries[title]
        assert entry.find(f"{ATOM}published") is None  # the added day is not a publication date
        assert entry.findtext(f"{ATOM}updated")  # Atom needs it: the hub's last change
        dates = ("" if shown == "Undated" else "Published ") + shown
        assert entry.findtext(f"{ATOM}summary").startswith(
            f"{dates} · Added {added_day(items[title][1])} · How {title.lower()}")
        no_invented_dates(entry.findtext(f"{ATOM}summary"))


def cite(client, items, title, fmt):
    return client.get(f"/items/{items[title][0]}/cite.{fmt}").text


def test_citations(client, items):
    assert "(2008) Zephyr yearly review." in cite(client, items, "Zephyr yearly review", "txt")
    assert "(2010) Zephyr monthly review." in cite(client, items, "Zephyr monthly review", "txt")
    assert "(n.d.) Zephyr undated review." in cite(client, items, "Zephyr undated review", "txt")
    for title in ("Zephyr yearly review", "Zephyr monthly review", "Zephyr daily review"):
        assert "n.d." not in cite(client, items, title, "txt")

    assert "DA  - 2008///" in cite(client, items, "Zephyr yearly review", "ris")
    assert "DA  - 2010/09//" in cite(client, items, "Zephyr monthly review", "ris")
    assert "DA  - 2011/03/14/" in cite(client, items, "Zephyr daily review", "ris")
    undated = cite(client, items, "Zephyr undated review", "ris")
    assert "PY  -" not in undated and "DA  -" not in undated

    yearly = cite(client, items, "Zephyr yearly review", "bib")
    assert "year = {2008}" in yearly and "month" not in yearly
    assert "month = sep," in cite(client, items, "Zephyr monthly review", "bib")
    assert "year" not in cite(client, items, "Zephyr undated review", "bib")


def test_api(client, items):
    expected = {"Zephyr yearly review": ("2008-01-01", "year"),
                "Zephyr monthly review": ("2010-09-01", "month"),
                "Zephyr daily review": ("2011-03-14", "day"),
                "Zephyr undated review": (None, None)}
    for title, (date, precision) in expected.items():
        item_id, created = items[title]
        data = client.get(f"/api/documents/{item_id}").get_json()
        assert (data["date"], data["date_precision"]) == (date, precision)
        assert data["added"] == created.strftime("%Y-%m-%dT%H:%M:%SZ")
    hits = client.get("/api/search?q=zephyr").get_json()["results"]
    assert {h["title"]: (h["date"], h["date_precision"]) for h in hits} == expected


def test_cli_show(hub_app, items):
    settings = hub_app.config["HUB_SETTINGS"]
    for title, (_, shown) in CASES.items():
        item_id, created = items[title]
        result = CliRunner().invoke(main, ["--home", str(settings.home), "show", str(item_id)],
                                    env={"HUB_CONTENT_DIR": str(settings.content_dir),
                                         "HUB_DATABASE_URL": settings.database_url})
        assert result.exit_code == 0, result.output
        assert f"date: {shown} (Added {added_day(created)})" in result.output.splitlines()


def test_digest_email(hub_app, items, mail_env, tmp_path):
    corpus = hub_app.extensions["hub.corpus"]
    populate(corpus, lambda s: add_subscriber(s, "reader@example.org", ["data-sharing"]))
    run = DigestRun(corpus, load_mail_settings(mail_env), TEST_SECRET)
    summary = run.dry_run(tmp_path)
    [written] = summary.written
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")
    lines = {squash(li.find("strong")): squash(li.find("p")) for li in html.select("li")
             if li.find("strong")}
    for title, (_, shown) in CASES.items():
        dates = ("" if shown == "Undated" else "published ") + shown
        line = f"Case study, {dates} · Added {added_day(items[title][1])}"
        assert f"* {title}\n  {line}\n" in plain
        assert lines[title] == f"{title} {line}"
    no_invented_dates(plain)
    no_invented_dates(squash(html))
