"""What mail's reports mean for a case: a bounce tells the owner to phone, an opt-out stops news, an e-mail to a
case's reply address (or answering one of its e-mails) is the customer's reply or is held for the owner, and an
e-mail to the care address is a new case.

`register()` hands these to `portal.mail.outcomes` at start-up (the app factory's `register_mail` calls it)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases import contact_preferences, email_intake, notify
from portal.cases.customer_replies import receive_emailed_reply
from portal.cases.customers import find_customer
from portal.cases.errors import CustomerActionRefused, FilingRefused
from portal.cases.models import Case, EventKind
from portal.cases.timeline import record
from portal.mail import outcomes
from portal.mail.models import OutboxMessage
from portal.mail.outcomes import InboundEmail, InboundOutcome

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


def inbound_email(session: Session, email: InboundEmail) -> InboundOutcome:
    """What an e-mail that reached us is: the customer's reply to their case, a message held for a case's owner,
    or a new case (from the care address, or when the case it answers has ended)."""
    if email.reference is not None:
        case = session.scalar(select(Case).where(Case.reference == email.reference))
        if case is not None:
            return _onto_case(session, case, email, threaded=False)
    elif email.answers_case_id is not None:
        case = session.get(Case, email.answers_case_id)
        # Threaded by In-Reply-To only for that case's own customer: anyone can answer a forwarded e-mail, and
        # their words must never land on another customer's case.
        if case is not None and _from_its_customer(case, email):
            return _onto_case(session, case, email, threaded=True)
    if email.to_care_address:
        return _new_case(session, email)
    return InboundOutcome(False, outcomes.NO_CASE)


def _from_its_customer(case: Case, email: InboundEmail) -> bool:
    return bool(email.sender) and email.sender == (case.customer.email or "").strip().lower()


def _onto_case(session: Session, case: Case, email: InboundEmail, *, threaded: bool) -> InboundOutcome:
    if not case.can_reply and _from_its_customer(case, email):
        # Their case has ended, but they wrote: their words start a follow-up rather than being turned away.
        return _new_case(session, email, follow_up_of=case)
    try:
        event, note = receive_emailed_reply(session, case, sender=email.sender, body=email.body, files=email.files,
                                            upload_dir=email.upload_dir)
    except CustomerActionRefused as refused:
        log.warning("Inbound e-mail for %s not added: %s", case.reference, refused)
        return InboundOutcome(False, str(refused))
    return InboundOutcome(True, case_id=case.id, details={
        "case": case.reference, "held": event.kind == EventKind.email_held, "note": note, "threaded": threaded})


def _new_case(session: Session, email: InboundEmail, follow_up_of: Case | None = None) -> InboundOutcome:
    try:
        filed = email_intake.file_emailed_case(
            session, sender=email.sender, sender_name=email.sender_name, subject=email.subject, body=email.body,
            files=email.files, upload_dir=email.upload_dir, category_name=email.file_under, follow_up_of=follow_up_of)
    except FilingRefused as refused:
        log.warning("Inbound e-mail from %s not filed: %s", email.sender, refused)
        return InboundOutcome(False, str(refused))
    return InboundOutcome(True, case_id=filed.case.id, details={
        "case": filed.case.reference, "filed": True, "duplicate": filed.duplicate,
        "follow_up_of": follow_up_of.reference if follow_up_of else None})


def register() -> None:
    outcomes.register(undeliverable=undeliverable, opted_out=contact_preferences.opted_out,
                      inbound_email=inbound_email)
