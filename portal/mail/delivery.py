"""Delivering queued messages through a transport and recording the outcome."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portal.db import utcnow
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.transports import Transport


def deliver(session: Session, ids: Iterable[int], transport: Transport, sender: str) -> int:
    """Send the still-queued messages among ``ids``; return how many were sent."""
    sent = 0
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(list(ids)), OutboxMessage.status == OutboxStatus.queued)
    ).all()
    for message in messages:
        message.attempts += 1
        try:
            message.provider_message_id = transport.send(message, sender)
        except Exception as exc:  # a failed send must leave the row queued for the worker
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.status = OutboxStatus.failed
            continue
        message.status = OutboxStatus.sent
        message.sent_at = utcnow()
        sent += 1
    return sent


def deliver_after_commit(factory: sessionmaker[Session], transport: Transport, sender: str):
    """A session listener that delivers what a transaction queued as soon as it commits."""

    def listener(session: Session) -> None:
        queued = session.info.pop("outbox_queued", [])
        ids = [m.id for m in queued if m.id is not None]
        if not ids:
            return
        with factory() as own:
            deliver(own, ids, transport, sender)
            own.commit()

    return listener


def forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox_queued", None)
