"""Each figure on a hand-built timeline, compared with values worked out by hand."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.cases.models import CaseStatus
from portal.cases.timeline import record
from portal.metrics.figures import figures, percentile
from portal.metrics.milestones import milestones
from portal.metrics.periods import Period, PeriodRefused, buckets, period_for
from tests.factories import make_case, make_category, make_employee

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
PERIOD = Period(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC), "March 2026")
LONDON = ZoneInfo("Europe/London")


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_percentiles_interpolate_like_a_spreadsheet():
    assert percentile([], 0.5) is None
    assert percentile([7], 0.9) == 7
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)


@pytest.fixture
def timeline(session):
    """Four cases in March 2026 whose figures are worked out by hand in the tests below."""
    category = make_category(session)
    category.first_response_hours, category.resolution_hours = 4, 48
    first_owner = make_employee(session, team=category.team)
    second_owner = make_employee(session, team=category.team)

    def case(filed, owner=first_owner):
        c = make_case(session, category=category, owner=owner)
        c.created_at = filed
        c.first_response_due = filed + timedelta(hours=4)
        c.resolution_due = filed + timedelta(hours=48)
        record(session, c, "filed", by_customer=True, at=filed)
        return c

    # A: answered in 2 h, offer within limit at 10 h, chosen at 20 h, fulfilled at 30 h, rated 5.
    a = case(h(0))
    record(session, a, "reply", by=first_owner, public=True, at=h(2))
    record(session, a, "offer_sent", by=first_owner, at=h(10))
    record(session, a, "remedy_chosen", by_customer=True, at=h(20))
    record(session, a, "remedy_fulfilled", by=first_owner, at=h(30))
    record(session, a, "rated", by_customer=True, at=h(31), detail={"score": 5})
    a.status = CaseStatus.resolved
    # B: answered in 6 h (late), handed off, offer needed approval (proposed 20 h, approved 26 h, sent 26 h),
    # counter-proposal at 40 h, resolved by status at 60 h (late), rated 2, reopened at 62 h.
    b = case(h(1))
    record(session, b, "reply", by=first_owner, public=True, at=h(7))
    record(session, b, "handoff", by=first_owner, at=h(8), detail={"from": first_owner.id, "to": second_owner.id})
    record(session, b, "offer_proposed", by=second_owner, at=h(20))
    record(session, b, "offer_approved", at=h(26))
    record(session, b, "offer_sent", at=h(26))
    record(session, b, "counter_proposal", by_customer=True, at=h(40))
    record(session, b, "status", by=second_owner, at=h(61), detail={"from": "remedy_chosen", "to": "resolved"})
    record(session, b, "rated", by_customer=True, at=h(62), detail={"score": 2})
    record(session, b, "reopened", by_customer=True, at=h(62))
    b.owner, b.status = second_owner, CaseStatus.reopened
    # C: answered in 1 h, still open at the end of March and past its resolution target.
    c = case(h(24 * 10))
    record(session, c, "reply", by=first_owner, public=True, at=h(24 * 10 + 1))
    c.status = CaseStatus.acknowledged
    # D: filed in February: outside the period, never counted.
    d = case(datetime(2026, 2, 27, tzinfo=UTC))
    record(session, d, "reply", by=first_owner, public=True, at=datetime(2026, 2, 27, 1, tzinfo=UTC))
    session.flush()
    return {"a": a, "b": b, "c": c, "d": d, "category": category, "second_owner": second_owner}


def test_only_cases_filed_in_the_period_count(session, timeline):
    rows = milestones(session, PERIOD)
    assert sorted(r.reference for r in rows) == sorted(timeline[k].reference for k in "abc")


def test_turnaround_times(session, timeline):
    f = figures(milestones(session, PERIOD), period_end=PERIOD.end)
    assert f.cases == 3
    # first response: A 2 h, B 6 h, C 1 h
    assert (f.first_response.median, f.first_response.p90) == (2, pytest.approx(5.2))
    assert f.first_response.mean == pytest.approx(3)
    # filed to first offer sent: A 10 h, B 25 h
    assert (f.to_offer.count, f.to_offer.median) == (2, 17.5)
    # offer to choice (or counter-proposal): A 10 h, B 14 h
    assert f.offer_to_choice.median == 12
    # to resolution: A 30 h, B 60 h (status change counts as resolution)
    assert (f.to_resolution.count, f.to_resolution.median, f.to_resolution.p90) == (2, 45, 57)
    assert f.approval_wait.median == 6


def test_ownership_and_outcome_shares(session, timeline):
    f = figures(milestones(session, PERIOD), period_end=PERIOD.end)
    assert f.handoffs_per_case == pytest.approx(1 / 3)
    assert (f.resolved_by_first_owner.part, f.resolved_by_first_owner.whole) == (1, 2)
    assert (f.reopened.part, f.reopened.whole) == (1, 2)
    assert (f.offers_within_authority.part, f.offers_within_authority.whole) == (1, 2)
    assert (f.counter_proposals.part, f.counter_proposals.whole) == (1, 2)
    assert f.ratings == {2: 1, 5: 1} and f.csat == 50 and f.mean_rating == 3.5


def test_targets_and_what_was_open_at_the_end(session, timeline):
    f = figures(milestones(session, PERIOD), period_end=PERIOD.end)
    assert (f.first_response_target_met.part, f.first_response_target_met.whole) == (2, 3)
    # A resolved within 48 h; B took 60 h; C is past its target and unresolved.
    assert (f.resolution_target_met.part, f.resolution_target_met.whole) == (1, 3)
    assert (f.open_at_end, f.overdue_at_end) == (1, 1)


def test_a_case_resolved_after_the_period_ended_was_open_at_its_end(session, timeline):
    early_end = h(50)
    f = figures(milestones(session, PERIOD), period_end=early_end)
    # A (resolved at 30 h) was done; B (60 h) and C (filed at 240 h, after this end) are counted as open.
    assert f.open_at_end == 2


def test_filters_by_owner_and_category(session, timeline):
    second = milestones(session, PERIOD, owner_id=timeline["second_owner"].id)
    assert [r.reference for r in second] == [timeline["b"].reference]
    assert milestones(session, PERIOD, category_id=timeline["category"].id + 1000) == []


def test_preset_periods_end_at_local_midnight_tonight():
    period = period_for("30d", today=date(2026, 7, 15), zone=LONDON)
    # British Summer Time: local midnight is 23:00 UTC the day before.
    assert period.end == datetime(2026, 7, 15, 23, 0, tzinfo=UTC)
    assert period.end - period.start == timedelta(days=30)


def test_a_custom_period_covers_whole_days_and_refuses_nonsense():
    period = period_for("custom", today=date(2026, 7, 15), zone=LONDON, start=date(2026, 3, 1),
                        end=date(2026, 3, 31))
    assert period.start == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)  # GMT in early March
    assert period.end == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)  # BST from 29 March
    with pytest.raises(PeriodRefused, match="on or after"):
        period_for("custom", today=date(2026, 7, 15), zone=LONDON, start=date(2026, 3, 2), end=date(2026, 3, 1))


def test_weeks_start_on_monday_and_months_follow_the_calendar_in_local_time():
    period = period_for("custom", today=date(2026, 7, 15), zone=LONDON, start=date(2026, 3, 25),
                        end=date(2026, 4, 8))
    weeks = buckets(period, "week", LONDON)
    assert [b.label for b in weeks] == ["w/c 23 Mar", "w/c 30 Mar", "w/c 6 Apr"]
    assert weeks[0].start == period.start and weeks[-1].end == period.end
    months = buckets(period, "month", LONDON)
    assert [b.label for b in months] == ["Mar 2026", "Apr 2026"]
    assert months[1].start == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)
