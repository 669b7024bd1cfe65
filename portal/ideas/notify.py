"""The ideas box's e-mail: an idea's author told what became of it; employees asked a question by their manager."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal import mail
from portal.auth.models import Employee
from portal.changes.models import Change
from portal.ideas.models import Idea, TeamQuestion
from portal.organisation import organisation_name


def idea_status(session: Session, idea: Idea) -> None:
    mail.queue(
        session,
        idea.author.email,
        "idea_status",
        {
            "name": idea.author.first_name,
            "title": idea.title,
            "status": idea.status.label,
            "reason": idea.status_reason,
            "idea_id": idea.id,
        },
        org_name=organisation_name(session),
    )


def team_question(session: Session, question: TeamQuestion, employee: Employee) -> None:
    """An employee told of their manager's question, with the way to answer it."""
    mail.queue(
        session,
        employee.email,
        "team_question",
        {
            "name": employee.first_name,
            "asker": question.asked_by.name,
            "text": question.text,
            "detail": question.detail,
            "closes_on": f"{question.closes_on:%-d %B %Y}",
            "question_id": question.id,
        },
        org_name=organisation_name(session),
    )


def idea_shipped(session: Session, idea: Idea, change: Change, employee: Employee) -> None:
    """An idea's author or supporter told that it shipped, with the change it shipped as."""
    mail.queue(
        session,
        employee.email,
        "idea_shipped",
        {
            "name": employee.first_name,
            "title": idea.title,
            "raised_it": employee.id == idea.author_id,
            "change_title": change.title,
            "change_slug": change.slug if change.published else "",
            "idea_id": idea.id,
        },
        org_name=organisation_name(session),
    )
