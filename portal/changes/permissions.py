"""Whose theme or change it is (the model is in ``portal.auth.permissions``).

A theme about one category belongs to that category's team: its managers (and admins) manage it. A theme about
no single category — one drawn from a survey, or across the organisation — belongs to whoever created it and to
the managers of their team. A change is its theme's. Cases go into a theme only from the teams its manager
manages, so a theme never becomes a window onto another team's cases.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Team
from portal.auth.permissions import load_checked, managed_teams, manages_work_of, require
from portal.cases.models import Case, Category
from portal.cases.permissions import manages_category
from portal.changes.models import Change, Theme


def may_manage_theme(actor: Employee, theme: Theme) -> bool:
    if theme.category is not None:
        return manages_category(actor, theme.category)
    return manages_work_of(actor, theme.created_by)


def may_manage_change(actor: Employee, change: Change) -> bool:
    return may_manage_theme(actor, change.theme)


def require_theme(actor: Employee, theme: Theme) -> None:
    require(may_manage_theme(actor, theme), f"The theme “{theme.title}” belongs to another team.")


def require_change(actor: Employee, change: Change) -> None:
    require(may_manage_change(actor, change), f"The change “{change.title}” belongs to another team.")


def theme_to_manage(session: Session, theme_id: int, actor: Employee) -> Theme | None:
    return load_checked(session, Theme, theme_id, lambda theme: require_theme(actor, theme))


def change_to_manage(session: Session, change_id: int, actor: Employee) -> Change | None:
    return load_checked(session, Change, change_id, lambda change: require_change(actor, change))


def themes_managed_by(session: Session, actor: Employee) -> list[Theme]:
    # Themes are few (tens, not thousands); the rule is applied as written rather than restated in SQL.
    return [t for t in session.scalars(select(Theme).order_by(Theme.created_at.desc(), Theme.id.desc()))
            if may_manage_theme(actor, t)]


def changes_managed_by(session: Session, actor: Employee) -> list[Change]:
    return [c for c in session.scalars(select(Change).order_by(Change.updated_at.desc(), Change.id.desc()))
            if may_manage_change(actor, c)]


def cases_in_reach(actor: Employee) -> ColumnElement[bool]:
    """The cases a manager may put into a theme or search for one: those of the teams they manage."""
    return Case.category_id.in_(
        select(Category.id).join(Team, Team.id == Category.team_id).where(managed_teams(actor))
    )
