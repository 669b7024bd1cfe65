"""Slowing down password guessing without letting anyone lock someone else out.

Wrong passwords are counted per (account, client address) and per client address over all accounts. After a few
free mistakes each further wrong password makes that counter wait longer (1, 2, 4 … minutes, at most an hour)
before the next try is even checked. Someone guessing a colleague's password from their own machine therefore
slows only themselves: the colleague, signing in from elsewhere, is never refused. Accounts are named by the
e-mail address typed, whether or not an account has it, so a wait says nothing about which addresses exist.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

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


class Throttled(Exception):
    """This client must wait before trying again; ``scope`` says whether for one account or for all."""

    def __init__(self, scope: str, wait: timedelta) -> None:
        super().__init__(f"wait {wait} ({scope})")
        self.scope = scope
        self.wait = wait

    @property
    def wait_text(self) -> str:
        minutes = max(1, math.ceil(self.wait.total_seconds() / 60))
        return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _keys(account: str, address: str) -> list[tuple[Policy, str]]:
    account, address = account.strip().lower(), address or "unknown"
    return [
        (PER_ACCOUNT, hashlib.sha256(f"account\0{account}\0{address}".encode()).hexdigest()),
        (PER_ADDRESS, hashlib.sha256(f"address\0{address}".encode()).hexdigest()),
    ]


def check(session: Session, *, account: str, address: str, now: datetime) -> None:
    """Raise Throttled when this client must still wait before a password for ``account`` is checked."""
    waits = []
    for policy, key in _keys(account, address):
        throttle = session.get(SignInThrottle, key)
        if throttle and throttle.locked_until and throttle.locked_until > now:
            waits.append(Throttled(policy.scope, throttle.locked_until - now))
    if waits:
        raise max(waits, key=lambda throttled: throttled.wait)


def record_failure(session: Session, *, account: str, address: str, now: datetime) -> Throttled | None:
    """Count a wrong password; return the wait it starts, if any (the longer of the two counters')."""
    started = []
    for policy, key in _keys(account, address):
        throttle = session.get(SignInThrottle, key)
        if throttle is None:
            throttle = SignInThrottle(key_hash=key, failures=0)
            session.add(throttle)
        if throttle.last_failure_at and now - throttle.last_failure_at > policy.forget_after:
            throttle.failures = 0
        throttle.failures = (throttle.failures or 0) + 1
        throttle.last_failure_at = now
        wait = policy.wait_after(throttle.failures)
        throttle.locked_until = now + wait if wait else None
        if wait:
            started.append(Throttled(policy.scope, wait))
    return max(started, key=lambda throttled: throttled.wait) if started else None


def record_success(session: Session, *, account: str, address: str) -> None:
    """The right password from this client: forget its mistakes for this account.

    The count over all accounts stays, or one account of their own would let a guesser reset it at will."""
    [(_, account_key), _] = _keys(account, address)
    throttle = session.get(SignInThrottle, account_key)
    if throttle is not None:
        session.delete(throttle)
