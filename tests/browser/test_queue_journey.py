"""The queues end to end: a manager reassigns two cases at once from the team view; the staff header's menu fits
one line at 1280 px and folds behind "Menu" on a phone, opening without JavaScript; each queue page of the demo
is axe clean and never scrolls sideways at 320 px. Screenshots: docs/screenshots/18-*-1280.png and -320.png."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_case, make_category, make_customer, make_ticket_office

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NOTE = "Maria is on leave from tomorrow; both customers expect a call back about their refunds this week."


def test_a_manager_reassigns_two_cases_at_once(live_server, page):
    with live_server.session() as s:
        office = make_ticket_office(s)
        maria = office.maria
        tickets = make_category(s, team=office.team, name="Tickets")
        cases = [make_case(s, owner=maria, category=tickets, what_happened=words,
                           customer=make_customer(s, name=name, email=f"{name.split()[0].lower()}@fans.example"))
                 for name, words in (("James Smith", "I was charged twice for the cup match."),
                                     ("Olivia Taylor", "My season ticket card would not open the turnstile."),
                                     ("Leo Hall", "The kiosk ran out of food at half time."))]
        s.commit()
        first, second, third = (c.reference for c in cases)

    sign_in(page, live_server.url, "priya@staff.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    queue = page.locator("table[data-queue]")
    expect(queue.locator("a[data-case-link]")).to_have_count(3)
    page.get_by_label(f"Select {first}").check()
    page.get_by_label(f"Select {third}").check()
    page.get_by_label("To", exact=True).select_option(label="Tom Fletcher (0 open)")
    page.get_by_label("Context note for the new owner").fill(NOTE)
    page.get_by_role("button", name="Reassign selected").click()
    expect(page.get_by_text("2 cases now owned by Tom Fletcher, each with your note.")).to_be_visible()
    owners = {row.locator("a[data-case-link]").inner_text(): row.locator(".queue__owner").inner_text()
              for row in page.locator("table[data-queue] tbody tr").all()}
    assert owners == {first: "Tom Fletcher", second: "Maria Lopez", third: "Tom Fletcher"}
    check_accessibility(page)
    told = {m["To"] for m in live_server.emails() if "Tom is now looking after" in m["Subject"]}
    assert told == {"james@fans.example", "leo@fans.example"}

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "tom@staff.example")
    page.get_by_role("link", name=first).click()
    assert NOTE in page.get_by_role("region", name="Handoff note from Priya Shah").inner_text()


def test_the_menu_fits_one_line_and_folds_behind_one_link_on_a_phone_without_javascript(live_server, browser):
    with live_server.session() as s:
        load_demo(s, customers=60, cases=90)
        s.commit()
    wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = wide.new_page()
    sign_in(page, live_server.url, "priya.shah@rovers.example", DEMO_PASSWORD)
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all()) if box}
    assert links.count() >= 9 and len(tops) == 1, tops
    expect(page.get_by_role("link", name="Menu")).to_be_hidden()
    wide.close()

    phone = browser.new_context(viewport={"width": 320, "height": 740}, locale="en-GB", java_script_enabled=False)
    narrow = phone.new_page()
    sign_in(narrow, live_server.url, "priya.shah@rovers.example", DEMO_PASSWORD)
    team = narrow.get_by_role("link", name="Team", exact=True)
    expect(team).to_be_hidden()
    narrow.get_by_role("link", name="Menu").click()
    expect(team).to_be_visible()  # (axe needs JavaScript: the open menu is checked in the next test)
    team.click()
    expect(narrow.get_by_role("heading", name="Team cases")).to_be_visible()
    expect(narrow.get_by_role("link", name="Team", exact=True)).to_be_hidden()
    phone.close()


PAGES = {"my-cases": ("maria.lopez@rovers.example", "/staff/cases"),
         "team": ("priya.shah@rovers.example", "/staff/team"),
         "search": ("priya.shah@rovers.example", "/staff/search?q=ticket")}


def test_the_queue_pages_read_at_1280_and_at_320_px(live_server, browser):
    with live_server.session() as s:
        load_demo(s, customers=60, cases=90)
        s.commit()
    DOCS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        page = context.new_page()
        for name, (who, path) in PAGES.items():
            sign_in(page, live_server.url, who, DEMO_PASSWORD)
            page.goto(live_server.url + path)
            expect(page.locator("table[data-queue] a[data-case-link]").first).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            if width == 1280:  # one line per case
                row = page.locator("table[data-queue] tbody tr").first
                assert row.bounding_box()["height"] < 48, (name, row.bounding_box())
            check_accessibility(page)
            shutil.copy(screenshot(page, f"18-{name}-{width}"), DOCS / f"18-{name}-{width}.png")
            if width == 320 and name == "team":
                page.get_by_role("link", name="Menu").click()
                expect(page.get_by_role("link", name="Close menu")).to_be_visible()
                check_accessibility(page)
            page.get_by_role("button", name="Sign out").click()
        context.close()
