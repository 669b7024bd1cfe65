"""The ideas box's e-mail: an idea's author told what became of it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal import mail
from portal.ideas.models import Idea
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
