"""Queueing: an e-mail is an outbox row written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from email.utils import make_msgid, parseaddr
from typing import Any

from sqlalchemy.orm import Session

from portal.mail.attachments import Attachment, OutboxAttachment
from portal.mail.inbound import reply_address
from portal.mail.models import OutboxMessage
from portal.mail.rendering import MailSettings, render
from portal.serving import ServedSetting

SETTINGS: ServedSetting[MailSettings] = ServedSetting("mail")


def configure(settings: MailSettings) -> None:
    SETTINGS.configure(settings)


def settings() -> MailSettings:
    return SETTINGS.get()


def queue(
    session: Session,
    to: str,
    template: str,
    context: dict[str, Any],
    *,
    org_name: str | None = None,
    case_id: int | None = None,
    case_reference: str = "",
    attachments: Sequence[Attachment] = (),
    transactional: bool = True,
) -> OutboxMessage:
    """Render now (so the message is fixed) and add it to the session; delivery happens after commit.

    ``org_name`` is the organisation's name as an admin last set it (`portal.organisation.organisation_name`); the
    configured ORG_NAME when not given. A message about a case (``case_reference``) carries a signed Reply-To, so
    the customer's answer comes back to it. A non-transactional message (news of a change, a survey) is the
    caller's to hold back from a customer who opted out, with a ``preferences_link`` in its context
    (`portal.cases.contact_preferences.queue_news`)."""
    configured = settings()
    current = replace(configured, org_name=org_name) if org_name else configured
    rendered = render(template, context, current)
    message = OutboxMessage(
        to_address=to,
        template=template,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        context={k: v for k, v in context.items() if isinstance(v, str | int | float | bool)},
        case_id=case_id,
        transactional=transactional,
        reply_to=_reply_to(case_reference, current),
        message_id=new_message_id(current.mail_from),
    )
    for attachment in attachments:
        message.attachments.append(  # type: ignore[attr-defined]
            OutboxAttachment(filename=attachment.filename, content_type=attachment.content_type, data=attachment.data)
        )
    session.add(message)
    session.info.setdefault("outbox_queued", []).append(message)
    return message


def new_message_id(mail_from: str) -> str:
    """A Message-ID of our own (without its angle brackets), on the sender's domain as RFC 5322 suggests."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "make-it-right.invalid"
    return make_msgid(idstring="mir", domain=domain).strip("<>")


def _reply_to(case_reference: str, current: MailSettings) -> str:
    if not case_reference or not current.inbound_domain or not current.secret_key:
        return ""
    return reply_address(case_reference, secret_key=current.secret_key, domain=current.inbound_domain)
