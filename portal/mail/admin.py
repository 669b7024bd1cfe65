"""What admins do with the outbox: list it by status and send a failed or dead message again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.mail.models import OutboxMessage, OutboxStatus

FILTERS = ("queued", "sent", "failed", "dead")
SORTS = {"newest": OutboxMessage.id.desc(), "oldest": OutboxMessage.id.asc(),
         "next_attempt": OutboxMessage.next_attempt_at.asc()}
PAGE_SIZE = 25


class RetryRefused(Exception):
    """The message is not one that can be sent again."""


@dataclass
class OutboxPage:
    messages: list[OutboxMessage]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


def _statuses(status: str) -> list[OutboxStatus]:
    # "queued" includes messages a worker holds right now: both are on their way.
    return [OutboxStatus.queued, OutboxStatus.sending] if status == "queued" else [OutboxStatus(status)]


def list_outbox(session: Session, *, status: str = "", sort: str = "newest", page: int = 1, search: str = "") -> OutboxPage:
    query = select(OutboxMessage)
    if status in FILTERS:
        query = query.where(OutboxMessage.status.in_(_statuses(status)))
    if search.strip():
        query = query.where(OutboxMessage.to_address.ilike(f"%{search.strip()}%"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    messages = session.scalars(
        query.order_by(SORTS.get(sort, SORTS["newest"]), OutboxMessage.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    raw = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    counts = {name: sum(raw.get(s, 0) for s in _statuses(name)) for name in FILTERS}
    return OutboxPage(list(messages), total, page, pages, counts)


def retry(session: Session, message: OutboxMessage) -> None:
    """Queue a failed or dead message to go now, with a fresh set of attempts."""
    if message.status not in (OutboxStatus.failed, OutboxStatus.dead):
        raise RetryRefused(f"Message {message.id} is {message.status.value}; only failed or dead messages are retried.")
    message.status = OutboxStatus.queued
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claimed_by = ""
    message.claimed_until = None
