import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import check_accessibility, screenshot

pytestmark = pytest.mark.browser


def test_a_manager_reads_the_dashboard_drills_in_and_downloads_a_csv(live_server, page):
    with live_server.session() as s:
        load_demo(s, customers=120, cases=200)
        s.commit()
    page.goto(live_server.url + "/staff/sign-in")
    page.get_by_label("E-mail address").fill("alex.morgan@rovers.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Headline figures")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Period", exact=True).select_option(label="Last 12 months")
    page.get_by_label("Trend by").select_option("month")
    page.get_by_role("button", name="Show").click()
    assert "period=12m" in page.url and "grain=month" in page.url
    screenshot(page, "dashboard")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="download as CSV").first.click()
    assert download.value.suggested_filename.startswith("make-it-right-trend-")
    page.get_by_role("link", name="overdue").click()
    expect(page.get_by_role("heading", name="Overdue at the end of the period")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "dashboard-overdue")
