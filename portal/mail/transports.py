"""Ways a message leaves the building: files for a laptop, SendGrid in production."""

from __future__ import annotations

import base64
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

from portal.mail.models import OutboxMessage


class SendFailed(Exception):
    """The provider did not take the message. ``permanent`` ones are not worth trying again."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Transport(Protocol):
    def send(self, message: OutboxMessage, sender: str) -> str:
        """Deliver the message; return the provider's id for it; raise SendFailed when it was not taken."""


class FileTransport:
    """Writes each message as an .eml file that any mail client opens."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def send(self, message: OutboxMessage, sender: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        email = EmailMessage()
        email["From"] = sender
        email["To"] = message.to_address
        email["Subject"] = message.subject
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
        if message.reply_to:
            email["Reply-To"] = message.reply_to
        if message.context.get("preferences_link"):
            email["List-Unsubscribe"] = f"<{message.context['preferences_link']}>"
        email.set_content(message.body_text)
        email.add_alternative(message.body_html, subtype="html")
        for attachment in message.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            email.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                                 filename=attachment.filename)
        path = self.directory / f"{message.id:08d}-{message.template}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(email))
        tmp.replace(path)
        return path.name


class SendGridTransport:
    """The ``sendgrid`` library's client; ``host`` is configurable so tests point it at a fake server."""

    def __init__(self, api_key: str, host: str = "https://api.sendgrid.com", timeout: float = 20.0) -> None:
        from sendgrid import SendGridAPIClient

        self.client = SendGridAPIClient(api_key=api_key, host=host.rstrip("/"))
        # The client's requests inherit this; without it a hung connection would hold a claimed batch for ever.
        self.client.client.timeout = timeout

    def send(self, message: OutboxMessage, sender: str) -> str:
        from python_http_client.exceptions import HTTPError

        try:
            response = self.client.send(build_mail(message, sender))
        except HTTPError as error:
            status = getattr(error, "status_code", 0) or 0
            retry_after = _int_or_none((getattr(error, "headers", None) or {}).get("Retry-After"))
            # 400/413: SendGrid will never take this message as it is; 401/403/429/5xx may pass later.
            raise SendFailed(f"SendGrid answered {status}: {_body_text(error)}", permanent=status in (400, 413),
                             retry_after=retry_after) from error
        except OSError as error:  # refused, reset or timed out before an answer
            raise SendFailed(f"SendGrid could not be reached: {error}") from error
        headers = response.headers
        message_id = headers.get("X-Message-Id") if headers is not None else None
        return message_id or f"unknown-{uuid.uuid4().hex[:12]}"


def build_mail(message: OutboxMessage, sender: str):
    """A ``sendgrid.Mail`` with both parts, Reply-To, attachments, categories and the outbox id."""
    from sendgrid.helpers.mail import (
        Attachment,
        Category,
        CustomArg,
        Disposition,
        FileContent,
        FileName,
        FileType,
        Header,
        Mail,
        ReplyTo,
    )

    mail = Mail(
        from_email=_address(sender),
        to_emails=message.to_address,
        subject=message.subject,
        plain_text_content=message.body_text,
        html_content=message.body_html,
    )
    if message.reply_to:
        mail.reply_to = ReplyTo(message.reply_to)
    for name in message.categories or []:
        mail.add_category(Category(name))
    # Event webhooks echo custom arguments back: this is how an event finds its outbox row.
    mail.add_custom_arg(CustomArg("outbox_id", str(message.id)))
    link = (message.context or {}).get("preferences_link")
    if link:
        mail.add_header(Header("List-Unsubscribe", f"<{link}>"))
    for attachment in message.attachments:
        mail.add_attachment(Attachment(
            FileContent(base64.b64encode(attachment.content).decode()),
            FileName(attachment.filename),
            FileType(attachment.content_type),
            Disposition("attachment"),
        ))
    return mail


def _address(sender: str):
    from email.utils import parseaddr

    from sendgrid.helpers.mail import From

    name, address = parseaddr(sender)
    return From(address, name or None)


def _body_text(error: Exception) -> str:
    body = getattr(error, "body", b"") or b""
    text = body.decode(errors="replace") if isinstance(body, bytes) else str(body)
    return text[:500]


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
