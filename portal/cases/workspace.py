"""The employee's queues: their own open cases due first, the cases they help on, and a manager's team view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee, Team
from portal.cases.customers import customer_scores
from portal.cases.lifecycle import OPEN_STATUSES
from portal.cases.models import Case, CaseHelper, CaseStatus, Category, Channel
from portal.cases.search_terms import parse
from portal.paging import Page, paginate

PAGE_SIZE = 25
SORTS = {"due": "Due first", "oldest": "Oldest first", "activity": "Latest customer activity"}

# A case is due by its first-response target until it has a reply, then by its resolution target.
DUE = case((Case.first_responded_at.is_(None), Case.first_response_due), else_=Case.resolution_due)


FOUND_CUSTOMERS = 500  # a customer filter keeps the cases of at most this many customers it matches


@dataclass(frozen=True)
class QueueFilters:
    status: CaseStatus | None = None
    category_id: int | None = None
    overdue: bool = False
    owner_id: int | None = None
    sort: str = "due"
    page: int = 1
    # "Find": the customer (name, e-mail or phone, as the search box reads them), the channel, the days filed
    # (from and to, both included, in the organisation's time zone).
    customer: str = ""
    channel: Channel | None = None
    filed_from: date | None = None
    filed_to: date | None = None
    zone: ZoneInfo = ZoneInfo("Europe/London")


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def due_at(c: Case) -> datetime | None:
    return c.first_response_due if c.first_responded_at is None else c.resolution_due


def _filtered(query: Select, filters: QueueFilters, now: datetime, session: Session) -> Select:
    if filters.customer:
        typed = parse(filters.customer)
        ids = [cid for cid, _ in customer_scores(session, typed, limit=FOUND_CUSTOMERS)] if typed or \
            typed.phone_key else []
        query = query.where(Case.customer_id.in_(ids))
    if filters.channel is not None:
        query = query.where(Case.channel == filters.channel)
    if filters.filed_from is not None:
        query = query.where(Case.created_at >= _day_start(filters.filed_from, filters.zone))
    if filters.filed_to is not None:
        query = query.where(Case.created_at < _day_start(filters.filed_to + timedelta(days=1), filters.zone))
    if filters.status is not None:
        query = query.where(Case.status == filters.status)
    if filters.category_id:
        query = query.where(Case.category_id == filters.category_id)
    if filters.owner_id:
        query = query.where(Case.owner_id == filters.owner_id)
    if filters.overdue:
        query = query.where(now > DUE)
    return query


def _page(session: Session, query: Select, filters: QueueFilters) -> Page[Case]:
    order = {
        "oldest": (Case.created_at, Case.id),
        "activity": (Case.last_customer_activity_at.desc().nulls_last(), Case.id),
    }.get(filters.sort, (DUE.asc().nulls_last(), Case.id))
    query = query.options(selectinload(Case.customer), selectinload(Case.category), selectinload(Case.owner))
    return paginate(session, query, page=filters.page, per_page=PAGE_SIZE, order_by=order)


def my_cases(session: Session, employee: Employee, filters: QueueFilters, *, now: datetime) -> Page[Case]:
    status_filter = [filters.status] if filters.status else OPEN_STATUSES
    query = select(Case).where(Case.owner_id == employee.id, Case.status.in_(status_filter))
    return _page(session, _filtered(query, QueueFilters(**{**filters.__dict__, "status": None}), now, session),
                 filters)


def helping_on(session: Session, employee: Employee) -> list[Case]:
    return list(session.scalars(
        select(Case).join(CaseHelper, and_(CaseHelper.case_id == Case.id, CaseHelper.employee_id == employee.id))
        .where(Case.status.in_(OPEN_STATUSES)).options(selectinload(Case.owner), selectinload(Case.customer))
        .order_by(DUE.asc().nulls_last(), Case.id)
    ))


def team_cases(session: Session, teams: list[Team], filters: QueueFilters, *, now: datetime) -> Page[Case]:
    status_filter = [filters.status] if filters.status else OPEN_STATUSES
    query = (
        select(Case).join(Category, Category.id == Case.category_id)
        .where(Category.team_id.in_([t.id for t in teams]), Case.status.in_(status_filter))
    )
    return _page(session, _filtered(query, QueueFilters(**{**filters.__dict__, "status": None}), now, session),
                 filters)


@dataclass(frozen=True)
class Load:
    employee: Employee
    open_cases: int
    overdue: int


def load_per_person(session: Session, teams: list[Team], *, now: datetime) -> list[Load]:
    """Open and overdue cases per member of the teams, busiest first, including people with none."""
    counts = dict(
        (row.owner_id, (row.open, row.overdue))
        for row in session.execute(
            select(Case.owner_id, func.count().label("open"),
                   func.sum(case((now > DUE, 1), else_=0)).label("overdue"))
            .where(Case.status.in_(OPEN_STATUSES)).group_by(Case.owner_id)
        )
    )
    members = session.scalars(
        select(Employee).where(Employee.team_id.in_([t.id for t in teams]), Employee.active).order_by(Employee.name)
    ).all()
    loads = [Load(m, *(int(v or 0) for v in counts.get(m.id, (0, 0)))) for m in members]
    return sorted(loads, key=lambda load: (-load.open_cases, load.employee.name))


def teams_managed_by(session: Session, employee: Employee) -> list[Team]:
    from portal.auth.models import Role

    if employee.role is Role.admin:
        return list(session.scalars(select(Team).order_by(Team.name)))
    query = select(Team).where((Team.manager_id == employee.id) | (Team.id == employee.team_id)).order_by(Team.name)
    return list(session.scalars(query))
