"""Teams and the categories of case each team owns, with their response and resolution targets."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit
from portal.admin.errors import StructureRefused
from portal.auth.models import Employee, Role, Team
from portal.auth.permissions import load_checked, managed_teams, require, require_admin
from portal.cases.models import Category
from portal.cases.permissions import manages_team, require_category

TEAM_FIELDS = ("name", "manager")
CATEGORY_FIELDS = ("name", "description", "team", "first_response_hours", "resolution_hours", "active")


def teams_managed_by(session: Session, by: Employee) -> list[Team]:
    return list(session.scalars(select(Team).where(managed_teams(by)).order_by(Team.name)))


def category_to_manage(session: Session, category_id: int, by: Employee) -> Category | None:
    """The category, if there is one and ``by`` may change it (``NotPermitted`` when it is another team's)."""
    return load_checked(session, Category, category_id, lambda category: require_category(by, category))


def save_team(session: Session, team: Team | None, *, name: str, manager: Employee | None, by: Employee) -> Team:
    """Teams are the organisation's: only admins create or change them."""
    require_admin(by, "teams")
    name = name.strip()
    if not name:
        raise StructureRefused("Enter the team's name.")
    clash = session.scalar(select(Team).where(func.lower(Team.name) == name.lower()))
    if clash is not None and clash is not team:
        raise StructureRefused(f"There is already a team called {clash.name}.")
    if manager is not None and (manager.role not in (Role.manager, Role.admin) or not manager.active):
        raise StructureRefused(f"{manager.name} is not an active manager; make them a manager first.")
    creating = team is None
    before = {} if creating else audit.snapshot(team, TEAM_FIELDS)
    team = team or Team(name=name)
    team.name, team.manager = name, manager
    session.add(team)
    session.flush()
    audit.record(session, actor=by, action="create" if creating else "update", entity="team", entity_id=team.id,
                 summary=f"Team {team.name} {'created' if creating else 'changed'}",
                 before=before, after=audit.snapshot(team, TEAM_FIELDS))
    return team


def save_category(
    session: Session,
    category: Category | None,
    *,
    name: str,
    description: str,
    team: Team,
    first_response_hours: int,
    resolution_hours: int,
    active: bool,
    by: Employee,
) -> Category:
    """A category is its team's: a manager may change only their own team's categories, and may put a category
    only in a team they manage (moving one out takes its cases with it, so both ends must be theirs)."""
    if category is not None:
        require_category(by, category)
    require(manages_team(by, team), f"Only a manager of {team.name} can put a category in that team.")
    name = name.strip()
    if not name:
        raise StructureRefused("Enter the category's name.")
    if first_response_hours < 1 or resolution_hours < 1:
        raise StructureRefused("Targets must be at least one hour.")
    if resolution_hours < first_response_hours:
        raise StructureRefused("The resolution target cannot be shorter than the first-response target.")
    clash = session.scalar(select(Category).where(func.lower(Category.name) == name.lower()))
    if clash is not None and clash is not category:
        raise StructureRefused(f"There is already a category called {clash.name}.")
    creating = category is None
    before = {} if creating else audit.snapshot(category, CATEGORY_FIELDS)
    category = category or Category(name=name, team=team)
    category.name, category.description, category.team = name, description.strip(), team
    category.first_response_hours, category.resolution_hours, category.active = (
        first_response_hours, resolution_hours, active,
    )
    session.add(category)
    session.flush()
    audit.record(session, actor=by, action="create" if creating else "update", entity="category",
                 entity_id=category.id, summary=f"Category {category.name} {'created' if creating else 'changed'}",
                 before=before, after=audit.snapshot(category, CATEGORY_FIELDS))
    return category
