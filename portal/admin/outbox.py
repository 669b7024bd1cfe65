"""The outbox list (what is queued, sent, failing or dead) and the e-mails received, as admins see them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.models import Case
from portal.mail.models import InboundMessage, OutboxMessage, OutboxStatus

PAGE_SIZE = 50


@dataclass(frozen=True)
class OutboxPage:
    """A page of messages, newest first; `older`/`newer` are the cursors for the next pages (None at an end)."""

    messages: list[OutboxMessage]
    older: int | None
    newer: int | None
    counts: dict[str, int]


def list_outbox(session: Session, *, status: OutboxStatus | None, search: str = "", before: int | None = None,
                after: int | None = None) -> OutboxPage:
    """Paged by id rather than by offset: the outbox keeps every e-mail ever sent, and the thousandth page costs
    what the first does."""
    query = select(OutboxMessage)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(func.lower(OutboxMessage.to_address).like(pattern)
                            | func.lower(OutboxMessage.subject).like(pattern))
    if after is not None:  # back towards the newest
        rows = list(session.scalars(query.where(OutboxMessage.id > after).order_by(OutboxMessage.id.asc())
                                    .limit(PAGE_SIZE + 1)))
        more_newer, messages = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE][::-1]
        older = messages[-1].id if messages else None
        newer = messages[0].id if messages and more_newer else None
    else:
        if before is not None:
            query = query.where(OutboxMessage.id < before)
        rows = list(session.scalars(query.order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE + 1)))
        messages = rows[:PAGE_SIZE]
        older = messages[-1].id if len(rows) > PAGE_SIZE else None
        newer = messages[0].id if messages and before is not None else None
    counts = {s.value: 0 for s in OutboxStatus}
    counts.update({status.value: n for status, n in session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))})
    return OutboxPage(messages, older, newer, counts)


@dataclass(frozen=True)
class InboundPage:
    """E-mails that reached us, newest first, with what became of each; `older` is the next page's cursor."""

    messages: list[tuple[InboundMessage, str | None]]  # each with the reference of its case, if it has one
    older: int | None


def list_inbound(session: Session, *, before: int | None = None) -> InboundPage:
    query = select(InboundMessage, Case.reference).outerjoin(Case, Case.id == InboundMessage.case_id)
    if before is not None:
        query = query.where(InboundMessage.id < before)
    rows = [tuple(row) for row in session.execute(query.order_by(InboundMessage.id.desc()).limit(PAGE_SIZE + 1))]
    return InboundPage(rows[:PAGE_SIZE], rows[PAGE_SIZE - 1][0].id if len(rows) > PAGE_SIZE else None)
