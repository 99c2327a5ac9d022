"""The weekly digest sent through a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from sqlalchemy import select

from hub.cli import main
from hub.digest.ledger import iso_week
from hub.store.models import DigestDelivery, Subscriber, utcnow
from hub.web import create_app
from tests.support.mail import TEST_SECRET
from tests.support.rows import add_item, add_subscriber, populate


def send(settings, mail_env, *args):
    """`hub digest send` over the test store, through the test SMTP server."""
    runner = CliRunner()
    return runner.invoke(main, ["--home", str(settings.home), "digest", "send", *args],
                         env={**mail_env, "HUB_CONTENT_DIR": str(settings.content_dir)})


def ledger(corpus) -> dict[str, str]:
    """Ledger status by subscriber email, for this week."""
    with corpus.session() as session:
        rows = session.execute(select(Subscriber.email, DigestDelivery.status)
                               .join(DigestDelivery).where(DigestDelivery.week == iso_week(utcnow())))
        return dict(rows.all())


def newsroom(session) -> dict:
    """Two subscribers; new items in several themes; an older item to relate to."""
    older = add_item(session, "Older data sharing protocol", ["data-sharing", "worklessness"],
                     days_ago=400, published=dt.date(2009, 5, 1))
    add_item(session, "Older data sharing note", ["data-sharing"], days_ago=300,
             published=dt.date(2008, 1, 1))
    items = {
        "older": older,
        "far": add_item(session, "Data hub in Cornwall", ["data-sharing"], ["cornwall"],
                        days_ago=1, published=dt.date(2010, 6, 1)),
        "near": add_item(session, "Data sharing in Coventry", ["data-sharing"],
                         ["coventry", "west-midlands"], days_ago=2, published=dt.date(2010, 1, 1)),
        "case": add_item(session, "Back to work advisers", ["worklessness", "data-sharing"],
                         type_="case_study", days_ago=1, published=dt.date(2010, 3, 1)),
        "other": add_item(session, "Benchmarking clubs", ["performance"], days_ago=1),
        "draft": add_item(session, "Unpublished draft", ["data-sharing"], status="draft"),
    }
    items["reader"] = add_subscriber(session, "reader@example.org",
                                     ["worklessness", "data-sharing"], region="west-midlands")
    items["quiet"] = add_subscriber(session, "quiet@example.org", ["community-safety"])
    return items


@pytest.fixture
def app(settings):
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings, "SECRET_KEY": TEST_SECRET})
    yield app
    app.extensions["hub.corpus"].close()


def test_digest_content_headers_and_links(corpus, settings, mail_env, smtp, app):
    items = populate(corpus, newsroom)
    result = send(settings, mail_env)
    assert result.exit_code == 0, result.output
    assert "1 sent, 1 skipped (nothing new)" in result.output
    assert smtp.count_by_recipient() == {"reader@example.org": 1}
    assert ledger(corpus) == {"reader@example.org": "sent", "quiet@example.org": "skipped"}

    message = smtp.received()[0]
    assert message["Subject"] == (
        "Knowledge hub: 3 new items on worklessness and employment, data sharing")
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content()
    # Their themes first, their region lifted above a newer item, a related older item.
    assert plain.index("Back to work advisers") < plain.index("Data sharing in Coventry") \
        < plain.index("Data hub in Cornwall") < plain.index("Also new on the hub") \
        < plain.index("Benchmarking clubs")
    assert "in West Midlands" in plain
    assert f"Related, from earlier: Older data sharing protocol\n  https://hub.test/items/{items['older'].id}" in plain
    assert "Unpublished draft" not in plain and "Older data sharing note" not in plain

    site = f"digest.{iso_week(utcnow()).lower()}.{items['reader'].id}@hub.test"
    assert message["Message-ID"] == f"<{site}>"
    one_click = message["List-Unsubscribe"].strip("<>")
    assert one_click.startswith("https://hub.test/subscriptions/one-click/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    client = app.test_client()
    links = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]
    assert {urlsplit(link).netloc for link in links} == {"hub.test"}
    item_ids = {int(link.rsplit("/", 1)[1]) for link in links if "/items/" in link}
    assert item_ids == {items[k].id for k in ("near", "far", "case", "older", "other")}
    for item_id in item_ids:  # /items/<id> is the front end's; the item behind it must be live
        assert client.get(f"/api/documents/{item_id}").status_code == 200
    for link in links:
        if "/subscriptions/" in link:
            assert client.get(urlsplit(link).path).status_code == 200, link
    for link in (line.strip() for line in plain.splitlines()):
        if link.startswith("https://hub.test/subscriptions/"):
            assert client.get(urlsplit(link).path).status_code == 200, link

    # A mail client's one-click POST (no CSRF token) unsubscribes.
    response = client.post(urlsplit(one_click).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with corpus.session() as session:
        assert session.get(Subscriber, items["reader"].id).status == "unsubscribed"


def test_rerun_sends_nothing_twice(corpus, settings, mail_env, smtp):
    populate(corpus, newsroom)
    assert send(settings, mail_env).exit_code == 0
    again = send(settings, mail_env)
    assert again.exit_code == 0, again.output
    assert "0 sent" in again.output and "2 done earlier this week" in again.output
    assert smtp.count_by_recipient() == {"reader@example.org": 1}


def test_next_digest_starts_where_the_last_one_stopped(corpus, settings, mail_env, smtp):
    populate(corpus, newsroom)
    assert send(settings, mail_env).exit_code == 0
    with corpus.session() as session:  # pretend that was last week's digest
        for row in session.scalars(select(DigestDelivery)):
            row.week = "2000-W01"
        session.commit()
    assert send(settings, mail_env).exit_code == 0
    # Nothing was stored since: everyone is skipped this time.
    assert smtp.count_by_recipient() == {"reader@example.org": 1}
    assert set(ledger(corpus).values()) == {"skipped"}


def test_since_widens_the_window(corpus, settings, mail_env, smtp):
    populate(corpus, newsroom)
    since = (utcnow() - dt.timedelta(days=500)).date().isoformat()
    assert send(settings, mail_env, "--since", since).exit_code == 0
    subject = smtp.received()[0]["Subject"]
    assert subject.startswith("Knowledge hub: 5 new items"), subject


@pytest.mark.parametrize("answer", ["451 4.3.0 Try again later", "421 4.7.0 Too busy, closing"])
def test_transient_answer_leaves_the_subscriber_pending(corpus, settings, mail_env, smtp, answer):
    def build(session):
        add_item(session, "Data sharing in Coventry", ["data-sharing"], days_ago=1)
        for name in ("ann", "bob", "cat"):
            add_subscriber(session, f"{name}@example.org", ["data-sharing"])

    populate(corpus, build)
    smtp.reset(refuse={"bob@example.org": answer})
    result = send(settings, mail_env)
    assert result.exit_code == 75, result.output
    assert "1 pending (temporary failure: run again later)" in result.output
    assert f"pending: bob@example.org: {answer[:3]}" in result.output
    assert ledger(corpus) == {"ann@example.org": "sent", "bob@example.org": "pending",
                              "cat@example.org": "sent"}

    smtp.reset()
    result = send(settings, mail_env)
    assert result.exit_code == 0, result.output
    assert smtp.count_by_recipient() == {f"{n}@example.org": 1 for n in ("ann", "bob", "cat")}


def test_connection_lost_mid_send_is_for_review_and_the_run_goes_on(corpus, settings, mail_env,
                                                                    smtp):
    def build(session):
        add_item(session, "Data note", ["data-sharing"], days_ago=1)
        for name in ("ann", "bob", "cat"):
            add_subscriber(session, f"{name}@example.org", ["data-sharing"])

    populate(corpus, build)
    smtp.reset(hang_up_on="bob@example.org")
    result = send(settings, mail_env)
    assert result.exit_code == 1, result.output
    assert "review: bob@example.org: a send was cut off" in result.output
    assert ledger(corpus) == {"ann@example.org": "sent", "bob@example.org": "sending",
                              "cat@example.org": "sent"}
    smtp.reset()
    send(settings, mail_env)
    assert smtp.count_by_recipient() == {f"{n}@example.org": 1 for n in ("ann", "bob", "cat")}


def test_permanent_refusal_is_failed_and_not_retried(corpus, settings, mail_env, smtp):
    populate(corpus, lambda s: (add_item(s, "Data note", ["data-sharing"], days_ago=1),
                                add_subscriber(s, "gone@example.org", ["data-sharing"])))
    smtp.reset(refuse={"gone@example.org": "550 5.1.1 No such user"})
    result = send(settings, mail_env)
    assert result.exit_code == 1 and "failed: gone@example.org: 550" in result.output
    smtp.reset()
    send(settings, mail_env)
    assert smtp.count_by_recipient() == {}
    assert ledger(corpus) == {"gone@example.org": "failed"}


def test_dry_run_writes_eml_files_that_parse(corpus, settings, mail_env, smtp, tmp_path):
    populate(corpus, newsroom)
    out = tmp_path / "eml"
    result = send(settings, mail_env, "--dry-run", str(out))
    assert result.exit_code == 0, result.output
    assert "1 written (dry run)" in result.output
    files = sorted(out.glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "reader@example.org"
    assert message["Subject"].startswith("Knowledge hub: 3 new items")
    assert "Back to work advisers" in message.get_body(("plain",)).get_content()
    assert "<a href=" in message.get_body(("html",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert smtp.messages == [] and ledger(corpus) == {}
    # Once sent, a dry run has nothing left to write this week.
    assert send(settings, mail_env).exit_code == 0
    again = send(settings, mail_env, "--dry-run", str(tmp_path / "again"))
    assert "0 written (dry run)" in again.output and "2 done earlier" in again.output


def test_dry_run_previews_without_mail_settings_naming_its_defaults(corpus, settings, mail_env,
                                                                    tmp_path):
    populate(corpus, newsroom)
    unset = dict(mail_env, HUB_MAIL_FROM=None, HUB_BASE_URL=None, HUB_SECRET_KEY=None)
    out = tmp_path / "preview"
    result = send(settings, unset, "--dry-run", str(out))
    assert result.exit_code == 0, result.output
    assert "1 written (dry run)" in result.output
    assert "HUB_MAIL_FROM is not set: the preview uses Knowledge hub <digest@localhost>" \
        in result.output
    assert "HUB_BASE_URL is not set: the preview uses http://127.0.0.1:8000" in result.output
    assert "HUB_SECRET_KEY is not set" in result.output
    message = email.message_from_bytes(next(out.glob("*.eml")).read_bytes(),
                                       policy=email.policy.default)
    assert message["From"] == "Knowledge hub <digest@localhost>"
    assert "http://127.0.0.1:8000/items/" in message.get_body(("plain",)).get_content()
    # A real send still needs every setting.
    assert send(settings, unset).exit_code == 1
    assert ledger(corpus) == {}


def test_unreachable_server_leaves_everyone_pending(corpus, settings, mail_env, smtp):
    populate(corpus, newsroom)
    closed = dict(mail_env, HUB_SMTP_PORT="1")
    result = send(settings, closed)
    assert result.exit_code == 75, result.output
    assert "stopped early" in result.output
    assert ledger(corpus)["reader@example.org"] == "pending"


@pytest.mark.parametrize("name, value, problem", [
    ("HUB_MAIL_FROM", "hub@hub.test\r\nBcc: victim@example.org", "HUB_MAIL_FROM: line breaks"),
    ("HUB_BASE_URL", "ftp://hub.test", "HUB_BASE_URL: expected an absolute http(s) URL"),
    ("HUB_SMTP_SECURITY", "tls", "HUB_SMTP_SECURITY: expected one of none, starttls, ssl"),
    ("HUB_SECRET_KEY", "", "HUB_SECRET_KEY must be set"),
])
def test_bad_mail_settings_are_named(settings, mail_env, name, value, problem):
    result = send(settings, dict(mail_env, **{name: value}))
    assert result.exit_code == 1 and problem in result.output
