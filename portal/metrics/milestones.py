"""Each case's milestones: how its timeline gives them, and how the dashboard reads them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    cast,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from portal.cases.lifecycle import TRANSITIONS
from portal.cases.models import Case, CaseStatus, Category, Channel, Event, EventKind
from portal.metrics.models import CaseMilestones
from portal.metrics.periods import Period

# Event kinds that mark each milestone (see DESIGN.md: every transition is an event).
RESPONSE_KINDS = (EventKind.reply,)
OFFER_SENT = EventKind.offer_sent
OFFER_PROPOSED = EventKind.offer_proposed
OFFER_APPROVED = EventKind.offer_approved
CHOICE_KINDS = (EventKind.remedy_chosen, EventKind.counter_proposal)
# What resolves a case, as the lifecycle's table says: the kinds of event only a move to resolved records (fulfilling
# the chosen remedy, and any action added later with a kind of its own), and the kinds some other moves record too
# (a status set by hand), which count when their detail says they went to resolved.
_TO_RESOLVED = {t.kind for t in TRANSITIONS.values() if t.to is CaseStatus.resolved}
RESOLVED_KINDS = tuple(sorted(k for k in _TO_RESOLVED
                              if all(t.to is CaseStatus.resolved for t in TRANSITIONS.values() if t.kind == k)))
RESOLVED_IF_TO = tuple(sorted(_TO_RESOLVED - set(RESOLVED_KINDS)))
# First-contact resolution (the shared definition, shown on the dashboard): a case whose first resolution came with
# no customer_reply before it and at most one public staff reply before it; "before" includes the same instant.
CUSTOMER_WROTE = EventKind.customer_reply
FIRST_CONTACT_REPLIES = 1
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
    channel: Channel = Channel.web
    talk_seconds: int | None = None
    hold_seconds: int | None = None
    resolved_at_first_contact: bool = False


def _first(events: Subquery, condition: ColumnElement[bool]) -> ColumnElement[datetime]:
    return func.min(events.c.at).filter(condition)


def _count(events: Subquery, condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(events.c.id).filter(condition)


# The only kinds the milestones read: the rest of a timeline (filings, notes, drafts...) is skipped early.
MILESTONE_KINDS = tuple(dict.fromkeys((*RESPONSE_KINDS, OFFER_SENT, OFFER_PROPOSED, OFFER_APPROVED, *CHOICE_KINDS,
                                         *RESOLVED_KINDS, *RESOLVED_IF_TO, EventKind.status, EventKind.handoff,
                                         EventKind.reopened, EventKind.rated, CUSTOMER_WROTE)))
# Each kind read as a small number once per event: a dozen filters then compare integers rather than text.
KIND_CODES = {kind: code for code, kind in enumerate(MILESTONE_KINDS, start=1)}


def _is_resolution(kind: ColumnElement[str], detail: ColumnElement) -> ColumnElement[bool]:
    """An event that resolves its case: the chosen remedy fulfilled, or a status set to resolved (RESOLVED_KINDS)."""
    return or_(kind.in_(RESOLVED_KINDS),
               and_(kind.in_(RESOLVED_IF_TO), detail["to"].as_string() == CaseStatus.resolved.value))


def _events(case_ids: Sequence[int] | None) -> Subquery:
    """The events the milestones read, each with its case's first resolution (``first_resolved``) beside it."""
    query = select(
        Event.case_id, Event.id, Event.at, Event.detail, Event.public,
        case(KIND_CODES, value=Event.kind).label("code"),
        func.min(case((_is_resolution(Event.kind, Event.detail), Event.at)))
        .over(partition_by=Event.case_id).label("first_resolved"),
    ).where(Event.kind.in_(MILESTONE_KINDS))
    if case_ids is not None:
        query = query.where(Event.case_id.in_(case_ids))  # inside the window's subquery: only these cases are read
    return query.subquery("e")


def from_timeline(case_ids: Sequence[int] | None = None) -> Select:
    """Each case's milestones read from its events, one row per case that has any (all cases, or `case_ids`);
    the columns are named as :class:`CaseMilestones`' columns."""
    e = _events(case_ids)

    def kind(*kinds: str) -> ColumnElement[bool]:
        return e.c.code.in_([KIND_CODES[k] for k in kinds]) if len(kinds) > 1 else e.c.code == KIND_CODES[kinds[0]]

    to_status = e.c.detail["to"].as_string()
    before_resolution = e.c.at <= e.c.first_resolved
    first_contact = and_(
        func.min(e.c.first_resolved).is_not(None),
        _count(e, and_(kind(CUSTOMER_WROTE), before_resolution)) == 0,
        _count(e, and_(kind(*RESPONSE_KINDS), e.c.public == true(), before_resolution)) <= FIRST_CONTACT_REPLIES,
    )
    query = select(
        e.c.case_id,
        _first(e, kind(*RESPONSE_KINDS)).label("first_response_at"),
        _first(e, kind(OFFER_SENT)).label("first_offer_at"),
        _first(e, kind(OFFER_PROPOSED)).label("first_proposed_at"),
        _first(e, kind(OFFER_APPROVED)).label("first_approved_at"),
        _first(e, kind(*CHOICE_KINDS)).label("first_choice_at"),
        func.min(e.c.first_resolved).label("resolved_at"),
        _count(e, kind(EventKind.handoff)).label("handoffs"),
        _count(e, or_(kind(EventKind.reopened),
                      and_(kind(EventKind.status), to_status == CaseStatus.reopened.value))).label("reopens"),
        _count(e, kind(EventKind.counter_proposal)).label("counter_proposals"),
        _count(e, kind(EventKind.remedy_chosen)).label("choices"),
        # The latest rating wins. Its score rides along with its id (id * 100 + score, the largest is the
        # latest) so that no second look at the timeline is needed; 0 stands for a rating without a score.
        cast(func.nullif(func.max(
            cast(e.c.id, BigInteger) * SCORE_BASE
            + func.coalesce(cast(func.nullif(e.c.detail["score"].as_string(), ""), Integer), 0),
        ).filter(kind(EventKind.rated)) % SCORE_BASE, 0), Integer).label("rating"),
        case((first_contact, true()), else_=false()).label("resolved_at_first_contact"),
    ).group_by(e.c.case_id)
    return query


def case_rows(
    period: Period,
    *,
    team_id: int | None = None,
    category_id: int | None = None,
    owner_id: int | None = None,
    team_ids: tuple[int, ...] | None = None,
) -> Select:
    """One row per case filed in ``period`` with its milestones (kept per case by ``portal.metrics.milestone_sync``);
    the columns are named as :class:`Milestones`' fields (``id`` for ``case_id``).
    ``team_ids`` (a viewer's scope) narrows it like the other filters; an empty tuple gives no cases."""
    m = CaseMilestones
    query = (
        select(
            Case.id, Case.reference, Case.category_id, Case.owner_id, Case.status, Case.created_at.label("filed_at"),
            Case.first_response_due, Case.resolution_due, Category.team_id,
            m.first_response_at, m.first_offer_at, m.first_proposed_at, m.first_approved_at, m.first_choice_at,
            m.resolved_at, *(func.coalesce(c, 0).label(c.key) for c in (m.handoffs, m.reopens,
                                                                         m.counter_proposals, m.choices)),
            m.rating, Case.channel, Case.talk_seconds, Case.hold_seconds,
            func.coalesce(m.resolved_at_first_contact, false()).label("resolved_at_first_contact"),
        )
        .join(Category, Category.id == Case.category_id)
        .outerjoin(m, m.case_id == Case.id)
        .where(Case.created_at >= period.start, Case.created_at < period.end)
    )
    if team_id:
        query = query.where(Category.team_id == team_id)
    if category_id:
        query = query.where(Case.category_id == category_id)
    if owner_id:
        query = query.where(Case.owner_id == owner_id)
    if team_ids is not None:
        query = query.where(Category.team_id.in_(team_ids))
    return query


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
    return [milestones_of(row) for row in rows]


def milestones_of(row) -> Milestones:
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
        rating=m["rating"], channel=Channel(m["channel"]), talk_seconds=m["talk_seconds"],
        hold_seconds=m["hold_seconds"], resolved_at_first_contact=bool(m["resolved_at_first_contact"]),
    )


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite (strings come back), so parse and tag them as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

