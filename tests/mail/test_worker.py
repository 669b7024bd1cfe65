"""The real sendgrid client against a fake SendGrid on 127.0.0.1: success, retries, dead letters."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import mail
from portal.cases.contact_preferences import queue_news
from portal.db import make_engine, utcnow
from portal.mail.attachments import Attachment
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.transports import SendGridTransport
from portal.mail.worker import WorkerSettings, backoff, claim, run, send_claimed

# One send at a time: these tests hand out the fake's answers in order, message by message.
SETTINGS = WorkerSettings(worker_id="test-worker", sender="care@portal.test", batch=10, max_attempts=3,
                          base_delay=60, concurrency=1)


def _queue(session, n=1, **kwargs):
    for i in range(n):
        mail.queue(session, f"fan{i}@fans.example", "password_reset", {"name": "Fan", "link": "http://x"}, **kwargs)
    session.commit()


def _factory(db_url):
    engine = make_engine(db_url)
    return lambda: Session(engine, expire_on_commit=False)


def test_a_message_is_sent_with_both_parts_attachments_and_its_outbox_id(session, db_url, fake_sendgrid):
    mail.queue(session, "james@fans.example", "password_reset", {"name": "James", "link": "http://x/r"},
               attachments=[Attachment("letter.pdf", "application/pdf", b"%PDF-1.4 letter")])
    session.commit()
    transport = SendGridTransport("SG.test-key", host=fake_sendgrid.url)
    totals = run(_factory(db_url), transport, SETTINGS, once=True)
    assert totals == {"sent": 1, "retrying": 0, "dead": 0}
    [request] = fake_sendgrid.requests
    body = request["json"]
    assert request["path"] == "/v3/mail/send" and request["auth"] == "Bearer SG.test-key"
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    assert body["attachments"][0]["filename"] == "letter.pdf"
    assert body["categories"] == ["password_reset"]
    message = session.scalar(select(OutboxMessage))
    session.refresh(message)
    assert body["custom_args"] == {"outbox_id": str(message.id), "attempt": "1"}
    assert message.status is OutboxStatus.sent and message.provider_message_id and message.attempts == 1
    # Our own Message-ID, on the sender's domain, so an answer that lost the Reply-To threads by In-Reply-To.
    assert body["headers"] == {"Message-ID": f"<{message.message_id}>"} and message.message_id.endswith("@portal.test")


def test_a_429_or_500_is_retried_later_with_backoff(session, db_url, fake_sendgrid):
    _queue(session)
    fake_sendgrid.answers = [429]
    transport = SendGridTransport("SG.k", host=fake_sendgrid.url)
    assert run(_factory(db_url), transport, SETTINGS, once=True)["retrying"] == 1
    message = session.scalar(select(OutboxMessage))
    session.refresh(message)
    assert message.status is OutboxStatus.failed and "429" in message.last_error
    assert message.next_attempt_at > utcnow() + timedelta(seconds=25)
    # Not due yet: a second run sends nothing; once due, it goes.
    assert run(_factory(db_url), transport, SETTINGS, once=True)["sent"] == 0
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.commit()
    fake_sendgrid.answers = [500]
    assert run(_factory(db_url), transport, SETTINGS, once=True)["retrying"] == 1
    session.refresh(message)
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert run(_factory(db_url), transport, SETTINGS, once=True)["sent"] == 1
    session.refresh(message)
    assert message.status is OutboxStatus.sent and message.attempts == 3


def test_after_the_last_attempt_a_message_is_dead_and_a_400_is_dead_at_once(session, db_url, fake_sendgrid):
    _queue(session, n=2)
    first, second = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    first.attempts = SETTINGS.max_attempts - 1
    session.commit()
    fake_sendgrid.answers = [503, 400]
    totals = run(_factory(db_url), SendGridTransport("SG.k", host=fake_sendgrid.url), SETTINGS, once=True)
    assert totals == {"sent": 0, "retrying": 0, "dead": 2}
    session.refresh(first)
    session.refresh(second)
    assert (first.status, second.status) == (OutboxStatus.dead, OutboxStatus.dead)
    assert "400" in second.last_error


def test_a_timeout_is_a_retry_not_a_loss(session, db_url, fake_sendgrid):
    _queue(session)
    fake_sendgrid.hang_seconds = 2
    transport = SendGridTransport("SG.k", host=fake_sendgrid.url, timeout=0.5)
    assert run(_factory(db_url), transport, SETTINGS, once=True)["retrying"] == 1


def test_backoff_doubles_with_jitter_and_has_a_ceiling():
    import random

    rng = random.Random(1)
    delays = [backoff(n, SETTINGS, rng).total_seconds() for n in (1, 2, 3, 4)]
    assert 30 <= delays[0] <= 60 and 60 <= delays[1] <= 120 and 120 <= delays[2] <= 240
    assert backoff(50, SETTINGS, rng).total_seconds() <= SETTINGS.max_delay


def test_a_claim_whose_lease_ran_out_is_claimed_again(session, db_url):
    _queue(session)
    first = claim(session, SETTINGS, now=utcnow())
    assert claim(session, WorkerSettings(worker_id="other", sender="x"), now=utcnow()).ids == []
    later = utcnow() + SETTINGS.lease + timedelta(seconds=1)
    second = claim(session, WorkerSettings(worker_id="other", sender="x"), now=later)
    assert second.ids == first.ids and second.token != first.token


def test_a_worker_whose_claim_was_taken_over_sends_nothing(session, db_url, fake_sendgrid):
    _queue(session, n=3)
    stale = claim(session, SETTINGS, now=utcnow())
    other = WorkerSettings(worker_id="other", sender="x", concurrency=1)
    taken_over = claim(session, other, now=utcnow() + SETTINGS.lease + timedelta(seconds=1))
    transport = SendGridTransport("SG.k", host=fake_sendgrid.url)
    assert send_claimed(session, stale, transport, SETTINGS) == {"sent": 0, "retrying": 0, "dead": 0}
    assert fake_sendgrid.outbox_ids() == []
    assert send_claimed(session, taken_over, transport, other)["sent"] == 3
    assert sorted(fake_sendgrid.outbox_ids()) == taken_over.ids


def test_a_batch_slower_than_its_lease_keeps_its_claim(db_url, fake_sendgrid):
    # Six sends of 0.3 s one at a time against a 1 s lease: the worker renews the lease as it goes, so another
    # worker looking for expired claims the whole time finds none and nothing is sent twice.
    factory = _factory(db_url)
    with factory() as session:
        _queue(session, n=6)
    fake_sendgrid.delay_seconds = 0.3
    slow = WorkerSettings(worker_id="slow", sender="x", batch=6, lease=timedelta(seconds=1), concurrency=1)
    other = WorkerSettings(worker_id="other", sender="x")
    transport = SendGridTransport("SG.k", host=fake_sendgrid.url)
    with factory() as session, ThreadPoolExecutor(1) as pool:
        held = claim(session, slow, now=utcnow())
        running = pool.submit(send_claimed, factory(), held, transport, slow)
        taken = []
        while not running.done():
            taken += claim(session, other, now=utcnow()).ids
            time.sleep(0.05)
    assert running.result()["sent"] == 6 and taken == []
    assert sorted(fake_sendgrid.outbox_ids()) == list(range(1, 7))


def test_delivery_after_commit_leaves_alone_what_a_worker_has_claimed(session, db_url, tmp_path):
    from portal.mail.delivery import deliver
    from portal.mail.transports import FileTransport

    _queue(session, n=2)
    held = claim(session, WorkerSettings(worker_id="w", sender="x", batch=1), now=utcnow())
    assert deliver(session, [1, 2], FileTransport(tmp_path), "care@portal.test") == 1
    assert [p.name[:8] for p in tmp_path.glob("*.eml")] == [f"{2:08d}"] and held.ids == [1]


@pytest.mark.parametrize("transactional", [True, False])
def test_opted_out_customers_get_only_transactional_mail(session, transactional):
    from tests.factories import make_customer

    customer = make_customer(session, email="olivia@fans.example")
    customer.email_opt_out_at = utcnow()
    send = mail.queue if transactional else queue_news  # news goes through the customer's preferences
    message = send(session, "olivia@fans.example", "password_reset", {"name": "O", "link": "x"})
    assert (message is not None) is transactional


def test_news_carries_a_preferences_link_and_case_mail_a_signed_reply_to(session):
    from tests.factories import make_case

    news = queue_news(session, "fan@fans.example", "password_reset", {"name": "F", "link": "x"})
    assert "/email-preferences/" in news.body_text and "/email-preferences/" in news.body_html
    case = make_case(session)
    about_case = mail.queue(session, "fan@fans.example", "password_reset", {"name": "F", "link": "x"},
                            case_id=case.id, case_reference=case.reference)
    assert about_case.reply_to.startswith(f"reply+{case.reference}.")
    assert about_case.reply_to.endswith("@reply.portal.test")
