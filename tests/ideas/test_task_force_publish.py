"""When a task force closes, its manager tells customers what changed: the closed task force's page leads to a "You
said, we did" change that begins with the task force's words (nothing published until they publish it)."""

from datetime import UTC, date, datetime

from portal.auth.models import Role
from portal.changes.models import Change, Theme
from portal.ideas.box import form_task_force, submit_idea
from portal.ideas.models import IdeaKind
from tests.factories import make_employee, make_team, sign_in


def _closed_force(session):
    team = make_team(session, "Ticket Office")
    priya = make_employee(session, name="Priya Shah", email="priya@staff.example", role=Role.manager, team=team)
    team.manager = priya
    maria = make_employee(session, name="Maria Lopez", email="maria@staff.example", team=team)
    idea = submit_idea(session, author=maria, title="The care inbox has no owner", body="Mail waits.",
                       kind=IdeaKind.blocker, category=None)
    force = form_task_force(session, name="Answer within a day", goal="First replies within 24 hours",
                            due_on=date(2099, 12, 31), members=[maria], ideas=[idea], by=priya)
    force.closed_at, force.closed_by = datetime(2026, 11, 10, tzinfo=UTC), priya
    force.outcome, force.close_reason = "The care inbox is opened at nine by whoever is on the early shift.", "Met"
    theme = Theme(title="Slow first replies", created_by=priya)
    session.add(theme)
    session.commit()
    return force, theme


def test_the_closed_task_force_leads_its_manager_to_a_change_begun_with_its_words(client, db_session):
    force, theme = _closed_force(db_session)
    sign_in(client, "priya@staff.example")
    page = client.get(f"/staff/ideas/task-forces/{force.id}").get_data(as_text=True)
    assert "Tell customers what changed" in page and f'<option value="{theme.id}">Slow first replies' in page
    form = client.get("/staff/changes/new", query_string={
        "theme": theme.id, "title": force.name, "you_said": force.goal, "we_did": force.outcome,
    }).get_data(as_text=True)
    assert 'value="Answer within a day"' in form
    assert "The care inbox is opened at nine by whoever is on the early shift.</textarea>" in form
    assert db_session.query(Change).count() == 0  # nothing saved until they save it


def test_a_member_sees_what_changed_but_no_way_to_publish(client, db_session):
    force, _theme = _closed_force(db_session)
    sign_in(client, "maria@staff.example")
    page = client.get(f"/staff/ideas/task-forces/{force.id}").get_data(as_text=True)
    assert "The care inbox is opened at nine" in page and "Tell customers what changed" not in page
