"""The rule of whose object it is, at the level of the services (each runs on SQLite and PostgreSQL)."""

from decimal import Decimal

import pytest

from portal.admin.staff import update_employee
from portal.admin.structure import save_category, save_team
from portal.auth.models import Role
from portal.auth.permissions import NotPermitted, manages_team, manages_work_of
from portal.cases.permissions import categories_managed_by
from portal.surveys.building import create_survey
from portal.surveys.models import FocusGroup
from tests.factories import make_category, make_employee, make_team


@pytest.fixture
def teams(session):
    ticket_office, catering = make_team(session, "Ticket Office"), make_team(session, "Catering")
    people = {
        "priya": make_employee(session, role=Role.manager, team=ticket_office),
        "grace": make_employee(session, role=Role.manager, team=catering),
        "tom": make_employee(session, team=catering),
        "alex": make_employee(session, role=Role.admin),
    }
    return ticket_office, catering, people


def _save(session, category, team, by):
    return save_category(session, category, name=category.name, description="", team=team,
                         first_response_hours=24, resolution_hours=168, active=True, by=by)


def test_a_manager_cannot_move_another_teams_category_into_their_own(session, teams):
    ticket_office, catering, people = teams
    tickets = make_category(session, team=ticket_office, name="Tickets")
    with pytest.raises(NotPermitted, match="another team"):
        _save(session, tickets, catering, people["grace"])
    assert tickets.team is ticket_office


def test_a_manager_cannot_put_their_category_into_a_team_they_do_not_manage(session, teams):
    ticket_office, catering, people = teams
    kiosks = make_category(session, team=catering, name="Kiosks")
    with pytest.raises(NotPermitted, match="Ticket Office"):
        _save(session, kiosks, ticket_office, people["grace"])
    assert _save(session, kiosks, catering, people["grace"]).team is catering
    assert _save(session, kiosks, ticket_office, people["alex"]).team is ticket_office


def test_a_manager_lists_only_their_teams_categories(session, teams):
    ticket_office, catering, people = teams
    tickets, kiosks = make_category(session, team=ticket_office), make_category(session, team=catering)
    assert categories_managed_by(session, people["grace"]) == [kiosks]
    assert categories_managed_by(session, people["tom"]) == []
    assert set(categories_managed_by(session, people["alex"])) == {tickets, kiosks}


def test_teams_and_employees_are_for_admins_only(session, teams):
    ticket_office, _catering, people = teams
    with pytest.raises(NotPermitted):
        save_team(session, ticket_office, name="Ours now", manager=people["grace"], by=people["grace"])
    with pytest.raises(NotPermitted):
        update_employee(session, people["tom"], name="Tom", job_title="", role=Role.manager, team=ticket_office,
                        authority_limit=Decimal("1000"), by=people["grace"])
    assert ticket_office.name == "Ticket Office" and people["tom"].role is Role.agent


def test_work_tied_to_no_team_belongs_to_its_creator_and_their_teams_managers(session, teams):
    ticket_office, _catering, people = teams
    deputy = make_employee(session, role=Role.manager, team=ticket_office)
    assert manages_work_of(deputy, people["priya"]) and manages_work_of(people["alex"], people["priya"])
    assert not manages_work_of(people["grace"], people["priya"]) and not manages_work_of(people["tom"], people["tom"])
    assert manages_team(people["grace"], people["grace"].team) and not manages_team(people["grace"], ticket_office)


def test_an_inactive_manager_manages_nothing(session, teams):
    _ticket_office, catering, people = teams
    people["grace"].active = False
    assert not manages_team(people["grace"], catering) and not manages_work_of(people["grace"], people["grace"])


def test_a_survey_cannot_invite_another_teams_focus_group(session, teams):
    _ticket_office, _catering, people = teams
    panel = FocusGroup(name="Season ticket holders", created_by=people["priya"])
    session.add(panel)
    session.flush()
    with pytest.raises(NotPermitted, match="focus group"):
        create_survey(session, title="Ask their panel", briefing="", group=panel, by=people["grace"])
    assert create_survey(session, title="Renewals", briefing="", group=panel, by=people["priya"]).group is panel
