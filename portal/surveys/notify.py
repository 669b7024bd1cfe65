"""The e-mails of surveys: a focus group member's invitation and reminder (news, so they respect the member's
e-mail preferences)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.cases.contact_preferences import queue_news
from portal.mail.models import OutboxMessage
from portal.surveys.models import Member, Survey


def _context(survey: Survey, member: Member, link: str) -> dict[str, str]:
    return {"name": member.name, "survey_title": survey.title, "survey_url": link,
            "group_name": survey.group.name if survey.group else "", "leave_url": f"{link}/leave"}


def survey_invitation(session: Session, survey: Survey, member: Member, *, link: str) -> OutboxMessage | None:
    """None when the member opted out of such e-mails."""
    return queue_news(session, member.email, "survey_invitation", _context(survey, member, link))


def survey_reminder(session: Session, survey: Survey, member: Member, *, link: str) -> OutboxMessage | None:
    return queue_news(session, member.email, "survey_reminder", _context(survey, member, link))
