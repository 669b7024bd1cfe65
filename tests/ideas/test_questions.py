"""Ask the team (the service): a manager's question to their teams, answered by ideas, summed up by what the answers
say is stopping us; the names of those yet to answer only for the teams' managers."""

from datetime import date, timedelta

import pytest

from portal.auth.models import Role
from portal.auth.permissions import NotPermitted
from portal.cases.models import Category
from portal.ideas import questions
from portal.ideas.box import IdeaRefused, submit_idea, support
from portal.ideas.models import IdeaKind
from portal.mail.models import OutboxMessage
from tests.factories import make_employee, make_team

TODAY = date(2026, 11, 10)


@pytest.fixture
def office(session):
    tickets, stewards = make_team(session, "Ticket Office"), make_team(session, "Stewarding")
    people = {
        "priya": make_employee(session, name="Priya Shah", email="priya@staff.example", role=Role.manager,
                               team=tickets),
        "maria": make_employee(session, name="Maria Lopez", email="maria@staff.example", team=tickets),
        "tom": make_employee(session, name="Tom Fletcher", email="tom@staff.example", team=tickets),
        "ann": make_employee(session, name="Ann Old", email="ann@staff.example", team=tickets, active=False),
        "aisha": make_employee(session, name="Aisha Begum", email="aisha@staff.example", team=stewards),
        "omar": make_employee(session, name="Omar Reid", email="omar@staff.example", role=Role.manager,
                              team=stewards),
    }
    tickets.manager, stewards.manager = people["priya"], people["omar"]
    area = Category(name="Tickets", team=tickets)
    session.add(area)
    session.flush()
    return {**people, "tickets": tickets, "stewards": stewards, "area": area}


def _ask(session, office, **changes):
    fields = {"by": office["priya"], "text": "What is stopping us from answering within 24 hours?",
              "detail": "First replies take 41 hours on average.", "teams": [office["tickets"]],
              "figure": "first_response", "closes_on": TODAY + timedelta(days=14), "today": TODAY}
    return questions.ask(session, **{**fields, **changes})


def _answer(session, author, question, title, *, kind=IdeaKind.blocker, category=None, today=TODAY):
    return submit_idea(session, author=author, title=title, body="Because of the way we work now.", kind=kind,
                       category=category, question=question, today=today)


def test_a_question_is_e_mailed_to_everyone_in_the_teams_asked_but_the_asker(session, office):
    question = _ask(session, office)
    session.flush()
    sent = {m.to_address: m for m in session.query(OutboxMessage).all()}
    assert set(sent) == {"maria@staff.example", "tom@staff.example"}  # not Priya, not Ann (gone), not Aisha
    mail = sent["maria@staff.example"]
    assert "Priya Shah asks: What is stopping us from answering within 24 hours?" in mail.subject
    assert f"/staff/ideas/new?question={question.id}" in mail.body_text
    assert "24 November 2026" in mail.body_text


def test_the_question_is_at_the_top_of_the_ideas_box_of_those_asked_until_it_closes(session, office):
    question = _ask(session, office)
    assert questions.open_questions_for(session, office["maria"], TODAY) == [question]
    assert questions.open_questions_for(session, office["priya"], TODAY) == [question]  # who asked
    assert questions.open_questions_for(session, office["aisha"], TODAY) == []  # another team's
    assert questions.open_questions_for(session, office["maria"], question.closes_on) == [question]
    assert questions.open_questions_for(session, office["maria"], question.closes_on + timedelta(days=1)) == []


@pytest.mark.parametrize(("changes", "message"), [
    ({"text": "  \n "}, "Write the question you want to ask."),
    ({"text": "why " * 80}, "Keep the question to 300 characters"),
    ({"teams": []}, "Choose at least one team to ask."),
    ({"figure": "happiness"}, "Choose one of the dashboard's figures, or none."),
    ({"closes_on": TODAY - timedelta(days=1)}, "The closing date cannot be in the past."),
])
def test_a_question_needs_words_teams_a_known_figure_and_a_date_ahead(session, office, changes, message):
    with pytest.raises(IdeaRefused, match=message):
        _ask(session, office, **changes)
    assert session.query(OutboxMessage).count() == 0


def test_only_a_manager_asks_and_only_their_own_teams(session, office):
    with pytest.raises(NotPermitted):
        _ask(session, office, by=office["maria"])
    with pytest.raises(NotPermitted, match="You do not manage Stewarding"):
        _ask(session, office, teams=[office["tickets"], office["stewards"]])
    assert [t.name for t in questions.teams_to_ask(session, office["priya"])] == ["Ticket Office"]


def test_answers_come_from_those_asked_while_the_question_is_open(session, office):
    question = _ask(session, office)
    answer = _answer(session, office["maria"], question, "The shared inbox has no owner")
    assert answer.question is question
    with pytest.raises(IdeaRefused, match="This question was put to Ticket Office"):
        _answer(session, office["aisha"], question, "Stewards are not asked")
    with pytest.raises(IdeaRefused, match="This question closed on 24 November 2026"):
        _answer(session, office["tom"], question, "Too late", today=question.closes_on + timedelta(days=1))


def test_the_summary_groups_answers_by_what_they_say_with_their_support(session, office):
    question = _ask(session, office)
    inbox = _answer(session, office["maria"], question, "The shared inbox has no owner", category=office["area"])
    rota = _answer(session, office["tom"], question, "Nobody covers the morning", category=office["area"])
    idea = _answer(session, office["tom"], question, "Reply templates", kind=IdeaKind.idea)
    session.flush()
    support(session, rota, office["maria"])
    support(session, rota, office["priya"])
    session.flush()
    summary = questions.summary(session, question, office["priya"])
    assert [(g.kind, g.area, [a.idea for a in g.answers], g.support) for g in summary.groups] == [
        (IdeaKind.blocker, "Tickets", [rota, inbox], 4),
        (IdeaKind.idea, "Not about one area", [idea], 1),
    ]
    assert (summary.asked, summary.answered, summary.waiting) == (2, 2, 0)


def test_who_has_not_answered_is_counted_for_all_and_named_for_the_teams_managers_only(session, office):
    question = _ask(session, office)
    _answer(session, office["maria"], question, "The shared inbox has no owner")
    session.flush()
    for_priya = questions.summary(session, question, office["priya"])
    assert (for_priya.asked, for_priya.answered, for_priya.waiting) == (2, 1, 1)
    assert for_priya.not_answered == [office["tom"]]
    for_maria = questions.summary(session, question, office["maria"])
    assert for_maria.waiting == 1 and for_maria.not_answered is None
    assert questions.summary(session, question, office["omar"]).not_answered is None  # another team's manager
