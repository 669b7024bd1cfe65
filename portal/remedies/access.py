"""Who may work on a case's remedies, and whose authority limit covers a cost."""

from __future__ import annotations

from decimal import Decimal

from portal.auth.models import Employee, Role
from portal.cases.models import Case, Category


def manages_category(employee: Employee, category: Category) -> bool:
    if employee.role is Role.admin:
        return True
    return employee.role is Role.manager and (
        category.team_id == employee.team_id or category.team.manager_id == employee.id
    )


def can_work_on(employee: Employee, case: Case) -> bool:
    """The owner, or a manager of the case's team (admins everywhere)."""
    return employee.active and (employee.id == case.owner_id or manages_category(employee, case.category))


def covers(employee: Employee, amount: Decimal) -> bool:
    """Admins have no limit; everyone else may offer up to their own authority limit."""
    return employee.role is Role.admin or amount <= (employee.authority_limit or Decimal("0"))
