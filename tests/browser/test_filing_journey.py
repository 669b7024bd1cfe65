import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_category, make_employee, make_team

pytestmark = pytest.mark.browser


def test_a_customer_files_on_a_phone_follows_the_private_link_and_replies(live_server, phone_page):
    with live_server.session() as s:
        team = make_team(s, "Ticket Office")
        make_employee(s, name="Maria Lopez", team=team, email="maria@staff.example")
        make_category(s, team=team, name="Tickets and season tickets")
        s.commit()
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Tell us what happened").click()
    check_accessibility(page)
    page.get_by_role("button", name=re.compile("^Send")).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "filing-errors-phone")
    page.get_by_label("Your name").fill("James Smith")
    page.get_by_label("E-mail address").fill("james@fans.example")
    page.get_by_label("What is it about?").select_option(label="Tickets and season tickets")
    page.get_by_label("What happened?").fill("My season card would not scan at turnstile 14 and I missed kick-off.")
    page.get_by_label("What can we do to make this right?").fill("A credit for the next home match.")
    page.get_by_label("Tell me about changes this feedback leads to").check()
    screenshot(page, "filing-form-phone")
    page.get_by_role("button", name=re.compile("^Send")).click()
    expect(page.get_by_text("Maria from Ticket Office owns your case")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "filing-received-phone")

    [receipt] = live_server.emails()
    link = re.search(r"http://127\.0\.0\.1:\d+/my-case/\S+", receipt.get_body(("plain",)).get_content()).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Your case")).to_be_visible()
    expect(page.get_by_text("My season card would not scan")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Your reply").fill("I still have the ticket stub if you need it.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply has been sent to Maria.")).to_be_visible()
    expect(page.get_by_text("I still have the ticket stub if you need it.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "case-page-phone")
    assert live_server.emails()[-1]["To"] == "maria@staff.example"
