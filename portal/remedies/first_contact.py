"""Put right at first contact: the employee who took the call or the visit gave a remedy there and then.

Within their authority limit only (above it, a manager approves an offer, as for any case). The remedy is recorded as
an offer of one option, chosen with the employee and done at once, so the case is resolved in the same step that
logged it, and the customer gets the same letter and "Did we make it right?" as any other resolution."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases import lifecycle
from portal.cases.lifecycle import Action
from portal.cases.models import Case
from portal.db import utcnow
from portal.remedies.access import covers
from portal.remedies.errors import OfferRefused
from portal.remedies.fulfilment import fulfil
from portal.remedies.models import Choice, Offer, OfferStatus
from portal.remedies.offers import RemedyDraft, remedy_from
from portal.remedies.settings import RemedySettings

THERE_AND_THEN = "There and then, while you were with us."


def _given(draft: RemedyDraft) -> RemedyDraft:
    return RemedyDraft(draft.kind, draft.description, draft.when_text.strip() or THERE_AND_THEN, draft.cost,
                       draft.catalogue_entry_id)


def check_within_limit(draft: RemedyDraft, *, by: Employee) -> None:
    """Refuse before anything is written when the remedy is not one the employee may give alone."""
    remedy = remedy_from(1, _given(draft), label="The remedy")
    if not covers(by, remedy.cost):
        raise OfferRefused(
            f"£{remedy.cost:,.2f} is above your authority limit of £{by.authority_limit or 0:,.2f}, so it cannot be "
            "given there and then: log the contact, then propose an offer for a manager to approve."
        )


def put_right_there_and_then(session: Session, case: Case, draft: RemedyDraft, *, by: Employee,
                             settings: RemedySettings, now: datetime | None = None) -> Offer:
    check_within_limit(draft, by=by)
    now = now or utcnow()
    remedy = remedy_from(1, _given(draft), label="The remedy")
    offer = Offer(case=case, status=OfferStatus.chosen, proposed_by=by, created_at=now, sent_at=now, answered_at=now,
                  remedies=[remedy])
    session.add(offer)
    session.flush()
    session.add(Choice(offer=offer, remedy=remedy, chosen_at=now))
    lifecycle.move(session, case, Action.choose_remedy, by=by, at=now, body=remedy.description,
                   detail={"offer": offer.id, "remedy": remedy.id, "at_first_contact": True})
    session.flush()
    session.expire(offer, ["choice"])
    fulfil(session, case, what_was_done=remedy.description, by=by, settings=settings, now=now)
    return offer
