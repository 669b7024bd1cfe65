"""Employee sign-in, slowed per client address in a way that says nothing about whether an address exists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.auth import throttle
from portal.auth.errors import SignInRefused
from portal.auth.models import Employee
from portal.auth.passwords import verify_password
from portal.auth.sessions import account_for_session
from portal.db import utcnow

WRONG = "Enter a correct e-mail address and password."
WAIT = {
    "account": "Too many wrong passwords for this e-mail address have been tried from here. "
               "Wait {wait} and try again, or reset your password.",
    "address": "Too many wrong passwords have been tried from your network. "
               "Wait {wait} and try again, or reset your password.",
}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_employee(session: Session, email: str) -> Employee | None:
    return session.scalar(select(Employee).where(func.lower(Employee.email) == normalise_email(email)))


def _refusal(throttled: throttle.Throttled) -> SignInRefused:
    return SignInRefused(WAIT[throttled.scope].format(wait=throttled.wait_text), throttled.wait)


def sign_in(session: Session, email: str, password: str, *, address: str, now: datetime | None = None) -> Employee:
    """Return the employee whose password this is, or raise SignInRefused with a message to show.

    ``address`` is the client's address as the app sees it (through trusted proxies only)."""
    now = now or utcnow()
    account = "staff:" + normalise_email(email)
    try:
        throttle.check(session, account=account, address=address, now=now)
    except throttle.Throttled as throttled:
        raise _refusal(throttled) from None
    employee = find_employee(session, email)
    if verify_password(employee.password_hash if employee else None, password) and employee and employee.active:
        throttle.record_success(session, account=account, address=address)
        return employee
    started = throttle.record_failure(session, account=account, address=address, now=now)
    raise _refusal(started) if started else SignInRefused(WRONG)


def employee_for_session(session: Session, key: object) -> Employee | None:
    """The active employee a session cookie names, or None once that session has been ended."""
    employee = account_for_session(session, Employee, key)
    return employee if employee is not None and employee.active else None
