"""Queueing: an e-mail is an outbox row written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from portal.mail.models import OutboxAttachment, OutboxMessage
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
    transactional: bool = True,
    attachments: Iterable[tuple[str, str, bytes]] = (),
    categories: Iterable[str] = (),
) -> OutboxMessage | None:
    """Render now (so the message is fixed) and add it to the session; delivery happens after commit.

    ``transactional`` says whether the customer must get it whatever their preferences (a receipt, a reply, an
    offer on their case). A non-transactional message (a survey, a "you said, we did" notice, a rating
    request) gets a manage-preferences link, and is not queued at all -- None is returned -- when the
    address has opted out. ``attachments`` are ``(filename, content type, bytes)``.
    """
    from portal.mail import preferences

    config = settings()
    values = dict(context)
    values["transactional"] = transactional
    if not transactional:
        if preferences.is_opted_out(session, to):
            return None
        token = preferences.preferences_token(config.secret_key, to)
        values["preferences_link"] = f"{config.base_url.rstrip('/')}/email-preferences/{token}"
    rendered = render(template, values, config)
    message = OutboxMessage(
        to_address=to,
        template=template,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        context={k: v for k, v in values.items() if isinstance(v, str | int | float | bool)},
        case_id=case_id,
        transactional=transactional,
        reply_to=_reply_to(session, to, case_id, config),
        categories=[template, *categories],
        attachments=[OutboxAttachment(filename=n, content_type=t, content=b) for n, t, b in attachments],
    )
    session.add(message)
    session.info.setdefault("outbox_queued", []).append(message)
    return message


def _reply_to(session: Session, to: str, case_id: int | None, config: MailSettings) -> str:
    """Customers' case e-mails carry a reply address that files their answer on the case."""
    if case_id is None or not config.reply_domain:
        return ""
    from portal.cases.models import Case
    from portal.mail.reply_address import reply_address

    case = session.get(Case, case_id)
    if case is None or case.customer.email.lower() != to.lower():
        return ""
    return reply_address(config.secret_key, case.reference, config.reply_domain)
