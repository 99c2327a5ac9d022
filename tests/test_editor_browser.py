"""The editor in a real headless Chromium against a real `hub serve` with its own content
folder and accounts made with `hub users add`; and failed logins counted across two servers."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import screenshot
from tests.support.built_pdfs import CASE_TITLE, build_report_pdf
from tests.support.databases import store_for
from tests.support.editor import ADMIN, EDITOR, PASSWORD
from tests.support.own_data import make_content
from tests.support.rule_pdfs import build_typeset_report
from tests.support.served_hub import run_hub, serve_hub, start_hub

pytestmark = pytest.mark.browser
MAX_FAILURES = 4
SOON = 5.0  # seconds within which a change must show in search


@pytest.fixture(scope="module")
def editor_hub(tmp_path_factory, stores):
    """A served instance with a content folder of its own and an admin and an editor."""
    root = tmp_path_factory.mktemp("editor-hub")
    content = make_content(root / "content")

    def accounts(env):
        for email, role in ((ADMIN, "admin"), (EDITOR, "editor")):
            run_hub(env, "users", "add", email, "--role", role, "--password-stdin",
                    stdin=PASSWORD + "\n")

    (root / "instance").mkdir()
    with store_for(stores, root / "instance") as url:
        hub = start_hub(root / "instance", url, [content], setup=accounts,
                        HUB_CONTENT_DIR=str(content), HUB_MAX_UPLOAD_MB="1",
                        HUB_LOGIN_MAX_FAILURES=str(MAX_FAILURES))
        hub.content = content
        yield hub
        hub.stop()


def sign_in(page, hub, email=ADMIN, shot: str | None = None):
    page.goto(hub.url + "/editor/")
    page.wait_for_url("**/editor/login**")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    if shot:
        screenshot(page, shot)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(hub.url + "/editor/")


def search_titles(page, hub, words: str) -> list[str]:
    page.goto(hub.url + "/search?" + urllib.parse.urlencode({"q": words}))
    return page.locator("ol.results h2 a").all_inner_texts()


def within(seconds: float, check) -> bool:
    """True as soon as check() is; False if it is not within the time."""
    deadline = time.monotonic() + seconds
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)


def create_case_study(page, hub, title: str, body: str, themes=("Worklessness and employment",
                                                                  "Customer insight")):
    page.goto(hub.url + "/editor/case-studies/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill("Two advice desks became one front door.")
    page.get_by_label("Text (Markdown)").fill(body)
    for theme in themes:
        page.get_by_role("checkbox", name=theme, exact=True).check()
    page.get_by_label("Amount, row 1").fill("£60,000")
    page.get_by_label("Period, row 1").fill("per year")
    page.get_by_label("What the money is, row 1").fill("staff time saved")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(re.compile(r".*/editor/items/\d+$"))
    return int(page.url.rsplit("/", 1)[-1])


BODY = ("## What was done\n\nLeeds City Council and Jobcentre Plus joined their benefits advice "
        "desks so that unemployed residents tell their story once.\n\n## Results\n\nRepeat "
        "visits fell by a third, saving £60,000 a year in staff time.")


def test_case_study_from_draft_to_retired(editor_hub, page):
    hub = editor_hub
    sign_in(page, hub, shot="editor-login")
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    # Chromium treats http://127.0.0.1 as a secure context: it keeps and sends Secure cookies.
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    screenshot(page, "editor-dashboard")

    page.goto(hub.url + "/editor/case-studies/new")
    page.get_by_label("Title").fill("Marmalade front door for Leeds advice")
    page.get_by_label("Text (Markdown)").fill(BODY)
    page.get_by_role("button", name="Suggest tags from the text").click()
    assert page.get_by_role("checkbox", name="Leeds", exact=True).is_checked()
    page.get_by_role("checkbox", name="Customer insight", exact=True).check()
    page.get_by_label("Amount, row 1").fill("£60,000")
    page.get_by_label("Period, row 1").fill("per year")
    page.get_by_role("button", name="Preview").first.click()
    preview = page.get_by_role("region", name="Preview")
    assert preview.get_by_role("heading", name="What was done").is_visible()
    screenshot(page, "editor-case-study-preview")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(re.compile(r".*/editor/items/\d+$"))
    item_id = int(page.url.rsplit("/", 1)[-1])
    assert page.locator(".status").inner_text() == "Draft"
    screenshot(page, "editor-item-draft")
    file = hub.home / "case_studies" / "marmalade-front-door-for-leeds-advice.md"
    assert "status: draft" in file.read_text()

    page.get_by_role("button", name="Publish").click()
    assert "Published" in page.get_by_role("status").first.inner_text()
    title = "Marmalade front door for Leeds advice"
    assert within(SOON, lambda: title in search_titles(page, hub, "marmalade front door"))

    page.goto(f"{hub.url}/editor/items/{item_id}/edit")
    page.get_by_label("Summary").fill("The desks in the civic hall merged in 2011.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/editor/items/{item_id}")
    revisions = page.get_by_role("region", name="Revisions").locator("tbody tr")
    assert revisions.count() == 3
    assert "edit: summary" in revisions.first.inner_text()
    assert ADMIN in revisions.first.inner_text()
    screenshot(page, "editor-item-revisions")
    page.get_by_role("link", name="Show changes in revision 3").click()
    assert "+summary: The desks in the civic hall merged in 2011." in page.locator(
        "pre.diff").inner_text()
    screenshot(page, "editor-revision")

    page.goto(f"{hub.url}/editor/items/{item_id}")
    page.get_by_role("button", name="Restore revision 2").click()
    assert "Revision 2 restored" in page.get_by_role("status").first.inner_text()
    page.goto(f"{hub.url}/items/{item_id}")
    assert "The desks in the civic hall" not in page.content()
    assert page.get_by_role("heading", level=1).inner_text() == title

    page.goto(f"{hub.url}/editor/items/{item_id}")
    page.get_by_role("button", name="Retire").click()
    assert "Retired" in page.get_by_role("status").first.inner_text()
    assert within(SOON, lambda: title not in search_titles(page, hub, "marmalade front door"))
    assert page.goto(f"{hub.url}/items/{item_id}").status == 404
    assert "status: retired" in file.read_text()
    unchanged = hub.hub("ingest", str(hub.content), str(hub.home / "case_studies")).stdout
    assert re.search(r" 0 new, 0 updated, \d+ unchanged, 0 merged; 0 errors", unchanged)


def related_ids(page, hub, item_id: int) -> list[int]:
    response = page.request.get(f"{hub.url}/api/documents/{item_id}/related?limit=10")
    assert response.status == 200, f"/api/documents/{item_id}/related: {response.status}"
    return [entry["id"] for entry in json.loads(response.body())]


RELATED_BODY = (
    "## Background\n\nWolverhampton wanted to understand its out-of-work residents through "
    "customer insight rather than treating worklessness as one problem.\n\n## Approach\n\n"
    "The insight team segmented benefit claimants with a geodemographic classification, then "
    "tested the segments in focus groups with jobseekers and lone parents at children's "
    "centres and a Jobcentre Plus office. Outreach workers redesigned their employment "
    "support around what each group said about work, trust and information.")


def test_a_retired_case_study_leaves_related_items(editor_hub, page):
    """Needs the related-items model (issue 6): GET /api/documents/<id>/related and the item
    page's "Related good practice" section."""
    hub = editor_hub
    sign_in(page, hub)
    coventry = "Getting to know out-of-work residents in Coventry through customer insight"
    page.goto(hub.url + "/search?" + urllib.parse.urlencode({"q": coventry}))
    page.locator("ol.results h2 a", has_text=coventry).first.click()
    page.wait_for_url("**/items/*")
    coventry_id = int(page.url.rsplit("/", 1)[-1])
    item_id = create_case_study(page, hub, "Customer insight on worklessness in Wolverhampton",
                                RELATED_BODY)
    page.get_by_role("button", name="Publish").click()
    assert within(SOON, lambda: item_id in related_ids(page, hub, coventry_id))
    page.goto(f"{hub.url}/items/{coventry_id}")
    related = page.locator(f"section[aria-labelledby=related] a[href='/items/{item_id}']")
    assert related.count() == 1
    screenshot(page, "editor-related-before-retiring")

    page.goto(f"{hub.url}/editor/items/{item_id}")
    page.get_by_role("button", name="Retire").click()
    assert within(SOON, lambda: item_id not in related_ids(page, hub, coventry_id))
    page.goto(f"{hub.url}/items/{coventry_id}")
    assert related.count() == 0


def test_upload_a_report_and_publish_it_with_its_case_study(editor_hub, page, tmp_path):
    hub = editor_hub
    pdf = build_report_pdf(tmp_path / "Front doors (final).pdf")
    sign_in(page, hub)
    page.goto(hub.url + "/editor/uploads/new")
    page.get_by_label("File").set_input_files(pdf)
    screenshot(page, "editor-upload")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/editor/items/\d+$"))
    found = page.get_by_role("region", name="What the hub found")
    assert found.get_by_role("heading", name=re.compile(re.escape(CASE_TITLE))).is_visible()
    assert "£85,000" in found.inner_text() and "2.2 Shared Contact Centres" in found.inner_text()
    screenshot(page, "editor-upload-review")

    page.get_by_label("Title").fill("Joining Up Front Doors")
    page.get_by_role("checkbox", name="Shared services", exact=True).check()
    page.get_by_role("button", name="Save and publish").click()
    assert "Published" in page.get_by_role("status").first.inner_text()
    assert page.locator("h1").inner_text() == "Joining Up Front Doors"
    assert within(SOON, lambda: any(CASE_TITLE in title for title in search_titles(
        page, hub, "shared benefits front door")))
    page.locator("ol.results h2 a", has_text=CASE_TITLE).first.click()
    assert "Joining Up Front Doors" in page.locator("p.where").inner_text()
    screenshot(page, "editor-upload-published-case-study")


def test_an_oversized_upload_gets_the_413_page(editor_hub, page, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"words " * (2 * 2**20 // 6))
    sign_in(page, editor_hub, EDITOR)
    page.goto(editor_hub.url + "/editor/uploads/new")
    page.get_by_label("File").set_input_files(big)
    page.get_by_role("button", name="Upload").click()
    assert page.get_by_role("heading", level=1).inner_text() == "The file is too large"
    assert "up to 1 MB" in page.content()
    screenshot(page, "editor-413")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def sticking_out(page, width: int) -> list[str]:
    """The elements reaching past the right edge of a page this wide (its first few)."""
    return page.evaluate("""width => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width).slice(0, 5)
        .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)""",
                         width)


def test_an_ingested_report_corrected_and_its_section_retired_stay_so_on_reingest(
        editor_hub, page, tmp_path):
    hub = editor_hub
    pdf = build_typeset_report(tmp_path / "shared-front-desk.pdf")
    hub.hub("ingest", str(pdf))
    sign_in(page, hub, EDITOR)
    page.get_by_label("Words").fill("Shared Front Desk")
    page.get_by_label("Type").select_option("report")
    page.get_by_label("Origin").select_option("ingested")
    page.get_by_role("button", name="Find").click()
    found = page.locator("table[aria-labelledby=all] tbody tr")
    assert found.count() == 1 and "Ingested files" in found.inner_text()
    screenshot(page, "editor-dashboard-search")
    assert serious_violations(page) == []
    found.get_by_role("link", name="Review of the Shared Front Desk").click()
    report_id = int(page.url.rsplit("/", 1)[-1])
    assert "kept in the hub beside what the file says" in page.content()
    screenshot(page, "editor-ingested-report")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Correct", exact=True).click()
    page.get_by_label("Title").fill("The Shared Front Desk: a Review")
    page.get_by_role("button", name="Save corrections").click()
    assert "Saved: title." in page.get_by_role("status").first.inner_text()
    screenshot(page, "editor-correct-report")
    assert serious_violations(page) == []

    page.goto(f"{hub.url}/editor/items/{report_id}")
    page.get_by_role("link", name="Correct or retire “Waiting times”").click()
    section_id = int(page.url.rsplit("/", 2)[-2])
    page.get_by_label("Status").select_option("retired")
    page.get_by_role("button", name="Save corrections").click()
    assert "Saved: status." in page.get_by_role("status").first.inner_text()
    screenshot(page, "editor-correct-section")

    again = hub.hub("ingest", str(pdf)).stdout
    assert re.search(r" 0 new, 0 updated, \d+ unchanged, 0 merged; 0 errors", again), again
    assert page.goto(f"{hub.url}/items/{section_id}").status == 404
    page.goto(f"{hub.url}/items/{report_id}")
    assert page.get_by_role("heading", level=1).inner_text() == "The Shared Front Desk: a Review"
    assert within(SOON, lambda: "The Shared Front Desk: a Review" in search_titles(
        page, hub, "shared front desk"))
    page.goto(f"{hub.url}/editor/?status=retired&origin=ingested")
    assert page.locator("table[aria-labelledby=all] tbody tr").inner_text().startswith(
        "Waiting times")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/editor/?origin=ingested", f"/editor/items/{section_id}/correct"):
        page.goto(hub.url + path)
        assert sticking_out(page, 390) == [], path
    screenshot(page, "editor-correct-section-390")


EDITOR_PAGES = {"dashboard": "/editor/", "new-case-study": "/editor/case-studies/new",
                "upload": "/editor/uploads/new", "audit": "/editor/audit"}


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_editor_pages_have_no_serious_accessibility_violations(editor_hub, page, name):
    sign_in(page, editor_hub)
    page.goto(editor_hub.url + EDITOR_PAGES[name])
    screenshot(page, f"editor-{name}")
    assert serious_violations(page) == []


class Browserless:
    """A client for one server that keeps its own session cookie (sent as a header, since
    urllib will not send a Secure cookie over http)."""

    def __init__(self, url: str):
        self.url, self.cookie = url, None

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body)
        if self.cookie:
            request.add_header("Cookie", self.cookie)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                status, headers, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, error.headers, error.read()
        if cookie := headers.get("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        return status, text.decode()

    def sign_in(self, email: str, password: str) -> int:
        _, page = self.request("/editor/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return self.request("/editor/login", {"csrf_token": token, "email": email,
                                              "password": password})[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_failed_logins_are_counted_across_two_server_processes(editor_hub):
    second = serve_hub(editor_hub.home, editor_hub.env)
    try:
        servers = [Browserless(editor_hub.url), Browserless(second.url)]
        run_hub(editor_hub.env, "users", "add", "target@example.org", "--password-stdin",
                stdin=PASSWORD + "\n")
        for attempt in range(MAX_FAILURES):
            assert servers[attempt % 2].sign_in("target@example.org", "wrong guess") == 401
        for server in servers:  # the right password is now refused by both processes
            assert server.sign_in("target@example.org", PASSWORD) == 429
        assert servers[1].sign_in(EDITOR, PASSWORD) == 303  # other accounts still sign in
    finally:
        second.stop()
