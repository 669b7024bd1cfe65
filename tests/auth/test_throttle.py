"""The sign-in throttle on its own (no password hashing): growing waits per (account, address) and per address."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.auth.throttle import Throttled, check, record_failure, record_success

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
MARIA, ATTACKER, COLLEAGUE = "staff:maria@staff.example", "203.0.113.66", "10.9.8.7"


def fail(session, account=MARIA, address=ATTACKER, now=NOW) -> Throttled | None:
    check(session, account=account, address=address, now=now)
    return record_failure(session, account=account, address=address, now=now)


def minutes(throttled: Throttled | None) -> int:
    return int(throttled.wait.total_seconds() // 60) if throttled else 0


def test_the_wait_starts_after_five_wrong_passwords_and_doubles_up_to_an_hour(session):
    now, waits = NOW, []
    for _ in range(12):
        started = fail(session, now=now)
        waits.append(minutes(started))
        now += started.wait if started else timedelta(seconds=1)  # the attacker tries again as soon as allowed
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_while_waiting_nothing_is_checked_and_the_time_left_is_told(session):
    for _ in range(5):
        fail(session)
    with pytest.raises(Throttled) as waiting:
        check(session, account=MARIA, address=ATTACKER, now=NOW + timedelta(seconds=20))
    assert waiting.value.scope == "account" and waiting.value.wait_text == "1 minute"
    check(session, account=MARIA, address=ATTACKER, now=NOW + timedelta(minutes=1))  # the wait is over


def test_an_attacker_elsewhere_never_makes_a_colleague_wait(session):
    now = NOW
    for _ in range(30):  # a day and a half of guessing, as fast as the waits allow
        guessed_at = now
        started = fail(session, now=guessed_at)
        now += started.wait if started else timedelta(seconds=1)
    check(session, account=MARIA, address=COLLEAGUE, now=guessed_at)
    with pytest.raises(Throttled):
        check(session, account=MARIA, address=ATTACKER, now=guessed_at + timedelta(minutes=59))


def test_an_address_trying_many_accounts_waits_for_all_of_them(session):
    started = [fail(session, account=f"staff:user{n}@staff.example") for n in range(20)]
    assert started[:19] == [None] * 19
    assert started[19].scope == "address" and minutes(started[19]) == 1
    with pytest.raises(Throttled) as waiting:
        check(session, account=MARIA, address=ATTACKER, now=NOW)
    assert waiting.value.scope == "address"
    check(session, account=MARIA, address=COLLEAGUE, now=NOW)


def test_a_success_forgets_that_accounts_mistakes_but_not_the_addresss(session):
    for n in range(12):
        fail(session, account=f"staff:user{n}@staff.example")
    for _ in range(4):
        fail(session)
    record_success(session, account=MARIA, address=ATTACKER)
    assert [fail(session) for _ in range(3)] == [None] * 3  # the account's count started again
    assert fail(session).scope == "address"  # the 20th from this address over all accounts, the 4th for Maria


def test_mistakes_are_forgotten_after_a_quiet_day(session):
    for _ in range(4):
        fail(session)
    assert fail(session, now=NOW + timedelta(days=1, minutes=1)) is None


def test_the_table_keeps_neither_the_email_nor_the_client_address(session):
    from sqlalchemy import select

    from portal.auth.models import SignInThrottle

    fail(session)
    session.flush()
    stored = repr([(t.key_hash, t.failures) for t in session.scalars(select(SignInThrottle))])
    assert "maria" not in stored and ATTACKER not in stored


def test_guesses_sent_in_parallel_are_each_counted_and_none_fails(db_url):
    import threading

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from portal.auth.models import SignInThrottle
    from portal.db import make_engine

    engine, guesses, errors = make_engine(db_url), 8, []
    barrier = threading.Barrier(guesses)

    def guess() -> None:
        try:
            with Session(engine) as session:
                barrier.wait()
                record_failure(session, account=MARIA, address=ATTACKER, now=NOW)
                session.commit()
        except Exception as exc:  # noqa: BLE001 - any failure is what the test reports
            errors.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session:
        counts = sorted(session.scalars(select(SignInThrottle.failures)))
    engine.dispose()
    assert errors == [] and counts == [guesses, guesses]
