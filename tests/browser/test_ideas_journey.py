from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_employee, make_team

pytestmark = pytest.mark.browser


def test_an_employee_files_an_idea_and_a_manager_forms_a_task_force(live_server, page):
    with live_server.session() as s:
        team = make_team(s, "Catering")  # Grace decides on the ideas of her own team's people
        make_employee(s, name="Sam Whitaker", email="sam@staff.example", team=team)
        make_employee(s, name="Hannah Kelly", email="hannah@staff.example", team=team)
        make_employee(s, name="Grace Okafor", email="grace@staff.example", role=Role.manager, team=team)
        s.commit()

    sign_in(page, live_server.url, "sam@staff.example")
    page.get_by_role("link", name="Ideas").click()
    page.get_by_role("link", name="Share an idea").click()
    check_accessibility(page)
    page.get_by_label("Something stopping us from giving good service").check()
    page.get_by_label("Title").fill("Hand scanners at the turnstiles")
    page.get_by_label("Tell us more").fill("Cards fail to scan and fans miss kick-off queuing at the office.")
    page.get_by_role("button", name="Send idea").click()
    expect(page.get_by_role("heading", name="Hand scanners at the turnstiles")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "grace@staff.example")
    page.get_by_role("link", name="Ideas").click()
    check_accessibility(page)
    screenshot(page, "ideas-index")
    page.get_by_role("link", name="Hand scanners at the turnstiles").click()
    page.get_by_role("link", name="Form a task force around this").click()
    check_accessibility(page)
    page.get_by_label("Name").fill("Turnstile fallback")
    page.get_by_label("Goal").fill("Nobody waits more than five minutes when a card fails.")
    page.get_by_label("Due date").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("Sam Whitaker").check()
    page.get_by_label("Hannah Kelly").check()
    screenshot(page, "task-force-form")
    page.get_by_role("button", name="Form task force").click()
    expect(page.get_by_role("heading", name="Turnstile fallback")).to_be_visible()
    expect(page.get_by_role("link", name="Hand scanners at the turnstiles")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "task-force")
    expect(page.get_by_text("Hannah Kelly, Catering")).to_be_visible()
    assert any("Task force" in m["Subject"] for m in live_server.emails())

    page.get_by_role("link", name="Close the task force").click()
    check_accessibility(page)
    page.get_by_label("What changed").fill("A steward with a hand scanner at every block of turnstiles.")
    page.get_by_label("Why close it now").fill("The goal is met.")
    page.get_by_role("button", name="Close task force").click()
    expect(page.get_by_text("A steward with a hand scanner at every block of turnstiles.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "hannah@staff.example")
    assert any(m["Subject"] == "You are on the task force “Turnstile fallback”" for m in live_server.emails())
    page.get_by_role("link", name="Ideas").click()
    page.get_by_role("link", name="My task forces").click()
    expect(page.get_by_role("link", name="Turnstile fallback")).to_be_visible()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    check_accessibility(page)
