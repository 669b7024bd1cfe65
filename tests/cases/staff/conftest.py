"""The staff side's two little clubs: a desk of one team (services) and two teams with their managers (views)."""

import pytest

from portal.auth.models import Role
from tests.factories import make_case, make_category, make_customer, make_employee, make_team


def link(token):
    return f"http://portal.test/my-case/{token}"


@pytest.fixture
def desk(session):
    team = make_team(session, "Ticket Office")
    manager = make_employee(session, name="Priya Shah", role=Role.manager, team=team)
    team.manager = manager
    maria = make_employee(session, name="Maria Lopez", team=team)
    tom = make_employee(session, name="Tom Fletcher", team=team)
    case = make_case(session, owner=maria, category=make_category(session, team=team))
    session.flush()
    return {"team": team, "manager": manager, "maria": maria, "tom": tom, "case": case}


@pytest.fixture
def club(db_session):
    tickets, catering = make_team(db_session, "Ticket Office"), make_team(db_session, "Catering")
    people = {
        "maria": make_employee(db_session, name="Maria Lopez", email="maria@staff.example", team=tickets),
        "tom": make_employee(db_session, name="Tom Fletcher", email="tom@staff.example", team=tickets),
        "sam": make_employee(db_session, name="Sam Whitaker", email="sam@staff.example", team=catering),
        "priya": make_employee(db_session, name="Priya Shah", email="priya@staff.example", role=Role.manager,
                               team=tickets),
        "grace": make_employee(db_session, name="Grace Okafor", email="grace@staff.example", role=Role.manager,
                               team=catering),
    }
    tickets.manager, catering.manager = people["priya"], people["grace"]
    customer = make_customer(db_session, name="James Smith", email="james@fans.example")
    people["case"] = make_case(db_session, owner=people["maria"], customer=customer,
                               category=make_category(db_session, team=tickets, name="Tickets"))
    people["food"] = make_case(db_session, owner=people["sam"], category=make_category(db_session, team=catering))
    db_session.commit()
    return people
