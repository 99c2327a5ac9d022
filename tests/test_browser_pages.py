"""The practitioners' pages in a real headless Chromium against a real server on 127.0.0.1."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "results": "/search?q=customer+insight",
    "case-studies": "/case-studies",
    "theme": "/themes/worklessness",
    "place": "/places/west-midlands",
    "council": "/places/coventry",  # a council: its panel of councils of the same type
    "evidence": "/search?q=shared+services&sort=evidence&saving=under-50k&saving=50k-250k",
}


def test_search_facets_result_related_and_feed(live_hub, page):
    page.goto(live_hub.url + "/")
    page.get_by_label("Search the hub").fill("data sharing")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=data+sharing*")
    assert "result" in page.get_by_role("status").first.inner_text()

    facets = page.get_by_role("form", name="Filter results")
    themes = facets.locator("fieldset", has_text="Theme").get_by_role("checkbox")
    first, second = themes.nth(0), themes.nth(1)
    first.check()
    second.check()
    facets.get_by_role("button", name="Apply filters").first.click()  # the one at the top
    active = page.get_by_role("list", name="Active filters").get_by_role("link")
    assert active.count() == 2
    total_two = page.get_by_role("status").first.inner_text()

    active.first.click()
    assert page.get_by_role("list", name="Active filters").get_by_role("link").count() == 1
    assert page.get_by_role("status").first.inner_text() != "" and total_two

    page.locator("ol.results h2 a").first.click()
    page.wait_for_url("**/items/*")
    title = page.get_by_role("heading", level=1).inner_text()
    assert title
    screenshot(page, "item")

    related = page.locator("section[aria-labelledby=related] ul.related a")
    assert related.count() >= 1, "an item from a search for data sharing has related items"
    related.first.click()
    page.wait_for_url("**/items/*")
    assert page.get_by_role("heading", level=1).inner_text() != title

    response = page.goto(live_hub.url + "/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) > 5


@pytest.mark.parametrize("name", PAGES)
def test_pages_have_no_serious_accessibility_violations(live_hub, page, name):
    page.goto(live_hub.url + PAGES[name])
    screenshot(page, name)
    results = Axe().run(page)
    serious = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_item_page_of_a_report_section_is_accessible(live_hub, page):
    page.goto(live_hub.url + "/search?q=probation&type=case_study")
    page.locator("ol.results h2 a").first.click()
    page.wait_for_url("**/items/*")
    assert "page" in page.locator("p.where").inner_text()
    screenshot(page, "case-study-in-report")
    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")] == []


def test_phone_layout(live_hub, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_hub.url + "/search?q=worklessness")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing overflows sideways on a phone"
    screenshot(phone, "results-phone")
    context.close()


def _item_pages(live_hub, page) -> dict[str, str]:
    """One item page of each type the seeds and the bundled content give, found by search."""
    found = {}
    for kind, query in (("report", "total place spend counting"),
                        ("section", "customer insight"), ("case_study", "probation"),
                        ("article", "data sharing")):
        page.goto(f"{live_hub.url}/search?q={query.replace(' ', '+')}&type={kind}")
        found[kind] = page.locator("ol.results h2 a").first.get_attribute("href")
    return found


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(live_hub, browser, page, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=True)
    phone = context.new_page()
    paths = [*PAGES.values(), *_item_pages(live_hub, page).values()]
    wide = []
    for path in paths:
        phone.goto(live_hub.url + path)
        scroll = phone.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide.append((path, scroll))
    screenshot(phone, f"report-phone-{width}")
    context.close()
    assert wide == []


def test_a_report_page_links_its_notes_and_leads_back_to_its_contents(live_hub, page):
    report = _item_pages(live_hub, page)["report"]
    page.goto(live_hub.url + report)
    assert page.locator("a[href='#contents']").count() >= 3  # one per chapter
    notes = page.locator("section.footnotes a.address")
    if page.locator("section.footnotes").count():
        assert notes.count() >= 1
        assert notes.first.get_attribute("href").startswith("http")
    facts = page.locator("dl.facts").inner_text()
    assert "Published" in facts and "Added" in facts


@pytest.mark.parametrize("path", ["/search?q=reducing+worklessness", "/case-studies"])
def test_on_a_phone_the_first_result_is_on_the_first_screen(live_hub, browser, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_hub.url + path)
    first = phone.locator("ul.results > li, ol.results > li").first
    top = first.evaluate("e => e.getBoundingClientRect().top")
    screenshot(phone, "phone-first-screen-" + path.strip("/").split("?")[0])
    assert top < 844, f"the first result starts {top:.0f} px down"
    phone.get_by_role("link", name=re.compile("^Filter")).click()
    assert phone.locator("form#filters").evaluate(
        "e => e.getBoundingClientRect().top") < 844  # the link leads to the filters
    context.close()


def test_filters_work_without_javascript(live_hub, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_hub.url + "/search?q=partnership")
    before = int(page.get_by_role("status").locator("strong").inner_text())
    box = page.locator("form#filters input[name=type]").first
    box.check()
    box.locator("xpath=ancestor::fieldset").get_by_role("button", name="Apply").click()
    page.wait_for_url("**type=*")
    after = int(page.get_by_role("status").locator("strong").inner_text())
    assert 0 < after < before
    context.close()
