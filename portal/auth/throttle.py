"""Slowing down password guessing without letting anyone lock someone else out.

Wrong passwords are counted per (account, client address) and per client address over all accounts. After a few
free mistakes each further wrong password makes that counter wait longer (1, 2, 4 … minutes, at most an hour)
before the next try is even checked. Someone guessing a colleague's password from their own machine therefore
slows only themselves: the colleague, signing in from elsewhere, is never refused. Accounts are named by the
e-mail address typed, whether or not an account has it, so a wait says nothing about which addresses exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.auth.errors import Throttled
from portal.auth.models import SignInThrottle


@dataclass(frozen=True)
class Policy:
    scope: str
    free_failures: int  # wrong passwords before the first wait
    first_wait: timedelta
    longest_wait: timedelta
    forget_after: timedelta  # a quiet spell after which the count starts again

    def wait_after(self, failures: int) -> timedelta | None:
        if failures < self.free_failures:
            return None
        return min(self.first_wait * 2 ** min(failures - self.free_failures, 30), self.longest_wait)


PER_ACCOUNT = Policy("account", 5, timedelta(minutes=1), timedelta(hours=1), timedelta(days=1))
# An office behind one address mistypes too, so the bar for everyone behind it is higher.
PER_ADDRESS = Policy("address", 20, timedelta(minutes=1), timedelta(hours=1), timedelta(days=1))


def _keys(account: str, address: str) -> list[tuple[Policy, str]]:
    account, address = account.strip().lower(), address or "unknown"
    return [
        (PER_ACCOUNT, hashlib.sha256(f"account\0{account}\0{address}".encode()).hexdigest()),
        (PER_ADDRESS, hashlib.sha256(f"address\0{address}".encode()).hexdigest()),
    ]


def check(session: Session, *, account: str, address: str, now: datetime) -> None:
    """Raise Throttled when this client must still wait before a password for ``account`` is checked."""
    keys = _keys(account, address)
    until = dict(session.execute(
        select(SignInThrottle.key_hash, SignInThrottle.locked_until)
        .where(SignInThrottle.key_hash.in_([key for _, key in keys]))
    ).all())
    waits = [Throttled(policy.scope, until[key] - now) for policy, key in keys if (until.get(key) or now) > now]
    if waits:
        raise max(waits, key=lambda throttled: throttled.wait)


def record_failure(session: Session, *, account: str, address: str, now: datetime) -> Throttled | None:
    """Count a wrong password; return the wait it starts, if any (the longer of the two counters').

    Counted in the database (insert if missing, then one UPDATE … RETURNING per counter) so that guesses sent in
    parallel are each counted and never collide on inserting the same row."""
    keys = _keys(account, address)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(SignInThrottle).values([{"key_hash": key, "failures": 0} for _, key in keys])
                    .on_conflict_do_nothing())
    started = []
    for policy, key in keys:  # always in this order, so two requests never wait on each other's rows
        quiet = SignInThrottle.last_failure_at < now - policy.forget_after
        failures = session.execute(
            update(SignInThrottle).where(SignInThrottle.key_hash == key)
            .values(failures=case((quiet, 1), else_=SignInThrottle.failures + 1), last_failure_at=now)
            .returning(SignInThrottle.failures).execution_options(synchronize_session=False)
        ).scalar_one()
        wait = policy.wait_after(failures)
        if wait:
            session.execute(update(SignInThrottle).where(SignInThrottle.key_hash == key)
                            .values(locked_until=now + wait).execution_options(synchronize_session=False))
            started.append(Throttled(policy.scope, wait))
    return max(started, key=lambda throttled: throttled.wait) if started else None


def record_success(session: Session, *, account: str, address: str) -> None:
    """The right password from this client: forget its mistakes for this account.

    The count over all accounts stays, or one account of their own would let a guesser reset it at will."""
    [(_, account_key), _] = _keys(account, address)
    session.execute(delete(SignInThrottle).where(SignInThrottle.key_hash == account_key))
