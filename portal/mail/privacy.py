"""A customer's data request, for the outbox: the e-mails sent to them and what SendGrid reported about them.

E-mails to colleagues about the customer's cases are the cases capability's to find; it erases them through
`erase_about_cases`, since mail knows no cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from portal.mail.attachments import OutboxAttachment
from portal.mail.models import OutboxEvent, OutboxMessage
from portal.privacy import ERASED_TEXT, Person, plain


def _to(person: Person):
    return func.lower(OutboxMessage.to_address) == (person.email or "").lower()


def _events_of(person: Person):
    return or_(func.lower(OutboxEvent.email) == (person.email or "").lower(),
               OutboxEvent.message_id.in_(select(OutboxMessage.id).where(_to(person))))


def export(session: Session, customer: Person) -> dict[str, Any]:
    messages = session.scalars(select(OutboxMessage).where(_to(customer)).order_by(OutboxMessage.id)).all()
    events = session.scalars(select(OutboxEvent).where(_events_of(customer)).order_by(OutboxEvent.id)).all()
    return {
        "emails": [
            {"queued_at": plain(m.created_at), "subject": m.subject, "status": plain(m.status), "text": m.body_text}
            for m in messages
        ],
        "email_events": [{"at": plain(e.at), "event": e.event, "detail": e.detail} for e in events],
    }


def erase(session: Session, customer: Person) -> dict[str, int]:
    """Forget the address on delivery and bounce reports, then the e-mails themselves (their address too)."""
    session.execute(update(OutboxEvent).where(_events_of(customer)).values(email="", detail={})
                    .execution_options(synchronize_session="fetch"))
    erased_address = f"erased-{customer.id}@erased.invalid"
    ids = select(OutboxMessage.id).where(_to(customer))
    session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(ids)))
    emails = session.execute(
        update(OutboxMessage).where(_to(customer)).values(
            to_address=erased_address, reply_to="", subject=ERASED_TEXT, body_text=ERASED_TEXT,
            body_html=ERASED_TEXT, context={}, last_error="",
        ).execution_options(synchronize_session="fetch")
    ).rowcount
    return {"emails": emails}


def erase_about_cases(session: Session, case_ids: Sequence[int]) -> int:
    """E-mails about these cases to anyone (an owner told "James replied: …"): keep who got them, not the words."""
    ids = list(case_ids)
    if not ids:
        return 0
    session.execute(delete(OutboxAttachment).where(
        OutboxAttachment.message_id.in_(select(OutboxMessage.id).where(OutboxMessage.case_id.in_(ids)))
    ))
    return session.execute(
        update(OutboxMessage).where(OutboxMessage.case_id.in_(ids), OutboxMessage.subject != ERASED_TEXT).values(
            subject=ERASED_TEXT, body_text=ERASED_TEXT, body_html=ERASED_TEXT, context={}, last_error="",
        ).execution_options(synchronize_session="fetch")
    ).rowcount
