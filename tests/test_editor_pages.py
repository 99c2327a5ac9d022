"""The editor's pages through Flask's test client: sign-in, sessions, CSRF on every POST,
roles, the case-study form, uploads and their bad input, and Markdown made harmless."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import time

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from hub.editor import accounts
from hub.store.database import transaction
from hub.store.models import Item, Revision
from hub.web import create_app, csrf
from tests.support.built_pdfs import build_report_pdf
from tests.support.editor import (
    ADMIN,
    EDITOR,
    PASSWORD,
    csrf_token,
    post_form,
    sign_in,
    upload_outcome,
)
from tests.support.hostile import nested_markdown
from tests.support.url_rules import post_rules, sample_path

ONE_CLICK = "hub.web.subscriptions.one_click"
CSRF_REFUSED = "The form was not accepted"


@pytest.fixture
def app(editor_settings, monkeypatch):
    monkeypatch.delenv("HUB_INSECURE_COOKIES", raising=False)
    app = create_app({"TESTING": True, "HUB_SETTINGS": editor_settings})
    corpus = app.extensions["hub.corpus"]
    corpus.ingest([editor_settings.content_dir])
    with transaction(corpus.sessions) as session:
        accounts.add_user(session, ADMIN, PASSWORD, "admin")
        accounts.add_user(session, EDITOR, PASSWORD, "editor")
    yield app
    corpus.close()


@pytest.fixture
def corpus(app):
    return app.extensions["hub.corpus"]


@pytest.fixture
def client(app):
    client = app.test_client()
    assert sign_in(client).status_code == 303
    return client


def editor_rules(app) -> list:
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("editor.")]


def test_every_editor_route_needs_sign_in(app):
    anonymous = app.test_client()
    token = csrf_token(anonymous.get("/editor/login").text)
    for rule in editor_rules(app):
        if rule.endpoint == "editor.login":
            continue
        path = sample_path(rule.rule)
        if "GET" in rule.methods:
            response = anonymous.get(path)
            assert response.status_code == 303, path
            assert response.location.startswith("/editor/login?next="), path
        if "POST" in rule.methods:
            response = anonymous.post(path, data={"csrf_token": token})
            assert response.status_code == 303 and "/editor/login" in response.location, path


def test_the_audit_log_is_for_admins_only(app, client):
    editor = app.test_client()
    sign_in(editor, EDITOR)
    assert editor.get("/editor/audit").status_code == 403
    assert "admins only" in editor.get("/editor/audit").text
    page = client.get("/editor/audit")
    assert page.status_code == 200 and "logged in" in page.text and ADMIN in page.text


def test_every_post_route_refuses_a_missing_csrf_token(app, client):
    """Enumerated from the URL map: a route added later is checked too."""
    assert {f"{view}" for view in csrf._exempt_views} == {ONE_CLICK}
    anonymous = app.test_client()
    checked = []
    for rule in post_rules(app):
        view = f"{app.view_functions[rule.endpoint].__module__}.{rule.endpoint.split('.')[-1]}"
        if view == ONE_CLICK:  # RFC 8058: authenticated by its signed token instead
            assert anonymous.post(sample_path(rule.rule)).status_code == 400
            continue
        for who in (anonymous, client):
            response = who.post(sample_path(rule.rule), data={"status": "published"})
            assert response.status_code == 400 and CSRF_REFUSED in response.text, rule.rule
        checked.append(rule.endpoint)
    assert {"editor.login", "editor.logout", "editor.change_status", "editor.upload",
            "editor.new_case_study", "subscriptions.signup"} <= set(checked)


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_sign_in_starts_a_new_session_with_safe_cookie_flags(app):
    client = app.test_client()
    before = client.get("/editor/login")
    old_token = csrf_token(before.text)
    signed_in = client.post("/editor/login", data={"csrf_token": old_token, "email": ADMIN,
                                                   "password": PASSWORD})
    cookie = session_cookie(signed_in)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The session from before signing in is gone: its CSRF token no longer works.
    refused = client.post("/editor/logout", data={"csrf_token": old_token})
    assert refused.status_code == 400
    assert client.get("/editor/").status_code == 200


def test_signing_out_ends_every_copy_of_the_session(app):
    client = app.test_client()
    sign_in(client)
    copied = client.get_cookie("session").value
    page = client.get("/editor/")
    assert client.post("/editor/logout", data={"csrf_token": csrf_token(page.text)}
                       ).status_code == 303
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert replay.get("/editor/").status_code == 303  # back to the sign-in page


def test_wrong_passwords_lock_the_account_with_a_clear_page(app):
    client = app.test_client()
    for _ in range(3):
        assert sign_in(client, ADMIN, "not the password").status_code == 401
    locked = sign_in(client, ADMIN, PASSWORD)
    assert locked.status_code == 429 and "Try again in 15 minutes" in locked.text
    assert sign_in(client, EDITOR, PASSWORD).status_code == 303


@pytest.mark.parametrize("proxies, counted", [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_sign_in_limits_see_the_client_behind_a_trusted_proxy_only(editor_settings, proxies,
                                                                    counted):
    settings = dataclasses.replace(editor_settings, trusted_proxies=proxies)
    app = create_app({"TESTING": True, "HUB_SETTINGS": settings})
    corpus = app.extensions["hub.corpus"]
    try:
        with transaction(corpus.sessions) as session:
            accounts.add_user(session, ADMIN, PASSWORD, "admin")
        client = app.test_client()
        # A proxy on 127.0.0.1 passing on its client's address, or a client forging one.
        client.environ_base.update(REMOTE_ADDR="127.0.0.1",
                                   HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert sign_in(client, ADMIN, "not the password").status_code == 401
        with corpus.session() as session:
            limits = accounts.LoginLimits.of(settings)
            assert accounts.failure_count(session, "address", counted, limits) == 1
    finally:
        corpus.close()


@pytest.mark.parametrize("target, lands", [
    ("/editor/uploads/new", "/editor/uploads/new"),
    ("https://evil.example/", "/editor/"),
    ("//evil.example/editor/", "/editor/"),
    ("/search?q=x", "/editor/"),
    ("/editor/%0D%0ASet-Cookie:%20x=1", "/editor/"),  # a line break in the header: was a 500
    ("/editor/%00", "/editor/"),
    ("/editor/%09items", "/editor/"),
])
def test_after_sign_in_only_editor_paths_are_followed(app, target, lands):
    client = app.test_client()
    page = client.get("/editor/login")
    response = client.post("/editor/login?next=" + target, data={
        "csrf_token": csrf_token(page.text), "email": ADMIN, "password": PASSWORD})
    assert response.location == lands


def errors_beside(page: str) -> dict[str, str]:
    """Each error message and the id of the field it sits beside."""
    return {m.group(1): html.unescape(m.group(2)) for m in re.finditer(
        r'<p class="error-message" id="([\w-]+)-error">.*?</span> (.*?)</p>', page)}


def new_case_study(client, **fields):
    data = {"title": "Joined-up advice in Leeds", "summary": "Two desks became one.",
            "body": "Leeds City Council joined two advice desks, saving £40,000 a year.",
            "themes": ["worklessness", "customer-insight"], "outcomes-0-amount": "£40,000",
            "outcomes-0-period": "per year", "outcomes-0-what": "staff time",
            "outcomes-0-kind": "saving", "action": "save", **fields}
    return post_form(client, "/editor/case-studies/new", data)


def test_problems_appear_beside_their_fields_and_nothing_is_saved(client, corpus):
    response = new_case_study(client, title="", date="next spring", source_url="ftp://x",
                              themes=["worklessness", "made-up-theme"],
                              places=["atlantis"], **{"outcomes-1-amount": "lots"})
    assert response.status_code == 400
    assert errors_beside(response.text) == {
        "title": "missing title",
        "date": ("malformed date 'next spring' (use YYYY, YYYY-MM, YYYY-MM-DD or a month and year "
                 "such as September 2010)"),
        "themes": "unknown theme 'made-up-theme'",
        "places": "unknown place 'atlantis'",
        "source_url": "'ftp://x' is not an http(s) URL",
        "outcomes-1-amount": "amount 'lots' is not a sum of money",
    }
    assert list(corpus.settings.case_study_dir.glob("*leeds*")) == []
    with corpus.session() as session:
        assert session.scalar(select(Revision.id)) is None


def test_preview_renders_the_markdown_and_suggest_fills_the_tags(client):
    body = ("## Approach\n\nLeeds City Council worked with Jobcentre Plus on unemployment: "
            "unemployed residents got one adviser.")
    preview = new_case_study(client, body=body, action="preview")
    assert preview.status_code == 200
    soup = BeautifulSoup(preview.text, "html.parser")
    assert soup.select_one(".preview .body h2").get_text() == "Approach"
    suggested = new_case_study(client, body=body, themes=[], action="suggest")
    checked = {i["value"] for i in BeautifulSoup(suggested.text, "html.parser").select(
        "input[type=checkbox][checked]")}
    assert {"leeds", "jobcentre-plus", "worklessness"} <= checked


# Each must come out with no script, no event handler and no javascript: (or data:) URL.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=5></circle></svg>",
    "[click me](javascript:alert(1))",
    "[click me](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click me](&#x6A;avascript&#x3A;alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">tab inside</a>',
    '<a href="  JaVaScRiPt:alert(1)">mixed case</a>',
    "![picture](javascript:alert(1))",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div onmouseover="alert(1)">hover me</div>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button>'
    "</form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    "</table></mtext></math>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:/">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "background",
                  "poster", "srcdoc")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def harmful(page: str) -> list[str]:
    """Scripts, event handlers, inline styles and script URLs anywhere in a page."""
    soup = BeautifulSoup(page, "html.parser")
    found = [t.name for t in soup.find_all(["script", "iframe", "object", "embed", "style",
                                            "base", "meta", "form", "svg", "math"])
             if not (t.name == "meta" and t.get("http-equiv") is None)
             and not (t.name == "form" and t.get("action", "/").startswith("/"))]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{tag.name} {name}")
            if name.lower() in URL_ATTRIBUTES:
                url = _INVISIBLE.sub("", html.unescape(str(value))).lower()
                if url.startswith(("javascript:", "vbscript:", "data:")):
                    found.append(f"{tag.name} {name}={value}")
    return found


def test_at_least_thirteen_xss_payloads_are_rendered_harmless(client, corpus):
    assert len(XSS_PAYLOADS) >= 13
    body = "\n\n".join(f"Payload {n}: {payload}" for n, payload in enumerate(XSS_PAYLOADS))
    preview = new_case_study(client, body=body, action="preview")
    assert harmful(preview.text) == []
    saved = new_case_study(client, body=body, title="<script>alert('title')</script>",
                           summary='"><img src=x onerror=alert(1)>')
    item_path = saved.location
    item_id = int(item_path.rsplit("/", 1)[-1])
    assert post_form(client, f"/editor/items/{item_id}/status", {"status": "published"},
                     item_path).status_code == 303
    for path in (f"/items/{item_id}", item_path, f"{item_path}/revisions/1",
                 "/search?q=payload"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert harmful(page.text) == [], path
    shown = client.get(f"/items/{item_id}").text
    assert "Payload 19" in shown and "&lt;script&gt;alert(&#39;title&#39;)" in shown


def test_an_upload_is_reviewed_then_published_whole(client, corpus, tmp_path):
    pdf = build_report_pdf(tmp_path / "report.pdf")
    page = client.get("/editor/uploads/new")
    sent = client.post("/editor/uploads", data={
        "csrf_token": csrf_token(page.text), "file": (pdf.open("rb"), "../../x/<b>r</b>.pdf")})
    done = upload_outcome(client, sent)
    assert done.status_code == 303
    review = client.get(done.location).text
    assert "A Shared Benefits Front Door That Cut Repeat Visits" in review
    assert "£85,000" in review and "2.1 Customer Insight" in review and "Draft" in review
    names = [p.name for p in corpus.settings.upload_dir.iterdir()]
    assert all(re.fullmatch(r"[0-9a-f]{32}\.pdf(\.yml)?", n) for n in names), names
    item_id = int(done.location.rsplit("/", 1)[-1])
    done = client.post(f"/editor/items/{item_id}/corrections", data={
        "csrf_token": csrf_token(review), "title": "Joining Up Front Doors",
        "themes": ["shared-services", "customer-insight"], "action": "publish"})
    assert done.status_code == 303
    with corpus.session() as session:
        items = session.scalars(select(Item).where(
            Item.primary_origin == session.get(Item, item_id).primary_origin)).all()
    assert {i.status for i in items} == {"published"} and len(items) > 5
    audit = client.get("/editor/audit?action=upload").text
    assert "<b>" not in audit and "b_.pdf saved as" in audit  # the name after the last /


@pytest.mark.parametrize("data, name, message", [
    (b"MZ\x90\x00", "tool.exe", "the hub reads PDF, HTML, plain text (.txt) or Markdown (.md)"),
    (b"%PDF-1.4\n%%EOF", "../../../etc/cron.d/job.pdf", "job.pdf could not be read"),
    (b"\x00\x00\x00", "notes.txt", "binary data in a text file"),
])
def test_bad_uploads_get_a_clear_message_and_leave_nothing(client, corpus, data, name,
                                                           message):
    page = client.get("/editor/uploads/new")
    sent = client.post("/editor/uploads", data={"csrf_token": csrf_token(page.text),
                                                "file": (io.BytesIO(data), name)})
    if sent.status_code == 303:  # the type was fine: the file is read in the background
        sent = upload_outcome(client, sent)
    assert sent.status_code == 400 and message in html.unescape(sent.text)
    assert "Nothing was saved" in sent.text
    assert not corpus.settings.upload_dir.exists() or not any(corpus.settings.upload_dir.iterdir())


@pytest.mark.reliability
def test_a_hostile_upload_is_read_outside_the_request(client, corpus, tmp_path):
    hostile = nested_markdown(tmp_path, 100_000)  # seconds of parsing before it fails
    page = client.get("/editor/uploads/new")
    started = time.monotonic()
    sent = client.post("/editor/uploads", data={"csrf_token": csrf_token(page.text),
                                                "file": (hostile.open("rb"), "deep.md")})
    assert sent.status_code == 303 and time.monotonic() - started < 5  # the worker is free
    processing = client.get(sent.location)
    assert processing.status_code == 202 and "Processing" in processing.text
    refused = upload_outcome(client, sent)
    assert refused.status_code == 400 and "nests too deeply" in refused.text
    assert "Nothing was saved" in refused.text
    assert not any(corpus.settings.upload_dir.iterdir())
    assert client.get("/editor/uploads/" + "0" * 32).status_code == 404


def test_an_oversized_upload_gets_the_413_page(client, corpus):
    page = client.get("/editor/uploads/new")
    for size in (2**20 + 10, 3 * 2**20):  # past the file limit; past the request limit too
        sent = client.post("/editor/uploads", data={
            "csrf_token": csrf_token(page.text), "file": (io.BytesIO(b"a" * size), "big.txt")})
        assert sent.status_code == 413
        assert "The file is too large" in sent.text and "up to 1 MB" in sent.text
    assert not corpus.settings.upload_dir.exists() or not any(corpus.settings.upload_dir.iterdir())


def test_preview_warns_of_a_case_study_already_in_the_hub(client, corpus):
    text = (corpus.settings.content_dir / "case_studies" / "kent-avoidable-contact.md").read_text()
    body = text.split("---", 2)[2]
    preview = new_case_study(client, title="Avoidable contact in Kent", body=body,
                             action="preview")
    warning = BeautifulSoup(preview.text, "html.parser").select_one(".warning")
    assert warning is not None and "Reducing avoidable contact" in warning.get_text()
    assert "similar text" in warning.get_text()
