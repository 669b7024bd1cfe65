from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.cases.contact_preferences import set_news
from portal.mail.models import OutboxMessage
from portal.surveys import answering, building, invitations
from portal.surveys.models import Invitation
from tests.factories import make_customer
from tests.surveys.conftest import SECRET, link

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _messages(session, template):
    return session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)
                           .order_by(OutboxMessage.id)).all()


def test_inviting_needs_an_open_survey(session, survey):
    with pytest.raises(invitations.InvitationRefused, match="Open the survey before inviting"):
        invitations.invite_group(session, survey, link, SECRET)


def test_every_current_member_gets_a_personal_link_once(session, survey, group):
    building.open_survey(survey, NOW)
    next(m for m in group.members if m.email == "james@fans.example").left_at = NOW  # James has left
    assert invitations.invite_group(session, survey, link, SECRET).sent == 2
    session.flush()
    messages = _messages(session, "survey_invitation")
    assert sorted(m.to_address for m in messages) == ["olivia@fans.example", "ravi@fans.example"]
    token = messages[0].body_text.split("http://portal.example/s/i/")[1].split()[0]
    invitation = answering.invitation_for(session, token)
    assert invitation is not None and invitation.member.email == messages[0].to_address
    assert f"http://portal.example/s/i/{token}/leave" in messages[0].body_text
    assert invitations.invite_group(session, survey, link, SECRET).sent == 0  # running it again sends nothing


def test_members_who_turned_off_such_e_mails_are_not_invited(session, survey):
    building.open_survey(survey, NOW)
    make_customer(session, name="Ravi Patel", email="ravi@fans.example")
    set_news(session, "ravi@fans.example", wanted=False)
    sent = invitations.invite_group(session, survey, link, SECRET)
    assert (sent.sent, sent.opted_out) == (2, 1)
    assert "ravi@fans.example" not in {m.to_address for m in _messages(session, "survey_invitation")}


def test_a_reminder_goes_to_those_yet_to_answer_with_the_same_link_at_most_once_per_interval(session, survey):
    building.open_survey(survey, NOW)
    invitations.invite_group(session, survey, link, SECRET)
    session.flush()
    first_links = {m.to_address: m.body_text for m in _messages(session, "survey_invitation")}
    olivia = session.scalar(select(Invitation).join(Invitation.member).where(
        Invitation.member.has(email="olivia@fans.example")))
    response = answering.start(session, survey, invitation=olivia)
    response.submitted_at = NOW
    session.flush()

    assert invitations.remind(session, survey, link, SECRET, NOW).sent == 2
    session.flush()
    reminders = _messages(session, "survey_reminder")
    assert sorted(m.to_address for m in reminders) == ["james@fans.example", "ravi@fans.example"]
    for reminder in reminders:
        token = reminder.body_text.split("/s/i/")[1].split()[0]
        assert token in first_links[reminder.to_address]
    with pytest.raises(invitations.InvitationRefused, match="the next can go from 23 November 2026 at 10:00 GMT"):
        invitations.remind(session, survey, link, SECRET, NOW + timedelta(days=2))
    assert invitations.remind(session, survey, link, SECRET, NOW + timedelta(days=3)).sent == 2


def test_a_member_can_leave_the_group_from_an_invitation(session, survey):
    building.open_survey(survey, NOW)
    invitations.invite_group(session, survey, link, SECRET)
    session.flush()
    invitation = session.scalars(select(Invitation)).first()
    invitations.leave_group(invitation, NOW)
    assert not invitation.member.active
    with pytest.raises(invitations.InvitationRefused, match="nobody to remind"):
        for other in session.scalars(select(Invitation)).all():
            other.member.left_at = NOW
        invitations.remind(session, survey, link, SECRET, NOW)
