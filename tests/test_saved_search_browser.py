"""Emails about a search, end to end: a real `hub serve`, Chromium through Playwright, and
mail through aiosmtpd on 127.0.0.1. Save a search, confirm by the email, ingest a matching
item, and the digest carries it; every page on the way passes axe-core."""

from __future__ import annotations

import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import screenshot
from tests.support.own_data import SAMPLE_CONTENT_DIR, make_content
from tests.support.served_hub import start_hub

pytestmark = pytest.mark.browser
FIRST = ("birmingham-spend-mapping.md", "coventry-out-of-work-residents.md",
         "kent-avoidable-contact.md")
LATER = "sunderland-hospital-discharge.md"  # ingested after the search is saved


@pytest.fixture
def mailing_hub(tmp_path, mail_env, store_url):
    """A served hub over a few of our own case studies, sending mail to the test SMTP server."""
    content = make_content(tmp_path / "content", case_studies=FIRST)
    home = tmp_path / "instance"
    home.mkdir()
    env = {k: v for k, v in mail_env.items() if k not in ("HUB_BASE_URL", "HUB_SECRET_KEY")}
    hub = start_hub(home, store_url, [content / "case_studies"], HUB_CONTENT_DIR=str(content),
                    **env)
    yield hub
    hub.stop()


def check_page(page, name: str) -> None:
    """A screenshot to look at, and no serious or critical axe-core violation."""
    screenshot(page, name)
    results = Axe().run(page)
    serious = [f"{v['id']}: {v['help']}" for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [], name


def test_save_a_search_confirm_by_email_and_the_digest_carries_a_new_match(
        mailing_hub, page, smtp, tmp_path):
    page.goto(mailing_hub.url + "/subscriptions/")
    check_page(page, "digest-signup")
    page.goto(mailing_hub.url + "/search?q=hospital+discharge&theme=health-social-care")
    assert page.get_by_role("status").first.inner_text().startswith("0")
    check_page(page, "saved-search-results")
    page.get_by_role("link", name="Get emails about this search").click()
    page.wait_for_url("**/subscriptions/search?*")
    assert "“hospital discharge”; theme: Health and social care" in page.inner_text("main")
    check_page(page, "saved-search-signup")
    page.set_viewport_size({"width": 320, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_role("button", name="Get emails").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    check_page(page, "saved-search-check-email")

    [notice] = smtp.received()
    confirm = re.search(r"http://127\.0\.0\.1:\d+/subscriptions/confirm/\S+",
                        notice.get_content()).group(0)
    page.goto(confirm)
    check_page(page, "saved-search-confirm")
    page.get_by_role("button", name="Confirm my subscription").click()
    page.get_by_role("heading", name="Subscription confirmed").wait_for()
    page.get_by_role("link", name="Change your themes, region or searches").click()
    assert page.get_by_role("checkbox", name=re.compile("hospital discharge")).is_checked()
    check_page(page, "saved-search-preferences")

    later = tmp_path / "later"
    later.mkdir()
    shutil.copy(SAMPLE_CONTENT_DIR / "case_studies" / LATER, later / LATER)
    mailing_hub.hub("ingest", "-q", str(later))
    sent = mailing_hub.hub("digest", "send")
    assert "1 sent" in sent.stdout + sent.stderr
    digest = smtp.received()[-1]
    assert digest["To"] == "officer@example.org"
    plain = digest.get_body(("plain",)).get_content()
    section = plain.split("== Your search “hospital discharge”")[1]
    assert "Joined-up hospital discharge for older people in Sunderland" in section
    assert "Counting what every agency spends" not in plain.split("== Also new")[0]
