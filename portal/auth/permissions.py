"""Whose object is it: the rule every admin and manager action checks, and the error it raises.

The model (the README's "Who may do what" says the same to people):

- An **admin** manages everything, and alone manages what belongs to the whole organisation: teams, employees
  and invitations, the organisation's name and logo, the outbox, customer data requests and the audit log.
- A **manager** manages the objects of the teams they manage — the team they lead (``Team.manager``) or belong
  to: its categories and their targets, its remedy catalogue, approvals of its cases, its people's deactivation,
  its queue and figures. Objects that are not tied to one team (themes without a category, changes through their
  theme, focus groups, surveys, ideas not about one area) belong to the employee who created them and to the
  managers of that employee's team.
- An **agent** manages no object; they work the cases they own or help on (``cases.permissions``).

Services check these rules themselves (a view that forgets cannot let an action through) and raise
``NotPermitted``; the app answers it with 403. No Flask here: the rules are plain functions of the actor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import Session

from portal.auth.errors import NotPermitted
from portal.auth.models import Employee, Role, Team

T = TypeVar("T")


def is_admin(actor: Employee) -> bool:
    return actor.active and actor.role is Role.admin


def manages_team(actor: Employee, team: Team | None) -> bool:
    """Admins manage every team; a manager manages the team they lead or belong to."""
    if not actor.active:
        return False
    if actor.role is Role.admin:
        return True
    return team is not None and actor.role is Role.manager and (
        team.id == actor.team_id or team.manager_id == actor.id
    )


def manages_work_of(actor: Employee, creator: Employee | None) -> bool:
    """For objects tied to no team: their creator, a manager of the creator's team, or an admin."""
    if is_admin(actor):
        return True
    if creator is None or not actor.active or actor.role is not Role.manager:
        return False
    return creator.id == actor.id or manages_team(actor, creator.team)


def managed_teams(actor: Employee) -> ColumnElement[bool]:
    """The same rule as ``manages_team``, as a condition on ``Team`` for queries (joined to the team)."""
    if not actor.active or actor.role is Role.agent:
        return false()
    if actor.role is Role.admin:
        return true()
    return or_(Team.id == actor.team_id, Team.manager_id == actor.id)


def require(allowed: bool, message: str) -> None:
    """Raise ``NotPermitted`` with ``message`` unless ``allowed``."""
    if not allowed:
        raise NotPermitted(message)


def require_admin(actor: Employee, what: str) -> None:
    require(is_admin(actor), f"Only an admin can change {what}.")


def load_checked(session: Session, model: type[T], object_id: int, check: Callable[[T], None]) -> T | None:
    """The object with ``object_id`` after ``check`` let it through (it raises ``NotPermitted``); None if none."""
    found = session.get(model, object_id)
    if found is not None:
        check(found)
    return found
