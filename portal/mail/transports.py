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
        email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
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
