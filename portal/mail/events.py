"""What SendGrid reports after a message leaves: deliveries, bounces and the customer's own choices.

Each event is stored here; what a bounce or an opt-out means for the customer is reported upwards
(`portal.mail.outcomes`)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.inputs import optional_db_int
from portal.mail import outcomes
from portal.mail.models import OutboxEvent, OutboxMessage

RECORDED = {"processed", "delivered", "bounce", "dropped", "deferred", "spamreport", "unsubscribe",
            "group_unsubscribe", "open", "click"}


log = logging.getLogger(__name__)
# SendGrid reports within days; a time outside this window is a forged or broken event, not one to date by.
EARLIEST_EVENT = datetime(2009, 1, 1, tzinfo=UTC)
LATEST_EVENT_AHEAD = timedelta(days=1)


class PayloadRefused(ValueError):
    """The webhook body is not SendGrid's list of events."""


class EventRefused(ValueError):
    """One event in the batch cannot be stored as it is; the others still are."""


def parse(payload: str) -> list[dict[str, Any]]:
    try:
        events = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise PayloadRefused("The body is not JSON.") from exc
    if not isinstance(events, list):
        raise PayloadRefused("The body is not a list of events.")
    kept = [e for e in events if isinstance(e, dict)]
    if len(kept) < len(events):
        log.warning("SendGrid batch: %d items that are not events skipped", len(events) - len(kept))
    return kept


def record_events(session: Session, events: list[dict[str, Any]]) -> int:
    """Store each new event once (SendGrid retries deliveries) and report bounces and opt-outs."""
    stored = 0
    now = utcnow()
    for item in events:
        try:
            stored += _record(session, item, now)
        except EventRefused as refused:
            log.warning("SendGrid event %r skipped: %s", str(item.get("sg_event_id", ""))[:120], refused)
    return stored


def _record(session: Session, item: dict[str, Any], now: datetime) -> int:
    kind, event_id = str(item.get("event", "")), str(item.get("sg_event_id", ""))[:120]
    if kind not in RECORDED or not event_id:
        return 0
    if "\\u0000" in json.dumps(item):
        raise EventRefused("it contains a NUL character, which the database cannot store")
    if session.scalar(select(OutboxEvent.id).where(OutboxEvent.provider_event_id == event_id)) is not None:
        return 0
    # An id beyond the database's range names no message, like one that is not a number.
    outbox_id = optional_db_int(str(item.get("outbox_id", "")))
    message = session.get(OutboxMessage, outbox_id) if outbox_id is not None else None
    at = _event_time(item.get("timestamp"), now)
    email = str(item.get("email", ""))[:254]
    session.add(OutboxEvent(message_id=message.id if message else None, provider_event_id=event_id, event=kind,
                            email=email, at=at,
                            detail={k: item[k] for k in ("reason", "status", "type") if k in item}))
    reason = str(item.get("reason", ""))[:300]
    # SendGrid also drops mail to people who unsubscribed: only a bounce or a bad address means "phone instead".
    if kind == "bounce" or (kind == "dropped" and any(w in reason.lower() for w in ("bounce", "invalid"))):
        outcomes.report_undeliverable(session, email, message, reason)
    elif kind in ("unsubscribe", "group_unsubscribe", "spamreport"):
        outcomes.report_opted_out(session, email, at)
    return 1


def _event_time(when: Any, now: datetime) -> datetime:
    if when is None:
        return now
    if isinstance(when, bool) or not isinstance(when, int | float):
        raise EventRefused(f"its timestamp {str(when)[:40]!r} is not a number of seconds")
    try:
        at = datetime.fromtimestamp(when, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise EventRefused(f"its timestamp {when!r} is not a date") from exc
    if not EARLIEST_EVENT <= at <= now + LATEST_EVENT_AHEAD:
        raise EventRefused(f"its timestamp {when!r} ({at:%Y-%m-%d}) is not a time SendGrid could report")
    return at
