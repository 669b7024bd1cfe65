"""A task force measured against the figure it set out to fix: the dashboard's own numbers for its team (the same
statements, so the task force's page and the dashboard agree week by week), from a few weeks before it started to
today, with the figure over the weeks before and since."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Team
from portal.ideas.models import TaskForce
from portal.metrics import charts, dashboard
from portal.metrics.charts import Chart
from portal.metrics.figures import Figures
from portal.metrics.periods import Bucket, Period, local_midnight
from portal.times import local

__all__ = ["MEASURES", "WEEKS_BEFORE", "Measure", "Outcome", "Week", "chart", "outcome", "start_markers"]

WEEKS_BEFORE = 8  # the weeks shown before a task force started, to see where the figure stood


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


@dataclass(frozen=True)
class Measure:
    """One of the dashboard's figures, as a task force aims at it (lower is better for each of them)."""

    name: str  # "First-response time"
    heading: str  # what the chart and table call the weekly value
    unit: str  # "h", "%" or "min"
    read: Callable[[Figures], float | None]


MEASURES = {
    "first_response": Measure("First-response time", "Median hours to first response", "h",
                              lambda f: f.first_response.median),
    "to_resolution": Measure("Resolution time", "Median hours to resolution", "h", lambda f: f.to_resolution.median),
    "reopened": Measure("Reopen rate", "Share of resolved cases reopened", "%", lambda f: f.reopened.percent),
    "talk_time": Measure("Talk time", "Median talk time in minutes", "min", lambda f: _minutes(f.talk_time.median)),
    "hold_time": Measure("Hold time", "Median hold time in minutes", "min", lambda f: _minutes(f.hold_time.median)),
}


@dataclass(frozen=True)
class Week:
    label: str  # "w/c 3 Aug", as the dashboard's trend
    value: float | None  # None: no case in that week reached the figure
    cases: int  # cases filed that week
    starts_here: bool


@dataclass(frozen=True)
class Outcome:
    measure: Measure
    team: Team
    weeks: list[Week]
    before: float | None  # the figure over the weeks shown before the start
    since: float | None  # and since the start, to today

    @property
    def start_index(self) -> int:
        return next((i for i, week in enumerate(self.weeks) if week.starts_here), 0)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _figures(session: Session, first: date, last: date, team_id: int, *, now: datetime, zone: ZoneInfo
             ) -> dashboard.Dashboard:
    period = Period(local_midnight(first, zone), local_midnight(last + timedelta(days=1), zone), "")
    return dashboard.build(session, period, dashboard.Scope(None), now=now, zone=zone, grain="week", team_id=team_id)


def outcome(session: Session, figure: str, team_id: int | None, started_on: date | None, *, now: datetime,
            zone: ZoneInfo) -> Outcome | None:
    """The figure week by week for the team, or None when the task force aims at no figure."""
    if figure not in MEASURES or team_id is None or started_on is None:
        return None
    team = session.get(Team, team_id)
    if team is None:
        return None
    measure = MEASURES[figure]
    today = local(now, zone).date()
    first, last = _monday(started_on) - timedelta(weeks=WEEKS_BEFORE), max(today, started_on)
    trend = _figures(session, first, last, team_id, now=now, zone=zone).trend
    start = local_midnight(_monday(started_on), zone)
    weeks = [Week(bucket.label, measure.read(figures), figures.cases, bucket.start == start)
             for bucket, figures in trend]
    before = measure.read(_figures(session, first, started_on - timedelta(days=1), team_id, now=now,
                                   zone=zone).headline)
    since = measure.read(_figures(session, started_on, last, team_id, now=now, zone=zone).headline)
    return Outcome(measure, team, weeks, before, since)


def chart(measured: Outcome) -> Chart:
    """The weekly figure as a line, the week the task force started marked."""
    return charts.line_chart(measured.measure.heading, [w.label for w in measured.weeks],
                             {measured.measure.name: [w.value for w in measured.weeks]}, unit=measured.measure.unit,
                             markers={measured.start_index: "Task force starts"})


def start_markers(session: Session, buckets: list[Bucket], zone: ZoneInfo, team_id: int | None) -> dict[int, str]:
    """For the dashboard's trend: the bucket (by index) in which each task force aimed at a figure started, for
    the team shown (every team's when none is chosen). Registered with portal.metrics.moments at start-up."""
    query = select(TaskForce.name, TaskForce.started_on).where(TaskForce.figure != "",
                                                                 TaskForce.started_on.is_not(None))
    if team_id is not None:
        query = query.where(TaskForce.team_id == team_id)
    markers: dict[int, str] = {}
    for name, started_on in session.execute(query.order_by(TaskForce.started_on, TaskForce.id)):
        moment = local_midnight(started_on, zone)
        for index, bucket in enumerate(buckets):
            if bucket.start <= moment < bucket.end:
                markers[index] = f"{markers[index]}; “{name}”" if index in markers else f"Task force “{name}” starts"
    return markers
