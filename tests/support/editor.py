"""What the editor tests share: their accounts, signing in, and posting forms with the CSRF
token of the page (their content folder comes from tests.support.own_data.make_content)."""

from __future__ import annotations

import re

ADMIN = "admin@example.org"
EDITOR = "editor@example.org"
PASSWORD = "a long test passphrase"


def csrf_token(page: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def sign_in(client, email: str = ADMIN, password: str = PASSWORD):
    """Sign in through the form; returns the response to the POST."""
    page = client.get("/editor/login")
    return client.post("/editor/login", data={"csrf_token": csrf_token(page.text),
                                              "email": email, "password": password})


def post_form(client, path: str, data: dict, page_path: str | None = None):
    """POST to a path with the CSRF token of a page (by default the same path)."""
    page = client.get(page_path or path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"csrf_token": csrf_token(page.text), **data})


def upload_outcome(client, sent, timeout: float = 60.0):
    """Follow an upload's status page until it is read: the review redirect, or the page
    saying why it was refused (the upload is read in the background)."""
    import time

    assert sent.status_code == 303, sent.text
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(sent.location)
        if status.status_code != 202:
            return status
        assert "Processing" in status.text and time.monotonic() < deadline
        time.sleep(0.1)
