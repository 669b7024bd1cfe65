"""The search box in the staff header, end to end: a phone number, a word, a reference; axe clean and no sideways
scroll at 320 px. Screenshots: search-results-1280 and search-results-320."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.cases.models import Case, Customer, EventKind
from portal.cases.timeline import record
from portal.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import check_accessibility, screenshot, sign_in

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_an_agent_finds_a_caller_by_phone_then_a_case_by_a_word(live_server, browser):
    with live_server.session() as s:
        load_demo(s, customers=60, cases=90)
        maria_case = s.scalar(select(Case).join(Case.owner).where(Case.owner.has(email="maria.lopez@rovers.example"))
                              .order_by(Case.id))
        caller = s.get(Customer, maria_case.customer_id)
        caller.phone = "+44 7700 900123"
        record(s, maria_case, EventKind.note, by=maria_case.owner,
               body="Called back about the floodlight <b>outage</b>; a refund is on its way.")
        s.commit()
        reference, name = maria_case.reference, caller.name

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, "maria.lopez@rovers.example", DEMO_PASSWORD)
    box = page.get_by_role("searchbox", name="Search cases and customers")
    box.fill("07700 900123")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    expect(page.get_by_role("link", name=name).first).to_be_visible()
    box = page.get_by_role("searchbox", name="Search cases and customers")
    box.fill("floodlight refund")
    box.press("Enter")
    expect(page.locator("mark", has_text="floodlight").first).to_be_visible()
    expect(page.get_by_text("Internal note:").first).to_be_visible()
    assert page.locator("b", has_text="outage").count() == 0  # the note's tag is text, not markup
    check_accessibility(page)
    DOCS.mkdir(parents=True, exist_ok=True)
    page.get_by_role("searchbox", name="Search cases and customers").fill("refund")
    page.get_by_role("searchbox", name="Search cases and customers").press("Enter")
    shutil.copy(screenshot(page, "search-results-1280"), DOCS / "search-results-1280.png")
    page.get_by_role("searchbox", name="Search cases and customers").fill(reference.lower())
    page.get_by_role("searchbox", name="Search cases and customers").press("Enter")
    assert page.url.endswith(f"/staff/cases/{reference}")
    context.close()

    phone = browser.new_context(viewport={"width": 320, "height": 740}, locale="en-GB")
    narrow = phone.new_page()
    sign_in(narrow, live_server.url, "maria.lopez@rovers.example", DEMO_PASSWORD)
    narrow.goto(live_server.url + "/staff/search?q=refund")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    check_accessibility(narrow)
    shutil.copy(screenshot(narrow, "search-results-320"), DOCS / "search-results-320.png")
    phone.close()
