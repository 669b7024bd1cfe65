"""An agent takes a call, end to end in Chromium: finds the caller by phone number, logs the case with its talk time,
puts it right on the spot within their limit, then finds the case again by a word of what happened. axe clean, no
duplicate ids, no sideways scroll at 320 px. Screenshots: log-contact-1280, log-contact-320."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.cases.models import Case, CaseStatus, Customer
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_category, make_customer, make_employee, make_team

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DUPLICATE_IDS = "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);" \
                " return ids.filter((id, i) => ids.indexOf(id) !== i); }"


def test_an_agent_takes_a_call_and_puts_it_right_on_the_spot(live_server, browser):
    with live_server.session() as s:
        office = make_team(s, "Ticket Office")
        maria = make_employee(s, name="Maria Lopez", email="maria@staff.example", team=office,
                              authority_limit="50")
        make_category(s, team=office, name="Tickets and season tickets")
        caller = make_customer(s, name="Olivia Brown", email="olivia@fans.example")
        caller.phone = "+44 7700 900123"
        caller.membership = "Season-ticket holder"
        s.commit()
        caller_id = caller.id

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, maria.email)
    page.get_by_role("link", name="New case").click()
    page.get_by_label("Name, e-mail address or phone number").fill("07700 900123")
    page.get_by_role("button", name="Find").click()
    who = page.get_by_role("group", name="Who is it?")
    assert who.get_by_label("Olivia Brown · olivia@fans.example").is_checked()  # the one match, chosen
    page.get_by_role("group", name="How did they get in touch?").get_by_label("Phone call").check()
    page.get_by_label("What is it about?").select_option(label="Tickets and season tickets")
    page.get_by_label("What happened?").fill("The turnstile rejected her season card at gate 7 twice.")
    page.get_by_label("What can we do to make this right?").fill("Refund the programme she missed buying.")
    page.get_by_label("Talk time (optional)").fill("4:30")
    page.get_by_label("Hold time (optional)").fill("0:45")
    page.get_by_label("I put it right there and then").check()
    page.get_by_label("What kind of remedy?").select_option(label="Refund")
    page.get_by_label("What you gave or did, in the customer's words").fill("A refund of £4 for the programme.")
    page.get_by_label("Cost to us (£)").fill("4")
    assert page.evaluate(DUPLICATE_IDS) == []
    check_accessibility(page)
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(page, "log-contact-1280"), DOCS / "log-contact-1280.png")
    page.get_by_role("button", name="Log the case").click()
    page.get_by_text("resolved at first contact").wait_for()

    with live_server.session() as s:
        case = s.scalar(select(Case))
        assert (case.customer_id, case.status, case.talk_seconds, case.hold_seconds) == \
            (caller_id, CaseStatus.resolved, 270, 45)
        assert s.get(Customer, caller_id).email == "olivia@fans.example"
        reference = case.reference
    assert page.url.endswith(f"/staff/cases/{reference}")
    sent = {m["Subject"] for m in live_server.emails() if m["To"] == "olivia@fans.example"}
    assert any(reference in subject for subject in sent) and len(sent) == 2  # the receipt, then the letter

    box = page.get_by_role("searchbox", name="Search cases and customers")
    box.fill("turnstile")
    box.press("Enter")
    expect(page.locator("mark", has_text="turnstile").first).to_be_visible()
    expect(page.get_by_role("link", name=reference).first).to_be_visible()
    context.close()

    phone = browser.new_context(viewport={"width": 320, "height": 740}, locale="en-GB")
    narrow = phone.new_page()
    sign_in(narrow, live_server.url, maria.email)
    narrow.goto(live_server.url + "/staff/cases/new?find=07700+900123")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    assert narrow.evaluate(DUPLICATE_IDS) == []
    check_accessibility(narrow)
    shutil.copy(screenshot(narrow, "log-contact-320"), DOCS / "log-contact-320.png")
    phone.close()
