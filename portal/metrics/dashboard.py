"""What the manager's dashboard shows: headline figures against targets, a breakdown, and a trend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.cases.models import Category
from portal.metrics.figures import Figures, figures, grouped
from portal.metrics.milestones import Milestones, milestones
from portal.metrics.periods import Bucket, Period, buckets

# Where the organisation wants to be; shown beside each headline figure.
TARGETS = {"first_response_target_met": 90.0, "resolution_target_met": 85.0, "csat": 80.0}
GROUPINGS = {"team": "Team", "employee": "Employee", "category": "Category"}


@dataclass(frozen=True)
class Scope:
    """The teams a viewer may see: admins every team, managers the teams they manage or belong to."""

    team_ids: tuple[int, ...] | None  # None: every team


def scope_for(session: Session, viewer: Employee) -> Scope:
    if viewer.role is Role.admin:
        return Scope(None)
    managed = set(session.scalars(select(Team.id).where(Team.manager_id == viewer.id)))
    if viewer.team_id:
        managed.add(viewer.team_id)
    return Scope(tuple(sorted(managed)))


def visible_teams(session: Session, scope: Scope) -> list[Team]:
    query = select(Team).order_by(Team.name)
    if scope.team_ids is not None:
        query = query.where(Team.id.in_(scope.team_ids))
    return list(session.scalars(query))


@dataclass(frozen=True)
class Row:
    key: int
    label: str
    figures: Figures


@dataclass(frozen=True)
class Dashboard:
    period: Period
    as_of: datetime
    headline: Figures
    breakdown: list[Row]
    trend: list[tuple[Bucket, Figures]]
    group_by: str
    grain: str


def load_rows(session: Session, period: Period, scope: Scope, *, team_id: int | None = None) -> list[Milestones]:
    if team_id is not None and scope.team_ids is not None and team_id not in scope.team_ids:
        return []
    rows = milestones(session, period, team_id=team_id)
    if scope.team_ids is not None:
        allowed = set(scope.team_ids)
        rows = [r for r in rows if r.team_id in allowed]
    return rows


def build(
    session: Session,
    period: Period,
    scope: Scope,
    *,
    now: datetime,
    zone: ZoneInfo,
    group_by: str = "team",
    grain: str = "week",
    team_id: int | None = None,
) -> Dashboard:
    rows = load_rows(session, period, scope, team_id=team_id)
    as_of = min(period.end, now)
    key, names = _grouping(session, group_by)
    breakdown = [
        Row(k, names.get(k, "Unknown"), f)
        for k, f in grouped(rows, key, period_end=as_of).items()
    ]
    breakdown.sort(key=lambda r: r.label)
    trend = []
    for bucket in buckets(period, grain, zone):
        inside = [r for r in rows if bucket.start <= r.filed_at < bucket.end]
        trend.append((bucket, figures(inside, period_end=min(bucket.end, as_of))))
    return Dashboard(period, as_of, figures(rows, period_end=as_of), breakdown, trend, group_by, grain)


def _grouping(session: Session, group_by: str) -> tuple[Callable[[Milestones], int], dict[int, str]]:
    if group_by == "employee":
        return (lambda r: r.owner_id), dict(session.execute(select(Employee.id, Employee.name)).tuples().all())
    if group_by == "category":
        return (lambda r: r.category_id), dict(session.execute(select(Category.id, Category.name)).tuples().all())
    return (lambda r: r.team_id), dict(session.execute(select(Team.id, Team.name)).tuples().all())


# The figures behind which a manager can see the list of cases.
DRILLDOWNS: dict[str, tuple[str, Callable[[Milestones, datetime], bool]]] = {
    "all": ("All cases filed", lambda r, end: True),
    "open": ("Open at the end of the period", lambda r, end: r.resolved_at is None or r.resolved_at >= end),
    "overdue": ("Overdue at the end of the period",
                lambda r, end: (r.resolved_at is None or r.resolved_at >= end)
                and r.resolution_due is not None and r.resolution_due < end),
    "late_first_response": ("First response later than its target",
                            lambda r, end: r.first_response_due is not None and r.first_response_due <= end
                            and (r.first_response_at is None or r.first_response_at > r.first_response_due)),
    "handed_off": ("Handed off at least once", lambda r, end: r.handoffs > 0),
    "reopened": ("Reopened", lambda r, end: r.reopens > 0),
    "unhappy": ("Rated 1 to 3", lambda r, end: r.rating is not None and r.rating <= 3),
}


def drilldown(rows: list[Milestones], figure: str, *, as_of: datetime) -> list[Milestones]:
    test = DRILLDOWNS[figure][1]
    return sorted((r for r in rows if test(r, as_of)), key=lambda r: r.filed_at)
