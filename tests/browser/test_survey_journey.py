"""A manager builds a survey with a briefing and four kinds of question, invites a group of three imported
from a CSV file; two members answer (one over two visits); the results page and the PDF show the figures."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from tests.browser.conftest import SCREENSHOTS, check_accessibility, screenshot, sign_in
from tests.factories import make_employee

pytestmark = pytest.mark.browser

MEMBERS = b"""name,email,membership_number,member_since
Olivia Taylor,olivia@fans.example,ST-1001,2010-08-01
James Smith,james@fans.example,ST-1002,2025-07-15
Ravi Patel,ravi@fans.example,ST-1003,2019-03-01
"""


def _add_question(page, kind: str, fill) -> None:
    page.get_by_role("radio", name=kind, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    fill()
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Question added.")).to_be_visible()


def _build_survey(page, live_server, tmp_path) -> None:
    members = tmp_path / "members.csv"
    members.write_bytes(MEMBERS)
    page.goto(live_server.url + "/staff/focus-groups/")
    page.get_by_label("Group name").fill("North Stand 2026")
    page.get_by_role("button", name="Create group").click()
    page.get_by_label("CSV file", exact=True).set_input_files(str(members))
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("button", name="Import 3 members").click()

    page.get_by_role("link", name="Surveys").click()
    page.get_by_label("Title").fill("Match-day travel 2027")
    page.get_by_label("Focus group to invite").select_option(label="North Stand 2026")
    page.get_by_label("Briefing: our goals and challenges").fill(
        "## What we are trying to do\nEveryone in their seat for kick-off, **without raising prices**.\n\n"
        "- The north gate queue reached 25 minutes in October.")
    page.get_by_role("button", name="Create survey").click()

    def rating():
        page.get_by_label("Question", exact=True).fill("How easy is it to get to the ground?")
        page.get_by_label("Label for the lowest point").fill("Very hard")
        page.get_by_label("Label for the highest point").fill("Very easy")

    def multiple():
        page.get_by_label("Question", exact=True).fill("What makes arriving hardest?")
        page.get_by_label("Options, one per line").fill("Queues at the north gate\nParking\nCrowded trains")
        page.get_by_label("Most choices (optional)").fill("2")

    def alternatives():
        page.get_by_label("Question", exact=True).fill("Which option should we fund for 2027?")
        page.get_by_label("Options, one per line").fill(
            "More turnstiles | Four more at the north gate, built in the summer.\n"
            "Park and ride | 900 spaces at Riverside, buses every 10 minutes.")

    def text():
        page.get_by_label("Question", exact=True).fill("What else should we know?")
        page.get_by_label("An answer is required").uncheck()
        page.get_by_label("Long answer").check()

    _add_question(page, "Rating on a scale", rating)
    _add_question(page, "Multiple choice", multiple)
    _add_question(page, "Choose between alternatives", alternatives)
    _add_question(page, "Free text", text)
    page.get_by_role("button", name="Open the survey").click()
    page.get_by_role("button", name="Invite the group").click()
    # The invitations are sent after the click's navigation: wait for the page that says so.
    page.get_by_text("3 invitations sent.").wait_for()
    screenshot(page, "survey-builder")


def _links(live_server) -> dict[str, str]:
    return {m["To"]: re.search(r"(http://\S+/s/i/[\w-]+)", m.get_body(("plain",)).get_content()).group(1)
            for m in live_server.emails() if "Your guidance" in m["Subject"]}


def _answer_page(page, rating: str, hardest: list[str], option: str, comment: str = "") -> None:
    page.get_by_role("group", name=re.compile("How easy is it")).get_by_label(rating, exact=True).check()
    for label in hardest:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("group", name=re.compile("Which option")).get_by_role("radio", name=option).check()
    if comment:
        page.get_by_label(re.compile("What else should we know")).fill(comment)


def test_a_survey_from_briefing_to_results(live_server, browser, page, tmp_path):
    with live_server.session() as s:
        make_employee(s, name="Priya Shah", email="priya@staff.example", role=Role.manager)
        s.commit()
    sign_in(page, live_server.url, "priya@staff.example")
    _build_survey(page, live_server, tmp_path)
    links = _links(live_server)
    assert set(links) == {"olivia@fans.example", "james@fans.example", "ravi@fans.example"}

    olivia = browser.new_context().new_page()
    olivia.goto(links["olivia@fans.example"])
    assert olivia.get_by_role("heading", name="What we are trying to do").is_visible()
    check_accessibility(olivia)
    olivia.get_by_role("link", name="Start").click()
    _answer_page(olivia, "4", ["Queues at the north gate", "Parking", "Crowded trains"], "More turnstiles")
    olivia.get_by_role("button", name="Check your answers").click()
    problem = "Choose no more than 2 for “What makes arriving hardest?”; you chose 3."
    assert olivia.get_by_role("alert").get_by_text(problem).is_visible()
    check_accessibility(olivia)
    screenshot(olivia, "survey-answer-error")
    olivia.get_by_label("Crowded trains", exact=True).uncheck()
    olivia.get_by_role("button", name="Check your answers").click()
    check_accessibility(olivia)
    olivia.get_by_role("button", name="Send my answers").click()
    assert olivia.get_by_role("heading", name="Thank you: your answers are sent").is_visible()
    check_accessibility(olivia)

    # James starts, saves for later, and finishes on a second visit in a new browser session.
    james = browser.new_context().new_page()
    james.goto(links["james@fans.example"] + "/1")
    james.get_by_role("group", name=re.compile("How easy is it")).get_by_label("2", exact=True).check()
    james.get_by_role("button", name="Save and come back later").click()
    assert james.get_by_role("heading", name="Your answers are saved").is_visible()
    james.context.close()
    james = browser.new_context().new_page()
    james.goto(links["james@fans.example"])
    james.get_by_role("link", name="Continue where you left off").click()
    assert james.get_by_role("group", name=re.compile("How easy is it")).get_by_label("2", exact=True).is_checked()
    _answer_page(james, "2", ["Queues at the north gate"], "Park and ride", "Buses after the match, please.")
    screenshot(james, "survey-answer-page")
    james.get_by_role("button", name="Check your answers").click()
    james.get_by_role("button", name="Send my answers").click()
    assert james.get_by_role("heading", name="Thank you: your answers are sent").is_visible()

    page.goto(page.url.split("#")[0])
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_text("2 of 3 invited members answered")).to_be_visible()
    assert page.locator(".stat").first.inner_text() == "67%"
    expect(page.get_by_text("Mean 3.0 · median 3")).to_be_visible()
    rows = page.get_by_role("table", name=re.compile("What makes arriving hardest")).get_by_role("row")
    assert rows.nth(1).inner_text().split("\t") == ["Queues at the north gate", "2", "100%"]
    check_accessibility(page)
    screenshot(page, "survey-results")

    pdf = page.request.get(live_server.url + page.url.split(live_server.url)[1].replace("/results", "/report.pdf"))
    assert pdf.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "survey-report.pdf").write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", "-layout", str(SCREENSHOTS / "survey-report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Match-day travel 2027" in text and "67%" in text and "2 of 3" in text and "Mean 3.0" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(SCREENSHOTS / "survey-report.pdf"),
                    str(SCREENSHOTS / "survey-report")], check=True)
