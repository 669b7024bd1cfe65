"""Files sent with an outbox message (a resolution letter, say), stored beside the row, not in its context."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.db import Base
from portal.mail.models import OutboxMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


class OutboxAttachment(Base):
    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    # A backref keeps OutboxMessage's own module untouched: message.attachments lists these.
    message: Mapped[OutboxMessage] = relationship(
        backref=backref("attachments", order_by="OutboxAttachment.id", cascade="all, delete-orphan")
    )
