"""The employee's queues: their own open cases due first, the cases they help on, and a manager's team view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.auth.models import Employee, Team
from portal.cases.customers import customer_scores
from portal.cases.lifecycle import OPEN_STATUSES
from portal.cases.models import Case, CaseHelper, CaseStatus, Category, Channel
from portal.cases.search_terms import parse
from portal.paging import Page, paginate

PAGE_SIZE = 25
SORTS = {"due": "Due first", "due_desc": "Due last", "oldest": "Oldest first", "newest": "Newest first",
         "activity": "Latest customer activity", "activity_asc": "Earliest customer activity"}
# A queue's sortable columns: the sort its header asks for first, then the other way round on a second click.
SORT_COLUMNS = {"due": ("due", "due_desc"), "filed": ("oldest", "newest"), "activity": ("activity", "activity_asc")}
DESCENDING = frozenset({"due_desc", "newest", "activity"})
# The statuses in which the next move is the customer's (choosing from the remedies offered): not urgent for us.
WAITING_ON_CUSTOMER = (CaseStatus.remedy_offered,)

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


def end_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight after ``now`` on the organisation's wall clock, in UTC: what "due today" runs up to."""
    return _day_start(now.astimezone(zone).date() + timedelta(days=1), zone)


@dataclass(frozen=True)
class Urgency:
    """How pressing each case in a queue is, read from one clock so every row (and the header) agrees.

    A row is "overdue" past its due moment, "waiting" while the customer has the next move, "soon" when it falls
    due before the end of today, and otherwise plain; a case flagged for a manager says so beside any of these.
    """

    now: datetime
    day_ends: datetime

    @classmethod
    def at(cls, now: datetime, zone: ZoneInfo) -> Urgency:
        return cls(now, end_of_day(now, zone))

    def due(self, c: Case) -> datetime | None:
        return due_at(c) if c.status in OPEN_STATUSES else None

    def state(self, c: Case) -> str:
        due = self.due(c)
        if due is not None and due < self.now:
            return "overdue"
        if c.status in WAITING_ON_CUSTOMER:
            return "waiting"
        if due is not None and due < self.day_ends:
            return "soon"
        return ""


@dataclass(frozen=True)
class DueCounts:
    today: int
    overdue: int


def due_counts(session: Session, employee: Employee, *, now: datetime, zone: ZoneInfo) -> DueCounts:
    """The header's figures for the signed-in employee's own open cases, by the same rules as Urgency."""
    mine = and_(Case.owner_id == employee.id, Case.status.in_(OPEN_STATUSES))
    soon = and_(now <= DUE, end_of_day(now, zone) > DUE, Case.status.not_in(WAITING_ON_CUSTOMER))
    row = session.execute(
        select(func.sum(case((soon, 1), else_=0)), func.sum(case((now > DUE, 1), else_=0))).where(mine)
    ).one()
    return DueCounts(int(row[0] or 0), int(row[1] or 0))


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


def _order(sort: str) -> tuple:
    return {
        "due_desc": (DUE.desc().nulls_last(), Case.id.desc()),
        "oldest": (Case.created_at, Case.id),
        "newest": (Case.created_at.desc(), Case.id.desc()),
        "activity": (Case.last_customer_activity_at.desc().nulls_last(), Case.id),
        "activity_asc": (Case.last_customer_activity_at.asc().nulls_last(), Case.id),
    }.get(sort, (DUE.asc().nulls_last(), Case.id))


def _page(session: Session, query: Select, filters: QueueFilters) -> Page[Case]:
    order = _order(filters.sort)
    # Each row's customer, category and owner joined in the one statement (each is one row per case).
    query = query.options(joinedload(Case.customer), joinedload(Case.category), joinedload(Case.owner))
    return paginate(session, query, page=filters.page, per_page=PAGE_SIZE, order_by=order)


def my_cases(session: Session, employee: Employee, filters: QueueFilters, *, now: datetime) -> Page[Case]:
    status_filter = [filters.status] if filters.status else OPEN_STATUSES
    query = select(Case).where(Case.owner_id == employee.id, Case.status.in_(status_filter))
    return _page(session, _filtered(query, QueueFilters(**{**filters.__dict__, "status": None}), now, session),
                 filters)


def helping_on(session: Session, employee: Employee) -> list[Case]:
    return list(session.scalars(
        select(Case).join(CaseHelper, and_(CaseHelper.case_id == Case.id, CaseHelper.employee_id == employee.id))
        .where(Case.status.in_(OPEN_STATUSES)).options(joinedload(Case.owner), joinedload(Case.customer))
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


MOST_AT_ONCE = 100  # cases one reassignment may move: more than a page of the queue is a mistake


def cases_in_teams(session: Session, teams: list[Team], ids: list[int]) -> list[Case]:
    """The open cases of the teams among ``ids`` (any other id is left out), in the order of ``ids``."""
    if not ids or len(ids) > MOST_AT_ONCE:
        return []
    found = {c.id: c for c in session.scalars(
        select(Case).join(Category, Category.id == Case.category_id)
        .where(Case.id.in_(ids), Category.team_id.in_([t.id for t in teams]), Case.status.in_(OPEN_STATUSES))
        .options(selectinload(Case.owner), selectinload(Case.customer), selectinload(Case.category))
    )}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


@dataclass(frozen=True)
class Load:
    employee: Employee
    open_cases: int
    overdue: int


def load_per_person(session: Session, teams: list[Team], *, now: datetime) -> list[Load]:
    """Open and overdue cases per member of the teams, busiest first, including people with none."""
    members = session.scalars(
        select(Employee).where(Employee.team_id.in_([t.id for t in teams]), Employee.active).order_by(Employee.name)
    ).all()
    # Only the members' own cases are counted (by the owner and status index), not every open case there is.
    counts = dict(
        (row.owner_id, (row.open, row.overdue))
        for row in session.execute(
            select(Case.owner_id, func.count().label("open"),
                   func.sum(case((now > DUE, 1), else_=0)).label("overdue"))
            .where(Case.owner_id.in_([m.id for m in members]), Case.status.in_(OPEN_STATUSES))
            .group_by(Case.owner_id)
        )
    ) if members else {}
    loads = [Load(m, *(int(v or 0) for v in counts.get(m.id, (0, 0)))) for m in members]
    return sorted(loads, key=lambda load: (-load.open_cases, load.employee.name))


def teams_managed_by(session: Session, employee: Employee) -> list[Team]:
    from portal.auth.models import Role

    if employee.role is Role.admin:
        return list(session.scalars(select(Team).order_by(Team.name)))
    query = select(Team).where((Team.manager_id == employee.id) | (Team.id == employee.team_id)).order_by(Team.name)
    return list(session.scalars(query))
