"""The outbox worker: claims due messages with a lease, sends them, retries with backoff, gives up in the end.

Any number of workers on any number of machines. The promise: without a crash a message is sent once; after a
crash, only the messages that were on the wire at that moment may be sent again.

- A claim is one UPDATE over rows picked with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite takes one writer at
  a time, which gives the same guarantee). It writes a fresh ``claim_token`` on every row it takes.
- Immediately before each send, one UPDATE ``... WHERE claim_token = :mine`` both proves the claim is still this
  worker's and renews its lease; a row taken over by another worker is skipped, never sent.
- While a batch is being sent the worker renews the lease of everything it still holds, so a lease runs out only
  when its worker has stopped (killed, frozen, cut off from the database), however slow the provider is.
- Each outcome is written the moment its send returns, so a killed worker leaves only its in-flight sends
  unrecorded; ``attempt_started_at`` marks those, and the next claimer logs them as possible duplicates.

SendGrid cannot check our token, so one window stays open: a worker frozen for longer than its lease between the
check and the send. Every message carries its outbox id and attempt number as custom arguments, so such a
duplicate shows at SendGrid (and in its event webhooks) under one outbox id.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
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

    @property
    def renew_every(self) -> float:
        """Seconds between lease renewals: three chances to renew before a lease runs out."""
        return self.lease.total_seconds() / 3


@dataclass(frozen=True)
class Claim:
    """The rows one claim took, and the token that proves they are still this worker's."""

    token: str
    ids: list[int] = field(default_factory=list)


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


def claim(session: Session, settings: WorkerSettings, *, now: datetime, only: Iterable[int] | None = None) -> Claim:
    """Take up to ``batch`` due messages (among ``only``, when given); commits so other workers see the claim."""
    token = uuid.uuid4().hex
    picked = select(OutboxMessage.id).where(due(now)).order_by(OutboxMessage.id).limit(settings.batch)
    if only is not None:
        picked = picked.where(OutboxMessage.id.in_(list(only)))
    if session.get_bind().dialect.name == "postgresql":
        # Lock the rows first, then update exactly those: inside UPDATE ... IN (subquery) PostgreSQL may run a
        # LIMIT ... SKIP LOCKED subquery more than once and claim more than a batch.
        chosen = list(session.scalars(picked.with_for_update(skip_locked=True)))
        target = OutboxMessage.id.in_(chosen)
    else:
        # One UPDATE statement: SQLite takes its write lock before reading, so one claimer wins each row.
        chosen = None
        target = OutboxMessage.id.in_(picked.scalar_subquery())
    rows = [] if chosen == [] else session.execute(
        update(OutboxMessage)
        .where(target, due(now))
        .values(status=OutboxStatus.sending, claimed_by=settings.worker_id, claim_token=token,
                claimed_until=now + settings.lease)
        .returning(OutboxMessage.id, OutboxMessage.attempt_started_at)
        .execution_options(synchronize_session=False)
    ).all()
    session.commit()
    for message_id, started in rows:
        if started is not None:
            log.warning("outbox %s: its last attempt (begun %s) was cut off; it may reach the customer twice",
                        message_id, started.isoformat())
    return Claim(token, sorted(message_id for message_id, _ in rows))


def _begin(session: Session, claim: Claim, ids: list[int], settings: WorkerSettings) -> dict[int, int]:
    """Just before sending: keep only the rows still held by this claim, renew their lease and count the attempt.

    One UPDATE compares the token and writes in the same step, so no other worker can take a row between the
    check and the send (the caller commits before sending). Returns each kept row's attempt number."""
    now = utcnow()
    kept = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.claim_token == claim.token,
               OutboxMessage.status == OutboxStatus.sending)
        .values(attempts=OutboxMessage.attempts + 1, attempt_started_at=now, claimed_until=now + settings.lease)
        .returning(OutboxMessage.id, OutboxMessage.attempts)
        .execution_options(synchronize_session=False)
    ).all()
    return dict(kept)


def _renew(session: Session, claim: Claim, settings: WorkerSettings) -> None:
    """Extend the lease on every row this claim still holds (the caller commits)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claim_token == claim.token, OutboxMessage.status == OutboxStatus.sending)
        .values(claimed_until=utcnow() + settings.lease)
        .execution_options(synchronize_session=False)
    )


def _finish(session: Session, message_id: int, claim: Claim, kind: str, values: dict) -> bool:
    """Record an outcome (the caller commits).

    A failure is recorded only while the claim is still ours: if another worker holds the row, it decides. A
    delivery is a fact whoever holds the row now, and recording it stops a later holder from sending it again."""
    held = (OutboxMessage.status.in_([OutboxStatus.sending, OutboxStatus.queued, OutboxStatus.failed])
            if kind == "sent" else
            (OutboxMessage.claim_token == claim.token) & (OutboxMessage.status == OutboxStatus.sending))
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, held)
        .values(**values, claimed_by="", claim_token="", attempt_started_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _attempt(message: OutboxMessage, transport: Transport, settings: WorkerSettings) -> tuple[str, dict]:
    """Send one message (in a pool thread; no database here) and say what to record."""
    try:
        provider_id = transport.send(message, settings.sender)
    except PermanentSendError as exc:
        return "dead", dict(last_error=str(exc)[:2000], status=OutboxStatus.dead)
    except Exception as exc:  # a time-out, a 429/5xx or anything unforeseen: never lose the message
        error = str(exc) if isinstance(exc, TransientSendError) else f"{type(exc).__name__}: {exc}"
        dead = message.attempts >= settings.max_attempts
        return ("dead" if dead else "retrying"), dict(
            last_error=error[:2000], status=OutboxStatus.dead if dead else OutboxStatus.failed,
            next_attempt_at=utcnow() + backoff(message.attempts, settings))
    return "sent", dict(status=OutboxStatus.sent, sent_at=utcnow(), provider_message_id=provider_id[:120],
                        last_error="")


def send_claimed(session: Session, claim: Claim, transport: Transport, settings: WorkerSettings) -> dict[str, int]:
    """Send what ``claim`` holds, ``concurrency`` at a time, checking the claim just before each send."""
    counts = {"sent": 0, "retrying": 0, "dead": 0}
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(claim.ids), OutboxMessage.claim_token == claim.token)
        .options(selectinload(OutboxMessage.attachments)).order_by(OutboxMessage.id)
    ).all()
    session.commit()  # no transaction held open while talking to the provider
    session.expunge_all()  # plain copies from here: what the pool threads read is never flushed back
    waiting = deque(messages)
    pending: dict[Future, int] = {}
    renewed = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, settings.concurrency), thread_name_prefix="outbox-send") as pool:
        while waiting or pending:
            # One transaction a turn: the outcomes just known, the checks for the sends about to start and, when
            # due, the lease renewal, committed together before any of those sends begins.
            starting = [waiting.popleft() for _ in range(min(settings.concurrency - len(pending), len(waiting)))]
            attempts = _begin(session, claim, [m.id for m in starting], settings) if starting else {}
            if time.monotonic() - renewed >= settings.renew_every:
                _renew(session, claim, settings)
                renewed = time.monotonic()
            session.commit()
            for message in starting:
                if message.id not in attempts:
                    log.warning("outbox %s: claim lost to another worker before sending; not sent", message.id)
                    continue
                message.attempts = attempts[message.id]
                pending[pool.submit(_attempt, message, transport, settings)] = message.id
            if not pending:
                continue
            left = settings.renew_every - (time.monotonic() - renewed)
            done, _ = wait(pending, timeout=max(0.0, left), return_when=FIRST_COMPLETED)
            # Each outcome is written as soon as it is known, so a worker killed mid-batch has recorded every
            # message the provider already took; only those still on the wire are sent again after the lease.
            for future in done:
                message_id = pending.pop(future)
                kind, values = future.result()
                if _finish(session, message_id, claim, kind, values):
                    counts[kind] += 1
        session.commit()
    return counts


def run(
    factory: sessionmaker[Session], transport: Transport, settings: WorkerSettings, *, once: bool = False,
    idle_sleep: float = 2.0, should_stop: Callable[[], bool] = lambda: False,
) -> dict[str, int]:
    """Deliver until stopped (or, with ``once``, until nothing is due)."""
    totals = {"sent": 0, "retrying": 0, "dead": 0}
    while not should_stop():
        with factory() as session:
            taken = claim(session, settings, now=utcnow())
            if taken.ids:
                for key, value in send_claimed(session, taken, transport, settings).items():
                    totals[key] += value
        if not taken.ids:
            if once:
                break
            time.sleep(idle_sleep)
    return totals


def retry(session: Session, message: OutboxMessage) -> None:
    """An admin sends a failed or dead message again, now."""
    if not message.can_retry:
        raise ValueError("Only failed or dead messages can be retried.")
    message.status, message.next_attempt_at, message.attempts = OutboxStatus.queued, utcnow(), 0
    message.claimed_by, message.claimed_until, message.claim_token = "", None, ""
