"""An e-mail waiting to be delivered, written in the same transaction as its cause."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow


class OutboxStatus(enum.StrEnum):
    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    dead = "dead"


# An admin may send these again; a queued, sending or sent message is already on its way.
RETRYABLE = (OutboxStatus.failed, OutboxStatus.dead)


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    status: Mapped[OutboxStatus] = mapped_column(default=OutboxStatus.queued)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str] = mapped_column(String(80), default="")
    # A fresh token for every claim: a worker sends or records only while the row still holds its own token, so a
    # claim taken over after its lease ran out cannot be acted on by the worker that lost it.
    claim_token: Mapped[str] = mapped_column(String(32), default="")
    # Set just before the provider is called, cleared with the outcome: still set on a row whose worker died means
    # that attempt may have reached the provider, so a resend can be traced as a possible duplicate.
    attempt_started_at: Mapped[datetime | None]
    provider_message_id: Mapped[str] = mapped_column(String(120), default="")
    # Our own Message-ID, fixed when the message is queued and sent as its header: an answer whose signed Reply-To
    # was lost still names it in In-Reply-To or References, which threads the answer onto the case.
    message_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    transactional: Mapped[bool] = mapped_column(default=True)

    @property
    def can_retry(self) -> bool:
        return self.status in RETRYABLE


class OutboxEvent(Base):
    """What SendGrid told us happened to a message after it left: delivered, bounced, dropped..."""

    __tablename__ = "outbox_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    provider_event_id: Mapped[str] = mapped_column(String(120), unique=True)
    event: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class InboundMessage(Base):
    """An e-mail that reached us, by its Message-ID: the same message delivered twice is acted on once."""

    __tablename__ = "inbound_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    sender: Mapped[str] = mapped_column(String(254), default="")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(200), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
