"""A customer is told who looks after them as "Maria from Ticket Office": the team's name as written."""

import pytest

from portal.cases.naming import name_from_team
from portal.cases.ownership import hand_off
from portal.cases.replies import reply
from portal.mail.models import OutboxMessage
from tests.cases.staff.conftest import link
from tests.factories import NOTE


@pytest.mark.parametrize(("team", "words"), [
    ("Catering", "Sam from Catering"), ("  Stewarding ", "Sam from Stewarding"), (None, "Sam from our team"),
    ("", "Sam from our team"),
])
def test_a_name_from_a_team_reads_as_written(team, words):
    assert name_from_team("Sam", team) == words


def _mail(session, template):
    return session.query(OutboxMessage).filter_by(template=template).one()


def test_the_new_owner_e_mail_and_timeline_name_the_team_without_the(session, desk):  # noqa: F811
    hand_off(session, desk["case"], to=desk["tom"], note=NOTE, reason="specialist", by=desk["maria"], link_for=link)
    session.flush()
    told = _mail(session, "new_owner")
    for text in (told.body_text, told.body_html, [e for e in desk["case"].events if e.kind == "owner_changed"][0].body):
        assert "from the Ticket Office" not in text
    assert "Tom from Ticket Office" in told.body_text and "<strong>Tom from Ticket Office</strong>" in told.body_html


def test_the_reply_e_mail_names_the_team_without_the(session, desk):  # noqa: F811
    reply(session, desk["case"], "We have refunded the double charge.", by=desk["maria"], seen_event_id=None,
          link_for=link)
    session.flush()
    sent = _mail(session, "owner_reply")
    assert "Maria from Ticket Office wrote:" in sent.body_text
    assert "<strong>Maria from Ticket Office</strong> wrote:" in sent.body_html
