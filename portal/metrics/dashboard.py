"""What the manager's dashboard shows: headline figures against targets, a breakdown, and a trend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.cases.models import Case, CaseStatus, Category, Channel
from portal.metrics.aggregates import by_channel, by_column, by_period, figures_by, whole
from portal.metrics.figures import ChannelFigures, Figures, figures
from portal.metrics.milestones import Milestones, case_rows, milestones_of
from portal.metrics.models import CaseMilestones
from portal.metrics.periods import Bucket, Period, buckets
from portal.paging import Page, paginate

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
class ChannelRow:
    """One channel's figures: the cases that came in by it."""

    channel: Channel
    figures: ChannelFigures

    @property
    def label(self) -> str:
        return self.channel.label


@dataclass(frozen=True)
class Dashboard:
    period: Period
    as_of: datetime
    headline: Figures
    breakdown: list[Row]
    trend: list[tuple[Bucket, Figures]]
    group_by: str
    grain: str
    channels: list[ChannelRow] = field(default_factory=list)  # every channel, in Channel's order, none left out


def _in_scope(scope: Scope, team_id: int | None) -> tuple[int, ...] | None:
    """The teams to keep: the scope's, or none at all when ``team_id`` lies outside it."""
    if team_id is not None and scope.team_ids is not None and team_id not in scope.team_ids:
        return ()
    return scope.team_ids


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
    """The headline, breakdown and trend figures, computed by the database (one statement on PostgreSQL; SQLite
    adds one that reads the durations for its percentiles), and the channels' figures (two more, see by_channel)."""
    as_of = min(period.end, now)
    column, names = _grouping(session, group_by)
    periods = buckets(period, grain, zone)
    rows = case_rows(period, team_id=team_id, team_ids=_in_scope(scope, team_id))
    result = figures_by(session, rows, [
        whole(as_of),
        by_column("breakdown", column, as_of),
        by_period("trend", [b.start for b in periods], [min(b.end, as_of) for b in periods]),
    ])
    breakdown = [Row(k, names.get(k, "Unknown"), f) for k, f in result["breakdown"].items()]
    breakdown.sort(key=lambda r: (r.label, r.key))
    trend = [(b, result["trend"].get(i) or figures([], period_end=min(b.end, as_of))) for i, b in enumerate(periods)]
    headline = result["whole"].get(0) or figures([], period_end=as_of)
    per_channel = by_channel(session, rows)
    channels = [ChannelRow(c, per_channel.get(c) or ChannelFigures()) for c in Channel]
    return Dashboard(period, as_of, headline, breakdown, trend, group_by, grain, channels)


def _grouping(session: Session, group_by: str) -> tuple[str, dict[int, str]]:
    """The per-case column to group by, and the names of its values."""
    if group_by == "employee":
        return "owner_id", dict(session.execute(select(Employee.id, Employee.name)).all())
    if group_by == "category":
        return "category_id", dict(session.execute(select(Category.id, Category.name)).all())
    return "team_id", dict(session.execute(select(Team.id, Team.name)).all())


def _open_at(end: datetime) -> ColumnElement[bool]:
    """As the "open at the end" figure counts them: not resolved by then, and not withdrawn."""
    return and_(or_(CaseMilestones.resolved_at.is_(None), CaseMilestones.resolved_at >= end),
                Case.status != CaseStatus.withdrawn)


# The figures behind which a manager can see the list of cases, as conditions on a case and its milestones.
DRILLDOWNS: dict[str, tuple[str, Callable[[datetime], ColumnElement[bool]]]] = {
    "all": ("All cases filed", lambda end: true()),
    "open": ("Open at the end of the period", _open_at),
    "overdue": ("Overdue at the end of the period",
                lambda end: and_(_open_at(end), Case.resolution_due.is_not(None), Case.resolution_due < end)),
    "late_first_response": ("First response later than its target",
                            lambda end: and_(Case.first_response_due.is_not(None), Case.first_response_due <= end,
                                             or_(CaseMilestones.first_response_at.is_(None),
                                                 CaseMilestones.first_response_at > Case.first_response_due))),
    "handed_off": ("Handed off at least once", lambda end: CaseMilestones.handoffs > 0),
    "reopened": ("Resolved, then reopened",
                 lambda end: and_(CaseMilestones.resolved_at.is_not(None), CaseMilestones.reopens > 0)),
    "first_response_on_target": ("First response on target",
                                 lambda end: and_(Case.first_response_due.is_not(None), Case.first_response_due <= end,
                                                  CaseMilestones.first_response_at.is_not(None),
                                                  CaseMilestones.first_response_at <= Case.first_response_due)),
    "satisfied": ("Rated 4 or 5", lambda end: CaseMilestones.rating >= 4),
    "unhappy": ("Rated 1 to 3", lambda end: CaseMilestones.rating <= 3),
    # As figures.first_contact counts them: resolved at first contact and not reopened since.
    "first_contact": ("Resolved at first contact",
                      lambda end: and_(CaseMilestones.resolved_at.is_not(None),
                                       CaseMilestones.resolved_at_first_contact == true(),
                                       CaseMilestones.reopens == 0)),
    "not_first_contact": ("Resolved, but not at first contact",
                          lambda end: and_(CaseMilestones.resolved_at.is_not(None),
                                           or_(CaseMilestones.resolved_at_first_contact == false(),
                                               CaseMilestones.reopens > 0))),
    # As figures.recorded counts them.
    "talk_recorded": ("Contacts with a talk time recorded", lambda end: Case.talk_seconds >= 0),
    "hold_recorded": ("Contacts with a hold time recorded", lambda end: Case.hold_seconds >= 0),
    **{f"channel_{channel.value}": (f"Cases that came in by {channel.label.lower()}" if channel is not Channel.in_person
                                    else "Cases that came in person",
                                    lambda end, channel=channel: Case.channel == channel)
       for channel in Channel},
}
# The drill-downs whose list shows each case's call times.
CALL_DRILLDOWNS = ("talk_recorded", "hold_recorded", f"channel_{Channel.phone.value}")
GROUP_COLUMNS = {"team": Category.team_id, "employee": Case.owner_id, "category": Case.category_id}


# Whose cases a drill-down from a breakdown row lists, in words: "owned by Maria Lopez".
GROUP_WORDING = {"team": "for the team {}", "employee": "owned by {}", "category": "in the category {}"}


@dataclass(frozen=True)
class DrillPage(Page[Milestones]):
    whose: str = ""  # "owned by Maria Lopez" when the list is one breakdown row's


def drilldown(session: Session, period: Period, scope: Scope, figure: str, *, as_of: datetime,
              team_id: int | None = None, group: str = "", key: int | None = None, page: int = 1,
              per_page: int = 50) -> DrillPage:
    """The cases behind a figure, oldest first, a page at a time, filtered in the database."""
    query = case_rows(period, team_id=team_id, team_ids=_in_scope(scope, team_id)).where(
        DRILLDOWNS[figure][1](as_of))
    whose = ""
    if group in GROUP_COLUMNS and key:
        query = query.where(GROUP_COLUMNS[group] == key)
        whose = GROUP_WORDING[group].format(_grouping(session, group)[1].get(key, "Unknown"))
    found = paginate(session, query, page=page, per_page=per_page, order_by=(Case.created_at, Case.id),
                     row=milestones_of)
    return DrillPage(found.items, found.total, found.page, found.pages, whose)


def remedy_kinds_chosen(session: Session, period: Period, scope: Scope, *, team_id: int | None = None
                        ) -> list[tuple[str, int]]:
    """How often each kind of remedy was chosen, for the cases filed in the period, most chosen first."""

    from portal.cases.models import Case
    from portal.remedies.models import Choice, Offer, Remedy

    query = (
        select(Remedy.kind, func.count())
        .join(Choice, Choice.remedy_id == Remedy.id).join(Offer, Offer.id == Choice.offer_id)
        .join(Case, Case.id == Offer.case_id).join(Category, Category.id == Case.category_id)
        .where(Case.created_at >= period.start, Case.created_at < period.end)
        .group_by(Remedy.kind)
    )
    if team_id:
        query = query.where(Category.team_id == team_id)
    if scope.team_ids is not None:
        query = query.where(Category.team_id.in_(scope.team_ids))
    rows = [(kind.label if hasattr(kind, "label") else str(kind), n) for kind, n in session.execute(query)]
    return sorted(rows, key=lambda row: (-row[1], row[0]))
