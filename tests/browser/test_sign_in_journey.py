import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import PASSWORD, make_employee

pytestmark = pytest.mark.browser


def test_an_employee_signs_in_and_out_on_a_phone(live_server, phone_page):
    with live_server.session() as s:
        make_employee(s, name="Maria Lopez", email="maria@staff.example")
        s.commit()
    page = phone_page
    page.goto(live_server.url + "/")
    check_accessibility(page)
    screenshot(page, "home-phone")
    page.get_by_role("link", name="Staff sign in").click()
    check_accessibility(page)
    page.get_by_label("E-mail address").fill("maria@staff.example")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "sign-in-error-phone")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status").filter(has_text="Signed in as Maria Lopez.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_the_error_pages_pass_axe(live_server, page):
    page.goto(live_server.url + "/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "404")
