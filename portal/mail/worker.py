"""The outbox worker: claims due messages with a lease, sends them, retries with backoff, gives up in the end.

Any number of workers on any number of machines: a claim is one UPDATE over rows picked with
``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite takes one writer at a time, which gives the same guarantee), and a
worker that dies holding a claim loses it when its lease runs out."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
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
    # Sends in flight at once: SendGrid answers in tens of milliseconds, so one worker waits on several at a time.
    concurrency: int = 8


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
    picked = select(OutboxMessage.id).where(due(now)).order_by(OutboxMessage.id).limit(settings.batch)
    if session.get_bind().dialect.name == "postgresql":
        # Lock the rows first, then update exactly those: inside UPDATE ... IN (subquery) PostgreSQL may run a
        # LIMIT ... SKIP LOCKED subquery more than once and claim more than a batch.
        chosen = list(session.scalars(picked.with_for_update(skip_locked=True)))
        target = OutboxMessage.id.in_(chosen)
    else:
        # One UPDATE statement: SQLite takes its write lock before reading, so one claimer wins each row.
        chosen = None
        target = OutboxMessage.id.in_(picked.scalar_subquery())
    ids = [] if chosen == [] else list(session.scalars(
        update(OutboxMessage)
        .where(target, due(now))
        .values(status=OutboxStatus.sending, claimed_by=settings.worker_id, claimed_until=now + settings.lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ))
    session.commit()
    return sorted(ids)


def _finish(session: Session, message_id: int, settings: WorkerSettings, **values) -> bool:
    """Record an outcome only while this worker still holds the claim (the caller commits)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == settings.worker_id,
               OutboxMessage.status == OutboxStatus.sending)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _attempt(message: OutboxMessage, transport: Transport, settings: WorkerSettings) -> tuple[str, dict]:
    """Send one message (in a pool thread; no database here) and say what to record."""
    attempts = message.attempts + 1
    try:
        provider_id = transport.send(message, settings.sender)
    except PermanentSendError as exc:
        return "dead", dict(attempts=attempts, last_error=str(exc)[:2000], claimed_by="", status=OutboxStatus.dead)
    except Exception as exc:  # a time-out, a 429/5xx or anything unforeseen: never lose the message
        error = str(exc) if isinstance(exc, TransientSendError) else f"{type(exc).__name__}: {exc}"
        dead = attempts >= settings.max_attempts
        return ("dead" if dead else "retrying"), dict(
            attempts=attempts, last_error=error[:2000], claimed_by="",
            status=OutboxStatus.dead if dead else OutboxStatus.failed,
            next_attempt_at=utcnow() + backoff(attempts, settings))
    return "sent", dict(attempts=attempts, status=OutboxStatus.sent, sent_at=utcnow(),
                        provider_message_id=provider_id[:120], last_error="", claimed_by="")


def send_claimed(session: Session, ids: list[int], transport: Transport, settings: WorkerSettings) -> dict[str, int]:
    counts = {"sent": 0, "retrying": 0, "dead": 0}
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).options(selectinload(OutboxMessage.attachments))
        .order_by(OutboxMessage.id)
    ).all()
    session.commit()  # no transaction held open while talking to the provider
    with ThreadPoolExecutor(max_workers=max(1, settings.concurrency), thread_name_prefix="outbox-send") as pool:
        pending = {pool.submit(_attempt, message, transport, settings): message.id for message in messages}
        while pending:
            # Write each outcome as soon as it is known, so a worker killed mid-batch has recorded every
            # message the provider already took; only those still on the wire are sent again after the lease.
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            outcomes = [(pending.pop(future), *future.result()) for future in done]
            recorded = [kind for message_id, kind, values in outcomes
                        if _finish(session, message_id, settings, **values)]
            session.commit()
            for kind in recorded:
                counts[kind] += 1
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
    if not message.can_retry:
        raise ValueError("Only failed or dead messages can be retried.")
    message.status, message.next_attempt_at, message.attempts = OutboxStatus.queued, utcnow(), 0
    message.claimed_by, message.claimed_until = "", None
