"""Who owns a new case: the least-loaded active agent of the category's team, never nobody."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.cases.lifecycle import OPEN_STATUSES
from portal.cases.models import Case, Category


class Unassignable(RuntimeError):
    """Nobody at all could own the case (no agent, no team manager, no admin): filing must not go ahead."""


def choose_owner(session: Session, category: Category) -> tuple[Employee, bool]:
    """The owner for a new case in ``category``, and whether it went to a manager because no agent could take it.

    Fewest open cases first; on a tie, whoever has waited longest since their last new case."""
    open_cases = (
        select(func.count())
        .where(Case.owner_id == Employee.id, Case.status.in_(OPEN_STATUSES))
        .correlate(Employee)
        .scalar_subquery()
    )
    agent = session.scalar(
        select(Employee)
        .where(Employee.team_id == category.team_id, Employee.active, Employee.role == Role.agent)
        .order_by(open_cases, Employee.last_assigned_at.asc().nulls_first(), Employee.id)
        .limit(1)
    )
    if agent is not None:
        return agent, False
    manager = category.team.manager
    if manager is not None and manager.active:
        return manager, True
    admin = session.scalar(select(Employee).where(Employee.active, Employee.role == Role.admin).order_by(Employee.id))
    if admin is not None:
        return admin, True
    raise Unassignable(f"Nobody in {category.team.name} can take new cases, and there is no manager or admin.")
