"""Ask the team end to end: a manager asks the Ticket Office a question, two agents find it at the top of the ideas
box and answer it, and the manager reads the answers grouped by what they say and who has not answered yet. Axe
clean, no id twice, nothing scrolling sideways at 320 px. Screenshots: docs/screenshots/22-question-*-1280.png and
-320.png."""

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_ticket_office

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
QUESTION = "What is stopping us from answering within 24 hours?"


def _answer(page, url: str, who: str, title: str, body: str, kind: str, *, shot: str = "") -> None:
    sign_in(page, url, who)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ideas").click()
    asks = page.get_by_role("region", name="Your manager asks")
    expect(asks).to_contain_text(QUESTION)
    if shot:
        check_accessibility(page)
        shutil.copy(screenshot(page, shot), DOCS / f"{shot}.png")
    asks.get_by_role("link", name=f"Answer “{QUESTION}”").click()
    expect(page.get_by_role("heading", name="Answer the question")).to_be_visible()
    page.get_by_label(kind).check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Tell us more").fill(body)
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Your idea is in the box")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()


def test_a_manager_asks_two_agents_answer_and_the_answers_are_summed_up(live_server, browser):
    with live_server.session() as s:
        make_ticket_office(s)
        s.commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    sign_in(page, live_server.url, "priya@staff.example")
    page.goto(live_server.url + "/staff/ideas/")
    page.get_by_role("link", name="Ask the team").click()
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_label("More about it (optional)").fill("First replies take 41 hours on average.")
    expect(page.get_by_label("Ticket Office")).to_be_checked()
    page.get_by_label("The figure it is about").select_option(label="First-response time")
    page.get_by_label("Closing date").fill((date.today() + timedelta(days=14)).isoformat())
    check_accessibility(page)
    shutil.copy(screenshot(page, "22-question-ask-1280"), DOCS / "22-question-ask-1280.png")
    page.get_by_role("button", name="Ask the team").click()
    expect(page.get_by_text("2 colleagues have been e-mailed")).to_be_visible()
    told = {m["To"] for m in live_server.emails() if QUESTION in m["Subject"]}
    assert told == {"maria@staff.example", "tom@staff.example"}
    page.get_by_role("button", name="Sign out").click()

    _answer(page, live_server.url, "maria@staff.example", "The care inbox has no owner before noon",
            "Overnight e-mails wait until whoever starts first looks.", "Something stopping us",
            shot="22-question-ideas-box-1280")
    _answer(page, live_server.url, "tom@staff.example", "Ready-made replies for refunds",
            "Half our first replies explain the same refund rules.", "An idea to make the service better")

    sign_in(page, live_server.url, "priya@staff.example")
    page.goto(live_server.url + "/staff/ideas/")
    page.get_by_role("region", name="Your manager asks").get_by_role("link", name=QUESTION, exact=True).click()
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(page.get_by_text("2 of 2 colleagues asked have answered.")).to_be_visible()
    answers = page.get_by_role("region", name="What the answers say is stopping us")
    expect(answers.get_by_role("heading", level=3)).to_have_text([
        "Something stopping us: Not about one area (1 answer, 1 support)",
        "Idea: Not about one area (1 answer, 1 support)",
    ])
    check_accessibility(page)
    shutil.copy(screenshot(page, "22-question-answers-1280"), DOCS / "22-question-answers-1280.png")

    phone = browser.new_context(viewport={"width": 320, "height": 740}, locale="en-GB").new_page()
    sign_in(phone, live_server.url, "priya@staff.example")
    for path, name in ((page.url.replace(live_server.url, ""), "answers"), ("/staff/ideas/questions/new", "ask")):
        phone.goto(live_server.url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
        check_accessibility(phone)
        shutil.copy(screenshot(phone, f"22-question-{name}-320"), DOCS / f"22-question-{name}-320.png")
