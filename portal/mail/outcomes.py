"""What mail reports upwards: an address that takes no mail, a customer who opted out, an e-mail that reached us.

Mail knows no cases, so what these mean (a note on the case's timeline, the owner told to phone, the reply or the
new case filed) is the cases capability's: it registers its handlers at start-up
(`portal.cases.mail_outcomes.register`). Until then nothing acts on them, and an e-mail that reached us is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.mail.models import OutboxMessage

NO_CASE = "no verified case address"


@dataclass(frozen=True)
class InboundEmail:
    """An e-mail a person sent us, as mail read it (machines' messages and repeats never get this far)."""

    sender: str  # the From address, lower-cased
    sender_name: str
    subject: str
    body: str  # what they wrote: quoted history and signature stripped
    files: list[tuple[str, bytes]]
    upload_dir: str
    reference: str | None = None  # the case a verified signed Reply-To address names
    answers_case_id: int | None = None  # the case of the e-mail of ours its In-Reply-To or References name
    to_care_address: bool = False  # it was sent to the organisation's care address
    file_under: str = ""  # the configured category for e-mailed cases (EMAIL_CATEGORY), passed on unread


@dataclass(frozen=True)
class InboundOutcome:
    accepted: bool
    reason: str = ""  # why it was refused; the webhook answers 200 all the same, so SendGrid does not retry
    details: dict[str, Any] = field(default_factory=dict)  # what the webhook answers about an accepted e-mail
    case_id: int | None = None  # the case it was filed on or as


Undeliverable = Callable[[Session, str, OutboxMessage | None, str], None]  # (email, message, reason)
OptedOut = Callable[[Session, str, datetime], None]  # (email, at)
ReceiveEmail = Callable[[Session, InboundEmail], InboundOutcome]


@dataclass
class _Handlers:
    undeliverable: Undeliverable | None = None
    opted_out: OptedOut | None = None
    inbound_email: ReceiveEmail | None = None


_handlers = _Handlers()


def register(*, undeliverable: Undeliverable, opted_out: OptedOut, inbound_email: ReceiveEmail) -> None:
    """Replaces what was registered before (each new app registers again)."""
    _handlers.undeliverable, _handlers.opted_out, _handlers.inbound_email = undeliverable, opted_out, inbound_email


def report_undeliverable(session: Session, email: str, message: OutboxMessage | None, reason: str) -> None:
    if _handlers.undeliverable is not None:
        _handlers.undeliverable(session, email, message, reason)


def report_opted_out(session: Session, email: str, at: datetime) -> None:
    if _handlers.opted_out is not None:
        _handlers.opted_out(session, email, at)


def receive_email(session: Session, email: InboundEmail) -> InboundOutcome:
    if _handlers.inbound_email is None:
        return InboundOutcome(False, NO_CASE)
    return _handlers.inbound_email(session, email)
