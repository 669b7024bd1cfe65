"""Employees: invitations by e-mail, roles, teams and authority limits."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit
from portal.admin.errors import StaffChangeRefused
from portal.auth import reset
from portal.auth.accounts import EMPLOYEE_FIELDS, create_employee
from portal.auth.models import Employee, Role, Team
from portal.auth.permissions import require_admin
from portal.paging import Page, paginate

PAGE_SIZE = 50


def invite_employee(
    session: Session,
    *,
    email: str,
    name: str,
    job_title: str,
    role: Role,
    team: Team | None,
    authority_limit: Decimal,
    by: Employee,
    secret_key: str,
    link: Callable[[str], str],
) -> Employee:
    """Create the account without a password and e-mail a link to choose one (valid for a week); admins only."""
    require_admin(by, "who works here")
    employee = create_employee(
        session, email=email, name=name, role=role, team=team, authority_limit=authority_limit, password=None,
        job_title=job_title.strip(),
    )
    session.flush()
    reset.invite(session, employee, secret_key=secret_key, link=link, invited_by=by)
    audit.record(session, actor=by, action="invite", entity="employee", entity_id=employee.id,
                 summary=f"{employee.name} invited as {role.value}", after=audit.snapshot(employee, EMPLOYEE_FIELDS))
    return employee


def create_with_password(
    session: Session, *, email: str, name: str, role: Role, team: Team | None, authority_limit: Decimal,
    password: str,
) -> Employee:
    """An account made by an operator on the command line (no one signed in to invite it), audited as such."""
    employee = create_employee(session, email=email, name=name, role=role, team=team,
                               authority_limit=authority_limit, password=password)
    session.flush()
    audit.record(session, actor=None, action="create", entity="employee", entity_id=employee.id,
                 summary=f"{employee.name} created as {role.value} from the command line",
                 after=audit.snapshot(employee, EMPLOYEE_FIELDS))
    return employee


def update_employee(
    session: Session,
    employee: Employee,
    *,
    name: str,
    job_title: str,
    role: Role,
    team: Team | None,
    authority_limit: Decimal,
    by: Employee,
) -> Employee:
    require_admin(by, "employees' accounts")
    if not name.strip():
        raise StaffChangeRefused("Enter the employee's name.")
    if authority_limit < 0:
        raise StaffChangeRefused("The authority limit cannot be negative.")
    if employee.id == by.id and role is not Role.admin and by.role is Role.admin:
        raise StaffChangeRefused("You cannot remove your own admin role; ask another admin.")
    if employee.role is Role.admin and role is not Role.admin and _active_admins(session) <= 1:
        raise StaffChangeRefused("This is the last admin; make someone else an admin first.")
    before = audit.snapshot(employee, EMPLOYEE_FIELDS)
    employee.name, employee.job_title, employee.role = name.strip(), job_title.strip(), role
    employee.team, employee.authority_limit = team, authority_limit
    after = audit.snapshot(employee, EMPLOYEE_FIELDS)
    if after != before:
        audit.record(session, actor=by, action="update", entity="employee", entity_id=employee.id,
                     summary=f"{employee.name}'s account changed", before=before, after=after)
    return employee


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).where(Employee.role == Role.admin, Employee.active)) or 0


def list_employees(
    session: Session, *, team_id: int | None = None, role: Role | None = None, active: bool | None = True,
    page: int = 1,
) -> Page[Employee]:
    query = select(Employee)
    if team_id:
        query = query.where(Employee.team_id == team_id)
    if role:
        query = query.where(Employee.role == role)
    if active is not None:
        query = query.where(Employee.active.is_(active))
    return paginate(session, query, page=page, per_page=PAGE_SIZE, order_by=(Employee.name, Employee.id))
