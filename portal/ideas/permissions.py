"""Who decides on an idea (the model is in ``portal.auth.permissions``).

The ideas box is open: every employee reads, supports and comments on every idea. Deciding is a manager's: an
idea about a category is decided by that category's team's managers; an idea not about one area by the managers
of its author's team; admins decide any. A task force is formed only around ideas its manager may decide, and
an idea is marked as shipped only through a change that manager may manage. A task force, like other objects
tied to no one team, is changed and closed by the manager who formed it, the managers of their team, and admins.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.auth.permissions import manages_work_of, require
from portal.cases.permissions import manages_category
from portal.ideas.models import Idea, TaskForce


def may_decide(actor: Employee, idea: Idea) -> bool:
    if idea.category is not None:
        return manages_category(actor, idea.category)
    return manages_work_of(actor, idea.author)


def require_decide(actor: Employee, idea: Idea) -> None:
    require(may_decide(actor, idea), f"A manager of another team decides on “{idea.title}”.")


def may_run_task_force(actor: Employee, task_force: TaskForce) -> bool:
    return manages_work_of(actor, task_force.created_by)


def require_run_task_force(actor: Employee, task_force: TaskForce) -> None:
    require(may_run_task_force(actor, task_force),
            f"Only {task_force.created_by.name}, who formed “{task_force.name}”, or their team's managers change it.")


def deciders(session: Session, idea: Idea) -> list[Employee]:
    """The managers of the idea's area (its category's team, else its author's), who hear of it when it is raised;
    the admins when that area has no manager, so that no idea goes unread."""
    staff = session.scalars(
        select(Employee).where(Employee.active, Employee.role.in_([Role.manager, Role.admin])).order_by(Employee.id)
    ).all()
    managers = [e for e in staff if e.role is Role.manager and may_decide(e, idea)]
    return managers or [e for e in staff if e.role is Role.admin]
