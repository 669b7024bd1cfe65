"""A customer's data request, for remedies: what we hold (export) and forgetting their words (erasure).

The admin's data-request service calls these with the customer's case ids; the offers stay for metrics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.mail.attachments import OutboxAttachment
from portal.mail.models import OutboxMessage
from portal.remedies.models import Choice, Offer, Rating


def export_remedies(session: Session, case_ids: Sequence[int]) -> list[dict[str, Any]]:
    offers = session.scalars(select(Offer).where(Offer.case_id.in_(list(case_ids))).order_by(Offer.id)).all()
    return [
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
    ]


def erase_remedy_text(session: Session, case_ids: Sequence[int], erased_text: str) -> None:
    """Blank the customer's own words (proposals, rating comments) and what was done for them, and drop the
    letters attached to their e-mails: a letter quotes their complaint."""
    ids = list(case_ids)
    offer_ids = select(Offer.id).where(Offer.case_id.in_(ids))
    session.execute(update(Choice).where(Choice.offer_id.in_(offer_ids), Choice.counter_proposal != "")
                    .values(counter_proposal=erased_text))
    session.execute(update(Rating).where(Rating.offer_id.in_(offer_ids), Rating.comment != "")
                    .values(comment=erased_text))
    session.execute(update(Offer).where(Offer.case_id.in_(ids), Offer.fulfilment != "")
                    .values(fulfilment=erased_text))
    session.execute(delete(OutboxAttachment).where(
        OutboxAttachment.message_id.in_(select(OutboxMessage.id).where(OutboxMessage.case_id.in_(ids)))
    ))
