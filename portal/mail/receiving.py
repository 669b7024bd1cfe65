"""An e-mail that reached us through SendGrid's Inbound Parse, from its form fields to what it means.

Mail's part: the same message twice is acted on once (by Message-ID), a machine's message (an auto-reply, a list,
a bounce, our own mail coming back) is never acted on, and an answer to one of our e-mails is matched to the case
that e-mail was about. What it then means for that case, or whether it files a new one, is the cases
capability's (`portal.mail.outcomes`)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.inputs import CONTROL_CHARACTERS
from portal.mail import inbound, outcomes
from portal.mail.models import InboundMessage, OutboxMessage

log = logging.getLogger(__name__)

ALREADY_RECEIVED = "already received"


@dataclass(frozen=True)
class ReceivingSettings:
    secret_key: str
    care_address: str  # CARE_ADDRESS: a message to it that is not a reply files a case
    mail_from: str  # MAIL_FROM: mail from it is our own coming back
    inbound_domain: str  # INBOUND_DOMAIN: where cases' signed reply addresses live
    upload_dir: str
    file_under: str = ""  # EMAIL_CATEGORY, passed on to the cases capability unread

    @property
    def own_addresses(self) -> set[str]:
        return {parseaddr(a)[1].lower() for a in (self.care_address, self.mail_from) if a}

    @property
    def own_domains(self) -> set[str]:
        return {self.inbound_domain.lower()} if self.inbound_domain else set()


def receive(session: Session, form: Mapping[str, str], files: list[tuple[str, bytes]],
            settings: ReceivingSettings) -> outcomes.InboundOutcome:
    """Act on one Inbound Parse post, and remember its Message-ID with what became of it.

    The caller commits. On a refusal the cases capability's half-done work is undone (to a savepoint) and only the
    record of the message is kept, so SendGrid's retry of it (or a second copy) finds it already received."""
    parsed = inbound.headers(form)
    identity = inbound.message_id(parsed) or _fingerprint(form)
    if session.scalar(select(InboundMessage.id).where(InboundMessage.message_id == identity)) is not None:
        return outcomes.InboundOutcome(False, ALREADY_RECEIVED, details={"duplicate": True})
    sender, sender_name = inbound.sender_and_name(form)
    machine = inbound.sent_by_a_machine(parsed, form, own_addresses=settings.own_addresses,
                                        own_domains=settings.own_domains)
    if machine:
        log.info("Inbound e-mail %s from %s not acted on: %s", identity, sender, machine)
        return _remember(session, identity, sender, outcomes.InboundOutcome(False, f"sent by a machine: {machine}"))
    to = inbound.recipients(form)
    reference = inbound.reference_from(to, secret_key=settings.secret_key)
    care = parseaddr(settings.care_address)[1].lower()
    email = outcomes.InboundEmail(
        sender=sender,
        sender_name=sender_name,
        subject=" ".join(CONTROL_CHARACTERS.sub("", form.get("subject", "")).split())[:200],
        body=_words(form),
        files=files,
        upload_dir=settings.upload_dir,
        reference=reference,
        answers_case_id=None if reference else _answered_case(session, inbound.answered_ids(parsed)),
        to_care_address=bool(care) and care in {a.strip().lower() for _n, a in getaddresses([to])},
        file_under=settings.file_under,
    )
    if email.reference is None and email.answers_case_id is None and not email.to_care_address:
        return _remember(session, identity, sender, outcomes.InboundOutcome(False, outcomes.NO_CASE))
    savepoint = session.begin_nested()
    outcome = outcomes.receive_email(session, email)
    if outcome.accepted:
        savepoint.commit()
    else:
        savepoint.rollback()
    return _remember(session, identity, sender, outcome)


def _remember(session: Session, identity: str, sender: str,
              outcome: outcomes.InboundOutcome) -> outcomes.InboundOutcome:
    summary = ("accepted" if outcome.accepted else f"refused: {outcome.reason}")[:200]
    session.add(InboundMessage(message_id=identity, sender=sender, outcome=summary, case_id=outcome.case_id))
    return outcome


def _words(form: Mapping[str, str]) -> str:
    """What the person wrote: the text part, or the HTML part's words when there is no text part."""
    return inbound.strip_quoted(form.get("text", "")) or inbound.strip_quoted(inbound.html_text(form.get("html", "")))


def _answered_case(session: Session, message_ids: list[str]) -> int | None:
    """The case of the nearest e-mail of ours among those this one answers."""
    if not message_ids:
        return None
    found = dict(session.execute(
        select(OutboxMessage.message_id, OutboxMessage.case_id)
        .where(OutboxMessage.message_id.in_(message_ids), OutboxMessage.case_id.is_not(None))
    ).all())
    return next((found[m] for m in message_ids if m in found), None)


def _fingerprint(form: Mapping[str, str]) -> str:
    """A stand-in Message-ID for a message without one, so that the same message posted twice still matches."""
    digest = hashlib.sha256("\x00".join(form.get(k, "") for k in ("from", "to", "subject", "text", "html", "headers"))
                            .encode("utf-8", "replace")).hexdigest()
    return f"sha256:{digest}"
