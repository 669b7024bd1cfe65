"""Password links by e-mail: a reset (valid for an hour) or an invitation (a week), each usable once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy.orm import Session

from portal.auth import notify
from portal.auth.models import Employee
from portal.auth.passwords import hash_password
from portal.auth.signin import find_employee
from portal.tokens import TokenInvalid, sign, unsign

PURPOSE = "password-reset"
VALID_FOR_SECONDS = 3600
INVITE_PURPOSE = "invitation"
INVITE_VALID_FOR_SECONDS = 7 * 24 * 3600


def _fingerprint(employee: Employee) -> str:
    # Changes with the password, so a used link (or one older than the last change) stops working.
    return hashlib.sha256((employee.password_hash or f"none:{employee.id}").encode()).hexdigest()[:16]


def request_reset(session: Session, email: str, *, secret_key: str, link: Callable[[str], str]) -> None:
    """Queue a reset e-mail if an active employee has this address; say nothing either way."""
    employee = find_employee(session, email)
    if employee is None or not employee.active:
        return
    token = sign(secret_key, PURPOSE, {"id": employee.id, "fp": _fingerprint(employee)})
    notify.password_reset(session, employee, link=link(token))


def invite(
    session: Session, employee: Employee, *, secret_key: str, link: Callable[[str], str], invited_by: Employee
) -> None:
    """E-mail a new employee a link to choose their password."""
    token = sign(secret_key, INVITE_PURPOSE, {"id": employee.id, "fp": _fingerprint(employee)})
    notify.staff_invitation(session, employee, link=link(token), invited_by=invited_by)


def employee_for_token(session: Session, token: str, *, secret_key: str, invitation: bool = False) -> Employee:
    purpose, max_age = (INVITE_PURPOSE, INVITE_VALID_FOR_SECONDS) if invitation else (PURPOSE, VALID_FOR_SECONDS)
    payload = unsign(secret_key, purpose, token, max_age=max_age)
    employee = session.get(Employee, payload.get("id")) if isinstance(payload, dict) else None
    if employee is None or not employee.active or payload.get("fp") != _fingerprint(employee):
        raise TokenInvalid("This link has already been used or is no longer valid.")
    return employee


def reset_password(
    session: Session, token: str, new_password: str, *, secret_key: str, invitation: bool = False
) -> Employee:
    employee = employee_for_token(session, token, secret_key=secret_key, invitation=invitation)
    employee.password_hash = hash_password(new_password)
    return employee
