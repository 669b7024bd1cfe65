"""E-mail: the outbox, message rendering, transports, delivery and what SendGrid reports back."""

from portal.mail.outbox import queue, settings

__all__ = ["queue", "settings"]
