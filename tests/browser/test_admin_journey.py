import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_employee, make_team

pytestmark = pytest.mark.browser


def test_an_admin_invites_a_colleague_and_sees_it_in_the_audit_log(live_server, page):
    with live_server.session() as s:
        make_team(s, "Parking")
        make_employee(s, name="Alex Morgan", email="alex@staff.example", role=Role.admin)
        s.commit()
    sign_in(page, live_server.url, "alex@staff.example")
    page.get_by_role("link", name="Admin").click()
    check_accessibility(page)
    page.get_by_role("link", name="Employees").click()
    page.get_by_role("link", name="Invite an employee").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "admin-invite-errors")
    page.get_by_label("E-mail address").fill("owen@staff.example")
    page.get_by_label("Full name").fill("Owen Price")
    page.get_by_label("Job title").fill("Car Park Supervisor")
    page.get_by_label("Role").select_option(label="Agent")  # no role is chosen for you
    page.get_by_label("Team").select_option(label="Parking")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("cell", name="Owen Price")).to_be_visible()
    check_accessibility(page)
    page.goto(live_server.url + "/staff/admin/audit")
    expect(page.get_by_text("Owen Price invited as agent")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "admin-audit")
    assert [m["To"] for m in live_server.emails()] == ["owen@staff.example"]
