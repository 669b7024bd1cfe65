"""Doing what the customer chose, the resolution letter e-mail, and "Did we make it right?"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases import lifecycle
from portal.cases.lifecycle import Action
from portal.cases.models import Case, CaseStatus, EventKind
from portal.cases.timeline import record
from portal.db import utcnow
from portal.remedies import notify
from portal.remedies.access import can_work_on
from portal.remedies.errors import NotAllowed, OfferRefused, RatingRefused
from portal.remedies.letter import render_letter
from portal.remedies.models import Offer, OfferStatus, Rating
from portal.remedies.settings import RemedySettings

MAX_TEXT = 4000
LOW_SCORE = 2


def offer_to_fulfil(session: Session, case: Case) -> Offer | None:
    return session.scalar(
        select(Offer).where(Offer.case_id == case.id, Offer.status == OfferStatus.chosen,
                            Offer.fulfilled_at.is_(None)).order_by(Offer.id.desc())
    )


def fulfil(
    session: Session, case: Case, *, what_was_done: str, by: Employee, settings: RemedySettings,
    now: datetime | None = None,
) -> Offer:
    """The chosen remedy is done: the case is resolved and the customer gets the letter and the rating request."""
    if not can_work_on(by, case):
        raise NotAllowed("Only the case's owner or a manager of its team can mark the remedy done.")
    offer = offer_to_fulfil(session, case)
    if offer is None or case.status is not CaseStatus.remedy_chosen:
        raise OfferRefused(f"{case.reference} has no chosen remedy waiting to be done.")
    what_was_done = what_was_done.strip()
    if not what_was_done:
        raise OfferRefused("Say what was done, in words the customer will read in their letter.")
    if len(what_was_done) > MAX_TEXT:
        raise OfferRefused(f"Keep what was done under {MAX_TEXT:,} characters.")
    now = now or utcnow()
    offer.fulfilled_at = now
    offer.fulfilled_by = by
    offer.fulfilment = what_was_done
    lifecycle.move(session, case, Action.fulfil, by=by, at=now, body=what_was_done, detail={"offer": offer.id})
    session.flush()
    letter = render_letter(offer, org_name=settings.org_name, now=now, zone=settings.timezone)
    notify.resolution(session, offer, settings, letter)
    return offer


def rate(
    session: Session, offer: Offer, *, score: int, made_it_right: bool, comment: str = "",
    now: datetime | None = None,
) -> Rating:
    """One rating per fulfilled offer; a low score or a "no" reopens the case to the same owner."""
    if offer.fulfilled_at is None:
        raise RatingRefused("You can tell us how we did once your remedy has been done.")
    if offer.rating is not None:
        raise RatingRefused("You have already told us how we did. Thank you.")
    if score not in range(1, 6):
        raise RatingRefused("Choose a score from 1 to 5.")
    comment = comment.strip()
    if len(comment) > MAX_TEXT:
        raise RatingRefused(f"Keep your comment under {MAX_TEXT:,} characters.")
    now = now or utcnow()
    rating = Rating(offer_id=offer.id, score=score, made_it_right=made_it_right, comment=comment, rated_at=now)
    try:
        with session.begin_nested():
            session.add(rating)
            session.flush()
    except IntegrityError as exc:  # a concurrent rating of the same offer won
        raise RatingRefused("You have already told us how we did. Thank you.") from exc
    session.expire(offer, ["rating"])
    case = offer.case
    case.last_customer_activity_at = now
    record(session, case, EventKind.rated, by_customer=True, public=True, at=now, body=comment,
           detail={"offer": offer.id, "score": score, "made_it_right": made_it_right})
    if (score <= LOW_SCORE or not made_it_right) and case.can_reopen:
        lifecycle.move(session, case, Action.reopen_after_rating, by_customer=True, at=now, body=comment,
                       detail={"offer": offer.id, "reason": "rating", "score": score})
    return rating
