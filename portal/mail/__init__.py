"""E-mail: the outbox, message rendering, transports and delivery."""

from portal.mail.outbox import queue

__all__ = ["queue"]
