"""Reply templates: canned replies with placeholders, filled from the case when an employee inserts one.

A template is a team's (its managers keep it; an admin keeps any team's) or one employee's own (only they keep
it). An employee uses their team's and their own. Nothing is sent here: ``fill`` returns text for the reply box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from portal import audit
from portal.auth.models import Employee, Role, Team
from portal.auth.permissions import managed_teams, manages_team, require
from portal.cases.errors import ReplyTemplateRefused
from portal.cases.models import Case, ReplyTemplate
from portal.db import utcnow

TITLE_MAX = 80
# Below the reply's own 5,000 characters, so a filled template (names are longer than their placeholders) fits.
BODY_MAX = 4000
# The private link itself is never written into a reply: only its hash is kept, the reply is stored on the
# timeline, and each reply e-mail already ends with a freshly issued link. The placeholder points at that one.
PRIVATE_LINK_WORDS = "your private link (at the end of this e-mail)"
PLACEHOLDERS = {
    "first_name": "the customer's first name",
    "reference": "the case reference",
    "owner_name": "the name of the case's owner",
    "private_link": f"the words “{PRIVATE_LINK_WORDS}”",
}
_PLACEHOLDER = re.compile(r"\{([^{}\n]{0,40})\}")


def placeholder_values(case: Case) -> dict[str, str]:
    return {"first_name": case.customer.first_name, "reference": case.reference, "owner_name": case.owner.name,
            "private_link": PRIVATE_LINK_WORDS}


def fill(template: ReplyTemplate, case: Case) -> str:
    """The template's text with the case's values in place of its placeholders."""
    values = placeholder_values(case)
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), template.body)


def unknown_placeholders(body: str) -> list[str]:
    return sorted({m.group(0) for m in _PLACEHOLDER.finditer(body) if m.group(1).strip() not in PLACEHOLDERS})


def usable_templates(session: Session, employee: Employee) -> list[ReplyTemplate]:
    """What ``employee`` may insert: their team's (and a team they lead), and their own; by title. One query."""
    teams = select(Team.id).where(or_(Team.id == employee.team_id, Team.manager_id == employee.id))
    return list(session.scalars(
        select(ReplyTemplate).where(or_(ReplyTemplate.owner_id == employee.id, ReplyTemplate.team_id.in_(teams)))
        .order_by(func.lower(ReplyTemplate.title), ReplyTemplate.id)
    ))


@dataclass(frozen=True)
class FilledTemplate:
    """A template as the case page's picker offers it: its text already filled for the case."""

    id: int
    title: str
    text: str


def filled_for(session: Session, employee: Employee, case: Case) -> list[FilledTemplate]:
    """Every template ``employee`` may insert, filled for ``case``: the picker (and its type-ahead) insert these,
    so placeholders are filled in one place."""
    return [FilledTemplate(t.id, t.title, fill(t, case)) for t in usable_templates(session, employee)]


def usable_template(session: Session, employee: Employee, template_id: int | None) -> ReplyTemplate | None:
    return next((t for t in usable_templates(session, employee) if t.id == template_id), None)


def listed_templates(session: Session, employee: Employee) -> list[ReplyTemplate]:
    """The management page's list: the employee's own, the teams they manage (every team's for an admin), and
    their own team's for reading; by team, then title."""
    teams = select(Team.id).where(or_(managed_teams(employee), Team.id == employee.team_id))
    return list(session.scalars(
        select(ReplyTemplate).where(or_(ReplyTemplate.owner_id == employee.id, ReplyTemplate.team_id.in_(teams)))
        .options(selectinload(ReplyTemplate.team))
        .order_by(ReplyTemplate.team_id.is_not(None), func.lower(ReplyTemplate.title), ReplyTemplate.id)
    ))


def teams_for_templates(session: Session, employee: Employee) -> list[Team]:
    """The teams whose templates ``employee`` may keep (none for an agent)."""
    if employee.role is Role.agent:
        return []
    return list(session.scalars(select(Team).where(managed_teams(employee)).order_by(Team.name)))


def can_manage(employee: Employee, template: ReplyTemplate) -> bool:
    if not employee.active:
        return False
    if template.owner_id is not None:
        return template.owner_id == employee.id
    return manages_team(employee, template.team)


def _keepers(template: ReplyTemplate) -> str:
    if template.team is not None:
        return f"Only a manager of {template.team.name} can change its reply templates."
    return "Only the employee who wrote a personal reply template can change it."


def _checked(session: Session, *, title: str, body: str, team: Team | None, owner: Employee | None,
             template: ReplyTemplate | None) -> tuple[str, str]:
    title, body = " ".join(title.split()), body.strip()
    if not title:
        raise ReplyTemplateRefused("Give the template a title, so you can find it in the picker.", field="title")
    if len(title) > TITLE_MAX:
        raise ReplyTemplateRefused(f"The title must be {TITLE_MAX} characters or fewer; it has {len(title)}.",
                                   field="title")
    if not body:
        raise ReplyTemplateRefused("Write the text of the reply.")
    if len(body) > BODY_MAX:
        raise ReplyTemplateRefused(f"The text must be {BODY_MAX:,} characters or fewer; it has {len(body):,}.")
    if unknown := unknown_placeholders(body):
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise ReplyTemplateRefused(
            f"{'This placeholder is' if len(unknown) == 1 else 'These placeholders are'} not known: "
            f"{', '.join(unknown)}. Use {known}.")
    if _title_taken(session, title, team=team, owner=owner, template=template):
        raise _taken(title, team)
    return title, body


def _title_taken(session: Session, title: str, *, team: Team | None, owner: Employee | None,
                 template: ReplyTemplate | None) -> bool:
    same = select(ReplyTemplate.id).where(func.lower(ReplyTemplate.title) == title.lower())
    same = same.where(ReplyTemplate.team_id == team.id) if team else same.where(ReplyTemplate.owner_id == owner.id)
    if template is not None:
        same = same.where(ReplyTemplate.id != template.id)
    return session.scalar(same.limit(1)) is not None


def _taken(title: str, team: Team | None) -> ReplyTemplateRefused:
    who = f"The {team.name} team already has" if team else "You already have"
    return ReplyTemplateRefused(f"{who} a template called “{title}”; choose another title.", field="title")


def _saved(session: Session, template: ReplyTemplate) -> None:
    """Write it, or refuse as above when a colleague saved the same title (any capitals) a moment before: the
    database's unique indexes on the lower-cased title decide the race the check above cannot see."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as clash:
        raise _taken(template.title, template.team) from clash


def _audit(session: Session, template: ReplyTemplate, *, by: Employee, action: str, before: dict | None = None
           ) -> None:
    """Team templates speak for the team, so their changes are in the audit log; personal ones are not."""
    if template.team_id is None:
        return
    after = {} if action == "delete" else audit.snapshot(template, ("title", "body"))
    audit.record(session, actor=by, action=action, entity="reply_template", entity_id=template.id,
                 summary=f"{action.capitalize()}d the reply template “{template.title}” of {template.team.name}",
                 before=before, after=after)


def create(session: Session, *, by: Employee, title: str, body: str, team: Team | None = None) -> ReplyTemplate:
    """A new template: the team's when ``team`` is given (its managers only), else ``by``'s own."""
    if team is not None:
        require(manages_team(by, team), f"Only a manager of {team.name} can change its reply templates.")
    require(by.active, "Only active employees keep reply templates.")
    title, body = _checked(session, title=title, body=body, team=team, owner=None if team else by, template=None)
    template = ReplyTemplate(title=title, body=body, team=team, owner=None if team else by)
    session.add(template)
    _saved(session, template)
    _audit(session, template, by=by, action="create")
    return template


def edit(session: Session, template: ReplyTemplate, *, by: Employee, title: str, body: str) -> ReplyTemplate:
    require(can_manage(by, template), _keepers(template))
    before = audit.snapshot(template, ("title", "body"))
    template.title, template.body = _checked(session, title=title, body=body, team=template.team,
                                             owner=template.owner, template=template)
    template.updated_at = utcnow()
    _saved(session, template)
    _audit(session, template, by=by, action="update", before=before)
    return template


def delete(session: Session, template: ReplyTemplate, *, by: Employee) -> None:
    require(can_manage(by, template), _keepers(template))
    _audit(session, template, by=by, action="delete", before=audit.snapshot(template, ("title", "body")))
    session.delete(template)
    session.flush()
