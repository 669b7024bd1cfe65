"""Creating employee accounts (from the CLI now, from the admin pages later)."""

from __future__ import annotations

from decimal import Decimal

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from portal.auth.errors import AccountRefused
from portal.auth.models import Employee, Role, Team
from portal.auth.passwords import PasswordRefused, hash_password
from portal.auth.signin import find_employee, normalise_email

# What the audit log keeps of an employee before and after a change, wherever the change is made.
EMPLOYEE_FIELDS = ("name", "email", "job_title", "role", "team", "authority_limit", "active")


def create_employee(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    team: Team | None,
    authority_limit: Decimal,
    password: str | None,
    job_title: str = "",
) -> Employee:
    try:
        address = validate_email(normalise_email(email), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise AccountRefused(f"{email!r} is not a valid e-mail address: {exc}") from exc
    if find_employee(session, address):
        raise AccountRefused(f"There is already an employee with the e-mail address {address}.")
    if not name.strip():
        raise AccountRefused("Enter the employee's name.")
    if authority_limit < 0:
        raise AccountRefused("The authority limit cannot be negative.")
    try:
        password_hash = hash_password(password) if password else None
    except PasswordRefused as exc:
        raise AccountRefused(str(exc)) from exc
    employee = Employee(
        email=address, name=name.strip(), role=role, team=team, authority_limit=authority_limit,
        password_hash=password_hash, job_title=job_title,
    )
    session.add(employee)
    return employee
