"""The ideas box's e-mails: the area's managers told of a new idea, the author told of support, comments and
what became of it, the author and supporters told when it ships, colleagues told they are on a task force or
asked a question by their manager. Each is written in the same transaction as what caused it; the services
decide when (once per colleague's support, never for one's own action)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal import mail
from portal.auth.models import Employee
from portal.changes.models import Change
from portal.ideas.models import Idea, IdeaComment, TaskForce, TeamQuestion
from portal.organisation import organisation_name


def _send(session: Session, to: Employee, template: str, context: dict[str, Any]) -> None:
    mail.queue(session, to.email, template, {"name": to.first_name, **context}, org_name=organisation_name(session))


def idea_status(session: Session, idea: Idea) -> None:
    _send(session, idea.author, "idea_status", {
        "title": idea.title, "status": idea.status.label, "reason": idea.status_reason, "idea_id": idea.id,
    })


def idea_raised(session: Session, idea: Idea, manager: Employee) -> None:
    _send(session, manager, "idea_raised", {
        "title": idea.title, "kind": idea.kind.label, "body": idea.body, "author": idea.author.name,
        "area": idea.category.name if idea.category else "", "idea_id": idea.id,
    })


def idea_supported(session: Session, idea: Idea, supporter: Employee) -> None:
    _send(session, idea.author, "idea_supported", {
        "title": idea.title, "supporter": supporter.name, "idea_id": idea.id,
    })


def idea_commented(session: Session, idea: Idea, comment: IdeaComment) -> None:
    _send(session, idea.author, "idea_commented", {
        "title": idea.title, "commenter": comment.author.name, "comment": comment.body, "idea_id": idea.id,
    })


def task_force_member(session: Session, task_force: TaskForce, member: Employee) -> None:
    _send(session, member, "task_force_member", {
        "task_force": task_force.name, "goal": task_force.goal, "formed_by": task_force.created_by.name,
        "due_on": task_force.due_on.strftime("%-d %B %Y"),
        "ideas": [idea.title for idea in task_force.ideas], "task_force_id": task_force.id,
    })


def team_question(session: Session, question: TeamQuestion, employee: Employee) -> None:
    """An employee told of their manager's question, with the way to answer it."""
    _send(session, employee, "team_question", {
        "asker": question.asked_by.name, "text": question.text, "detail": question.detail,
        "closes_on": f"{question.closes_on:%-d %B %Y}", "question_id": question.id,
    })


def idea_shipped(session: Session, idea: Idea, change: Change, employee: Employee) -> None:
    """An idea's author or supporter told that it shipped, with the change it shipped as."""
    _send(session, employee, "idea_shipped", {
        "title": idea.title, "raised_it": employee.id == idea.author_id, "change_title": change.title,
        "change_slug": change.slug if change.published else "", "idea_id": idea.id,
    })
