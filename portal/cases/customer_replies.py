"""What a customer does on their own case: reply (with pictures or PDFs) and withdraw."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal import mail
from portal.cases.attachments import AttachmentRefused, check_files, store_attachments
from portal.cases.models import Case, CaseStatus, Event
from portal.cases.timeline import record
from portal.db import utcnow

MAX_REPLY = 5000


class CustomerActionRefused(ValueError):
    """What the customer asked cannot be done on this case now; the message says why."""


def add_customer_reply(
    session: Session,
    case: Case,
    body: str,
    *,
    files: list[tuple[str, bytes]] = (),
    upload_dir: str,
    channel: str = "web",
) -> Event:
    if not case.takes_replies:
        raise CustomerActionRefused(
            f"This case is {case.status.label.lower()}, so it cannot take replies. Tell us again as a new case."
        )
    if not body.strip() and not files:
        raise CustomerActionRefused("Write your reply, or attach a file.")
    if len(body) > MAX_REPLY:
        raise CustomerActionRefused(f"Your reply must be {MAX_REPLY:,} characters or fewer.")
    try:
        check_files(list(files))
    except AttachmentRefused as refused:
        raise CustomerActionRefused(str(refused)) from refused
    now = utcnow()
    event = record(session, case, "customer_reply", by_customer=True, public=True, body=body.strip(), at=now,
                   detail={"channel": channel})
    case.last_customer_activity_at = now
    case.updated_at = now
    session.flush()
    if files:
        store_attachments(session, case, event, list(files), upload_dir=upload_dir)
    mail.queue(
        session,
        case.owner.email,
        "customer_replied",
        {"name": case.owner.first_name, "customer": case.customer.name, "reference": case.reference,
         "body": body.strip(), "files": len([f for f in files if f[0] or f[1]])},
        case_id=case.id,
    )
    return event


def withdraw_case(session: Session, case: Case, reason: str = "") -> Event:
    """The customer no longer needs anything: the case stops, and its owner is told."""
    if not case.takes_replies:
        raise CustomerActionRefused(f"This case is already {case.status.label.lower()}.")
    previous = case.status
    case.status = CaseStatus.withdrawn
    case.closed_at = case.updated_at = utcnow()
    event = record(session, case, "withdrawn", by_customer=True, public=True, body=reason.strip()[:1000],
                   detail={"from": previous.value, "to": CaseStatus.withdrawn.value})
    mail.queue(
        session,
        case.owner.email,
        "case_withdrawn",
        {"name": case.owner.first_name, "customer": case.customer.name, "reference": case.reference,
         "reason": reason.strip()[:1000]},
        case_id=case.id,
    )
    return event
