"""The queues' rules as services: how pressing each case is, the header's count due today, the sorts, and a
manager's reassignment of several cases at once (on SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.cases import workspace
from portal.cases.models import CaseStatus, EventKind
from portal.cases.ownership import HandoffRefused, reassign
from portal.mail.models import OutboxMessage
from tests.cases.staff.conftest import link
from tests.factories import NOTE, make_case

LONDON = ZoneInfo("Europe/London")
# 10:00 in London on a winter morning: "today" runs to midnight, 14 hours on.
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def _due(case, when):
    case.first_response_due = when
    return case


@pytest.fixture
def maria_s_day(session, desk):
    maria, category = desk["maria"], desk["case"].category
    cases = {
        "overdue": _due(desk["case"], NOW - timedelta(hours=2)),
        "soon": _due(make_case(session, owner=maria, category=category), NOW + timedelta(hours=13)),
        "tomorrow": _due(make_case(session, owner=maria, category=category), NOW + timedelta(hours=15)),
        "waiting": _due(make_case(session, owner=maria, category=category, status=CaseStatus.remedy_offered),
                        NOW + timedelta(hours=3)),
        "closed": _due(make_case(session, owner=maria, category=category, status=CaseStatus.closed),
                       NOW - timedelta(days=3)),
        "toms": _due(make_case(session, owner=desk["tom"], category=category), NOW - timedelta(hours=1)),
    }
    session.flush()
    return cases


def test_each_case_is_overdue_due_soon_waiting_or_neither_by_one_clock(maria_s_day):
    urgency = workspace.Urgency.at(NOW, LONDON)
    assert urgency.day_ends == datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    states = {name: urgency.state(case) for name, case in maria_s_day.items()}
    assert states == {"overdue": "overdue", "soon": "soon", "tomorrow": "", "waiting": "waiting", "closed": "",
                      "toms": "overdue"}
    assert urgency.due(maria_s_day["closed"]) is None


def test_the_header_counts_my_open_cases_due_today_and_overdue_as_the_rows_do(session, desk, maria_s_day):
    assert workspace.due_counts(session, desk["maria"], now=NOW, zone=LONDON) == workspace.DueCounts(1, 1)
    assert workspace.due_counts(session, desk["tom"], now=NOW, zone=LONDON) == workspace.DueCounts(0, 1)
    assert workspace.due_counts(session, desk["manager"], now=NOW, zone=LONDON) == workspace.DueCounts(0, 0)


def test_today_ends_at_midnight_on_the_organisations_clock_in_summer_too():
    summer = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 23:30 BST
    assert workspace.end_of_day(summer, LONDON) == datetime(2026, 7, 1, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(("sort", "order"), [
    ("due", ["overdue", "waiting", "soon", "tomorrow"]),
    ("due_desc", ["tomorrow", "soon", "waiting", "overdue"]),
    ("oldest", ["overdue", "soon", "tomorrow", "waiting"]),
    ("newest", ["waiting", "tomorrow", "soon", "overdue"]),
])
def test_a_queue_sorts_each_way(session, desk, maria_s_day, sort, order):
    for minutes, name in enumerate(["overdue", "soon", "tomorrow", "waiting"]):
        maria_s_day[name].created_at = NOW - timedelta(days=10) + timedelta(minutes=minutes)
    session.flush()
    page = workspace.my_cases(session, desk["maria"], workspace.QueueFilters(sort=sort), now=NOW)
    names = {case.id: name for name, case in maria_s_day.items()}
    assert [names[c.id] for c in page.items] == order


def test_a_manager_reassigns_several_cases_with_one_note_and_everyone_is_told(session, desk):
    first, second = desk["case"], make_case(session, owner=desk["maria"], category=desk["case"].category)
    session.flush()
    events = reassign(session, [first, second], to=desk["tom"], note=NOTE, reason="workload", by=desk["manager"],
                      link_for=link)
    session.flush()
    assert [e.kind for e in events] == [EventKind.handoff, EventKind.handoff]
    for case in (first, second):
        assert case.owner is desk["tom"]
        kinds = {e.kind: e for e in case.events}
        assert kinds[EventKind.handoff].detail["note"] == NOTE and kinds[EventKind.owner_changed].public
    told = [m for m in session.query(OutboxMessage) if "Tom is now looking after your case" in m.subject]
    assert sorted(m.to_address for m in told) == sorted({first.customer.email, second.customer.email})


@pytest.mark.parametrize(("note", "to", "with_case", "message"), [
    ("over to you", "tom", "maria's", "context note"),
    (NOTE, "tom", "tom's", "Tom Fletcher already owns MIR-"),
    (NOTE, "tom", "another team's", "Only a manager of their team can reassign MIR-"),
])
def test_a_reassignment_that_cannot_all_happen_moves_nothing(session, desk, note, to, with_case, message):
    from tests.factories import make_category, make_employee, make_team

    other_team = make_team(session, "Catering")
    other = {
        "maria's": make_case(session, owner=desk["maria"], category=desk["case"].category),
        "tom's": make_case(session, owner=desk["tom"], category=desk["case"].category),
        "another team's": make_case(session, owner=make_employee(session, team=other_team),
                                    category=make_category(session, team=other_team)),
    }[with_case]
    cases = [desk["case"], other]
    owners = [c.owner_id for c in cases]
    session.flush()
    with pytest.raises(HandoffRefused, match=message):
        reassign(session, cases, to=desk[to], note=note, reason="workload", by=desk["manager"], link_for=link)
    assert [c.owner_id for c in cases] == owners
    assert not [e for c in cases for e in c.events if e.kind == EventKind.handoff]


def test_reassigning_nothing_says_what_to_do(session, desk):
    with pytest.raises(HandoffRefused, match="Tick at least one case"):
        reassign(session, [], to=desk["tom"], note=NOTE, reason="workload", by=desk["manager"], link_for=link)


def test_only_the_teams_open_cases_are_picked_for_a_reassignment(session, desk, maria_s_day):
    ids = [c.id for c in maria_s_day.values()] + [999_999]
    picked = workspace.cases_in_teams(session, [desk["team"]], ids)
    assert {c.id for c in picked} == {c.id for n, c in maria_s_day.items() if n != "closed"}
    assert workspace.cases_in_teams(session, [desk["team"]], list(range(1, workspace.MOST_AT_ONCE + 2))) == []
