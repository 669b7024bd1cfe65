"""An e-mail waiting to be delivered, written in the same transaction as its cause, and what became of it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow


class OutboxStatus(enum.StrEnum):
    queued = "queued"  # waiting for its first attempt
    sending = "sending"  # claimed by a worker until claimed_until
    sent = "sent"  # the provider accepted it
    failed = "failed"  # an attempt failed; tried again at next_attempt_at
    dead = "dead"  # gave up; an admin can retry it


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
    provider_message_id: Mapped[str] = mapped_column(String(120), default="", index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    transactional: Mapped[bool] = mapped_column(default=True)
    # The newest thing SendGrid told us about it (delivered, bounce, ...), for the admin list.
    last_event: Mapped[str] = mapped_column(String(20), default="")

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", lazy="selectin", order_by="OutboxAttachment.id"
    )
    events: Mapped[list[OutboxEvent]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="OutboxEvent.id"
    )


class OutboxAttachment(Base):
    """A file sent with a message (a resolution letter); the bytes are fixed when the message is queued."""

    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")


class OutboxEvent(Base):
    """One event SendGrid reported for a message: delivered, bounce, dropped, spamreport, unsubscribe."""

    __tablename__ = "outbox_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254), default="")
    # SendGrid may post an event more than once; its id makes recording it idempotent.
    provider_event_id: Mapped[str] = mapped_column(String(120), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[OutboxMessage | None] = relationship(back_populates="events")
