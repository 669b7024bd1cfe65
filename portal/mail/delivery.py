"""Delivering queued messages through a transport and recording the outcome."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from portal.db import utcnow
from portal.mail.transports import Transport
from portal.mail.worker import WorkerSettings, claim, send_claimed


def deliver(session: Session, ids: Iterable[int], transport: Transport, sender: str) -> int:
    """Send the messages among ``ids`` that are still due; return how many were sent.

    They are claimed and sent exactly as the worker does it, so a worker running beside this never sends one of
    them too. A failed send is recorded as ``failed`` with a retry time (backoff) for the worker to retry, or as
    ``dead`` once it has used its attempts."""
    wanted = list(ids)
    settings = WorkerSettings(worker_id="after-commit", sender=sender, batch=len(wanted), concurrency=1)
    taken = claim(session, settings, now=utcnow(), only=wanted)
    return send_claimed(session, taken, transport, settings)["sent"] if taken.ids else 0


def deliver_after_commit(factory: sessionmaker[Session], transport: Transport, sender: str):
    """A session listener that delivers what a transaction queued as soon as it commits."""

    def listener(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint: what was queued waits for the transaction itself to commit
        queued = session.info.pop("outbox_queued", [])
        ids = [m.id for m in queued if m.id is not None]
        if not ids:
            return
        with factory() as own:
            deliver(own, ids, transport, sender)
            own.commit()

    return listener


def forget_after_rollback(session: Session) -> None:
    # A savepoint rolled back undoes only its own messages (they leave the session); the rest still go on commit.
    if session.in_nested_transaction():
        session.info["outbox_queued"] = [m for m in session.info.get("outbox_queued", []) if m in session]
        return
    session.info.pop("outbox_queued", None)


# (session factory, event name, listener) that `listen` attached, so the next app's mail replaces them.
_listening: list[tuple[sessionmaker[Session], str, Any]] = []


def listen(factory: sessionmaker[Session], transport: Transport | None, sender: str) -> None:
    """Forget what a rolled-back transaction queued; with a ``transport``, deliver what a commit queued at once
    (without one, the worker sends)."""
    for attached in _listening:
        if event.contains(*attached):
            event.remove(*attached)
    _listening.clear()
    _listening.append((factory, "after_rollback", forget_after_rollback))
    if transport is not None:
        _listening.append((factory, "after_commit", deliver_after_commit(factory, transport, sender)))
    for attached in _listening:
        event.listen(*attached)
