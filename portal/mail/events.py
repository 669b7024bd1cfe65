"""What SendGrid reports after a message leaves: deliveries, bounces and the customer's own choices."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import mail
from portal.cases.models import Case, Customer
from portal.cases.timeline import record
from portal.db import utcnow
from portal.mail.models import OutboxEvent, OutboxMessage

RECORDED = {"processed", "delivered", "bounce", "dropped", "deferred", "spamreport", "unsubscribe",
            "group_unsubscribe", "open", "click"}


class PayloadRefused(ValueError):
    """The webhook body is not SendGrid's list of events."""


def parse(payload: str) -> list[dict[str, Any]]:
    try:
        events = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise PayloadRefused("The body is not JSON.") from exc
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise PayloadRefused("The body is not a list of events.")
    return events


def record_events(session: Session, events: list[dict[str, Any]]) -> int:
    """Store each new event once (SendGrid retries deliveries) and act on bounces and opt-outs."""
    stored = 0
    for item in events:
        kind, event_id = str(item.get("event", "")), str(item.get("sg_event_id", ""))[:120]
        if kind not in RECORDED or not event_id:
            continue
        if session.scalar(select(OutboxEvent.id).where(OutboxEvent.provider_event_id == event_id)) is not None:
            continue
        outbox_id = str(item.get("outbox_id", ""))
        message = session.get(OutboxMessage, int(outbox_id)) if outbox_id.isdigit() else None
        when = item.get("timestamp")
        at = datetime.fromtimestamp(when, UTC) if isinstance(when, int | float) else utcnow()
        email = str(item.get("email", ""))[:254]
        session.add(OutboxEvent(message_id=message.id if message else None, provider_event_id=event_id, event=kind,
                                email=email, at=at,
                                detail={k: item[k] for k in ("reason", "status", "type") if k in item}))
        stored += 1
        reason = str(item.get("reason", ""))[:300]
        # SendGrid also drops mail to people who unsubscribed: only a bounce or a bad address means "phone instead".
        if kind == "bounce" or (kind == "dropped" and any(w in reason.lower() for w in ("bounce", "invalid"))):
            _undeliverable(session, email, message, reason)
        elif kind in ("unsubscribe", "group_unsubscribe", "spamreport"):
            customer = _customer(session, email)
            if customer is not None and customer.email_opt_out_at is None:
                customer.email_opt_out_at = at
    return stored


def _customer(session: Session, email: str) -> Customer | None:
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email.lower())) if email else None


def _undeliverable(session: Session, email: str, message: OutboxMessage | None, reason: str) -> None:
    """The customer's address does not take mail: mark it, and tell the owner to phone instead."""
    customer = _customer(session, email)
    if customer is None:
        return
    customer.email_undeliverable = True
    case = session.get(Case, message.case_id) if message is not None and message.case_id else None
    if case is None:
        return
    record(session, case, "email_bounced", detail={"email": email, "reason": reason, "outbox": message.id})
    mail.queue(session, case.owner.email, "email_bounced",
               {"name": case.owner.first_name, "customer": customer.name, "reference": case.reference,
                "phone": customer.phone, "reason": reason, "bounced_subject": message.subject}, case_id=case.id)
