"""The remedy loop in Chromium: offer, choice, fulfilment, rating; and the manager-approval path."""

import re

import pytest
from playwright.sync_api import expect

from portal.cases.models import Case, CaseStatus
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_case, make_catalogue_entry, make_category, make_employee, make_team

pytestmark = pytest.mark.browser


@pytest.fixture
def club(live_server):
    """A ticket office with an agent (limit £150), a manager (limit £1,000) and one case of Olivia's."""
    from portal.auth.models import Role
    from tests.factories import make_customer

    with live_server.session() as s:
        team = make_team(s, "Ticket Office")
        category = make_category(s, team=team, name="Tickets and season tickets")
        maria = make_employee(s, name="Maria Lopez", email="maria@staff.example", team=team, authority_limit="150")
        make_employee(s, name="Priya Shah", email="priya@staff.example", role=Role.manager, team=team,
                      authority_limit="1000")
        olivia = make_customer(s, name="Olivia Taylor", email="olivia@fans.example")
        case = make_case(s, owner=maria, customer=olivia, category=category, status=CaseStatus.acknowledged,
                         what_happened="My season ticket card would not scan at turnstile 14; I missed 20 minutes.")
        case.make_it_right = "Refund the match or give me a credit for the next home game."
        make_catalogue_entry(s, category=category, kind="refund", title="Refund the match ticket",
                             description="We refund what you paid for the match ticket.",
                             when_text="Back on your card within 5 working days.", typical_cost="35")
        make_catalogue_entry(s, category=category, kind="callback", title="A call from the manager",
                             description="Our Ticket Office Manager calls you.",
                             when_text="Within two working days.", typical_cost="0")
        s.commit()
        return case.reference


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def fill_option(page, index, kind, description, when, cost):
    page.locator(f"#options-{index}-kind").select_option(kind)
    page.locator(f"#options-{index}-description").fill(description)
    page.locator(f"#options-{index}-when_text").fill(when)
    page.locator(f"#options-{index}-cost").fill(cost)


def link_in(live_server, template_subject, to):
    mails = [m for m in live_server.emails() if m["To"] == to and template_subject in m["Subject"]]
    assert mails, f"no e-mail to {to} about {template_subject!r}"
    body = mails[-1].get_body(preferencelist=("plain",)).get_content()
    return re.findall(rf"{re.escape(live_server.url)}/\S+", body)


def case_status(live_server, reference):
    from sqlalchemy import select

    with live_server.session() as s:
        return s.scalar(select(Case.status).where(Case.reference == reference))


def test_offer_choose_fulfil_rate(live_server, browser, page, club):
    url = live_server.url
    sign_in(page, url, "maria@staff.example")
    page.goto(f"{url}/staff/cases/{club}/offer")
    expect(page.get_by_text("Refund the match or give me a credit for the next home game.")).to_be_visible()
    # The composer suggested the refund, which matches Olivia's words; Maria adds a credit and a call.
    expect(page.locator("#options-0-description")).to_have_value("We refund what you paid for the match ticket.")
    fill_option(page, 1, "account_credit", "A £40 credit on your supporter account.", "On your account today.", "40")
    fill_option(page, 2, "callback", "A call from me to make sure your new card works.", "Tomorrow morning.", "0")
    screenshot(page, "remedies-compose")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text("Your offer is on its way to Olivia Taylor")).to_be_visible()
    sign_out(page)

    customer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    [offer_link] = link_in(live_server, "Choose how we make it right", "olivia@fans.example")
    customer.goto(offer_link)
    expect(customer.get_by_role("heading", name="Choose how we make it right")).to_be_visible()
    check_accessibility(customer)
    screenshot(customer, "remedies-choose")
    customer.get_by_label("A £40 credit on your supporter account.").check()
    customer.get_by_role("button", name="Send my choice").click()
    expect(customer.get_by_role("heading", name="Thank you, Olivia: you chose")).to_be_visible()
    check_accessibility(customer)
    screenshot(customer, "remedies-chosen")
    assert case_status(live_server, club) is CaseStatus.remedy_chosen

    [fulfil_link] = link_in(live_server, "Olivia Taylor chose a remedy", "maria@staff.example")
    sign_in(page, url, "maria@staff.example")
    page.goto(fulfil_link)
    page.get_by_label("What was done").fill("I added £40 credit to your account and tested your new card.")
    page.get_by_role("button", name="Mark done and send the letter").click()
    expect(page.get_by_text(f"{club} is resolved.")).to_be_visible()
    expect(page.get_by_role("link", name="Download the resolution letter (PDF)")).to_be_visible()
    screenshot(page, "remedies-resolved-staff")

    rate_link = next(link for link in link_in(live_server, "Done: how we made it right", "olivia@fans.example")
                     if link.endswith("/rate"))
    customer.goto(rate_link)
    customer.get_by_role("group", name="Did we make it right?").get_by_label("Yes").check()
    customer.get_by_label("5 – very good").check()
    customer.get_by_label("Anything you would like to add? (optional)").fill("Sorted in a day. Thank you!")
    check_accessibility(customer)
    screenshot(customer, "remedies-rate")
    customer.get_by_role("button", name="Send").click()
    expect(customer.get_by_role("heading", name="Thank you, Olivia")).to_be_visible()
    assert case_status(live_server, club) is CaseStatus.resolved


def test_an_offer_above_the_limit_goes_through_the_manager(live_server, browser, page, club):
    url = live_server.url
    sign_in(page, url, "maria@staff.example")
    page.goto(f"{url}/staff/cases/{club}/offer")
    fill_option(page, 1, "gesture", "Two seats in the Riverside Lounge with a pre-match meal.",
                "Pick the match with us; tickets a week before.", "240")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text("a manager will approve it first")).to_be_visible()
    sign_out(page)
    assert not [m for m in live_server.emails() if m["To"] == "olivia@fans.example"]

    sign_in(page, url, "priya@staff.example")
    page.get_by_role("link", name="Approvals").click()
    expect(page.get_by_role("cell", name="£240.00")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=f"Review the offer on {club}").click()
    screenshot(page, "remedies-review")
    page.get_by_role("button", name="Approve and send to the customer").click()
    expect(page.get_by_text(f"Approved: the offer on {club} is on its way to Olivia Taylor.")).to_be_visible()
    assert case_status(live_server, club) is CaseStatus.remedy_offered

    [offer_link] = link_in(live_server, "Choose how we make it right", "olivia@fans.example")
    customer = browser.new_context(locale="en-GB").new_page()
    customer.goto(offer_link)
    customer.get_by_label("Two seats in the Riverside Lounge").check()
    customer.get_by_role("button", name="Send my choice").click()
    expect(customer.get_by_text("Two seats in the Riverside Lounge with a pre-match meal.")).to_be_visible()
    # A second visit after the choice shows it, with no way to choose again.
    customer.goto(offer_link)
    expect(customer.get_by_role("button", name="Send my choice")).to_have_count(0)
