"""A customer's data request, for remedies: what we hold (export) and forgetting their words (erasure).

The offers themselves stay, so the metrics stay right; the words go."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.cases.models import Case, Customer
from portal.privacy import ERASED_TEXT
from portal.remedies.models import Choice, Offer, Rating


def _case_ids(customer: Customer):
    return select(Case.id).where(Case.customer_id == customer.id)


def export(session: Session, customer: Customer) -> dict[str, Any]:
    offers = session.scalars(select(Offer).where(Offer.case_id.in_(_case_ids(customer))).order_by(Offer.id)).all()
    return {"remedies": [
        {
            "case_id": offer.case_id,
            "status": offer.status.value,
            "sent_at": offer.sent_at.isoformat() if offer.sent_at else None,
            "options": [{"kind": r.kind.value, "description": r.description, "when": r.when_text}
                        for r in offer.remedies],
            "chosen": offer.chosen_remedy.description if offer.chosen_remedy else None,
            "own_proposal": offer.choice.counter_proposal if offer.choice else "",
            "what_was_done": offer.fulfilment,
            "rating": {"score": offer.rating.score, "made_it_right": offer.rating.made_it_right,
                       "comment": offer.rating.comment} if offer.rating else None,
        }
        for offer in offers
    ]}


def erase(session: Session, customer: Customer) -> dict[str, int]:
    """Blank the customer's own words (proposals, rating comments) and what was done for them. The letters
    attached to e-mails about their cases go with those e-mails (mail's `erase_about_cases`)."""
    offer_ids = select(Offer.id).where(Offer.case_id.in_(_case_ids(customer)))
    session.execute(update(Choice).where(Choice.offer_id.in_(offer_ids), Choice.counter_proposal != "")
                    .values(counter_proposal=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    session.execute(update(Rating).where(Rating.offer_id.in_(offer_ids), Rating.comment != "")
                    .values(comment=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    offers = session.execute(
        update(Offer).where(Offer.case_id.in_(_case_ids(customer)), Offer.fulfilment != "")
        .values(fulfilment=ERASED_TEXT).execution_options(synchronize_session="fetch")
    ).rowcount
    return {"offers": offers}
