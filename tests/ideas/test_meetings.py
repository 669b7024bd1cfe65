"""A task force's meeting notes: written by its members and whoever runs it while it is open, shown newest first;
a bad note is explained on the page with the words kept."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from portal.auth.models import Role
from portal.auth.permissions import NotPermitted
from portal.ideas import meetings
from portal.ideas.box import IdeaRefused, form_task_force, submit_idea
from portal.ideas.models import IdeaKind, TaskForceNote
from tests.factories import make_employee, make_team, sign_in

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _force(session):
    team = make_team(session, "Ticket Office")
    priya = make_employee(session, name="Priya Shah", email="priya@staff.example", role=Role.manager, team=team)
    team.manager = priya
    maria = make_employee(session, name="Maria Lopez", email="maria@staff.example", team=team)
    tom = make_employee(session, name="Tom Fletcher", email="tom@staff.example", team=team)
    idea = submit_idea(session, author=maria, title="The care inbox has no owner", body="Mail waits.",
                       kind=IdeaKind.blocker, category=None)
    force = form_task_force(session, name="Answer within a day", goal="First replies within 24 hours",
                            due_on=date(2026, 12, 31), members=[maria], ideas=[idea], by=priya)
    session.flush()
    return force, {"priya": priya, "maria": maria, "tom": tom}


def test_members_and_whoever_runs_it_write_notes_shown_newest_first(session):
    force, people = _force(session)
    first = meetings.add_note(session, force, by=people["maria"], met_on=date(2026, 11, 2),
                              body="  The inbox is read at noon.\nNobody owns the morning.  ", today=TODAY)
    second = meetings.add_note(session, force, by=people["priya"], met_on=date(2026, 11, 9),
                               body="Agreed: Tom opens the inbox at nine.", today=TODAY)
    session.flush()
    assert meetings.notes(session, force) == [second, first]
    assert first.body == "The inbox is read at noon.\nNobody owns the morning."
    assert not meetings.may_write(people["tom"], force)
    with pytest.raises(NotPermitted, match="Only the members"):
        meetings.add_note(session, force, by=people["tom"], met_on=TODAY, body="Not mine to write", today=TODAY)


@pytest.mark.parametrize(("met_on", "body", "message"), [
    (TODAY, "   ", "Write what the meeting found or agreed."),
    (date(2026, 11, 11), "Tomorrow's meeting", "cannot be in the future"),
    (TODAY, "x" * 4001, "Keep a meeting note to 4,000 characters."),
])
def test_a_note_needs_words_and_a_day_that_has_come(session, met_on, body, message):
    force, people = _force(session)
    with pytest.raises(IdeaRefused, match=message):
        meetings.add_note(session, force, by=people["maria"], met_on=met_on, body=body, today=TODAY)


def test_a_closed_task_force_takes_no_more_notes(session):
    force, people = _force(session)
    force.closed_at = NOW
    assert not meetings.may_write(people["maria"], force)
    with pytest.raises(IdeaRefused, match="is closed"):
        meetings.add_note(session, force, by=people["maria"], met_on=TODAY, body="Too late", today=TODAY)


def test_a_note_posted_after_the_task_force_closed_is_refused_with_a_message(client, db_session):
    force, _people = _force(db_session)
    force.closed_at = NOW
    db_session.commit()
    sign_in(client, "maria@staff.example")
    response = client.post(f"/staff/ideas/task-forces/{force.id}/notes", data={"met_on": "2026-11-10", "body": "x"})
    assert response.status_code == 302
    assert "is closed, so it takes no more meeting notes" in client.get(response.location).get_data(as_text=True)


def test_a_member_adds_a_note_on_the_task_force_page(client, db_session):
    force, _people = _force(db_session)
    db_session.commit()
    sign_in(client, "maria@staff.example")
    page = client.get(f"/staff/ideas/task-forces/{force.id}").get_data(as_text=True)
    assert "No meeting notes yet." in page and 'value="2026-11-10"' in page  # today, to begin with
    response = client.post(f"/staff/ideas/task-forces/{force.id}/notes",
                           data={"met_on": "2026-11-09", "body": "Agreed: Tom opens the inbox at nine."})
    assert response.status_code == 302 and response.location.endswith("#meetings")
    page = client.get(response.location).get_data(as_text=True)
    assert "Meeting note added." in page and "9 November 2026" in page and "Tom opens the inbox at nine" in page


def test_a_bad_note_is_explained_and_the_words_kept(client, db_session):
    force, _people = _force(db_session)
    db_session.commit()
    sign_in(client, "maria@staff.example")
    response = client.post(f"/staff/ideas/task-forces/{force.id}/notes",
                           data={"met_on": "2026-11-12", "body": "Next week we will decide."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in page
    assert "cannot be in the future" in page and "Next week we will decide." in page
    assert db_session.query(TaskForceNote).count() == 0


def test_someone_not_on_the_task_force_sees_the_notes_but_no_form(client, db_session):
    force, people = _force(db_session)
    meetings.add_note(db_session, force, by=people["maria"], met_on=TODAY, body="The inbox is read at noon.",
                      today=TODAY)
    db_session.commit()
    sign_in(client, "tom@staff.example")
    page = client.get(f"/staff/ideas/task-forces/{force.id}").get_data(as_text=True)
    assert "The inbox is read at noon." in page and "Add meeting note" not in page
    response = client.post(f"/staff/ideas/task-forces/{force.id}/notes", data={"met_on": "2026-11-10", "body": "x"})
    assert response.status_code == 403
    assert db_session.query(TaskForceNote).count() == 1
