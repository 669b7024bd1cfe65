"""Who may see a case and who may act on it."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.orm import Session, joinedload

from portal.auth.models import Employee, Role, Team
from portal.auth.permissions import managed_teams, manages_team, require
from portal.cases.models import Case, CaseHelper, Category, Customer

__all__ = [
    "can_view", "can_work_on", "is_helper", "manages_category", "manages_team", "require_category", "visible_cases",
    "visible_customers",
]


def manages_category(employee: Employee, category: Category | None) -> bool:
    """A category is its team's: the team's managers (and admins) manage it, its catalogue and its cases."""
    return category is not None and manages_team(employee, category.team)


def require_category(employee: Employee, category: Category) -> None:
    require(manages_category(employee, category), f"The {category.name} category belongs to another team.")


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


def visible_cases(employee: Employee) -> ColumnElement[bool]:
    """The rule of ``can_view`` as a condition on ``Case`` for queries (a search, a list): the cases an employee
    owns or helps on, their team's (its queue is shared), the teams they manage; everything for an admin."""
    if not employee.active:
        return false()
    if employee.role is Role.admin:
        return true()
    teams = Team.id == employee.team_id
    if employee.role is Role.manager:
        teams = or_(teams, Team.manager_id == employee.id)
    team_categories = select(Category.id).join(Team, Team.id == Category.team_id).where(teams)
    helping = exists().where(CaseHelper.case_id == Case.id, CaseHelper.employee_id == employee.id)
    return or_(Case.owner_id == employee.id, Case.category_id.in_(team_categories), helping)


def visible_customers(employee: Employee) -> ColumnElement[bool]:
    """A condition on ``Customer``: those with a case ``employee`` may see (admins: every customer), as the staff
    customer profile allows."""
    if not employee.active:
        return false()
    if employee.role is Role.admin:
        return true()
    return exists().where(Case.customer_id == Customer.id, visible_cases(employee))


def categories_managed_by(session: Session, by: Employee) -> list[Category]:
    """The categories ``by`` may change: active first, then by name."""
    return list(session.scalars(
        select(Category).join(Team, Team.id == Category.team_id).where(managed_teams(by))
        .order_by(Category.active.desc(), Category.name)
    ))


def case_for_staff(session: Session, reference: str, employee: Employee, *, to_work_on: bool = False) -> Case | None:
    """The case with this reference, or None when there is none; ``NotPermitted`` (403) when ``employee`` may not
    see it, or with ``to_work_on`` may not act on it (reply, offer, fulfil: the owner and its team's managers)."""
    # Every case page shows the customer, the owner and the category's team: read with the case, not one by one.
    case = session.scalar(select(Case).where(Case.reference == reference).options(
        joinedload(Case.customer), joinedload(Case.owner), joinedload(Case.category).joinedload(Category.team)))
    if case is not None:
        allowed = can_work_on(employee, case) if to_work_on else can_view(session, employee, case)
        require(allowed, f"{case.reference} is not yours to {'work on' if to_work_on else 'see'}.")
    return case
