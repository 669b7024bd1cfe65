"""The offer composer in Chromium: three options as compact rows that fit one screen at 1280 px, the dearest option
beside the authority limit as costs are typed (the server judging again when it is sent), the catalogue as a picker
(with JavaScript a tick fills the next empty row; without it, a page load does); at 320 px every box has its own
line and nothing scrolls sideways. Screenshots: docs/screenshots/18-offer-*.png."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.browser.test_remedy_loop import club, fill_option  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _keep(page, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(page, name), DOCS / f"{name}.png")


def test_three_options_fit_one_screen_and_the_limit_stands_beside_the_dearest(live_server, browser, club):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, "maria@staff.example")
    page.goto(f"{live_server.url}/staff/cases/{club}/offer")
    # The suggested refund fills the first row; a tick on the call fills the next empty one at once.
    expect(page.locator("#options-0-description")).to_have_value("We refund what you paid for the match ticket.")
    page.get_by_label("A call from the manager").check()
    expect(page.locator("#options-1-description")).to_have_value("Our Ticket Office Manager calls you.")
    expect(page.get_by_role("button", name="Fill the options from these")).to_be_hidden()
    fill_option(page, 2, "gesture", "Two seats in the Riverside Lounge with a pre-match meal.",
                "At a home match of your choice this season.", "180")
    total = page.locator("#offer-total")
    expect(total).to_contain_text("£180.00")
    expect(total).to_contain_text("Your authority limit £150.00")
    expect(total).to_contain_text("Above it: a manager approves first")
    rows = page.locator("[data-offer-row]")
    first, send = rows.first.bounding_box(), page.get_by_role("button", name="Send the offer").bounding_box()
    assert send["y"] + send["height"] - first["y"] < 640, (first, send)  # three rows and the button in one screen
    check_accessibility(page)
    _keep(page, "18-offer-1280")

    page.locator("#options-2-cost").fill("90")
    expect(total).to_contain_text("Within it: goes straight to Olivia")
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_accessibility(page)
    _keep(page, "18-offer-320")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text("Your offer is on its way to Olivia Taylor")).to_be_visible()
    context.close()


def test_the_composer_works_without_javascript_and_the_server_judges_the_limit(live_server, browser, club):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "maria@staff.example")
    page.goto(f"{live_server.url}/staff/cases/{club}/offer")
    page.get_by_label("A call from the manager").check()
    page.get_by_role("button", name="Fill the options from these").click()  # a page load fills both rows
    filled = {page.locator(f"#options-{i}-description").input_value() for i in (0, 1)}
    assert filled == {"Our Ticket Office Manager calls you.", "We refund what you paid for the match ticket."}
    fill_option(page, 2, "gesture", "Two seats in the Riverside Lounge.", "At a home match this season.", "400")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text("a manager will approve it first")).to_be_visible()
    context.close()
