"""Whose authority limit covers a cost; who may work on a case is the workspace's rule (cases.permissions)."""

from __future__ import annotations

from decimal import Decimal

from portal.auth.models import Employee, Role
from portal.cases.permissions import can_work_on, manages_category

__all__ = ["authority_limit", "can_work_on", "covers", "manages_category"]


def authority_limit(employee: Employee) -> Decimal | None:
    """What ``employee`` may offer without a manager's approval: None for an admin (no limit), else their own."""
    return None if employee.role is Role.admin else (employee.authority_limit or Decimal("0"))


def covers(employee: Employee, amount: Decimal) -> bool:
    limit = authority_limit(employee)
    return limit is None or amount <= limit
