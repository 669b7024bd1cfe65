"""Ask the team end to end: a manager asks the Ticket Office a question, two agents find it at the top of the ideas
box and answer it, and the manager reads the answers grouped by what they say and who has not answered yet; then
forms a task force from the answers, measured against the first-response time; a member finds it under "My task
forces" and adds a meeting note; the figure's table on the task force page matches the dashboard's for the same
weeks. Axe clean, no id twice, nothing scrolling sideways at 320 px. Screenshots: docs/screenshots/22-*-1280.png
and -320.png."""

import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.cases.timeline import record
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import make_case, make_category, make_ticket_office

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


def _first_replies(s, office, weeks: int = 6) -> None:
    """A case a week for the Ticket Office over the last weeks, answered in 30 hours before three weeks ago and in
    8 since: the figure the task force is measured against."""
    category = make_category(s, team=office.team, name="Tickets")
    today = date.today()
    for week in range(weeks, 0, -1):
        filed = datetime.combine(today - timedelta(weeks=week, days=-1), time(10), tzinfo=UTC)
        case = make_case(s, owner=office.maria, category=category)
        case.created_at = filed
        record(s, case, "filed", by_customer=True, at=filed)
        record(s, case, "reply", by=office.maria, public=True,
               at=filed + timedelta(hours=30 if week > 3 else 8))


def _table(page, locator) -> dict[str, str]:
    """A table's rows as {first cell: every cell of the row}."""
    rows = {}
    for row in locator.locator("tbody tr").all():
        cells = [c.inner_text().strip() for c in row.locator("th, td").all()]
        rows[cells[0]] = cells
    return rows


def test_a_manager_asks_two_agents_answer_and_the_answers_are_summed_up(live_server, browser):
    with live_server.session() as s:
        office = make_ticket_office(s)
        _first_replies(s, office)
        s.commit()
        team_id = office.team.id
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

    question_path = page.url.replace(live_server.url, "")

    page.get_by_role("link", name="Form a task force from the answers").click()
    expect(page.get_by_label("The care inbox has no owner before noon")).to_be_checked()
    expect(page.get_by_label("The figure it should move")).to_have_value("first_response")
    page.get_by_label("Name", exact=True).fill("Answer within a day")
    page.get_by_label("Goal").fill("Median first response under 24 hours for the Ticket Office")
    page.get_by_label("Due date").fill((date.today() + timedelta(weeks=8)).isoformat())
    page.get_by_label("Maria Lopez, Ticket Office").check()
    page.get_by_label("Starts on").fill((date.today() - timedelta(weeks=3)).isoformat())
    page.get_by_role("button", name="Form task force").click()
    expect(page.get_by_role("heading", name="First-response time for Ticket Office, week by week")).to_be_visible()
    force_path = page.url.replace(live_server.url, "")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "maria@staff.example")
    page.goto(live_server.url + "/staff/ideas/")
    page.get_by_role("link", name="My task forces").click()
    page.get_by_role("link", name="Answer within a day").click()
    page.get_by_label("What was found or agreed").fill("The inbox is read at noon; Tom will open it at nine.")
    page.get_by_role("button", name="Add meeting note").click()
    expect(page.get_by_text("Meeting note added.")).to_be_visible()
    expect(page.get_by_role("region", name="Meeting notes")).to_contain_text("Tom will open it at nine")
    force_table = _table(page, page.get_by_role("region", name="Median hours to first response, week by week"))
    check_accessibility(page)
    shutil.copy(screenshot(page, "22-task-force-1280"), DOCS / "22-task-force-1280.png")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "priya@staff.example")
    page.goto(f"{live_server.url}/staff/metrics/?period=90d&team={team_id}")
    expect(page.get_by_text("Task force “Answer within a day” starts").first).to_be_visible()
    board = _table(page, page.locator("table[aria-labelledby=trend-title]"))
    weeks = [w for w in force_table if w.split(" Task force")[0] in board][1:]  # the board's first week is cut short
    assert len(weeks) >= 5, (force_table, board)
    for week in weeks:
        label = week.split(" Task force")[0]
        shown = force_table[week][1].replace(" hours", "")
        assert shown == (board[label][2] or "–"), (label, force_table[week], board[label])
    shutil.copy(screenshot(page, "22-dashboard-marker-1280"), DOCS / "22-dashboard-marker-1280.png")

    phone = browser.new_context(viewport={"width": 320, "height": 740}, locale="en-GB").new_page()
    sign_in(phone, live_server.url, "priya@staff.example")
    for path, name in ((question_path, "answers"), ("/staff/ideas/questions/new", "ask"), (force_path, "task-force")):
        phone.goto(live_server.url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
        check_accessibility(phone)
        shot = f"22-{name}-320" if name == "task-force" else f"22-question-{name}-320"
        shutil.copy(screenshot(phone, shot), DOCS / f"{shot}.png")
