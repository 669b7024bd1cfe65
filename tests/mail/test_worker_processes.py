"""Workers as real processes: killed mid-batch again and again, racing over an expired lease, and three
sharing a thousand messages. Deliveries are counted where they land: at the fake SendGrid."""

import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import mail
from portal.db import make_engine
from portal.mail.models import OutboxMessage, OutboxStatus
from tests.mail.worker_processes import PORTAL, WorkerProcess, count, wait_for, worker_env


def _queue(session, n):
    for i in range(n):
        mail.queue(session, f"fan{i}@fans.example", "password_reset", {"name": "Fan", "link": "http://x"})
    session.commit()
    return sorted(session.scalars(select(OutboxMessage.id)))


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_workers_killed_mid_batch_lose_nothing_and_send_twice_only_what_was_in_flight(session, db_url, engine,
                                                                                       fake_sendgrid, tmp_path):
    # Three workers share the outbox; two are SIGKILLed in turn while their sends are on the wire, and the
    # provider takes a while to answer, so each kill leaves sends it had taken but the worker never recorded.
    env = worker_env(db_url, fake_sendgrid.url, tmp_path)
    args = ("--lease", "2", "--batch", "10", "--concurrency", "2", "--poll", "0.2")
    workers = [WorkerProcess(env, *args) for _ in range(3)]
    in_flight_at_kills: set[int] = set()
    try:
        for worker in workers:
            worker.wait_started()
        fake_sendgrid.delay_seconds = 0.3
        ids = _queue(session, 60)
        for victim, after in zip(workers[:2], (8, 24), strict=True):
            wait_for(lambda: len(fake_sendgrid.requests) >= after and victim.in_flight(engine), 120,  # noqa: B023
                     "the victim to be sending")
            in_flight_at_kills |= victim.kill(engine)
        wait_for(lambda: count(engine, OutboxStatus.sent) == 60, 120, "the survivor to send the rest")
        time.sleep(0.5)  # a duplicate still on the wire would land now
    finally:
        for worker in workers:
            worker.stop()
    assert in_flight_at_kills, "the kills came while sends were on the wire"
    assert sorted(set(fake_sendgrid.outbox_ids())) == ids, "no message is lost"
    duplicated = set(fake_sendgrid.duplicates())
    assert duplicated <= in_flight_at_kills, "only a message on the wire at a kill may arrive twice"
    assert all(n == 2 for n in fake_sendgrid.duplicates().values())


def test_a_second_worker_does_not_take_over_claims_the_first_is_still_sending(session, db_url, engine,
                                                                            fake_sendgrid, tmp_path):
    # The probe's race without any fault: a batch takes longer than the lease (40 sends of 0.25 s, two at a
    # time, against a 2 s lease) while a second worker keeps looking for claims whose lease ran out.
    env = worker_env(db_url, fake_sendgrid.url, tmp_path)
    workers = [WorkerProcess(env, "--lease", "2", "--batch", "40", "--concurrency", "2") for _ in range(2)]
    try:
        for worker in workers:
            worker.wait_started()
        fake_sendgrid.delay_seconds = 0.25
        ids = _queue(session, 40)
        wait_for(lambda: count(engine, OutboxStatus.sent) == 40, 120, "every message to be sent")
        time.sleep(0.5)  # a duplicate still on the wire would land now
    finally:
        codes = [worker.stop() for worker in workers]
    assert codes == [0, 0]
    assert sorted(fake_sendgrid.outbox_ids()) == ids, "every message once, none twice"


def test_sends_the_provider_took_before_the_kill_are_recorded_and_not_repeated(session, db_url, engine,
                                                                                 fake_sendgrid, tmp_path):
    ids = _queue(session, 12)
    fake_sendgrid.answers = [202] * 4 + ["hang"] * 4  # four answered, then four in flight that never are
    env = worker_env(db_url, fake_sendgrid.url, tmp_path)
    first = WorkerProcess(env, "--lease", "2", "--batch", "10", "--concurrency", "4")
    wait_for(lambda: count(engine, OutboxStatus.sent) >= 4, 60, "the four answered sends")
    in_flight = first.kill(engine)
    assert count(engine, OutboxStatus.sent) == 4, "the four answered sends were recorded while the others hung"
    assert len(in_flight) == 4 and len(fake_sendgrid.outbox_ids()) == 4
    fake_sendgrid.answers = []

    time.sleep(2.2)  # the dead worker's lease runs out
    second = WorkerProcess(env, "--once")
    assert second.stop(timeout=60, signal_first=False) == 0, second.stderr
    assert sorted(fake_sendgrid.outbox_ids()) == ids, "every message exactly once"
    assert "may reach the customer twice" in "".join(second.stderr), "the resends of cut-off attempts are logged"
    with Session(engine) as check:
        assert {m.status for m in check.scalars(select(OutboxMessage))} == {OutboxStatus.sent}


@pytest.mark.postgres
def test_three_workers_deliver_a_thousand_messages_each_exactly_once(postgres_url, fake_sendgrid, tmp_path):
    import subprocess

    engine = make_engine(postgres_url)
    with Session(engine) as session:
        ids = _queue(session, 1000)
    env = worker_env(postgres_url, fake_sendgrid.url, tmp_path)
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
