"""Each case's milestones, read from its timeline in one grouped query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import BigInteger, ColumnElement, Integer, Select, and_, cast, func, or_, select
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
SCORE_BASE = 100  # scores are 1 to 5 (remedies.fulfilment.rate); see case_rows


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


def _first(condition: ColumnElement[bool]) -> ColumnElement[datetime]:
    return func.min(Event.at).filter(condition)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(Event.id).filter(condition)


# The only kinds the milestones read: the rest of a timeline (filings, notes, drafts...) is skipped early.
MILESTONE_KINDS = (*RESPONSE_KINDS, OFFER_SENT, OFFER_PROPOSED, OFFER_APPROVED, *CHOICE_KINDS, *RESOLVED_KINDS,
                   "status", "handoff", "reopened", "rated")


def case_rows(
    period: Period,
    *,
    team_id: int | None = None,
    category_id: int | None = None,
    owner_id: int | None = None,
    team_ids: tuple[int, ...] | None = None,
) -> Select:
    """One row per case filed in ``period``, its milestones read from its timeline in one grouped query; the
    columns are named as :class:`Milestones`' fields (``id`` for ``case_id``).
    ``team_ids`` (a viewer's scope) narrows it like the other filters; an empty tuple gives no cases."""
    to_status = Event.detail["to"].as_string()
    resolved = or_(Event.kind.in_(RESOLVED_KINDS),
                   and_(Event.kind == "status", to_status == CaseStatus.resolved.value))
    # One pass: each case joined to the events that matter and grouped by case (its other columns follow its id),
    # both read in case order so that no sort is needed; the category's team is looked up afterwards.
    per_case = (
        select(
            Case.id, Case.reference, Case.category_id, Case.owner_id, Case.status, Case.created_at.label("filed_at"),
            Case.first_response_due, Case.resolution_due,
            _first(Event.kind.in_(RESPONSE_KINDS)).label("first_response_at"),
            _first(Event.kind == OFFER_SENT).label("first_offer_at"),
            _first(Event.kind == OFFER_PROPOSED).label("first_proposed_at"),
            _first(Event.kind == OFFER_APPROVED).label("first_approved_at"),
            _first(Event.kind.in_(CHOICE_KINDS)).label("first_choice_at"),
            _first(resolved).label("resolved_at"),
            _count(Event.kind == "handoff").label("handoffs"),
            _count(or_(Event.kind == "reopened",
                       and_(Event.kind == "status", to_status == "reopened"))).label("reopens"),
            _count(Event.kind == "counter_proposal").label("counter_proposals"),
            _count(Event.kind == "remedy_chosen").label("choices"),
            # The latest rating wins. Its score rides along with its id (id * 100 + score, the largest is the
            # latest) so that no second look at the timeline is needed; 0 stands for a rating without a score.
            cast(func.nullif(func.max(
                cast(Event.id, BigInteger) * SCORE_BASE
                + func.coalesce(cast(func.nullif(Event.detail["score"].as_string(), ""), Integer), 0),
            ).filter(Event.kind == "rated") % SCORE_BASE, 0), Integer).label("rating"),
        )
        .outerjoin(Event, and_(Event.case_id == Case.id, Event.kind.in_(MILESTONE_KINDS)))
        .where(Case.created_at >= period.start, Case.created_at < period.end)
        .group_by(Case.id)
    )
    if team_id:
        per_case = per_case.where(Case.category_id.in_(select(Category.id).where(Category.team_id == team_id)))
    if category_id:
        per_case = per_case.where(Case.category_id == category_id)
    if owner_id:
        per_case = per_case.where(Case.owner_id == owner_id)
    if team_ids is not None:
        per_case = per_case.where(Case.category_id.in_(select(Category.id).where(Category.team_id.in_(team_ids))))
    rows = per_case.subquery("per_case")
    return select(rows, Category.team_id).join(Category, Category.id == rows.c.category_id)


def milestones(
    session: Session,
    period: Period,
    *,
    team_id: int | None = None,
    category_id: int | None = None,
    owner_id: int | None = None,
    team_ids: tuple[int, ...] | None = None,
) -> list[Milestones]:
    """Milestones of the cases filed in ``period`` (filters narrow it to a team, category, owner or scope)."""
    query = case_rows(period, team_id=team_id, category_id=category_id, owner_id=owner_id, team_ids=team_ids)
    rows = session.execute(query.execution_options(yield_per=5000)).all()
    return [_milestones(row) for row in rows]


def _milestones(row) -> Milestones:
    # Plain columns rather than Case objects: building 100,000 ORM objects would dominate the dashboard's time.
    m = row._mapping
    return Milestones(
        case_id=m["id"], reference=m["reference"], team_id=m["team_id"], category_id=m["category_id"],
        owner_id=m["owner_id"], status=m["status"], filed_at=m["filed_at"],
        first_response_due=m["first_response_due"], resolution_due=m["resolution_due"],
        first_response_at=_aware(m["first_response_at"]),
        first_offer_at=_aware(m["first_offer_at"]), first_proposed_at=_aware(m["first_proposed_at"]),
        first_approved_at=_aware(m["first_approved_at"]), first_choice_at=_aware(m["first_choice_at"]),
        resolved_at=_aware(m["resolved_at"]), handoffs=int(m["handoffs"] or 0), reopens=int(m["reopens"] or 0),
        counter_proposals=int(m["counter_proposals"] or 0), choices=int(m["choices"] or 0),
        rating=m["rating"],
    )


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite (strings come back), so parse and tag them as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

