"""A task force formed from a question's answers and measured against its figure (the pages, CSRF on): the form
starts from the question, the task force's page shows the figure week by week, and the dashboard marks the start."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from portal.auth.models import Role
from portal.ideas import questions
from portal.ideas.box import submit_idea
from portal.ideas.models import IdeaKind, TaskForce
from tests.factories import make_category, make_employee, make_team, sign_in

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def asked(db_session):
    tickets = make_team(db_session, "Ticket Office")
    priya = make_employee(db_session, name="Priya Shah", email="priya@staff.example", role=Role.manager,
                          team=tickets)
    tickets.manager = priya
    maria = make_employee(db_session, name="Maria Lopez", email="maria@staff.example", team=tickets)
    make_category(db_session, team=tickets, name="Tickets")
    question = questions.ask(db_session, by=priya, text="What is stopping us from answering within 24 hours?",
                             detail="", teams=[tickets], figure="first_response",
                             closes_on=date(2026, 11, 24), today=NOW.date())
    answer = submit_idea(db_session, author=maria, title="The care inbox has no owner", body="Mail waits.",
                         kind=IdeaKind.blocker, category=None, question=question, today=NOW.date())
    db_session.commit()
    return {"question": question, "answer": answer, "tickets": tickets, "maria": maria}


def test_a_task_force_formed_from_a_question_starts_with_its_answers_and_figure(client, asked, db_session):
    sign_in(client, "priya@staff.example")
    question_page = client.get(f"/staff/ideas/questions/{asked['question'].id}").get_data(as_text=True)
    assert f'href="/staff/ideas/task-forces/new?question={asked["question"].id}"' in question_page
    form = client.get(f"/staff/ideas/task-forces/new?question={asked['question'].id}").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*name="ideas"[^>]*value="{asked["answer"].id}"', form)
    assert re.search(r'<option selected value="first_response">', form)
    assert re.search(rf'<option selected value="{asked["tickets"].id}">Ticket Office', form)
    response = client.post("/staff/ideas/task-forces/new", data={
        "name": "Answer within a day", "goal": "Median first response under 24 h for Ticket Office",
        "due_on": "2026-12-31", "ideas": [str(asked["answer"].id)], "members": [str(asked["maria"].id)],
        "figure": "first_response", "team_id": str(asked["tickets"].id), "started_on": "2026-10-19",
        "question_id": str(asked["question"].id)})
    assert response.status_code == 302
    force = db_session.query(TaskForce).one()
    assert force.question_id == asked["question"].id and force.started_on == date(2026, 10, 19)
    page = client.get(response.location).get_data(as_text=True)
    assert "First-response time for Ticket Office, week by week" in page
    assert "w/c 19 Oct <span class=\"tag\">Task force starts</span>" in page and "w/c 24 Aug" in page
    assert "What is stopping us from answering within 24 hours?</a>" in page  # grew from the question
    board = client.get("/staff/metrics/?period=90d").get_data(as_text=True)
    assert "Task force “Answer within a day” starts" in board


def test_a_figure_without_a_team_is_explained_and_nothing_formed(client, asked, db_session):
    sign_in(client, "priya@staff.example")
    response = client.post("/staff/ideas/task-forces/new", data={
        "name": "Answer within a day", "goal": "Faster first replies", "due_on": "2026-12-31",
        "ideas": [str(asked["answer"].id)], "members": [str(asked["maria"].id)], "figure": "first_response",
        "team_id": "0"})
    assert response.status_code == 422
    assert "Choose the team whose figure the task force should move." in response.get_data(as_text=True)
    assert db_session.query(TaskForce).count() == 0


def test_a_task_force_aimed_at_no_figure_shows_none(client, asked, db_session):
    sign_in(client, "priya@staff.example")
    response = client.post("/staff/ideas/task-forces/new", data={
        "name": "Tidy the inbox", "goal": "One owner for the care inbox", "due_on": "2026-12-31",
        "ideas": [str(asked["answer"].id)], "members": [str(asked["maria"].id)], "figure": "", "team_id": "0"})
    assert response.status_code == 302
    assert "week by week" not in client.get(response.location).get_data(as_text=True)
