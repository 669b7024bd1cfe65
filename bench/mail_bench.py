"""How fast one outbox worker delivers through the real sendgrid client to a fake SendGrid on this machine
(target: at least 200 messages a second).

Run `python -m bench.mail_bench` (or call `measure_send_rate()` from `make bench`)."""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path

TARGET_PER_SECOND = 200.0


def measure_send_rate(n: int = 2000, database_url: str | None = None) -> dict:
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from portal.db import make_engine, utcnow
    from portal.mail.models import OutboxMessage, OutboxStatus
    from portal.mail.transports import SendGridTransport
    from portal.mail.worker import WorkerSettings, run
    from portal.migrate import upgrade
    from tests.mail.fake_sendgrid import FakeSendGrid

    folder = Path(tempfile.mkdtemp(prefix="mir-mail-bench-"))
    url = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    now = utcnow()
    rows = [{"to_address": f"fan{i}@fans.example", "template": "receipt", "subject": f"We have your feedback {i}",
             "body_text": "Hello,\n\nThank you for telling us.\n" * 5,
             "body_html": "<p>Thank you for telling us.</p>" * 5,
             "context": {}, "status": OutboxStatus.queued, "attempts": 0, "next_attempt_at": now, "claimed_by": "",
             "provider_message_id": "", "last_error": "", "created_at": now, "reply_to": "", "transactional": True}
            for i in range(n)]
    with engine.begin() as connection:
        connection.execute(insert(OutboxMessage), rows)
    settings = WorkerSettings(worker_id="bench", sender="care@example.org", batch=100, lease=timedelta(minutes=5))
    with FakeSendGrid() as fake:
        transport = SendGridTransport("SG.bench", host=fake.url)
        start = time.perf_counter()
        totals = run(lambda: Session(engine, expire_on_commit=False), transport, settings, once=True)
        seconds = time.perf_counter() - start
        delivered = len(fake.requests)
    engine.dispose()
    rate = totals["sent"] / seconds if seconds else 0.0
    return {
        "name": "outbox worker send rate (one worker, fake SendGrid)",
        "messages": n,
        "sent": totals["sent"],
        "delivered_to_fake": delivered,
        "seconds": round(seconds, 2),
        "per_second": round(rate, 1),
        "target_per_second": TARGET_PER_SECOND,
        "met": rate >= TARGET_PER_SECOND and delivered == n,
    }


if __name__ == "__main__":
    result = measure_send_rate()
    print(f"{result['name']}: {result['per_second']} messages/s over {result['messages']} "
          f"({'meets' if result['met'] else 'misses'} the {TARGET_PER_SECOND:.0f}/s target)")
