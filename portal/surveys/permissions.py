"""Whose focus group or survey it is (the model is in ``portal.auth.permissions``).

Focus groups and surveys are tied to no team: each belongs to the manager who created it and to the managers of
that manager's team (admins manage all). A survey may invite only a group its manager may manage, so one team's
survey never e-mails, or reads the member list of, another team's panel.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.auth.permissions import load_checked, manages_work_of, require
from portal.surveys.models import FocusGroup, Survey


def may_manage_group(actor: Employee, group: FocusGroup) -> bool:
    return manages_work_of(actor, group.created_by)


def may_manage_survey(actor: Employee, survey: Survey) -> bool:
    return manages_work_of(actor, survey.created_by)


def require_group(actor: Employee, group: FocusGroup | None) -> None:
    require(group is None or may_manage_group(actor, group), "That focus group belongs to another team.")


def require_survey(actor: Employee, survey: Survey) -> None:
    require(may_manage_survey(actor, survey), f"The survey “{survey.title}” belongs to another team.")


def group_to_manage(session: Session, group_id: int, actor: Employee) -> FocusGroup | None:
    return load_checked(session, FocusGroup, group_id, lambda group: require_group(actor, group))


def survey_to_manage(session: Session, survey_id: int, actor: Employee) -> Survey | None:
    return load_checked(session, Survey, survey_id, lambda survey: require_survey(actor, survey))


# Groups and surveys are few; the rule is applied as written rather than restated in SQL.
def groups_managed_by(session: Session, actor: Employee) -> list[FocusGroup]:
    return [g for g in session.scalars(select(FocusGroup).order_by(FocusGroup.name)) if may_manage_group(actor, g)]


def surveys_managed_by(session: Session, actor: Employee) -> list[Survey]:
    return [s for s in session.scalars(select(Survey).order_by(Survey.created_at.desc(), Survey.id.desc()))
            if may_manage_survey(actor, s)]
