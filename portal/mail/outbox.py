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
    transactional: bool = True,
) -> OutboxMessage | None:
    """Render now (so the message is fixed) and add it to the session; delivery happens after commit.

    A non-transactional message (news of a change, a survey) is not queued for a customer who opted out, and
    carries a link to manage their e-mail preferences; transactional ones (about their own case) always go."""
    # The organisation's name as an admin last set it, not only as the environment had it at start-up.
    from portal.admin.organisation import branding

    configured = settings()
    current = replace(configured, org_name=branding(session, configured.org_name).name)
    if not transactional:
        from portal.mail.preferences import preferences_link, wants_news

        if not wants_news(session, to):
            return None
        context = {**context, "preferences_link": preferences_link(to, current)}
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
        reply_to=_reply_to(session, case_id, current),
    )
    for attachment in attachments:
        message.attachments.append(  # type: ignore[attr-defined]
            OutboxAttachment(filename=attachment.filename, content_type=attachment.content_type, data=attachment.data)
        )
    session.add(message)
    session.info.setdefault("outbox_queued", []).append(message)
    return message


def _reply_to(session: Session, case_id: int | None, current: MailSettings) -> str:
    if case_id is None or not current.inbound_domain or not current.secret_key:
        return ""
    from portal.cases.models import Case
    from portal.mail.inbound import reply_address

    case = session.get(Case, case_id)
    return reply_address(case.reference, secret_key=current.secret_key, domain=current.inbound_domain) if case else ""
