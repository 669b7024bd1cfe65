"""Personal invitations to a survey, e-mailed through the outbox, and reminders to those yet to answer."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.surveys import notify
from portal.surveys.answering import hash_key
from portal.surveys.errors import InvitationRefused
from portal.surveys.models import Invitation, Member, Response, Survey, SurveyStatus
from portal.times import DEFAULT_ZONE, exact_time

LinkMaker = Callable[[str], str]  # token → the absolute address of the survey for that invitation


@dataclass(frozen=True)
class Sent:
    sent: int
    opted_out: int


def token_for(secret_key: str, invitation: Invitation) -> str:
    digest = hmac.new(secret_key.encode(), f"survey-invitation:{invitation.nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def invite_group(session: Session, survey: Survey, link_for: LinkMaker, secret_key: str) -> Sent:
    """Invite every current member not yet invited; members added later are invited by running it again."""
    if survey.status is not SurveyStatus.open:
        raise InvitationRefused("Open the survey before inviting its group.")
    if survey.group is None:
        raise InvitationRefused("Choose the focus group to invite in the survey's details.")
    invited = set(session.scalars(select(Invitation.member_id).where(Invitation.survey_id == survey.id)))
    sent = opted_out = 0
    for member in survey.group.members:
        if not member.active or member.id in invited:
            continue
        invitation = Invitation(survey=survey, member=member, nonce=secrets.token_hex(16))
        token = token_for(secret_key, invitation)
        if notify.survey_invitation(session, survey, member, link=link_for(token)) is None:
            opted_out += 1
            continue
        invitation.token_hash = hash_key(token)
        session.add(invitation)
        sent += 1
    return Sent(sent, opted_out)


def next_reminder_at(survey: Survey) -> datetime | None:
    if survey.last_reminder_at is None:
        return None
    return survey.last_reminder_at + timedelta(days=survey.reminder_days)


def remind(session: Session, survey: Survey, link_for: LinkMaker, secret_key: str, now: datetime,
           zone: str = DEFAULT_ZONE) -> Sent:
    """Remind members who have not submitted, with the same link; at most once per the reminder interval."""
    if survey.status is not SurveyStatus.open:
        raise InvitationRefused("Reminders go out only while the survey is open.")
    due = next_reminder_at(survey)
    if due is not None and now < due:
        raise InvitationRefused(f"A reminder went out on {exact_time(survey.last_reminder_at, zone)}; "
                                f"the next can go from {exact_time(due, zone)}.")
    waiting = session.scalars(
        select(Invitation).join(Member).outerjoin(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.survey_id == survey.id, Member.left_at.is_(None), Response.submitted_at.is_(None))
    ).all()
    if not waiting:
        raise InvitationRefused("Everyone invited has answered; there is nobody to remind.")
    sent = opted_out = 0
    for invitation in waiting:
        token = token_for(secret_key, invitation)
        if notify.survey_reminder(session, survey, invitation.member, link=link_for(token)) is None:
            opted_out += 1
            continue
        invitation.token_hash = hash_key(token)  # the same link as before, unless the secret key has changed
        invitation.reminded_at = now
        sent += 1
    survey.last_reminder_at = now
    return Sent(sent, opted_out)


def leave_group(invitation: Invitation, now: datetime) -> None:
    """The member leaves the focus group: no more invitations or reminders; answers already given stay."""
    invitation.member.left_at = invitation.member.left_at or now
