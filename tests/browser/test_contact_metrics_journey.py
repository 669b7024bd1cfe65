import random

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.cases.models import Case, Channel
from portal.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import check_accessibility, screenshot, sign_in

pytestmark = pytest.mark.browser


def _every_channel(s) -> None:
    """The demo's cases spread over every channel, with talk and hold times on most calls."""
    rng = random.Random(4)
    for case in s.scalars(select(Case).order_by(Case.id)):
        case.channel = rng.choices(list(Channel), weights=[45, 25, 18, 6, 3, 3])[0]
        if case.channel is Channel.phone and rng.random() < 0.9:
            case.talk_seconds, case.hold_seconds = rng.randint(40, 1200), rng.choice([0, rng.randint(5, 300)])


def test_a_manager_reads_channels_fcr_and_call_times_at_1280_and_320_px(live_server, page):
    with live_server.session() as s:
        load_demo(s, customers=120, cases=200)
        _every_channel(s)
        s.commit()
    sign_in(page, live_server.url, "alex.morgan@rovers.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Period", exact=True).select_option(label="Last 12 months")
    page.get_by_role("button", name="Show").click()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        expect(page.get_by_role("heading", name="By channel", exact=True)).to_be_visible()
        expect(page.get_by_text("Medians and 90th percentiles are exact")).to_be_visible()
        expect(page.get_by_role("link", name="resolved at first contact")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        check_accessibility(page)
        screenshot(page, f"dashboard-channels-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Phone call", exact=True).click()
    expect(page.get_by_role("heading", name="Cases that came in by phone call")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Talk / hold")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "dashboard-phone-calls")
