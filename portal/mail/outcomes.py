"""What mail reports upwards: an address that takes no mail, a customer who opted out, an e-mailed reply.

Mail knows no cases, so what these mean (a note on the case's timeline, the owner told to phone, the reply filed)
is the cases capability's: it registers its handlers at start-up (`portal.cases.mail_outcomes.register`).
Until then nothing acts on them, and an e-mailed reply is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.mail.models import OutboxMessage

NO_CASE = "no verified case address"


@dataclass(frozen=True)
class InboundReply:
    reference: str  # the case reference the signed Reply-To address carried
    sender: str
    body: str
    files: list[tuple[str, bytes]]
    upload_dir: str


@dataclass(frozen=True)
class InboundOutcome:
    accepted: bool
    reason: str = ""  # why it was refused; the webhook answers 200 all the same, so SendGrid does not retry
    details: dict[str, Any] = field(default_factory=dict)  # what the webhook answers about an accepted reply


Undeliverable = Callable[[Session, str, OutboxMessage | None, str], None]  # (email, message, reason)
OptedOut = Callable[[Session, str, datetime], None]  # (email, at)
ReceiveReply = Callable[[Session, InboundReply], InboundOutcome]


@dataclass
class _Handlers:
    undeliverable: Undeliverable | None = None
    opted_out: OptedOut | None = None
    inbound_reply: ReceiveReply | None = None


_handlers = _Handlers()


def register(*, undeliverable: Undeliverable, opted_out: OptedOut, inbound_reply: ReceiveReply) -> None:
    """Replaces what was registered before (each new app registers again)."""
    _handlers.undeliverable, _handlers.opted_out, _handlers.inbound_reply = undeliverable, opted_out, inbound_reply


def report_undeliverable(session: Session, email: str, message: OutboxMessage | None, reason: str) -> None:
    if _handlers.undeliverable is not None:
        _handlers.undeliverable(session, email, message, reason)


def report_opted_out(session: Session, email: str, at: datetime) -> None:
    if _handlers.opted_out is not None:
        _handlers.opted_out(session, email, at)


def receive_reply(session: Session, reply: InboundReply) -> InboundOutcome:
    if _handlers.inbound_reply is None:
        return InboundOutcome(False, NO_CASE)
    return _handlers.inbound_reply(session, reply)
