"""Forms and emails through Flask's test client: an app that sends mail to the test SMTP
server (fixtures, imported by the tests that use them), a page's CSRF token, a form submitted
with it, and the first hub link in an email."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from hub.digest.mail import load_mail_settings
from hub.web import create_app
from tests.support.mail import TEST_SECRET


@pytest.fixture(name="app")
def mail_app(settings, mail_env):
    """`app`: the web app over the test store, mailing through the test SMTP server."""
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings, "SECRET_KEY": TEST_SECRET,
                      "HUB_MAIL_SETTINGS": load_mail_settings(mail_env)})
    yield app
    app.extensions["hub.corpus"].close()


@pytest.fixture(name="client")
def mail_client(app):
    """`client`: a test client of that app."""
    return app.test_client()


@pytest.fixture(name="corpus")
def app_corpus(app):
    """`corpus`: that app's corpus (in place of a corpus of its own)."""
    return app.extensions["hub.corpus"]


def csrf_token(page: str) -> str:
    """The CSRF token a rendered form carries."""
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def submit(client, path: str, data: dict | None = None):
    """GET a page, then POST its form with the page's CSRF token."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"csrf_token": csrf_token(page.text), **(data or {})})


def link_in(message) -> str:
    """The path of the first hub link in a plain-text email."""
    url = re.search(r"https://hub\.test/\S+", message.get_content()).group(0)
    return urlsplit(url).path
