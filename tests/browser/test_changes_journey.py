import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import PASSWORD, make_case, make_category, make_customer, make_employee, make_team

pytestmark = pytest.mark.browser


def test_a_manager_groups_cases_publishes_a_change_and_the_customer_is_told(live_server, page):
    with live_server.session() as s:
        team = make_team(s, "Catering")
        make_employee(s, name="Grace Okafor", email="grace@staff.example", role=Role.manager, team=team)
        category = make_category(s, team=team, name="Food and drink")
        for i, words in enumerate(["The north stand queue took 25 minutes at half-time.",
                                   "Cold pies at the north stand again."]):
            case = make_case(s, category=category, what_happened=words,
                             customer=make_customer(s, name=f"Fan {i}", email=f"fan{i}@fans.example"))
            case.consent_to_contact = True
        s.commit()

    page.goto(live_server.url + "/staff/sign-in")
    page.get_by_label("E-mail address").fill("grace@staff.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Themes").click()
    page.get_by_label("Theme", exact=True).fill("Queues at the north stand")
    page.get_by_role("button", name="Create theme").click()
    page.get_by_label("Words").fill("north stand")
    page.get_by_role("form", name="Search cases").get_by_role("button", name="Search").click()
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="Link the chosen cases").click()
    expect(page.get_by_text("2 cases linked")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Write a change for this theme").click()
    page.get_by_label("Title").fill("Two more tills at the north stand")
    page.get_by_label("You said").fill("Half-time queues at the north stand were far too long.")
    page.get_by_label("We did", exact=True).fill("We opened two more tills at half-time from October.")
    page.get_by_label("Done", exact=True).check()
    page.get_by_role("button", name="Save change").click()
    check_accessibility(page)
    page.get_by_role("button", name="Publish and tell customers").click()
    expect(page.get_by_text("2 customers who raised it will be told")).to_be_visible()
    page.get_by_role("link", name="see the public page").click()
    expect(page.get_by_role("heading", name="Two more tills at the north stand")).to_be_visible()
    expect(page.get_by_text("2 supporters told us")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "you-said-we-did-change")
    page.goto(live_server.url + "/you-said-we-did/")
    check_accessibility(page)
    screenshot(page, "you-said-we-did-index")
    told = sorted(m["To"] for m in live_server.emails() if "You said, we did" in m["Subject"])
    assert told == ["fan0@fans.example", "fan1@fans.example"]
