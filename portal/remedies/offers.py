"""Composing an offer of two or three remedies, and the authority rule: within the proposer's limit it goes
to the customer at once; above it, a manager whose limit covers it approves it or sends it back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.auth.permissions import managed_teams
from portal.cases import lifecycle
from portal.cases.lifecycle import Action, why_no_offer
from portal.cases.models import Case, Category, EventKind
from portal.cases.timeline import record
from portal.db import utcnow
from portal.paging import Page, paginate
from portal.remedies import notify
from portal.remedies.access import authority_limit, can_work_on, covers, manages_category
from portal.remedies.errors import NotAllowed, OfferRefused
from portal.remedies.models import ApprovalDecision, Offer, OfferStatus, Remedy, RemedyKind
from portal.remedies.settings import RemedySettings

MIN_OPTIONS, MAX_OPTIONS = 2, 3
MAX_COST = Decimal("99999999.99")
LIVE = (OfferStatus.awaiting_approval, OfferStatus.sent)


@dataclass(frozen=True)
class RemedyDraft:
    """One option as the employee wrote it."""

    kind: RemedyKind | str
    description: str
    when_text: str
    cost: Decimal | str
    catalogue_entry_id: int | None = None


@dataclass(frozen=True)
class LimitCheck:
    """The composer's running figure beside the authority limit. The customer takes one option, so what an offer
    can cost is its dearest option, and that is what the limit is judged on (as compose_offer does)."""

    highest: Decimal
    total: Decimal  # every option's cost added up, shown for scale only
    limit: Decimal | None  # None: no limit (an admin)
    within: bool


def limit_check(by: Employee, costs: Sequence[Decimal | None]) -> LimitCheck:
    known = [c for c in costs if c is not None and c >= 0]
    highest = max(known, default=Decimal("0"))
    return LimitCheck(highest=highest, total=sum(known, Decimal("0")), limit=authority_limit(by),
                      within=covers(by, highest))


def live_offer(session: Session, case: Case) -> Offer | None:
    return session.scalar(select(Offer).where(Offer.case_id == case.id, Offer.status.in_(LIVE)))


def compose_offer(
    session: Session,
    case: Case,
    drafts: Sequence[RemedyDraft],
    *,
    by: Employee,
    settings: RemedySettings,
    now: datetime | None = None,
) -> Offer:
    """Two or three options; sent at once within ``by``'s limit, otherwise held for a manager's approval."""
    if not can_work_on(by, case):
        raise NotAllowed("Only the case's owner or a manager of its team can offer remedies.")
    if live_offer(session, case) is not None:
        raise OfferRefused(f"{case.reference} already has an offer waiting for approval or for the customer.")
    reason = why_no_offer(case)
    if reason is not None:
        raise OfferRefused(reason)
    if not MIN_OPTIONS <= len(drafts) <= MAX_OPTIONS:
        raise OfferRefused(
            f"An offer needs two or three options so the customer has a real choice; this one has {len(drafts)}."
        )
    now = now or utcnow()
    offer = Offer(case=case, status=OfferStatus.awaiting_approval, proposed_by=by, created_at=now)
    offer.remedies = [remedy_from(position, draft) for position, draft in enumerate(drafts, start=1)]
    session.add(offer)
    session.flush()
    if covers(by, offer.highest_cost):
        _send(session, offer, by=by, settings=settings, now=now)
    else:
        record(session, case, EventKind.offer_proposed, by=by, at=now, detail={
            "offer": offer.id, "highest_cost": f"{offer.highest_cost:.2f}",
            "limit": f"{by.authority_limit:.2f}",
        })
        notify.approval_needed(session, offer)
    return offer


def remedy_from(position: int, draft: RemedyDraft, *, label: str = "") -> Remedy:
    """One option as the employee wrote it, checked: its kind, words, and a cost within bounds (refusals start
    with ``label``, "Option 2" by default)."""
    label = label or f"Option {position}"
    try:
        kind = RemedyKind(draft.kind)
    except ValueError as exc:
        raise OfferRefused(f"{label}: choose what kind of remedy it is.") from exc
    if not draft.description.strip():
        raise OfferRefused(f"{label}: describe the remedy in words the customer will understand.")
    if not draft.when_text.strip():
        raise OfferRefused(f"{label}: say what it means for the customer and when it will happen.")
    try:
        cost = Decimal(str(draft.cost)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise OfferRefused(f"{label}: the cost must be an amount like 25 or 12.50.") from exc
    if cost < 0 or cost > MAX_COST:
        raise OfferRefused(f"{label}: the cost must be between 0 and {MAX_COST:,.2f}.")
    return Remedy(
        position=position, kind=kind, description=draft.description.strip(), when_text=draft.when_text.strip(),
        cost=cost, catalogue_entry_id=draft.catalogue_entry_id,
    )


def _send(session: Session, offer: Offer, *, by: Employee, settings: RemedySettings, now: datetime) -> None:
    case = offer.case
    offer.status = OfferStatus.sent
    offer.sent_at = now
    offer.expires_at = now + timedelta(days=settings.expiry_days)
    lifecycle.move(session, case, Action.send_offer, by=by, at=now, detail={
        "offer": offer.id, "options": len(offer.remedies), "highest_cost": f"{offer.highest_cost:.2f}"})
    notify.offer_to_customer(session, offer, settings)


def _check_decider(offer: Offer, by: Employee) -> None:
    if not by.is_manager or not manages_category(by, offer.case.category):
        raise NotAllowed("Only a manager of the case's team can decide on this offer.")


def _decide(session: Session, offer: Offer, *, by: Employee, to: OfferStatus) -> None:
    """Only one decision per offer: the status guard makes a second (or concurrent) decision fail."""
    _check_decider(offer, by)
    result = session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status == OfferStatus.awaiting_approval)
        .values(status=to)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(offer)
        raise OfferRefused(f"This offer is no longer waiting for approval: it is {offer.status.label.lower()}.")
    session.refresh(offer)


def approve(
    session: Session, offer: Offer, *, by: Employee, settings: RemedySettings, comment: str = "",
    now: datetime | None = None,
) -> Offer:
    _check_decider(offer, by)
    if not covers(by, offer.highest_cost):
        raise NotAllowed(
            f"This offer goes up to £{offer.highest_cost:,.2f}, above your limit of £{by.authority_limit:,.2f}."
        )
    if by.id == offer.proposed_by_id and by.role is not Role.admin:
        raise NotAllowed("Another manager must approve an offer you proposed.")
    # The case may have moved on while the offer waited (resolved or closed by hand, withdrawn by the customer):
    # then it no longer goes out. Return it for changes, or leave it, instead.
    if offer.status is OfferStatus.awaiting_approval and (reason := why_no_offer(offer.case)):
        raise OfferRefused(f"{reason} Return the offer to its owner instead.")
    _decide(session, offer, by=by, to=OfferStatus.sent)
    now = now or utcnow()
    session.add(ApprovalDecision(offer=offer, manager=by, approved=True, comment=comment.strip(), decided_at=now))
    record(session, offer.case, EventKind.offer_approved, by=by, at=now, body=comment.strip(),
           detail={"offer": offer.id, "highest_cost": f"{offer.highest_cost:.2f}"})
    _send(session, offer, by=by, settings=settings, now=now)
    return offer


def return_for_changes(
    session: Session, offer: Offer, *, by: Employee, comment: str, now: datetime | None = None
) -> Offer:
    if not comment.strip():
        raise OfferRefused("Say what should change, so the owner can make a new offer.")
    _decide(session, offer, by=by, to=OfferStatus.returned_for_changes)
    now = now or utcnow()
    session.add(ApprovalDecision(offer=offer, manager=by, approved=False, comment=comment.strip(), decided_at=now))
    record(session, offer.case, EventKind.offer_returned, by=by, at=now, body=comment.strip(),
           detail={"offer": offer.id})
    return offer


APPROVAL_SORTS = ("oldest", "newest", "cost")


def approvals_queue(
    session: Session, manager: Employee, *, page: int = 1, per_page: int = 20, sort: str = "oldest",
    team_id: int | None = None,
) -> Page[Offer]:
    """Offers awaiting approval that ``manager`` may approve: their team's, within their limit."""
    highest = (
        select(Remedy.offer_id, func.max(Remedy.cost).label("highest")).group_by(Remedy.offer_id).subquery()
    )
    query = (
        select(Offer)
        .join(highest, highest.c.offer_id == Offer.id)
        .join(Case, Case.id == Offer.case_id)
        .join(Category, Category.id == Case.category_id)
        .join(Team, Team.id == Category.team_id)
        .where(Offer.status == OfferStatus.awaiting_approval)
    )
    query = query.where(managed_teams(manager))
    if manager.role is not Role.admin:
        query = query.where(highest.c.highest <= manager.authority_limit)
    if team_id:
        query = query.where(Category.team_id == team_id)
    order = {
        "newest": (Offer.created_at.desc(), Offer.id.desc()),
        "cost": (highest.c.highest.desc(), Offer.id.asc()),
    }.get(sort, (Offer.created_at.asc(), Offer.id.asc()))
    return paginate(session, query, page=page, per_page=per_page, order_by=order)
