"""The outbox worker: claims due messages with a lease, sends them, retries with backoff, gives up in the end.

Any number of workers on any number of machines: a claim is one UPDATE over rows picked with
``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite takes one writer at a time, which gives the same guarantee), and a
worker that dies holding a claim loses it when its lease runs out."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from portal.db import utcnow
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.transports import PermanentSendError, TransientSendError, Transport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerSettings:
    worker_id: str
    sender: str
    batch: int = 50
    lease: timedelta = timedelta(minutes=2)
    max_attempts: int = 8
    base_delay: float = 30.0  # seconds before the first retry; doubles each time
    max_delay: float = 6 * 3600.0


def backoff(attempts: int, settings: WorkerSettings, rng: random.Random | None = None) -> timedelta:
    """Exponential, capped, with full jitter so a crowd of failures does not retry in lockstep."""
    ceiling = min(settings.max_delay, settings.base_delay * 2 ** max(0, attempts - 1))
    return timedelta(seconds=(rng or random).uniform(ceiling / 2, ceiling))


def due(now: datetime):
    return or_(
        (OutboxMessage.status.in_([OutboxStatus.queued, OutboxStatus.failed]))
        & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == OutboxStatus.sending) & (OutboxMessage.claimed_until < now),
    )


def claim(session: Session, settings: WorkerSettings, *, now: datetime) -> list[int]:
    """Take up to ``batch`` due messages for this worker; commits so other workers see the claim at once."""
    picked = (
        select(OutboxMessage.id).where(due(now)).order_by(OutboxMessage.id).limit(settings.batch)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(picked.scalar_subquery()))
        .values(status=OutboxStatus.sending, claimed_by=settings.worker_id, claimed_until=now + settings.lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ))
    session.commit()
    return sorted(ids)


def _finish(session: Session, message_id: int, settings: WorkerSettings, **values) -> bool:
    """Record an outcome only while this worker still holds the claim."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == settings.worker_id,
               OutboxMessage.status == OutboxStatus.sending)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def send_claimed(session: Session, ids: list[int], transport: Transport, settings: WorkerSettings) -> dict[str, int]:
    counts = {"sent": 0, "retrying": 0, "dead": 0}
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).options(selectinload(OutboxMessage.attachments))
        .order_by(OutboxMessage.id)
    ).all()
    session.commit()  # no transaction held open while talking to the provider
    for message in messages:
        attempts = message.attempts + 1
        try:
            provider_id = transport.send(message, settings.sender)
        except TransientSendError as exc:
            dead = attempts >= settings.max_attempts
            _finish(session, message.id, settings, attempts=attempts, last_error=str(exc)[:2000], claimed_by="",
                    status=OutboxStatus.dead if dead else OutboxStatus.failed,
                    next_attempt_at=utcnow() + backoff(attempts, settings))
            counts["dead" if dead else "retrying"] += 1
            continue
        except PermanentSendError as exc:
            _finish(session, message.id, settings, attempts=attempts, last_error=str(exc)[:2000], claimed_by="",
                    status=OutboxStatus.dead)
            counts["dead"] += 1
            continue
        if _finish(session, message.id, settings, attempts=attempts, status=OutboxStatus.sent, sent_at=utcnow(),
                   provider_message_id=provider_id[:120], last_error="", claimed_by=""):
            counts["sent"] += 1
    return counts


def run(
    factory: sessionmaker[Session], transport: Transport, settings: WorkerSettings, *, once: bool = False,
    idle_sleep: float = 2.0, should_stop: Callable[[], bool] = lambda: False,
) -> dict[str, int]:
    """Deliver until stopped (or, with ``once``, until nothing is due)."""
    totals = {"sent": 0, "retrying": 0, "dead": 0}
    while not should_stop():
        with factory() as session:
            ids = claim(session, settings, now=utcnow())
            if ids:
                for key, value in send_claimed(session, ids, transport, settings).items():
                    totals[key] += value
        if not ids:
            if once:
                break
            time.sleep(idle_sleep)
    return totals


def retry(session: Session, message: OutboxMessage) -> None:
    """An admin sends a failed or dead message again, now."""
    if message.status not in (OutboxStatus.failed, OutboxStatus.dead):
        raise ValueError("Only failed or dead messages can be retried.")
    message.status, message.next_attempt_at, message.attempts = OutboxStatus.queued, utcnow(), 0
    message.claimed_by, message.claimed_until = "", None
