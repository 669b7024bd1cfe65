import pytest
from playwright.sync_api import expect

from portal.cases.customer_access import issue_link
from portal.cases.models import CaseStatus
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_case, make_category, make_customer, make_employee, make_team

pytestmark = pytest.mark.browser

NOTE = "James wants a refund for the cup match; the payment log shows a double charge on 3 November."


def test_an_agent_works_the_queue_replies_asks_for_help_and_hands_off(live_server, page, browser):
    with live_server.session() as s:
        team = make_team(s, "Ticket Office")
        maria = make_employee(s, name="Maria Lopez", email="maria@staff.example", team=team)
        make_employee(s, name="Tom Fletcher", email="tom@staff.example", team=team)
        make_employee(s, name="Aisha Begum", email="aisha@staff.example", team=make_team(s, "Stewarding"))
        case = make_case(s, owner=maria, category=make_category(s, team=team, name="Tickets"),
                         customer=make_customer(s, name="James Smith", email="james@fans.example"),
                         what_happened="I was charged twice for the cup match tickets.")
        token = issue_link(s, case)
        s.commit()
        reference = case.reference

    sign_in(page, live_server.url, "maria@staff.example")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "my-cases")
    page.get_by_role("link", name=reference).click()
    check_accessibility(page)
    page.get_by_label("Reply to the customer").fill("Sorry James, I can see the double charge and I am on it.")
    page.get_by_role("button", name="Send to James").click()
    expect(page.get_by_text("Reply sent to James by e-mail.")).to_be_visible()
    page.get_by_role("link", name="Ask a colleague to help").click()  # each action has a page of its own
    page.get_by_label("Colleague").select_option(label="Aisha Begum (Stewarding)")
    page.get_by_role("button", name="Ask for help").click()
    expect(page.get_by_text("Your colleague has been asked to help.")).to_be_visible()
    page.get_by_role("link", name="Hand off to someone else").click()
    page.get_by_label("New owner", exact=True).select_option(label="Tom Fletcher (Ticket Office)")
    page.get_by_label("Needs someone with specialist knowledge").check()
    page.get_by_label("Context note for the new owner").fill(NOTE)
    screenshot(page, "case-handoff-form")
    page.get_by_role("button", name="Hand off").click()
    expect(page.get_by_text(f"{reference} is now owned by Tom Fletcher.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "tom@staff.example")
    page.get_by_role("link", name=reference).click()
    handoff = page.get_by_role("region", name="Handoff note from Maria Lopez")
    assert handoff.is_visible() and NOTE in handoff.inner_text()
    first_heading = page.locator("main h2").first.inner_text()
    assert first_heading == "Handoff note from Maria Lopez"
    check_accessibility(page)
    screenshot(page, "case-after-handoff")

    customer = browser.new_context().new_page()
    customer.goto(f"{live_server.url}/my-case/{token}")
    assert customer.get_by_text("Tom, Ticket Office").is_visible()
    assert customer.get_by_text("Your case is now looked after by Tom from Ticket Office.").is_visible()
    customer.context.close()
    assert any(m["To"] == "james@fans.example" and "Tom is now looking after" in m["Subject"]
               for m in live_server.emails())


def test_a_closed_case_offers_no_reply_box_but_says_how_to_write_again(live_server, page):
    with live_server.session() as s:
        team = make_team(s, "Ticket Office")
        owner = make_employee(s, name="Priya Shah", email="priya@staff.example", team=team)
        case = make_case(s, owner=owner, category=make_category(s, team=team, name="Tickets"),
                         customer=make_customer(s, name="James Smith", email="james@fans.example"),
                         status=CaseStatus.closed)
        s.commit()
        reference = case.reference

    sign_in(page, live_server.url, "priya@staff.example")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/staff/cases/{reference}")
        section = page.locator("#composer-reply")
        expect(section.get_by_text("This case is closed, so it takes no replies")).to_be_visible()
        assert section.get_by_role("textbox").count() == 0
        expect(page.get_by_role("button", name="Send to James")).to_have_count(0)
        check_accessibility(page)
        screenshot(page, f"closed-case-{width}")
