"""The staff case view end to end: two panes at 1280 px (the conversation and its composer on the left, the facts,
the customer and the actions on the right), stacked at 320 px with the conversation first and nothing scrolling
sideways; the composer's two modes, with JavaScript and without; the actions' focused pages (ask a colleague to
help, hand off), and the new owner reading the handoff note first. Axe clean, no id twice. Screenshots:
docs/screenshots/18-case-*-1280.png and -320.png."""

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.cases.models import CaseStatus, Channel, CustomerNote
from portal.cases.timeline import record
from tests.browser.conftest import check_accessibility, no_duplicate_ids, screenshot, sign_in
from tests.factories import make_case, make_category, make_customer, make_employee, make_team, make_ticket_office

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
HANDOFF = ("Isla wants the two refunds (parking and the match ticket) before Saturday's game; finance confirmed "
           "the double charge. She prefers e-mail and dislikes automated replies.")


def _isla_case(live_server) -> str:
    with live_server.session() as s:
        office = make_ticket_office(s)
        team, priya, maria = office.team, office.priya, office.maria
        make_employee(s, name="Aisha Begum", email="aisha@staff.example", team=make_team(s, "Stewarding"))
        tickets = make_category(s, team=team, name="Tickets and season tickets")
        isla = make_customer(s, name="Isla Murray", email="isla.murray@fans.example")
        isla.membership, isla.lifetime_spend = "Season-ticket holder", Decimal("3480")
        isla.customer_since, isla.phone = date.today() - timedelta(days=365 * 12 + 40), "07700 900456"
        isla.preferences = "No calls on match days"
        for kind, body in (("likes", "Being kept up to date by e-mail"), ("dislikes", "Automated replies")):
            s.add(CustomerNote(customer_id=isla.id, author_id=priya.id, kind=kind, body=body))
        for _ in range(2):
            make_case(s, owner=maria, customer=isla, category=tickets, status=CaseStatus.closed)
        case = make_case(
            s, owner=maria, customer=isla, category=tickets,
            what_happened="I was charged twice for the cup match on 3 November, and the car park barrier took my "
                          "parking payment but would not open, so I paid again at the machine.",
        )
        case.make_it_right = "Refund the second ticket charge and the parking I paid twice."
        case.channel, case.better_in_future = Channel.phone, "Let the barrier read the season card."
        record(s, case, "filed", by_customer=True, public=True)
        record(s, case, "customer_reply", by_customer=True, public=True,
               body="I have attached the bank statement showing both charges.")
        record(s, case, "reply", by=maria, public=True,
               body="Thank you Isla. I can see both charges and I am asking finance to refund the second one today.")
        record(s, case, "note", by=maria, body="Finance (Dev) confirmed the duplicate; refund batch runs at 4pm.")
        record(s, case, "status", by=maria, public=True, detail={"to": "acknowledged", "reason": "Finance asked"})
        s.commit()
        return case.reference


def _look(page, name: str, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    no_duplicate_ids(page)
    check_accessibility(page)
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(page, f"18-case-{name}-{width}"), DOCS / f"18-case-{name}-{width}.png")


def test_the_case_view_in_two_panes_at_1280_stacked_at_320_and_after_a_handoff(live_server, browser):
    reference = _isla_case(live_server)
    url = f"{live_server.url}/staff/cases/{reference}"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, "maria@staff.example")
    page.goto(url)
    conversation, panel = page.locator(".case-view__conversation"), page.locator(".case-view__panel")
    left, right = conversation.bounding_box(), panel.bounding_box()
    assert right["x"] > left["x"] + left["width"] - 1 and abs(right["y"] - left["y"]) < 2, (left, right)
    # The composer's first mode is the reply; the note's box waits behind its tab.
    expect(page.get_by_role("button", name="Send to Isla")).to_be_visible()
    expect(page.get_by_role("button", name="Save internal note")).to_be_hidden()
    expect(page.locator(".entry--internal").get_by_text("Finance (Dev) confirmed")).to_be_visible()
    _look(page, "owner", 1280)

    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(url)
    composer, panel = page.locator("#composer").bounding_box(), page.locator(".case-view__panel").bounding_box()
    assert panel["y"] > composer["y"] + composer["height"] - 1, (composer, panel)  # stacked, conversation first
    _look(page, "owner", 320)

    # Each action is a link to its own page: ask Aisha to help, then hand off to Tom.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    page.get_by_role("link", name="Ask a colleague to help").click()
    page.get_by_label("Colleague").select_option(label="Aisha Begum (Stewarding)")
    page.get_by_role("button", name="Ask for help").click()
    expect(page.get_by_text("Your colleague has been asked to help.")).to_be_visible()
    expect(page.locator(".case-view__panel").get_by_text("Aisha Begum")).to_be_visible()
    page.get_by_role("link", name="Hand off to someone else").click()
    expect(page.get_by_role("heading", name="Hand off to someone else", level=1)).to_be_visible()
    page.get_by_label("New owner", exact=True).select_option(label="Tom Fletcher (Ticket Office)")
    page.get_by_label("Needs someone with specialist knowledge").check()
    page.get_by_label("Context note for the new owner").fill(HANDOFF)
    check_accessibility(page)
    no_duplicate_ids(page)
    shutil.copy(screenshot(page, "18-case-handoff-page-1280"), DOCS / "18-case-handoff-page-1280.png")
    page.get_by_role("button", name="Hand off").click()
    expect(page.get_by_text(f"{reference} is now owned by Tom Fletcher.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "aisha@staff.example")  # the helper: a draft for the owner, or a note
    page.goto(url)
    expect(page.get_by_role("button", name="Save draft for Tom")).to_be_visible()
    expect(page.get_by_role("link", name="Hand off to someone else")).to_have_count(0)
    _look(page, "helper", 1280)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "tom@staff.example")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        assert page.locator("main h2").first.inner_text() == "Handoff note from Maria Lopez"
        assert HANDOFF in page.get_by_role("region", name="Handoff note from Maria Lopez").inner_text()
        _look(page, "new-owner", width)
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_composer_sends_a_reply_and_saves_a_note(live_server, browser, javascript):
    reference = _isla_case(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server.url, "maria@staff.example")
    page.goto(f"{live_server.url}/staff/cases/{reference}")
    page.get_by_label("Reply to the customer").fill("Both refunds are on their way, Isla: 3 to 5 working days.")
    page.get_by_role("button", name="Send to Isla").click()
    expect(page.get_by_text("Reply sent to Isla by e-mail.")).to_be_visible()
    expect(page.locator(".entry--reply").last).to_contain_text("Both refunds are on their way")

    page.get_by_text("Note for colleagues").click()  # the second tab: the reply's box and button go
    expect(page.get_by_role("button", name="Send to Isla")).to_be_hidden()
    page.get_by_label("Internal note").fill("Refunds sent in the 4pm batch; check on Monday.")
    page.get_by_role("button", name="Save internal note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    note = page.locator(".entry--internal").last
    expect(note).to_contain_text("Refunds sent in the 4pm batch")
    expect(note.locator(".entry__label")).to_have_text("Internal")
    if javascript:
        check_accessibility(page)
    told = [m for m in live_server.emails() if m["To"] == "isla.murray@fans.example"]
    assert len(told) == 1 and "4pm batch" not in told[0].get_body(("plain",)).get_content()
    context.close()
