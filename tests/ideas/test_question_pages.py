"""Ask the team (the pages, CSRF on): a manager asks, agents find the question at the top of the ideas box and
answer it, and the question's page sums up the answers."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from portal.auth.models import Role
from portal.ideas.models import Idea, TeamQuestion
from portal.mail.models import OutboxMessage
from tests.factories import make_employee, make_team, sign_in

QUESTION = "What is stopping us from answering within 24 hours?"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 11, 10, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def office(db_session):
    tickets, stewards = make_team(db_session, "Ticket Office"), make_team(db_session, "Stewarding")
    people = {
        "priya": make_employee(db_session, name="Priya Shah", email="priya@staff.example", role=Role.manager,
                               team=tickets),
        "maria": make_employee(db_session, name="Maria Lopez", email="maria@staff.example", team=tickets),
        "tom": make_employee(db_session, name="Tom Fletcher", email="tom@staff.example", team=tickets),
        "aisha": make_employee(db_session, name="Aisha Begum", email="aisha@staff.example", team=stewards),
    }
    tickets.manager = people["priya"]
    db_session.commit()
    return {**people, "tickets": tickets, "stewards": stewards}


def _ask(client, office, **fields):
    data = {"text": QUESTION, "detail": "First replies take 41 hours.", "teams": [str(office["tickets"].id)],
            "figure": "first_response", "closes_on": "2026-11-24"}
    return client.post("/staff/ideas/questions/new", data={**data, **fields})


def _question(db_session) -> TeamQuestion:
    return db_session.query(TeamQuestion).one()


def test_a_manager_asks_and_the_team_is_told(client, office, db_session):
    sign_in(client, "priya@staff.example")
    form = client.get("/staff/ideas/questions/new").get_data(as_text=True)
    ticked = re.search(r'<input checked[^>]*name="teams"[^>]*value="(\d+)"', form)
    assert ticked and int(ticked.group(1)) == office["tickets"].id  # their own team, ticked to begin with
    assert "Stewarding" not in form  # not theirs to ask
    response = _ask(client, office)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert QUESTION in page and "2 colleagues have been e-mailed" in page
    assert "0 of 2 colleagues asked have answered; 2 have not yet." in page
    assert {m.to_address for m in db_session.query(OutboxMessage)} == {"maria@staff.example", "tom@staff.example"}


@pytest.mark.parametrize(("fields", "message"), [
    ({"text": ""}, "Write the question you want to ask."),
    ({"teams": []}, "Choose at least one team to ask."),
    ({"closes_on": ""}, "Enter the last day answers are taken."),
    ({"closes_on": "2026-11-09"}, "The closing date cannot be in the past."),
    ({"figure": "happiness"}, "Not a valid choice"),
])
def test_a_question_that_cannot_be_asked_is_explained_and_nothing_sent(client, office, db_session, fields, message):
    sign_in(client, "priya@staff.example")
    response = _ask(client, office, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert db_session.query(TeamQuestion).count() == 0 and db_session.query(OutboxMessage).count() == 0


def test_an_agent_cannot_ask(client, office):
    sign_in(client, "maria@staff.example")
    assert client.get("/staff/ideas/questions/new").status_code == 403
    assert "Ask the team" not in client.get("/staff/ideas/").get_data(as_text=True)


def test_an_agent_answers_from_the_top_of_the_ideas_box(client, office, db_session):
    sign_in(client, "priya@staff.example")
    _ask(client, office)
    question = _question(db_session)
    client.post("/staff/sign-out")
    sign_in(client, "maria@staff.example")
    box = client.get("/staff/ideas/").get_data(as_text=True)
    assert "Your manager asks" in box and QUESTION in box
    assert f'href="/staff/ideas/new?question={question.id}"' in box
    form = client.get(f"/staff/ideas/new?question={question.id}").get_data(as_text=True)
    assert "Answer the question" in form and "Priya Shah asks:" in form
    response = client.post("/staff/ideas/new", data={
        "kind": "blocker", "title": "The shared inbox has no owner", "body": "Mail waits until someone looks.",
        "category_id": "0", "question_id": str(question.id)})
    assert response.status_code == 302
    assert db_session.query(Idea).one().question_id == question.id
    page = client.get(f"/staff/ideas/questions/{question.id}").get_data(as_text=True)
    assert "Something stopping us: Not about one area" in page and "The shared inbox has no owner" in page
    assert "1 of 2 colleagues asked has answered; 1 has not yet." in page
    assert "Tom Fletcher" not in page  # names are for the managers of the team


def test_the_manager_sees_who_has_not_answered(client, office, db_session):
    sign_in(client, "priya@staff.example")
    _ask(client, office)
    page = client.get(f"/staff/ideas/questions/{_question(db_session).id}").get_data(as_text=True)
    assert "Not answered yet" in page and "Tom Fletcher (Ticket Office)" in page and "Maria Lopez" in page


def test_an_answer_from_a_team_not_asked_is_refused_and_the_words_kept(client, office, db_session):
    sign_in(client, "priya@staff.example")
    _ask(client, office)
    question = _question(db_session)
    client.post("/staff/sign-out")
    sign_in(client, "aisha@staff.example")
    assert "Answer this question" not in client.get(f"/staff/ideas/questions/{question.id}").get_data(as_text=True)
    response = client.post("/staff/ideas/new", data={
        "kind": "idea", "title": "Stewards could help", "body": "We see the queues first.", "category_id": "0",
        "question_id": str(question.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "This question was put to Ticket Office" in page
    assert "We see the queues first." in page and db_session.query(Idea).count() == 0


def test_a_question_id_that_is_not_one_files_a_plain_idea(client, office, db_session):
    sign_in(client, "maria@staff.example")
    for typed in ("99999999999999999999", "x", "-1"):
        assert client.get(f"/staff/ideas/new?question={typed}").status_code == 200
    response = client.post("/staff/ideas/new", data={
        "kind": "idea", "title": "Reply templates", "body": "Common answers ready.", "category_id": "0",
        "question_id": "99999999999999999999"})
    assert response.status_code == 302 and db_session.query(Idea).one().question_id is None
