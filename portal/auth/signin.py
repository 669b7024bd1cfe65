"""Employee sign-in with a lock-out that says nothing about whether an address exists."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, SignInThrottle
from portal.auth.passwords import verify_password
from portal.db import utcnow

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


class SignInRefused(Exception):
    """Wrong e-mail or password, a locked address, or an inactive account; the message is for the user."""


WRONG = "Enter a correct e-mail address and password."
LOCKED = (
    "There have been too many wrong passwords for this e-mail address. "
    "Wait 15 minutes and try again, or reset your password."
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_employee(session: Session, email: str) -> Employee | None:
    return session.scalar(select(Employee).where(func.lower(Employee.email) == normalise_email(email)))


def is_locked(session: Session, key: str) -> bool:
    throttle = session.get(SignInThrottle, key)
    return bool(throttle and throttle.locked_until and throttle.locked_until > utcnow())


def record_failure(session: Session, key: str) -> bool:
    """Count a wrong password for ``key``; True when this one locks it for LOCK_FOR."""
    now = utcnow()
    throttle = session.get(SignInThrottle, key)
    if throttle is None:
        throttle = SignInThrottle(email=key, failures=0)
        session.add(throttle)
    if throttle.locked_until and throttle.locked_until <= now:
        throttle.failures, throttle.locked_until = 0, None
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= MAX_FAILURES:
        throttle.locked_until = now + LOCK_FOR
        return True
    return False


def clear_failures(session: Session, key: str) -> None:
    throttle = session.get(SignInThrottle, key)
    if throttle is not None:
        session.delete(throttle)


def sign_in(session: Session, email: str, password: str) -> Employee:
    """Return the employee whose password this is, or raise SignInRefused with a message to show."""
    address = normalise_email(email)
    if is_locked(session, address):
        raise SignInRefused(LOCKED)
    employee = find_employee(session, address)
    if verify_password(employee.password_hash if employee else None, password) and employee and employee.active:
        clear_failures(session, address)
        return employee
    raise SignInRefused(LOCKED if record_failure(session, address) else WRONG)
