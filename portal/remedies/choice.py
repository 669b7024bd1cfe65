"""The customer's answer: one of the options, or none with their own proposal. One answer per offer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.cases import lifecycle
from portal.cases.lifecycle import Action
from portal.db import utcnow
from portal.remedies import notify
from portal.remedies.errors import ChoiceRefused
from portal.remedies.models import Choice, Offer, OfferStatus
from portal.times import DEFAULT_ZONE, exact_time

MAX_PROPOSAL = 4000


def closed_message(offer: Offer, zone: str = DEFAULT_ZONE) -> str:
    """Why an offer can no longer be answered, in the customer's terms."""
    owner = offer.case.owner.first_name
    if offer.status is OfferStatus.chosen and offer.chosen_remedy is not None:
        return f"You have already chosen: {offer.chosen_remedy.description} Your choice has not changed."
    if offer.status is OfferStatus.declined:
        return f"You have already told us none of these works for you. {owner} will come back to you."
    if offer.status is OfferStatus.expired:
        return f"This offer expired on {exact_time(offer.expires_at, zone)}. {owner} will be in touch with you."
    return f"This offer is no longer open. {owner} will be in touch with you."


def _claim(session: Session, offer: Offer, to: OfferStatus, now: datetime, zone: str) -> None:
    """Move a sent offer to ``to``; a second click or a concurrent one finds it no longer sent, and fails. An
    offer on a case that has ended meanwhile (withdrawn, resolved or closed by hand) is no longer open either."""
    action = Action.choose_remedy if to is OfferStatus.chosen else Action.decline_offer
    if not lifecycle.allowed(offer.case, action):
        raise ChoiceRefused(closed_message(offer, zone))
    result = session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status == OfferStatus.sent)
        .values(status=to, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(offer)
    if result.rowcount != 1:
        raise ChoiceRefused(closed_message(offer, zone))


def choose(session: Session, offer: Offer, remedy_id: int | None, *, now: datetime | None = None,
           zone: str = DEFAULT_ZONE) -> Choice:
    remedy = next((r for r in offer.remedies if r.id == remedy_id), None)
    if offer.status is not OfferStatus.sent:
        raise ChoiceRefused(closed_message(offer, zone))
    if remedy is None:
        raise ChoiceRefused("Choose one of the options, or tell us none of them works for you.")
    now = now or utcnow()
    _claim(session, offer, OfferStatus.chosen, now, zone)
    choice = Choice(offer=offer, remedy=remedy, chosen_at=now)
    session.add(choice)
    case = offer.case
    case.last_customer_activity_at = now
    lifecycle.move(session, case, Action.choose_remedy, by_customer=True, at=now, body=remedy.description,
                   detail={"offer": offer.id, "remedy": remedy.id})
    session.flush()
    notify.owner_told(session, offer, "chosen")
    return choice


def decline(session: Session, offer: Offer, proposal: str, *, now: datetime | None = None,
            zone: str = DEFAULT_ZONE) -> Choice:
    """None of the options: the case goes back to its owner with the customer's own proposal on top."""
    proposal = proposal.strip()
    if offer.status is not OfferStatus.sent:
        raise ChoiceRefused(closed_message(offer, zone))
    if not proposal:
        raise ChoiceRefused("Tell us what would work for you instead.")
    if len(proposal) > MAX_PROPOSAL:
        raise ChoiceRefused(f"Your proposal is too long: keep it under {MAX_PROPOSAL:,} characters.")
    now = now or utcnow()
    _claim(session, offer, OfferStatus.declined, now, zone)
    choice = Choice(offer=offer, remedy=None, counter_proposal=proposal, chosen_at=now)
    session.add(choice)
    case = offer.case
    case.last_customer_activity_at = now
    lifecycle.move(session, case, Action.decline_offer, by_customer=True, at=now, body=proposal,
                   detail={"offer": offer.id})
    session.flush()
    notify.owner_told(session, offer, "counter_proposal")
    return choice
