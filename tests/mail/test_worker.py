"""The real sendgrid client against a fake SendGrid on 127.0.0.1: success, retries, dead letters."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import mail
from portal.db import make_engine, utcnow
from portal.mail.attachments import Attachment
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.transports import SendGridTransport
from portal.mail.worker import WorkerSettings, backoff, claim, run

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
    assert body["custom_args"] == {"outbox_id": str(message.id)}
    assert message.status is OutboxStatus.sent and message.provider_message_id and message.attempts == 1


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
    assert claim(session, WorkerSettings(worker_id="other", sender="x"), now=utcnow()) == []
    later = utcnow() + SETTINGS.lease + timedelta(seconds=1)
    assert claim(session, WorkerSettings(worker_id="other", sender="x"), now=later) == first


@pytest.mark.parametrize("transactional", [True, False])
def test_opted_out_customers_get_only_transactional_mail(session, transactional):
    from tests.factories import make_customer

    customer = make_customer(session, email="olivia@fans.example")
    customer.email_opt_out_at = utcnow()
    message = mail.queue(session, "olivia@fans.example", "password_reset", {"name": "O", "link": "x"},
                         transactional=transactional)
    assert (message is not None) is transactional


def test_news_carries_a_preferences_link_and_case_mail_a_signed_reply_to(session):
    from tests.factories import make_case

    news = mail.queue(session, "fan@fans.example", "password_reset", {"name": "F", "link": "x"}, transactional=False)
    assert "/email-preferences/" in news.body_text and "/email-preferences/" in news.body_html
    case = make_case(session)
    about_case = mail.queue(session, "fan@fans.example", "password_reset", {"name": "F", "link": "x"},
                            case_id=case.id)
    assert about_case.reply_to.startswith(f"reply+{case.reference}.")
    assert about_case.reply_to.endswith("@reply.portal.test")
