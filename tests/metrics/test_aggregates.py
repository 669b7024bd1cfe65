"""The figures the database computes (portal.metrics.aggregates) on hand-built timelines, against hand-worked
values, and against the figures computed in Python from each case's milestones on a larger random timeline.
Each test runs on SQLite and on PostgreSQL (the percentiles take a different road on each)."""

import random
from bisect import bisect_right
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.cases.models import CaseStatus
from portal.cases.timeline import record
from portal.metrics.aggregates import by_column, by_period, figures_by, whole
from portal.metrics.figures import Duration, Figures, figures, grouped
from portal.metrics.milestones import case_rows, milestones
from portal.metrics.periods import Period, buckets
from tests.factories import make_case, make_category, make_employee, make_team
from tests.metrics.test_figures import PERIOD, h, timeline  # noqa: F401 (the fixture)

LONDON = ZoneInfo("Europe/London")


def sql_figures(session, period=PERIOD, *, as_of=None, **filters) -> Figures:
    as_of = as_of or period.end
    return figures_by(session, case_rows(period, **filters), [whole(as_of)])["whole"].get(0)


def test_turnaround_times_in_sql(session, timeline):  # noqa: F811
    f = sql_figures(session)
    assert f.cases == 3
    # first response: A 2 h, B 6 h, C 1 h
    assert f.first_response == Duration(3, 2, pytest.approx(5.2), pytest.approx(3))
    # filed to first offer sent: A 10 h, B 25 h; offer to choice: A 10 h, B 14 h
    assert (f.to_offer.count, f.to_offer.median, f.to_offer.p90) == (2, 17.5, pytest.approx(23.5))
    assert (f.offer_to_choice.median, f.offer_to_choice.mean) == (12, 12)
    # to resolution: A 30 h, B 60 h (the status change counts as resolution)
    assert (f.to_resolution.count, f.to_resolution.median, f.to_resolution.p90) == (2, 45, 57)
    assert (f.approval_wait.count, f.approval_wait.median, f.approval_wait.p90) == (1, 6, 6)


def test_ownership_outcome_and_targets_in_sql(session, timeline):  # noqa: F811
    f = sql_figures(session)
    assert f.handoffs_per_case == pytest.approx(1 / 3)
    assert (f.resolved_by_first_owner.part, f.resolved_by_first_owner.whole) == (1, 2)
    assert (f.reopened.part, f.reopened.whole) == (1, 2)
    assert (f.offers_within_authority.part, f.offers_within_authority.whole) == (1, 2)
    assert (f.counter_proposals.part, f.counter_proposals.whole) == (1, 2)
    assert f.ratings == {2: 1, 5: 1} and f.csat == 50 and f.mean_rating == 3.5
    assert (f.first_response_target_met.part, f.first_response_target_met.whole) == (2, 3)
    assert (f.resolution_target_met.part, f.resolution_target_met.whole) == (1, 3)
    assert (f.open_at_end, f.overdue_at_end) == (1, 1)
    # The same figures as Python computes from the milestones.
    assert f == figures(milestones(session, PERIOD), period_end=PERIOD.end)


def test_an_earlier_end_counts_later_resolutions_as_open(session, timeline):  # noqa: F811
    f = sql_figures(session, as_of=h(50))
    # A (resolved at 30 h) was done; B (60 h) and C (filed at 240 h, after this end) are counted as open.
    assert f.open_at_end == 2
    # Only A's and B's targets were due by then (responses at 4 h and 5 h, resolutions at 48 h and 49 h); B missed
    # both.
    assert (f.first_response_target_met.part, f.first_response_target_met.whole) == (1, 2)
    assert (f.resolution_target_met.part, f.resolution_target_met.whole) == (1, 2)


def test_filters_and_an_empty_scope(session, timeline):  # noqa: F811
    second = sql_figures(session, owner_id=timeline["second_owner"].id)
    assert (second.cases, second.handoffs_per_case, second.to_resolution.median) == (1, 1, 60)
    assert sql_figures(session, team_ids=()) is None
    assert sql_figures(session, team_ids=(timeline["category"].team_id,)).cases == 3


def test_breakdown_by_owner(session, timeline):  # noqa: F811
    result = figures_by(session, case_rows(PERIOD), [by_column("owner", "owner_id", PERIOD.end)])["owner"]
    first, second = result[timeline["a"].owner_id], result[timeline["second_owner"].id]
    # The first owner kept A (2 h to respond) and C (1 h); B was handed to the second owner.
    assert (first.cases, first.first_response.median, first.first_response.p90) == (2, 1.5, pytest.approx(1.9))
    assert (first.open_at_end, first.resolved_by_first_owner.percent) == (1, 100)
    assert (second.cases, second.first_response.median, second.reopened.percent) == (1, 6, 100)


def test_weekly_trend_with_each_weeks_own_end_and_a_case_on_a_boundary(session, timeline):  # noqa: F811
    # E is filed at the very first instant of the week of 9 March (local midnight): it belongs to that week.
    boundary = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)  # GMT: London's midnight is UTC's
    e = make_case(session, category=timeline["category"], owner=timeline["second_owner"])
    e.created_at, e.first_response_due, e.resolution_due = boundary, boundary + timedelta(hours=4), None
    record(session, e, "filed", by_customer=True, at=boundary)
    record(session, e, "reply", by=timeline["second_owner"], public=True,
           at=boundary + timedelta(hours=1, microseconds=250))
    session.flush()
    weeks = buckets(PERIOD, "week", LONDON)
    assert [b.label for b in weeks] == ["w/c 23 Feb", "w/c 2 Mar", "w/c 9 Mar", "w/c 16 Mar", "w/c 23 Mar",
                                        "w/c 30 Mar"]
    trend = figures_by(session, case_rows(PERIOD), [
        by_period("trend", [b.start for b in weeks], [b.end for b in weeks])])["trend"]
    assert sorted(trend) == [1, 2]  # only the weeks with cases
    first, second = trend[1], trend[2]
    # Week of 2 March (A and B), looked at on 9 March: both resolved by then, B's reply and resolution late.
    assert (first.cases, first.open_at_end, first.overdue_at_end) == (2, 0, 0)
    assert (first.first_response_target_met.part, first.first_response_target_met.whole) == (1, 2)
    assert (first.resolution_target_met.part, first.resolution_target_met.whole) == (1, 2)
    # Week of 9 March (C and E), looked at on 16 March: C is still open and past its 48 h target.
    assert (second.cases, second.open_at_end, second.overdue_at_end) == (2, 2, 1)
    assert (second.first_response_target_met.part, second.first_response_target_met.whole) == (2, 2)
    assert (second.resolution_target_met.part, second.resolution_target_met.whole) == (0, 1)
    # E answered in 1 h and 250 microseconds: exact to the microsecond on both databases.
    assert second.first_response.median == (1 + (1 + 250e-6 / 3600)) / 2
    assert second.first_response.p90 == 1 + (250e-6 / 3600) * 0.9 + 0


def _random_timelines(session, rng: random.Random, period: Period) -> None:
    """Sixty cases over two teams with random timelines: every milestone, withdrawals, reopenings, handoffs,
    ratings, microseconds, and cases filed just outside the period."""
    teams = [make_team(session), make_team(session)]
    categories = [make_category(session, team=t) for t in teams for _ in range(2)]
    staff = {t.id: [make_employee(session, team=t) for _ in range(3)] for t in teams}
    span = (period.end - period.start).total_seconds()
    for n in range(60):
        category = rng.choice(categories)
        owner = rng.choice(staff[category.team_id])
        case = make_case(session, category=category, owner=owner)
        filed = period.start + timedelta(seconds=rng.uniform(-0.05, 1.02) * span)
        filed = filed.replace(microsecond=rng.randrange(1_000_000))
        case.created_at = filed
        case.first_response_due = filed + timedelta(hours=rng.choice([2, 4, 24])) if n % 7 else None
        case.resolution_due = filed + timedelta(hours=rng.choice([24, 48, 96])) if n % 5 else None
        case.status = rng.choice(list(CaseStatus))
        at = filed

        def later(hours: float) -> datetime:
            nonlocal at
            at = at + timedelta(hours=rng.uniform(0, hours), microseconds=rng.randrange(1_000_000))
            return at

        record(session, case, "filed", by_customer=True, at=filed)
        if rng.random() < 0.85:
            record(session, case, "reply", by=owner, public=True, at=later(30))
        if rng.random() < 0.1:  # a clock-skewed event before the filing: no negative durations counted
            record(session, case, "reply", by=owner, public=True, at=filed - timedelta(hours=1))
        for _ in range(rng.choice([0, 0, 1, 2])):
            record(session, case, "handoff", by=owner, at=later(10))
        if rng.random() < 0.3:
            record(session, case, "offer_proposed", by=owner, at=later(20))
            if rng.random() < 0.8:
                record(session, case, "offer_approved", at=later(20))
        if rng.random() < 0.6:
            record(session, case, "offer_sent", by=owner, at=later(20))
            if rng.random() < 0.7:
                record(session, case, rng.choice(["remedy_chosen", "counter_proposal"]), by_customer=True,
                       at=later(40))
        if rng.random() < 0.6:
            kind = rng.choice(["remedy_fulfilled", "status"])  # no "resolved" kind exists
            record(session, case, kind, by=owner, at=later(80),
                   detail={"from": "remedy_chosen", "to": "resolved"} if kind == "status" else None)
            if rng.random() < 0.5:
                record(session, case, "rated", by_customer=True, at=later(20),
                       detail={"score": rng.randint(1, 5)})
            if rng.random() < 0.2:
                record(session, case, rng.choice(["reopened", "status"]), by_customer=True, at=later(20),
                       detail={"to": "reopened"})
                if rng.random() < 0.5:
                    record(session, case, "rated", by_customer=True, at=later(20),
                           detail={"score": rng.randint(1, 5)})
        record(session, case, "note", by=owner, at=later(5))
    session.flush()


def assert_same(sql: Figures, python: Figures) -> None:
    """Every figure identical; only the means (sums in another order) may differ in the last bit."""
    for field in fields(Figures):
        ours, theirs = getattr(sql, field.name), getattr(python, field.name)
        if isinstance(theirs, Duration):
            assert (ours.count, ours.median, ours.p90) == (theirs.count, theirs.median, theirs.p90), field.name
            assert ours.mean == (None if theirs.mean is None else pytest.approx(theirs.mean, rel=1e-12)), field.name
        else:
            assert ours == theirs, field.name


@pytest.mark.parametrize("grain", ["week", "month"])
def test_sql_figures_equal_the_figures_computed_in_python(session, grain):
    period = Period(datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC), "Feb to Apr 2026")
    _random_timelines(session, random.Random(2026), period)
    as_of = datetime(2026, 4, 20, 12, tzinfo=UTC)  # "now", before the period's end
    periods = buckets(period, grain, LONDON)
    ends = [min(b.end, as_of) for b in periods]
    result = figures_by(session, case_rows(period), [
        whole(as_of), by_column("team", "team_id", as_of), by_column("owner", "owner_id", as_of),
        by_column("category", "category_id", as_of),
        by_period("trend", [b.start for b in periods], ends)])
    rows = milestones(session, period)
    assert 40 < len(rows) < 60
    assert_same(result["whole"][0], figures(rows, period_end=as_of))
    for name, key in [("team", lambda r: r.team_id), ("owner", lambda r: r.owner_id),
                      ("category", lambda r: r.category_id)]:
        python = grouped(rows, key, period_end=as_of)
        assert result[name].keys() == python.keys()
        for k in python:
            assert_same(result[name][k], python[k])
    starts = [b.start for b in periods]
    chunks: dict[int, list] = {}
    for row in rows:
        chunks.setdefault(bisect_right(starts, row.filed_at) - 1, []).append(row)
    assert result["trend"].keys() == chunks.keys()
    for index, chunk in chunks.items():
        assert_same(result["trend"][index], figures(chunk, period_end=ends[index]))


@pytest.mark.parametrize("seed", [3, 8])
def test_each_drill_down_lists_exactly_the_cases_its_figure_counts(session, seed):
    from portal.metrics.dashboard import Scope, drilldown

    _random_timelines(session, random.Random(seed), PERIOD)
    as_of = PERIOD.end
    f = sql_figures(session, as_of=as_of)

    def total(figure: str) -> int:
        return drilldown(session, PERIOD, Scope(None), figure, as_of=as_of, per_page=10).total

    assert total("all") == f.cases
    assert total("open") == f.open_at_end
    assert total("overdue") == f.overdue_at_end
    assert total("late_first_response") == f.first_response_target_met.whole - f.first_response_target_met.part
    assert total("reopened") == f.reopened.part
    assert total("unhappy") == sum(n for score, n in f.ratings.items() if score <= 3)
    page = drilldown(session, PERIOD, Scope(None), "all", as_of=as_of, per_page=10, page=2)
    assert len(page.items) == 10 and page.items[0].filed_at <= page.items[-1].filed_at
