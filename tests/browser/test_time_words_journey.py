"""In Chromium: focus after a failed submit, one radio style, and the pages whose words and times changed."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import make_case, make_category, make_employee, make_offer, make_team

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)


def _club(live_server):
    with live_server.session() as s:
        team = make_team(s, "Catering")
        sam = make_employee(s, name="Sam Whitaker", team=team, email="sam@staff.example")
        from portal.auth.models import Role

        team.manager = make_employee(s, name="Grace Okafor", team=team, email="grace@staff.example", role=Role.manager)
        make_category(s, team=team, name="Food and drink")
        case = make_case(s, owner=sam, category=make_category(s, team=team, name="Kiosks"))
        s.commit()
        return case.reference


def _focused_class(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.className")


@pytest.mark.parametrize("javascript", [True, False])
def test_a_failed_submit_moves_focus_to_the_error_summary(live_server, browser, javascript):
    _club(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/tell-us")
    page.get_by_role("button", name=re.compile("^Send")).click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    # The page has loaded once its deferred script has run (the heading can show before that on a busy machine).
    page.wait_for_load_state("load")
    assert _focused_class(page) == "error-summary"
    page.keyboard.press("Tab")  # the next stop is the summary's first link, to the first field with a problem
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("#")
    context.close()


def _radio_look(page, selector: str, pseudo: str | None = None) -> dict:
    return page.evaluate(
        """([selector, pseudo]) => { const s = getComputedStyle(document.querySelector(selector), pseudo);
           return {radius: s.borderTopLeftRadius, width: s.width, border: s.borderTopWidth}; }""",
        [selector, pseudo])


def test_every_radio_a_customer_sees_has_the_same_round_40px_look(live_server, page):
    from portal.cases.contact_preferences import preferences_link
    from portal.remedies.links import offer_token

    reference = _club(live_server)
    with live_server.session() as s:
        from sqlalchemy import select

        from portal.cases.models import Case

        offer = make_offer(s, case=s.scalar(select(Case).where(Case.reference == reference)))
        s.commit()
        token = offer_token(live_server.app.config["SECRET_KEY"], offer.id)
    page.goto(f"{live_server.url}/offers/{token}")
    card = _radio_look(page, ".radio-card input[type=radio]")
    page.goto(preferences_link("james@fans.example", secret_key=live_server.app.config["SECRET_KEY"],
                               base_url=live_server.url))
    choice = _radio_look(page, ".choice__input[type=radio] + .choice__label", "::before")
    assert card["radius"] == choice["radius"] == "50%"
    assert card["width"] == choice["width"] == "40px" and card["border"] == choice["border"] == "2px"


def test_the_changed_pages_at_1280_and_320(live_server, browser):
    """Screenshots for the record: the received page, the offer with its deadline, the staff case page."""
    reference = _club(live_server)
    with live_server.session() as s:
        from sqlalchemy import select

        from portal.cases.models import Case
        from portal.cases.timeline import record

        case = s.scalar(select(Case).where(Case.reference == reference))
        offer = make_offer(s, case=case)
        record(s, case, "rated", by_customer=True, public=True, body="Quick, thanks.",
               detail={"score": 4, "made_it_right": True})
        s.commit()
        from portal.remedies.links import offer_token

        token = offer_token(live_server.app.config["SECRET_KEY"], offer.id)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.goto(live_server.url + "/tell-us")
        page.get_by_label("Your name").fill("James Smith")
        page.get_by_label("E-mail address").fill(f"james{width}@fans.example")
        page.get_by_label("What is it about?").select_option(label="Food and drink")
        page.get_by_label("What happened?").fill("The pies were cold at half time.")
        page.get_by_label("What can we do to make this right?").fill("A voucher for the next match.")
        page.get_by_role("button", name=re.compile("^Send")).click()
        expect(page.get_by_text("Sam from Catering owns your case")).to_be_visible()
        assert re.search(r"will reply by \d+ \w+ 20\d\d at \d\d:\d\d (GMT|BST) \(in \d+ (hours|days?)\)",
                         page.inner_text("main"))
        screenshot(page, f"time-words-received-{width}")
        receipt = live_server.emails()[-1].get_body(("plain",)).get_content()
        page.goto(re.search(r"http://127\.0\.0\.1:\d+/my-case/\S+", receipt).group(0))
        screenshot(page, f"time-words-customer-case-{width}")
        page.goto(f"{live_server.url}/offers/{token}")
        assert re.search(r"Please choose by \d+ \w+ 20\d\d at \d\d:\d\d (GMT|BST) \(in 14 days\)",
                         page.inner_text("main"))
        screenshot(page, f"time-words-offer-{width}")
        page.goto(live_server.url + "/my-case/not-a-real-link")
        expect(page.get_by_role("link", name="Send me my links")).to_be_visible()
        screenshot(page, f"time-words-broken-link-{width}")
        sign_in(page, live_server.url, "sam@staff.example")
        page.goto(f"{live_server.url}/staff/cases/{reference}")
        main = page.inner_text("main")
        assert "rated it 4 out of 5" in main and "UTC" not in main
        screenshot(page, f"time-words-staff-case-{width}")
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, live_server.url, "grace@staff.example")
        page.goto(live_server.url + "/staff/metrics/?period=12m&group=employee")
        assert "UTC" not in page.inner_text("main")
        screenshot(page, f"time-words-dashboard-{width}")
        page.get_by_role("link", name="Sam Whitaker").click()
        expect(page.get_by_role("heading", name="All cases filed, owned by Sam Whitaker")).to_be_visible()
        screenshot(page, f"time-words-drilldown-{width}")
        context.close()
