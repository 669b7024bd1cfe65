"""The `portal worker` loop: choose the transport from configuration and deliver until stopped."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Mapping
from typing import Any

from portal.mail.delivery import BatchResult, Worker
from portal.mail.transports import FileTransport, SendGridTransport, Transport


def make_transport(config: Mapping[str, Any]) -> Transport:
    """SendGrid when an API key is configured; otherwise .eml files in OUTBOX_DIR."""
    if config.get("SENDGRID_API_KEY"):
        return SendGridTransport(config["SENDGRID_API_KEY"], config.get("SENDGRID_HOST") or "https://api.sendgrid.com",
                                 timeout=float(config.get("SENDGRID_TIMEOUT", 20)))
    return FileTransport(config["OUTBOX_DIR"])


def run(worker: Worker, *, once: bool, idle_seconds: float = 2.0,
        report: Callable[[BatchResult], None] = lambda _r: None) -> BatchResult:
    """With ``once``, drain what is due and return; otherwise poll until SIGTERM or SIGINT."""
    if once:
        result = worker.drain()
        report(result)
        return result
    stopping = {"now": False}

    def stop(_signum: int, _frame: Any) -> None:
        stopping["now"] = True  # finish the message on the wire, then leave; the lease covers the rest

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    total = BatchResult()
    try:
        while not stopping["now"]:
            result = worker.run_once()
            if result.claimed:
                report(result)
                for name in ("claimed", "sent", "failed", "dead"):
                    setattr(total, name, getattr(total, name) + getattr(result, name))
            else:
                time.sleep(idle_seconds)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return total
