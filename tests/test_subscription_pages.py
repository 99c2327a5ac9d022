"""Subscription pages through Flask's test client: double opt-in, preferences, unsubscribe, CSRF."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from hub.digest.subscribers import PATHS, find
from hub.digest.tokens import MAX_AGE, email_tag, make_token, salt_for
from hub.store.models import Subscriber
from hub.web import create_app
from tests.support.forms import app_corpus, csrf_token, link_in, mail_app, mail_client, submit  # noqa: F401 (fixtures)
from tests.support.mail import TEST_SECRET
from tests.support.rows import add_subscriber, populate
from tests.support.url_rules import post_rules, sample_path


def subscriber(corpus, email: str) -> Subscriber | None:
    with corpus.session() as session:
        return find(session, email)


def test_sign_up_confirm_and_change_preferences(client, corpus, smtp):
    response = submit(client, "/subscriptions/", {
        "email": "Officer@Example.org", "themes": ["data-sharing", "worklessness"],
        "region": "west-midlands"})
    assert response.status_code == 200 and "Check your email" in response.text
    stored = subscriber(corpus, "officer@example.org")
    assert (stored.status, stored.themes, stored.region) == (
        "unconfirmed", ["data-sharing", "worklessness"], "west-midlands")

    [confirmation] = smtp.received()
    assert confirmation["To"] == "officer@example.org"
    confirm = link_in(confirmation)
    assert confirm.startswith("/subscriptions/confirm/")
    # Opening the link (as a mail scanner would) changes nothing; pressing the button does.
    assert client.get(confirm).status_code == 200
    assert subscriber(corpus, "officer@example.org").status == "unconfirmed"
    done = submit(client, confirm)
    assert done.status_code == 200 and "Subscription confirmed" in done.text
    assert subscriber(corpus, "officer@example.org").status == "active"

    preferences = re.search(r'href="(/subscriptions/preferences/[^"]+)"', done.text).group(1)
    saved = submit(client, preferences, {"themes": ["performance"], "region": ""})
    assert saved.status_code == 200 and "Your choices are saved" in saved.text
    stored = subscriber(corpus, "officer@example.org")
    assert (stored.themes, stored.region) == (["performance"], None)


def test_sign_up_without_mail_settings_says_so(settings, monkeypatch):
    monkeypatch.delenv("HUB_BASE_URL", raising=False)
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings, "SECRET_KEY": TEST_SECRET})
    try:
        response = submit(app.test_client(), "/subscriptions/",
                          {"email": "a@example.org", "themes": ["performance"]})
        assert response.status_code == 503 and "could not be sent just now" in response.text
        assert subscriber(app.extensions["hub.corpus"], "a@example.org").status == "unconfirmed"
    finally:
        app.extensions["hub.corpus"].close()


def test_sign_up_again_does_not_change_an_active_subscription(client, corpus, smtp):
    populate(corpus, lambda s: add_subscriber(s, "known@example.org", ["data-sharing"]))
    response = submit(client, "/subscriptions/", {"email": "known@example.org",
                                                  "themes": ["performance"]})
    assert response.status_code == 200 and "Check your email" in response.text
    assert subscriber(corpus, "known@example.org").themes == ["data-sharing"]
    [notice] = smtp.received()
    assert "You already get it" in notice.get_content()
    assert link_in(notice).startswith("/subscriptions/preferences/")


@pytest.mark.parametrize("form, field", [
    ({"email": "officer@example.org\r\nBcc: victim@example.org", "themes": ["data-sharing"]},
     "email"),
    ({"email": "not-an-address", "themes": ["data-sharing"]}, "email"),
    ({"email": "officer@example.org", "themes": ["data-sharing\r\nBcc: victim@example.org"]},
     "themes"),
    ({"email": "officer@example.org", "themes": []}, "themes"),
    ({"email": "officer@example.org", "themes": ["data-sharing"], "region": "coventry"},
     "region"),
])
def test_bad_sign_up_is_refused_and_stores_nothing(client, corpus, smtp, form, field):
    response = submit(client, "/subscriptions/", form)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    with corpus.session() as session:
        assert session.query(Subscriber).count() == 0
    assert smtp.messages == []


def expired(purpose: str, subscriber_id: int, email: str) -> str:
    """A token signed correctly for the purpose, but longer ago than it may be used."""

    class Past(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - MAX_AGE[purpose] - 60

    serializer = URLSafeTimedSerializer(TEST_SECRET, salt=salt_for(purpose), signer=Past)
    return serializer.dumps({"id": subscriber_id, "e": email_tag(email)})


def bad_tokens(purpose: str, other: str, subscriber_id: int, email: str) -> dict[str, str]:
    good = make_token(TEST_SECRET, purpose, subscriber_id, email)
    return {
        "forged": make_token("another-secret-of-enough-length", purpose, subscriber_id, email),
        "tampered": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        "expired": expired(purpose, subscriber_id, email),
        "other purpose": make_token(TEST_SECRET, other, subscriber_id, email),
        "another subscriber": make_token(TEST_SECRET, purpose, subscriber_id, "x@example.org"),
    }


@pytest.mark.parametrize("kind", ["forged", "tampered", "expired", "other purpose",
                                  "another subscriber"])
def test_bad_tokens_change_nothing(client, corpus, kind):
    subs = populate(corpus, lambda s: (
        add_subscriber(s, "new@example.org", ["data-sharing"], status="unconfirmed"),
        add_subscriber(s, "live@example.org", ["data-sharing"])))
    new, live = subs[0].id, subs[1].id
    confirm = bad_tokens("confirm", "preferences", new, "new@example.org")[kind]
    unsub = bad_tokens("unsubscribe", "confirm", live, "live@example.org")[kind]
    prefs = bad_tokens("preferences", "unsubscribe", live, "live@example.org")[kind]

    assert client.get(PATHS["confirm"].format(token=confirm)).status_code == 400
    assert client.get(PATHS["unsubscribe"].format(token=unsub)).status_code == 400
    assert client.get(PATHS["preferences"].format(token=prefs)).status_code == 400
    one_click = client.post(PATHS["one-click"].format(token=unsub),
                            data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 400
    # A POST with a valid CSRF token but a bad link token changes nothing either.
    page = client.get("/subscriptions/").text
    for path in (PATHS["confirm"].format(token=confirm),
                 PATHS["unsubscribe"].format(token=unsub),
                 PATHS["preferences"].format(token=prefs)):
        response = client.post(path, data={"csrf_token": csrf_token(page),
                                           "themes": ["performance"]})
        assert response.status_code == 400
    assert subscriber(corpus, "new@example.org").status == "unconfirmed"
    live_row = subscriber(corpus, "live@example.org")
    assert (live_row.status, live_row.themes) == ("active", ["data-sharing"])


def test_unsubscribe_link_in_the_body_only_shows_a_page(client, corpus):
    [sub] = [populate(corpus, lambda s: add_subscriber(s, "live@example.org", ["performance"]))]
    path = PATHS["unsubscribe"].format(
        token=make_token(TEST_SECRET, "unsubscribe", sub.id, sub.email))
    page = client.get(path)
    assert page.status_code == 200 and "<button type=\"submit\" class=\"button\">Unsubscribe</button>" in page.text
    assert subscriber(corpus, "live@example.org").status == "active"
    assert client.post(path).status_code == 400  # no CSRF token: refused
    assert subscriber(corpus, "live@example.org").status == "active"
    assert submit(client, path).status_code == 200
    assert subscriber(corpus, "live@example.org").status == "unsubscribed"


def test_one_click_needs_the_rfc_8058_body_and_a_get_only_redirects(client, corpus):
    sub = populate(corpus, lambda s: add_subscriber(s, "live@example.org", ["performance"]))
    token = make_token(TEST_SECRET, "unsubscribe", sub.id, sub.email)
    path = PATHS["one-click"].format(token=token)
    got = client.get(path)
    assert got.status_code == 303 and got.headers["Location"].endswith(
        PATHS["unsubscribe"].format(token=token))
    assert client.post(path).status_code == 400
    assert subscriber(corpus, "live@example.org").status == "active"
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert subscriber(corpus, "live@example.org").status == "unsubscribed"
    # Twice is harmless; a confirmation link cannot bring the subscription back.
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    confirm = PATHS["confirm"].format(token=make_token(TEST_SECRET, "confirm", sub.id, sub.email))
    page = client.get("/subscriptions/").text
    assert client.post(confirm, data={"csrf_token": csrf_token(page)}).status_code == 400
    assert subscriber(corpus, "live@example.org").status == "unsubscribed"


def test_every_post_route_checks_csrf_except_one_click(app, client):
    unprotected = []
    for rule in post_rules(app):
        response = client.post(sample_path(rule.rule), data={"List-Unsubscribe": "One-Click"})
        if not (response.status_code == 400 and "CSRF" in response.text):
            unprotected.append(rule.endpoint)
    assert unprotected == ["subscriptions.one_click"]
