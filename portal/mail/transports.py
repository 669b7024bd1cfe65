"""Ways a message leaves the building: files for a laptop, SendGrid in production."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

from portal.mail.models import OutboxMessage


class Transport(Protocol):
    def send(self, message: OutboxMessage, sender: str) -> str:
        """Deliver the message; return the provider's id for it."""


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
        email["Message-ID"] = f"<{message.message_id}>" if message.message_id else make_msgid(f"outbox-{message.id}")
        email.set_content(message.body_text)
        email.add_alternative(message.body_html, subtype="html")
        for attachment in getattr(message, "attachments", []):
            maintype, _, subtype = attachment.content_type.partition("/")
            email.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
        path = self.directory / f"{message.id:08d}-{message.template}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(email))
        tmp.replace(path)
        return path.name


class TransientSendError(RuntimeError):
    """The provider could not take the message now (rate limit, outage, time-out): try again later."""


class PermanentSendError(RuntimeError):
    """The provider refused the message itself (a bad address, say): retrying will not help."""


class SendGridTransport:
    """The real SendGrid client; ``host`` lets tests point it at a fake server on this machine."""

    def __init__(self, api_key: str, host: str = "https://api.sendgrid.com", timeout: float = 10.0) -> None:
        from sendgrid import SendGridAPIClient

        self.client = SendGridAPIClient(api_key=api_key, host=host)
        self.client.client.timeout = timeout

    def build(self, message: OutboxMessage, sender: str):
        import base64

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

        mail = Mail(from_email=sender, to_emails=message.to_address, subject=message.subject,
                    plain_text_content=message.body_text, html_content=message.body_html)
        mail.category = Category(message.template)
        # SendGrid hands these back on every event and shows them in its activity feed: the same outbox id twice
        # is a duplicate, and the attempt numbers say which sends they were.
        mail.custom_arg = [CustomArg("outbox_id", str(message.id)), CustomArg("attempt", str(message.attempts))]
        if message.reply_to:
            mail.reply_to = ReplyTo(message.reply_to)
        if message.message_id:
            # Our own Message-ID: an answer whose Reply-To was lost still names it, and is threaded by it.
            mail.header = Header("Message-ID", f"<{message.message_id}>")
        for item in getattr(message, "attachments", []):
            mail.add_attachment(Attachment(FileContent(base64.b64encode(item.data).decode()), FileName(item.filename),
                                           FileType(item.content_type), Disposition("attachment")))
        return mail

    def send(self, message: OutboxMessage, sender: str) -> str:
        import urllib.error

        from python_http_client import exceptions

        try:
            response = self.client.send(self.build(message, sender))
        except exceptions.HTTPError as exc:
            if exc.status_code == 429 or exc.status_code >= 500:
                raise TransientSendError(f"SendGrid answered {exc.status_code}") from exc
            raise PermanentSendError(f"SendGrid refused the message ({exc.status_code}): {exc.body!r:.300}") from exc
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            raise TransientSendError(f"SendGrid could not be reached: {exc}") from exc
        headers = {k.lower(): v for k, v in dict(response.headers).items()}
        return headers.get("x-message-id", "")


def transport_for(config: dict) -> Transport:
    """SendGrid when an API key is configured, .eml files otherwise."""
    if config.get("SENDGRID_API_KEY"):
        return SendGridTransport(config["SENDGRID_API_KEY"], config.get("SENDGRID_HOST") or "https://api.sendgrid.com")
    return FileTransport(config["OUTBOX_DIR"])
