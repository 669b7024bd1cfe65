"""Who may see a case and who may act on it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.cases.models import Case, CaseHelper, Category


def manages_team(employee: Employee, team: Team | None) -> bool:
    """Admins manage every team; a manager manages the team they lead or belong to."""
    if employee.role is Role.admin:
        return True
    return team is not None and employee.role is Role.manager and (
        team.id == employee.team_id or team.manager_id == employee.id
    )


def manages_category(employee: Employee, category: Category) -> bool:
    return manages_team(employee, category.team)


def can_work_on(employee: Employee, case: Case) -> bool:
    """The owner, or a manager of the case's team (admins everywhere): they may reply, resolve, hand off."""
    return employee.active and (employee.id == case.owner_id or manages_category(employee, case.category))


def is_helper(session: Session, case: Case, employee: Employee) -> bool:
    return session.scalar(
        select(CaseHelper.id).where(CaseHelper.case_id == case.id, CaseHelper.employee_id == employee.id)
    ) is not None


def can_view(session: Session, employee: Employee, case: Case) -> bool:
    """Owners, helpers, the case's team (its queue is shared) and its managers; admins everything."""
    if not employee.active:
        return False
    if can_work_on(employee, case) or employee.team_id == case.category.team_id:
        return True
    return is_helper(session, case, employee)
