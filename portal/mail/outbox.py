"""Queueing: an e-mail is an outbox row written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from portal.mail.attachments import Attachment, OutboxAttachment
from portal.mail.models import OutboxMessage
from portal.mail.rendering import MailSettings, render

_settings: MailSettings | None = None


def configure(settings: MailSettings) -> None:
    global _settings
    _settings = settings


def settings() -> MailSettings:
    if _settings is None:
        raise RuntimeError("mail is not configured; create the app first")
    return _settings


def queue(
    session: Session,
    to: str,
    template: str,
    context: dict[str, Any],
    *,
    case_id: int | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutboxMessage:
    """Render now (so the message is fixed) and add it to the session; delivery happens after commit."""
    # The organisation's name as an admin last set it, not only as the environment had it at start-up.
    from portal.admin.organisation import branding

    configured = settings()
    current = replace(configured, org_name=branding(session, configured.org_name).name)
    rendered = render(template, context, current)
    message = OutboxMessage(
        to_address=to,
        template=template,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        context={k: v for k, v in context.items() if isinstance(v, str | int | float | bool)},
        case_id=case_id,
    )
    for attachment in attachments:
        message.attachments.append(  # type: ignore[attr-defined]
            OutboxAttachment(filename=attachment.filename, content_type=attachment.content_type, data=attachment.data)
        )
    session.add(message)
    session.info.setdefault("outbox_queued", []).append(message)
    return message
