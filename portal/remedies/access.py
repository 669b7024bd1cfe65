"""Whose authority limit covers a cost; who may work on a case is the workspace's rule (cases.permissions)."""

from __future__ import annotations

from decimal import Decimal

from portal.auth.models import Employee, Role
from portal.cases.permissions import can_work_on, manages_category

__all__ = ["can_work_on", "covers", "manages_category"]


def covers(employee: Employee, amount: Decimal) -> bool:
    """Admins have no limit; everyone else may offer up to their own authority limit."""
    return employee.role is Role.admin or amount <= (employee.authority_limit or Decimal("0"))
