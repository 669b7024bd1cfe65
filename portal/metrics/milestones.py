"""Each case's milestones, read from its timeline in one grouped query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from portal.cases.models import Case, CaseStatus, Category, Event
from portal.metrics.periods import Period

# Event kinds that mark each milestone (see DESIGN.md: every transition is an event).
RESPONSE_KINDS = ("reply",)
OFFER_SENT = "offer_sent"
OFFER_PROPOSED = "offer_proposed"
OFFER_APPROVED = "offer_approved"
CHOICE_KINDS = ("remedy_chosen", "counter_proposal")
RESOLVED_KINDS = ("remedy_fulfilled", "resolved")


@dataclass(frozen=True)
class Milestones:
    case_id: int
    reference: str
    team_id: int
    category_id: int
    owner_id: int
    status: CaseStatus
    filed_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None
    first_response_at: datetime | None
    first_offer_at: datetime | None
    first_proposed_at: datetime | None
    first_approved_at: datetime | None
    first_choice_at: datetime | None
    resolved_at: datetime | None
    handoffs: int
    reopens: int
    counter_proposals: int
    choices: int
    rating: int | None


def _first(condition):
    return func.min(case((condition, Event.at)))


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def milestones(
    session: Session,
    period: Period,
    *,
    team_id: int | None = None,
    category_id: int | None = None,
    owner_id: int | None = None,
) -> list[Milestones]:
    """Milestones of the cases filed in ``period`` (filters narrow it to a team, category or owner)."""
    resolved = or_(
        Event.kind.in_(RESOLVED_KINDS),
        and_(Event.kind == "status", Event.detail["to"].as_string() == CaseStatus.resolved.value),
    )
    rating_event = (
        select(Event.detail["score"].as_string())
        .where(Event.case_id == Case.id, Event.kind == "rated")
        .order_by(Event.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    per_case = (
        select(
            Event.case_id.label("case_id"),
            _first(Event.kind.in_(RESPONSE_KINDS)).label("first_response_at"),
            _first(Event.kind == OFFER_SENT).label("first_offer_at"),
            _first(Event.kind == OFFER_PROPOSED).label("first_proposed_at"),
            _first(Event.kind == OFFER_APPROVED).label("first_approved_at"),
            _first(Event.kind.in_(CHOICE_KINDS)).label("first_choice_at"),
            _first(resolved).label("resolved_at"),
            _count(Event.kind == "handoff").label("handoffs"),
            _count(or_(Event.kind == "reopened",
                       and_(Event.kind == "status", Event.detail["to"].as_string() == "reopened"))).label("reopens"),
            _count(Event.kind == "counter_proposal").label("counter_proposals"),
            _count(Event.kind == "remedy_chosen").label("choices"),
        )
        .join(Case, Case.id == Event.case_id)
        .where(Case.created_at >= period.start, Case.created_at < period.end)
        .group_by(Event.case_id)
        .subquery()
    )
    query = (
        select(Case, Category.team_id, per_case, rating_event.label("rating"))
        .join(Category, Category.id == Case.category_id)
        .outerjoin(per_case, per_case.c.case_id == Case.id)
        .where(Case.created_at >= period.start, Case.created_at < period.end)
    )
    if team_id:
        query = query.where(Category.team_id == team_id)
    if category_id:
        query = query.where(Case.category_id == category_id)
    if owner_id:
        query = query.where(Case.owner_id == owner_id)
    rows = session.execute(query.execution_options(yield_per=5000)).all()
    return [_milestones(row) for row in rows]


def _milestones(row) -> Milestones:
    c: Case = row[0]
    m = row._mapping
    rating = m["rating"]
    return Milestones(
        case_id=c.id, reference=c.reference, team_id=row[1], category_id=c.category_id, owner_id=c.owner_id,
        status=c.status, filed_at=c.created_at, first_response_due=c.first_response_due,
        resolution_due=c.resolution_due, first_response_at=_aware(m["first_response_at"]),
        first_offer_at=_aware(m["first_offer_at"]), first_proposed_at=_aware(m["first_proposed_at"]),
        first_approved_at=_aware(m["first_approved_at"]), first_choice_at=_aware(m["first_choice_at"]),
        resolved_at=_aware(m["resolved_at"]), handoffs=int(m["handoffs"] or 0), reopens=int(m["reopens"] or 0),
        counter_proposals=int(m["counter_proposals"] or 0), choices=int(m["choices"] or 0),
        rating=int(rating) if rating not in (None, "") else None,
    )


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite (strings come back), so parse and tag them as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

