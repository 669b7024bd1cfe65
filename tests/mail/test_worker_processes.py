"""Workers as real processes: one killed mid-batch, three racing over a thousand messages."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from portal import mail
from portal.mail.models import OutboxMessage, OutboxStatus

PORTAL = str(Path(sys.executable).parent / "portal")


def _env(db_url, fake, tmp_path):
    env = dict(os.environ)
    env.update(PORTAL_ENV="test", SECRET_KEY="test-secret-key-that-is-long-enough", DATABASE_URL=db_url,
               SENDGRID_API_KEY="SG.test", SENDGRID_HOST=fake.url, PORTAL_INSTANCE=str(tmp_path))
    return env


def _queue(session, n):
    for i in range(n):
        mail.queue(session, f"fan{i}@fans.example", "password_reset", {"name": "Fan", "link": "http://x"})
    session.commit()
    return sorted(session.scalars(select(OutboxMessage.id)))


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(session, db_url, fake_sendgrid, tmp_path):
    ids = _queue(session, 5)
    fake_sendgrid.hang_seconds = 5  # the first send never gets an answer
    env = _env(db_url, fake_sendgrid, tmp_path)
    first = subprocess.Popen([PORTAL, "worker", "--lease", "2"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.time() + 20
    while time.time() < deadline:
        session.expire_all()
        if session.scalar(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.sending)):
            break
        time.sleep(0.1)
    time.sleep(0.3)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    session.expire_all()
    claimed = session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.sending)).all()
    assert claimed, "the killed worker held claims"
    fake_sendgrid.hang_seconds = 0
    time.sleep(2.2)  # the dead worker's lease runs out
    second = subprocess.run([PORTAL, "worker", "--once"], env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert sorted(fake_sendgrid.outbox_ids()) == ids
    session.expire_all()
    assert {m.status for m in session.scalars(select(OutboxMessage))} == {OutboxStatus.sent}


def test_sends_the_provider_took_before_the_kill_are_recorded_and_not_repeated(session, db_url, fake_sendgrid,
                                                                                 tmp_path):
    ids = _queue(session, 12)
    fake_sendgrid.answers = [202] * 4 + ["hang"] * 4  # four answered, then four in flight that never are
    env = _env(db_url, fake_sendgrid, tmp_path)
    first = subprocess.Popen([PORTAL, "worker", "--lease", "2", "--batch", "10", "--concurrency", "4"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    sent = 0
    while time.time() < deadline and sent < 4:
        session.expire_all()
        sent = len(session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.sent)).all())
        time.sleep(0.1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert sent == 4, "the four answered sends were recorded while the others hung"
    assert len(fake_sendgrid.outbox_ids()) == 4
    fake_sendgrid.answers = []

    time.sleep(2.2)  # the dead worker's lease runs out
    second = subprocess.run([PORTAL, "worker", "--once"], env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    delivered = fake_sendgrid.outbox_ids()
    assert sorted(delivered) == ids, "every message exactly once"
    session.expire_all()
    assert {m.status for m in session.scalars(select(OutboxMessage))} == {OutboxStatus.sent}


@pytest.mark.postgres
def test_three_workers_deliver_a_thousand_messages_each_exactly_once(postgres_url, fake_sendgrid, tmp_path):
    from sqlalchemy.orm import Session

    from portal.db import make_engine

    engine = make_engine(postgres_url)
    with Session(engine) as session:
        ids = _queue(session, 1000)
    env = _env(postgres_url, fake_sendgrid, tmp_path)
    workers = [subprocess.Popen([PORTAL, "worker", "--once", "--batch", "20"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [w.communicate(timeout=240) for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    delivered = fake_sendgrid.outbox_ids()
    assert len(delivered) == 1000 and sorted(delivered) == ids
    with Session(engine) as session:
        assert {m.status for m in session.scalars(select(OutboxMessage))} == {OutboxStatus.sent}
    per_worker = [int(out.split("Sent ")[1].split(",")[0]) for out, _err in outputs]
    assert sum(per_worker) == 1000
    engine.dispose()


def _wait_for(condition, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _count(session, status):
    session.expire_all()
    return len(session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == status)).all())


def test_a_second_worker_does_not_take_over_claims_the_first_is_still_sending(session, db_url, fake_sendgrid,
                                                                            tmp_path):
    # The probe's race without any fault: a batch takes longer than the lease (40 sends of 0.25 s, two at a time,
    # against a 2 s lease), and a second worker polls for expired claims while the first is still at work.
    ids = _queue(session, 40)
    fake_sendgrid.delay_seconds = 0.25
    env = _env(db_url, fake_sendgrid, tmp_path)
    command = [PORTAL, "worker", "--lease", "2", "--batch", "40", "--concurrency", "2"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = None
    try:
        _wait_for(lambda: _count(session, OutboxStatus.sending) == 40, 20, "the first worker's claim")
        second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_for(lambda: _count(session, OutboxStatus.sent) == 40, 40, "every message to be sent")
        time.sleep(0.5)  # a duplicate still on the wire would arrive now
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=20)
    assert sorted(set(fake_sendgrid.outbox_ids())) == ids
    assert fake_sendgrid.duplicates() == {}, "no message is sent twice without a crash"
