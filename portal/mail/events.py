"""What SendGrid tells us happened to a message: recorded on the outbox, acted on for the customer and the case."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Case
from portal.cases.timeline import record
from portal.db import utcnow
from portal.mail.models import OutboxEvent, OutboxMessage
from portal.mail.outbox import queue, settings
from portal.mail.preferences import find_customer

KINDS = ("delivered", "bounce", "dropped", "spamreport", "unsubscribe", "group_unsubscribe")


def signature_is_valid(public_key: str, payload: bytes, signature: str, timestamp: str) -> bool:
    """SendGrid's ECDSA signature over timestamp + body, checked with the library's EventWebhook helper."""
    from sendgrid.helpers.eventwebhook import EventWebhook

    if not (public_key and signature and timestamp):
        return False
    try:
        base64.b64decode(signature, validate=True)
        verifier = EventWebhook(public_key)
        return bool(verifier.verify_signature(payload.decode("utf-8"), signature, timestamp))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return False


def record_events(session: Session, events: Iterable[Mapping[str, Any]]) -> int:
    """Record the events we care about; return how many were new (a repeated post changes nothing)."""
    recorded = 0
    for event in events:
        if not isinstance(event, Mapping) or event.get("event") not in KINDS:
            continue
        provider_id = str(event.get("sg_event_id") or "")[:120]
        if not provider_id or session.scalar(select(OutboxEvent.id).where(OutboxEvent.provider_event_id == provider_id)):
            continue
        message = _message_for(session, event)
        kind = str(event["event"])
        row = OutboxEvent(
            message=message, kind=kind, email=str(event.get("email") or "")[:254], provider_event_id=provider_id,
            reason=str(event.get("reason") or event.get("response") or "")[:2000], occurred_at=_moment(event),
        )
        session.add(row)
        session.flush()
        if message is not None:
            message.last_event = kind
        _act_on(session, row, message)
        recorded += 1
    return recorded


def _message_for(session: Session, event: Mapping[str, Any]) -> OutboxMessage | None:
    outbox_id = str(event.get("outbox_id") or "")
    if outbox_id.isdigit():
        return session.get(OutboxMessage, int(outbox_id))
    # Without our custom argument, SendGrid's id is "<X-Message-Id>.<filter suffix>".
    provider_id = str(event.get("sg_message_id") or "").split(".")[0]
    if provider_id:
        return session.scalar(select(OutboxMessage).where(OutboxMessage.provider_message_id == provider_id))
    return None


def _moment(event: Mapping[str, Any]) -> datetime:
    try:
        return datetime.fromtimestamp(int(event["timestamp"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        return utcnow()


def _act_on(session: Session, event: OutboxEvent, message: OutboxMessage | None) -> None:
    customer = find_customer(session, event.email) if event.email else None
    if event.kind in ("spamreport", "unsubscribe", "group_unsubscribe") and customer is not None:
        if customer.email_opt_out_at is None:
            customer.email_opt_out_at = event.occurred_at
    if event.kind != "bounce":
        return
    if customer is not None:
        customer.email_undeliverable = True
    case = session.get(Case, message.case_id) if message is not None and message.case_id else None
    if case is None or customer is None or case.customer_id != customer.id:
        return
    record(session, case, "email_bounced", public=False,
           body=f"E-mail to {event.email} bounced; the customer needs another way to hear from us.",
           detail={"outbox_message": message.id, "email": event.email, "reason": event.reason[:300]})
    base = settings().base_url.rstrip("/")
    queue(session, case.owner.email, "customer_email_bounced", {
        "owner_name": case.owner.name.split()[0], "customer_name": customer.name, "reference": case.reference,
        "email": event.email, "phone": customer.phone, "reason": event.reason[:300],
        "case_link": f"{base}/staff/cases/{case.reference}",
    }, case_id=case.id)
