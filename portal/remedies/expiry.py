"""Unanswered offers: one reminder before they expire, then the case goes back to its owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.cases import lifecycle
from portal.cases.lifecycle import Action
from portal.cases.models import EventKind
from portal.cases.timeline import record
from portal.remedies import notify
from portal.remedies.models import Offer, OfferStatus
from portal.remedies.settings import RemedySettings

# A late reminder (the worker was down) still leaves the customer this long to answer.
LATE_REMINDER_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class ExpiryResult:
    reminded: int
    expired: int


def run_offer_expiry(session: Session, now: datetime, settings: RemedySettings) -> ExpiryResult:
    """Remind, then expire; safe to run as often as the worker likes and from several workers at once.
    ``settings`` carries the secret that signs the reminder's link."""
    reminded = expired = 0
    due = session.scalars(
        select(Offer).where(Offer.status == OfferStatus.sent, Offer.expires_at <= now + settings.reminder_lead)
        .order_by(Offer.id)
    ).all()
    for offer in due:
        if offer.reminded_at is None:
            reminded += _remind(session, offer, now, settings)
        elif offer.expires_at is not None and offer.expires_at <= now:
            expired += _expire(session, offer, now)
    return ExpiryResult(reminded, expired)


def _remind(session: Session, offer: Offer, now: datetime, settings: RemedySettings) -> int:
    expires_at = max(offer.expires_at or now, now + LATE_REMINDER_GRACE)
    claimed = session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status == OfferStatus.sent, Offer.reminded_at.is_(None))
        .values(reminded_at=now, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(offer)
    if claimed != 1:
        return 0
    record(session, offer.case, EventKind.offer_reminder, at=now, detail={"offer": offer.id})
    notify.offer_to_customer(session, offer, settings, reminder=True)
    return 1


def _expire(session: Session, offer: Offer, now: datetime) -> int:
    claimed = session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status == OfferStatus.sent)
        .values(status=OfferStatus.expired, answered_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(offer)
    if claimed != 1:
        return 0
    case = offer.case
    if lifecycle.allowed(case, Action.expire_offer):
        lifecycle.move(session, case, Action.expire_offer, at=now, detail={"offer": offer.id})
    else:  # the case moved on by hand meanwhile: the expiry is noted, the status stays
        record(session, case, EventKind.offer_expired, at=now,
               detail={"offer": offer.id, "from": case.status.value, "to": case.status.value})
    notify.owner_told(session, offer, "expired")
    return 1
