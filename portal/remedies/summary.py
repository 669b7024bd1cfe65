"""What the case pages show about remedies: the current offer, and what needs the owner's attention first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Case, CaseStatus, Event, EventKind
from portal.remedies.models import Offer, OfferStatus, Rating, Remedy

HEADLINES = {
    OfferStatus.awaiting_approval: "Waiting for a manager's approval",
    OfferStatus.sent: "Waiting for the customer to choose",
    OfferStatus.returned_for_changes: "Returned by a manager for changes",
    OfferStatus.chosen: "The customer has chosen",
    OfferStatus.declined: "None of the options worked for the customer",
    OfferStatus.expired: "The offer expired without an answer",
}


# What the customer reads on their case page while the offer is not theirs to answer ({owner}: first name).
# A sent offer and a choice have their own lines in the template (a link to choose, what they chose).
FOR_CUSTOMER = {
    OfferStatus.awaiting_approval: "{owner} is preparing ways to put it right and will send them to you soon.",
    OfferStatus.returned_for_changes: "{owner} is preparing ways to put it right and will send them to you soon.",
    OfferStatus.declined: "You told us none of the options works for you. {owner} will come back to you.",
    OfferStatus.expired: "The options we offered have closed. {owner} will get in touch with you another way.",
}


@dataclass(frozen=True)
class OfferSummary:
    offer: Offer
    headline: str
    options: list[Remedy]
    chosen: Remedy | None
    fulfilled: bool
    rating: Rating | None
    # The text the owner must read first (a counter-proposal, a manager's comment, a low rating's comment).
    attention_title: str
    attention: str

    @property
    def status(self) -> OfferStatus:
        return self.offer.status

    @property
    def for_customer(self) -> str:
        wording = FOR_CUSTOMER.get(self.offer.status, "")
        return wording.format(owner=self.offer.case.owner.first_name)


def latest_offer(session: Session, case: Case) -> Offer | None:
    return session.scalar(select(Offer).where(Offer.case_id == case.id).order_by(Offer.id.desc()).limit(1))


def offer_summary_for_case(session: Session, case: Case) -> OfferSummary | None:
    """The latest offer of ``case`` and what it asks of the owner; None when no offer was ever made."""
    offer = latest_offer(session, case)
    if offer is None:
        return None
    title, text = "", ""
    if case.status is CaseStatus.reopened:
        reopened = session.scalar(
            select(Event).where(Event.case_id == case.id, Event.kind == EventKind.reopened).order_by(Event.id.desc())
        )
        title, text = "The customer says we did not make it right", reopened.body if reopened else ""
    elif offer.status is OfferStatus.declined and offer.choice:
        title, text = "The customer's own proposal", offer.choice.counter_proposal
    elif offer.status is OfferStatus.returned_for_changes and offer.decisions:
        decision = offer.decisions[-1]
        title, text = f"{decision.manager.name} returned the offer", decision.comment
    elif offer.status is OfferStatus.expired:
        title, text = "The customer did not answer", "The offer expired after one reminder. Get in touch another way."
    headline = HEADLINES[offer.status]
    if offer.status is OfferStatus.chosen and offer.fulfilled_at:
        headline = "Done: the chosen remedy was fulfilled"
    return OfferSummary(
        offer=offer, headline=headline, options=list(offer.remedies), chosen=offer.chosen_remedy,
        fulfilled=offer.fulfilled_at is not None, rating=offer.rating, attention_title=title, attention=text,
    )
