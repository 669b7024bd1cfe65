"""The e-mails of staff accounts: a password reset and an invitation to choose a password."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal import mail
from portal.auth.models import Employee
from portal.organisation import organisation_name


def password_reset(session: Session, employee: Employee, *, link: str) -> None:
    mail.queue(session, employee.email, "password_reset", {"name": employee.first_name, "link": link},
               org_name=organisation_name(session))


def staff_invitation(session: Session, employee: Employee, *, link: str, invited_by: Employee) -> None:
    mail.queue(session, employee.email, "staff_invitation",
               {"name": employee.first_name, "link": link, "invited_by": invited_by.name,
                "role": employee.role.value, "team": employee.team.name if employee.team else ""},
               org_name=organisation_name(session))
