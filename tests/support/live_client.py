"""A browser-less client of a served hub over loopback HTTP (urllib, with its own cookies):
searching through the API, and an editor's session that signs in, posts forms with their
CSRF token and uploads files, as a person's browser would."""

from __future__ import annotations

import http.cookiejar
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from tests.support.editor import PASSWORD, csrf_token


@dataclass
class Answer:
    """A response: its status, final address and text."""

    status: int
    url: str
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class LiveClient:
    """One visitor of a served hub (its own cookie jar), at base_url."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def at(self, base_url: str) -> LiveClient:
        """The same visitor (same cookies) at another node."""
        other = LiveClient(base_url)
        other.cookies = self.cookies
        other.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies))
        return other

    def request(self, path: str, data: bytes | None = None,
                headers: dict | None = None) -> Answer:
        """GET (or POST data) a path, following redirects; errors are answers too."""
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.url,
                              response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.url, error.read().decode("utf-8", "replace"))

    def search_ids(self, query: str) -> list[int]:
        """The ids of the first page of results for a query, from the JSON API."""
        answer = self.request("/api/search?" + urllib.parse.urlencode({"q": query}))
        if answer.status != 200:
            return []
        return [result["id"] for result in json.loads(answer.text)["results"]]

    def post_form(self, path: str, fields: dict, page_path: str | None = None) -> Answer:
        """POST a form with the CSRF token of the page it is on (by default the same path)."""
        page = self.request(page_path or path)
        assert page.status == 200, f"{page_path or path}: {page.status}"
        body = urllib.parse.urlencode({"csrf_token": csrf_token(page.text), **fields}).encode()
        return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        """Sign in through the form (the session cookie then works on every node)."""
        answer = self.post_form("/editor/login", {"email": email, "password": password})
        assert answer.status == 200 and "/editor" in answer.url, answer.status

    def upload(self, name: str, content: bytes, timeout: float = 60.0) -> int:
        """Upload a file through the form and wait until it is read; the new item's id."""
        page = self.request("/editor/uploads/new")
        boundary = secrets.token_hex(12)
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                f"{csrf_token(page.text)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f"name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream"
                f"\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        answer = self.request("/editor/uploads", body,
                              {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        deadline = time.monotonic() + timeout
        while "/editor/items/" not in answer.url:
            assert answer.status == 202 and time.monotonic() < deadline, answer.text[:300]
            time.sleep(0.2)
            answer = self.request(urllib.parse.urlsplit(answer.url).path)
        return int(answer.url.rstrip("/").rsplit("/", 1)[-1])
