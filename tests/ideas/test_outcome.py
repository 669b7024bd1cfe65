"""A task force measured against the figure it set out to fix: forming one with its figure and team, the figure
week by week (the dashboard's own numbers), before and since the start, and the dashboard's marker."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal.auth.models import Role
from portal.auth.permissions import NotPermitted
from portal.cases.timeline import record
from portal.ideas import outcome
from portal.ideas.box import IdeaRefused, form_task_force, submit_idea
from portal.ideas.models import IdeaKind
from portal.metrics import dashboard
from portal.metrics.periods import Period, buckets, local_midnight
from tests.factories import make_case, make_category, make_employee, make_team

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)  # a Tuesday; the clocks went back on 25 October
STARTED = date(2026, 10, 19)  # a Monday, three weeks before


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def office(session):
    tickets, stewards = make_team(session, "Ticket Office"), make_team(session, "Stewarding")
    priya = make_employee(session, name="Priya Shah", role=Role.manager, team=tickets)
    tickets.manager = priya
    maria = make_employee(session, name="Maria Lopez", team=tickets)
    category = make_category(session, team=tickets, name="Tickets")
    other = make_category(session, team=stewards, name="Turnstiles")
    idea = submit_idea(session, author=maria, title="The care inbox has no owner", body="Mail waits.",
                       kind=IdeaKind.blocker, category=None)
    return {"tickets": tickets, "stewards": stewards, "priya": priya, "maria": maria, "category": category,
            "other": other, "idea": idea}


def _answered_case(session, office, filed: datetime, hours: float, category=None):
    case = make_case(session, owner=office["maria"], category=category or office["category"])
    case.created_at = filed
    record(session, case, "filed", by_customer=True, at=filed)
    record(session, case, "reply", by=office["maria"], public=True, at=filed + timedelta(hours=hours))
    return case


def _task_force(session, office, **changes):
    fields = {"name": "Answer within a day", "goal": "Median first response under 24 h for Ticket Office",
              "due_on": date(2026, 12, 31), "members": [office["maria"]], "ideas": [office["idea"]],
              "by": office["priya"], "figure": "first_response", "team": office["tickets"], "started_on": STARTED}
    return form_task_force(session, **{**fields, **changes})


def test_a_task_force_is_measured_against_a_figure_of_a_team_its_manager_manages(session, office):
    force = _task_force(session, office)
    assert (force.figure, force.team, force.started_on) == ("first_response", office["tickets"], STARTED)
    plain = _task_force(session, office, figure="", team=None, started_on=None,
                        ideas=[submit_idea(session, author=office["maria"], title="Another", body="x",
                                           kind=IdeaKind.idea, category=None)])
    assert plain.figure == "" and plain.team is None and plain.started_on == NOW.date()


@pytest.mark.parametrize(("changes", "error", "message"), [
    ({"figure": "happiness"}, IdeaRefused, "Choose one of the dashboard's figures"),
    ({"team": None}, IdeaRefused, "Choose the team whose figure the task force should move."),
    ({"started_on": date(2027, 1, 5)}, IdeaRefused, "must start on or before its due date"),
    ("stewards", NotPermitted, "You do not manage Stewarding"),
])
def test_a_measured_task_force_needs_a_known_figure_a_team_it_may_measure_and_a_start_before_its_end(
        session, office, changes, error, message):
    if changes == "stewards":
        changes = {"team": office["stewards"]}
    with pytest.raises(error, match=message):
        _task_force(session, office, **changes)


def test_the_figure_week_by_week_before_and_since_the_start_as_the_dashboard_has_it(session, office):
    monday = local_midnight(STARTED, LONDON)
    for week in range(-4, 4):  # slow before the start (40 h), quick since (10 h), one case each week
        _answered_case(session, office, monday + timedelta(weeks=week, hours=10), 40 if week < 0 else 10)
    _answered_case(session, office, monday + timedelta(hours=11), 99, category=office["other"])  # another team's
    session.flush()
    measured = outcome.outcome(session, "first_response", office["tickets"].id, STARTED, now=NOW, zone=LONDON)
    assert [w.label for w in measured.weeks][:2] == ["w/c 24 Aug", "w/c 31 Aug"]
    assert measured.weeks[-1].label == "w/c 9 Nov" and len(measured.weeks) == 8 + 4
    assert measured.start_index == 8 and measured.weeks[8].starts_here
    assert [w.value for w in measured.weeks[4:]] == [40, 40, 40, 40, 10, 10, 10, 10]
    assert (measured.before, measured.since) == (40, 10)
    period = Period(local_midnight(date(2026, 8, 24), LONDON), local_midnight(date(2026, 11, 11), LONDON), "")
    board = dashboard.build(session, period, dashboard.Scope(None), now=NOW, zone=LONDON, team_id=office["tickets"].id)
    assert [f.first_response.median for _, f in board.trend] == [w.value for w in measured.weeks]


def test_no_figure_no_outcome(session, office):
    assert outcome.outcome(session, "", office["tickets"].id, STARTED, now=NOW, zone=LONDON) is None
    assert outcome.outcome(session, "first_response", None, STARTED, now=NOW, zone=LONDON) is None


def test_the_dashboard_marks_the_week_a_task_force_started_for_its_team(session, office):
    _task_force(session, office)
    session.flush()
    period = Period(local_midnight(date(2026, 10, 5), LONDON), local_midnight(date(2026, 11, 2), LONDON), "")
    weeks = buckets(period, "week", LONDON)
    marked = {2: "Task force “Answer within a day” starts"}  # the week of 19 October
    assert outcome.start_markers(session, weeks, LONDON, office["tickets"].id) == marked
    assert outcome.start_markers(session, weeks, LONDON, office["stewards"].id) == {}
    assert outcome.start_markers(session, weeks, LONDON, None) == marked
