"""What mail's reports mean for a case: a bounce tells the owner to phone, an opt-out stops news, and an e-mail
to a case's reply address is the customer's reply (or is held for the owner).

`register()` hands these to `portal.mail.outcomes` at start-up (the app factory's `register_mail` calls it)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases import contact_preferences, notify
from portal.cases.customer_replies import receive_emailed_reply
from portal.cases.customers import find_customer
from portal.cases.errors import CustomerActionRefused
from portal.cases.models import Case, EventKind
from portal.cases.timeline import record
from portal.mail import outcomes
from portal.mail.models import OutboxMessage
from portal.mail.outcomes import InboundOutcome, InboundReply

log = logging.getLogger(__name__)


def undeliverable(session: Session, email: str, message: OutboxMessage | None, reason: str) -> None:
    """The customer's address does not take mail: mark it, and tell the owner to phone instead."""
    customer = find_customer(session, email)
    if customer is None:
        return
    customer.email_undeliverable = True
    case = session.get(Case, message.case_id) if message is not None and message.case_id else None
    if case is None:
        return
    record(session, case, EventKind.email_bounced, detail={"email": email, "reason": reason, "outbox": message.id})
    notify.email_bounced(session, case, customer, reason=reason, bounced=message)


def inbound_reply(session: Session, reply: InboundReply) -> InboundOutcome:
    """File an e-mailed answer into the case its signed address names."""
    case = session.scalar(select(Case).where(Case.reference == reply.reference))
    if case is None:
        return InboundOutcome(False, outcomes.NO_CASE)
    try:
        event, note = receive_emailed_reply(session, case, sender=reply.sender, body=reply.body, files=reply.files,
                                            upload_dir=reply.upload_dir)
    except CustomerActionRefused as refused:
        log.warning("Inbound e-mail for %s not added: %s", case.reference, refused)
        return InboundOutcome(False, str(refused))
    return InboundOutcome(True, details={"case": case.reference, "held": event.kind == EventKind.email_held,
                                         "note": note})


def register() -> None:
    outcomes.register(undeliverable=undeliverable, opted_out=contact_preferences.opted_out,
                      inbound_reply=inbound_reply)
