"""The worker with the real sendgrid client against a fake SendGrid: success, backoff, dead letters, crashes."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.db import utcnow
from portal.mail import queue
from portal.mail.delivery import RetryPolicy, Worker
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.transports import SendGridTransport
from tests.factories import make_case
from tests.mail.conftest import fill_outbox, start_worker


def sendgrid_worker(factory, fake, **kwargs) -> Worker:
    return Worker(factory, SendGridTransport("SG.test-key", fake.url, timeout=5), "Make It Right <care@example.org>",
                  **kwargs)


def message(factory, message_id: int) -> OutboxMessage:
    with factory() as session:
        return session.get(OutboxMessage, message_id)


def test_a_case_email_reaches_sendgrid_with_both_parts_its_letter_categories_and_outbox_id(factory, fake_sendgrid):
    with factory() as session:
        case = make_case(session)
        queued = queue(session, case.customer.email, "resolution",
                       {"name": case.customer.first_name, "reference": case.reference, "link": "http://portal.test/c",
                        "owner_name": case.owner.name, "outcome": "We refunded your ticket."},
                       case_id=case.id, attachments=[("letter.pdf", "application/pdf", b"%PDF-1.7 letter")],
                       categories=["case"])
        session.commit()
        reference = case.reference

    result = sendgrid_worker(factory, fake_sendgrid).drain()

    assert result.sent == 1
    [body] = fake_sendgrid.accepted
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    assert body["attachments"][0]["filename"] == "letter.pdf"
    assert sorted(body["categories"]) == ["case", "resolution"]
    assert body["custom_args"] == {"outbox_id": str(queued.id)}
    assert body["reply_to"]["email"].startswith(f"reply+{reference}-")
    assert body["from"] == {"email": "care@example.org", "name": "Make It Right"}
    headers = fake_sendgrid.requests[0]["headers"]
    assert headers["Authorization"] == "Bearer SG.test-key"
    sent = message(factory, queued.id)
    assert sent.status is OutboxStatus.sent and sent.provider_message_id == "fake-000001"


def test_a_failed_send_is_tried_again_later_with_backoff(factory, fake_sendgrid):
    [message_id] = fill_outbox(factory, 1)
    fake_sendgrid.respond("500")
    worker = sendgrid_worker(factory, fake_sendgrid, policy=RetryPolicy(base_seconds=30))

    before = utcnow()
    assert worker.drain().failed == 1
    failed = message(factory, message_id)
    assert failed.status is OutboxStatus.failed and "500" in failed.last_error
    assert before + timedelta(seconds=15) <= failed.next_attempt_at <= utcnow() + timedelta(seconds=30)
    assert worker.drain().claimed == 0  # not due yet

    fake_sendgrid.respond("429")
    assert worker.drain(now=failed.next_attempt_at).failed == 1
    second = message(factory, message_id)
    # The second wait is about twice the first (30-60 s), and never shorter than SendGrid's Retry-After.
    assert failed.next_attempt_at + timedelta(seconds=15) <= second.next_attempt_at

    assert worker.drain(now=second.next_attempt_at).sent == 1
    assert message(factory, message_id).attempts == 3
    assert fake_sendgrid.accepted_outbox_ids() == [message_id]


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(base_seconds=10, cap_seconds=100)
    for attempts, ceiling in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        for _ in range(20):
            assert ceiling / 2 <= policy.delay(attempts).total_seconds() <= ceiling


def test_a_message_that_keeps_failing_goes_dead_and_an_admin_can_retry_it(factory, fake_sendgrid):
    from portal.mail.admin import retry

    [message_id] = fill_outbox(factory, 1)
    fake_sendgrid.default = "500"
    worker = sendgrid_worker(factory, fake_sendgrid, policy=RetryPolicy(max_attempts=3))
    moment = utcnow()
    for _ in range(3):
        worker.drain(now=moment)
        moment = max(moment, message(factory, message_id).next_attempt_at)
    dead = message(factory, message_id)
    assert dead.status is OutboxStatus.dead and dead.attempts == 3
    assert worker.drain(now=moment + timedelta(days=1)).claimed == 0

    fake_sendgrid.default = "202"
    with factory() as session:
        retry(session, session.get(OutboxMessage, message_id))
        session.commit()
    assert worker.drain().sent == 1
    assert fake_sendgrid.accepted_outbox_ids() == [message_id]


def test_a_message_sendgrid_will_never_take_goes_dead_at_once(factory, fake_sendgrid):
    [message_id] = fill_outbox(factory, 1)
    fake_sendgrid.respond("400")
    sendgrid_worker(factory, fake_sendgrid).drain()
    assert message(factory, message_id).status is OutboxStatus.dead


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(db_url, factory, fake_sendgrid, tmp_path):
    ids = fill_outbox(factory, 12)
    fake_sendgrid.respond("202", "202", "202", "202", "hang")
    process = start_worker(db_url, fake_sendgrid, tmp_path, "--batch", "10", "--lease", "60")
    try:
        assert fake_sendgrid.hanging.acquire(timeout=60), process.stderr.read1().decode()
    finally:
        process.kill()  # SIGKILL: no chance to tidy up
        process.wait()
    fake_sendgrid.release_hung()
    with factory() as session:
        stuck = session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.sending)).all()
    assert len(stuck) == 6  # the one on the wire and the five after it, still claimed by the dead worker

    # Before the lease runs out nobody else may take them; after it, a second worker delivers the rest.
    second = sendgrid_worker(factory, fake_sendgrid)
    assert second.drain().sent == 2  # only the two never claimed
    assert second.drain(now=utcnow() + timedelta(seconds=61)).sent == 6

    assert sorted(fake_sendgrid.accepted_outbox_ids()) == sorted(ids)
    with factory() as session:
        statuses = Counter(session.scalars(select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.sent: 12}


@pytest.mark.postgres
def test_three_workers_deliver_a_thousand_messages_each_exactly_once(postgres_url, fake_sendgrid, tmp_path):
    from portal.db import make_engine
    from sqlalchemy.orm import sessionmaker

    engine = make_engine(postgres_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    ids = fill_outbox(factory, 1000)
    workers = [start_worker(postgres_url, fake_sendgrid, tmp_path, "--once", "--batch", "25") for _ in range(3)]
    for process in workers:
        assert process.wait(timeout=300) == 0, process.stderr.read().decode()

    delivered = Counter(fake_sendgrid.accepted_outbox_ids())
    assert sorted(delivered) == sorted(ids)
    assert set(delivered.values()) == {1}
    with factory() as session:
        rows = session.execute(select(OutboxMessage.status, OutboxMessage.claimed_by)).all()
    engine.dispose()
    assert {status for status, _ in rows} == {OutboxStatus.sent}
    assert len({worker for _, worker in rows}) == 3, "every worker should have taken a share"
