"""The outbox as admins see it: what is queued, sent, failing or dead."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.mail.models import OutboxMessage, OutboxStatus

PAGE_SIZE = 50


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


def list_outbox(session: Session, *, status: OutboxStatus | None, search: str = "", page: int = 1) -> OutboxPage:
    query = select(OutboxMessage)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(func.lower(OutboxMessage.to_address).like(pattern)
                            | func.lower(OutboxMessage.subject).like(pattern))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    messages = session.scalars(query.order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)
                               .offset((page - 1) * PAGE_SIZE)).all()
    counts = {s.value: 0 for s in OutboxStatus}
    counts.update({status.value: n for status, n in session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))})
    return OutboxPage(list(messages), total, page, pages, counts)
