"""Claiming due messages, sending them through a transport and recording the outcome.

A claim is one UPDATE that marks a batch ``sending`` with a lease (``claimed_until``) and the worker's id. On
PostgreSQL the rows are picked with ``FOR UPDATE SKIP LOCKED`` so workers never wait for each other; on SQLite
the single UPDATE statement takes the database's write lock before it reads, so only one claimer wins each row.
Every result is written with its own small commit, only while the worker still holds the claim, so a worker
killed mid-batch loses at most the message on the wire: the rest of its batch is claimed again when the lease
runs out.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from portal.db import utcnow
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.transports import SendFailed, Transport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: about base, 2×base, 4×base ... capped, then the message is dead."""

    max_attempts: int = 8
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0

    def delay(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        # "Equal jitter": never sooner than half the step, so a crowd of failures spreads out but still waits.
        return timedelta(seconds=(rng or random).uniform(ceiling / 2, ceiling))


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0


def _due(now: datetime):
    return or_(
        and_(OutboxMessage.status.in_([OutboxStatus.queued, OutboxStatus.failed]), OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.sending, OutboxMessage.claimed_until < now),
    )


def claim(
    session: Session, worker_id: str, *, limit: int, lease: timedelta, now: datetime | None = None,
    ids: Iterable[int] | None = None,
) -> list[int]:
    """Claim up to ``limit`` due messages for ``worker_id`` (the caller commits); return their ids."""
    now = now or utcnow()
    pick = select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    if ids is not None:
        pick = pick.where(OutboxMessage.id.in_(list(ids)))
    pick = pick.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # Lock the picked rows first and update exactly those: inside an UPDATE's IN (...) PostgreSQL may run a
        # LIMIT subquery more than once and claim more than asked.
        chosen: Iterable[int] | None = session.scalars(pick.with_for_update(skip_locked=True)).all()
        if not chosen:
            return []
        target = OutboxMessage.id.in_(chosen)
    else:
        target = OutboxMessage.id.in_(pick.scalar_subquery())
    claimed = session.execute(
        update(OutboxMessage)
        .where(target, _due(now))
        .values(status=OutboxStatus.sending, claimed_by=worker_id, claimed_until=now + lease,
                attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).scalars()
    return sorted(claimed)


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Worker:
    """Delivers the outbox in batches; any number of these may run on any number of machines."""

    factory: sessionmaker[Session]
    transport: Transport
    sender: str
    batch: int = 50
    lease: timedelta = timedelta(minutes=5)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    id: str = field(default_factory=worker_id)

    def run_once(self, now: datetime | None = None, ids: Iterable[int] | None = None) -> BatchResult:
        """Claim one batch and send it."""
        with self.factory() as session:
            claimed = claim(session, self.id, limit=self.batch, lease=self.lease, now=now, ids=ids)
            session.commit()
            return self._send(session, claimed)

    def drain(self, now: datetime | None = None, ids: Iterable[int] | None = None) -> BatchResult:
        """Send batches until nothing is due."""
        total = BatchResult()
        while True:
            result = self.run_once(now=now, ids=ids)
            if not result.claimed:
                return total
            for name in ("claimed", "sent", "failed", "dead"):
                setattr(total, name, getattr(total, name) + getattr(result, name))

    def _send(self, session: Session, ids: list[int]) -> BatchResult:
        result = BatchResult(claimed=len(ids))
        if not ids:
            return result
        messages = session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == self.id)
            .order_by(OutboxMessage.id)
        ).all()
        # End the read transaction before the slow part: SQLite could not upgrade a stale snapshot to a write.
        session.commit()
        for message in messages:
            values = self._attempt(message)
            mine = and_(OutboxMessage.id == message.id, OutboxMessage.claimed_by == self.id,
                        OutboxMessage.status == OutboxStatus.sending)
            session.execute(update(OutboxMessage).where(mine).values(**values)
                            .execution_options(synchronize_session=False))
            session.commit()
            status = values["status"]
            result.sent += status is OutboxStatus.sent
            result.failed += status is OutboxStatus.failed
            result.dead += status is OutboxStatus.dead
        return result

    def _attempt(self, message: OutboxMessage) -> dict:
        now = utcnow()
        try:
            provider_id = self.transport.send(message, self.sender)
        except Exception as error:  # any failure leaves the message to be tried again, never lost
            permanent = isinstance(error, SendFailed) and error.permanent
            text = f"{type(error).__name__}: {error}"[:2000]
            if permanent or message.attempts >= self.policy.max_attempts:
                log.warning("outbox message %s is dead after %s attempts: %s", message.id, message.attempts, text)
                return {"status": OutboxStatus.dead, "last_error": text, "claimed_until": None}
            delay = self.policy.delay(message.attempts)
            if isinstance(error, SendFailed) and error.retry_after:
                delay = max(delay, timedelta(seconds=error.retry_after))
            return {"status": OutboxStatus.failed, "last_error": text, "claimed_until": None,
                    "next_attempt_at": now + delay}
        return {"status": OutboxStatus.sent, "provider_message_id": provider_id[:120], "sent_at": now,
                "claimed_until": None}


def deliver_after_commit(factory: sessionmaker[Session], transport: Transport, sender: str):
    """A session listener that delivers what a transaction queued as soon as it commits (development)."""
    worker = Worker(factory, transport, sender)

    def listener(session: Session) -> None:
        queued = session.info.pop("outbox_queued", [])
        ids = [m.id for m in queued if m.id is not None]
        if ids:
            worker.drain(ids=ids)

    return listener


def forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox_queued", None)
