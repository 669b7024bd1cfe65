"""The "did we make it right?" and "you said, we did" e-mails: both parts, the reason, a way to opt out."""

import re

import pytest

from portal import mail
from tests.factories import make_customer

MESSAGES = {
    "rating_request": {"name": "Olivia", "reference": "MIR-2026-000123", "link": "http://portal.test/rate/abc",
                       "owner_name": "Maria Lopez"},
    "change_notification": {"name": "Olivia", "you_said": "Half-time queues at the north stand kiosks are too long.",
                            "we_did": "We opened four more tills and a pre-order app for half-time.",
                            "link": "http://portal.test/you-said-we-did/north-stand-queues", "raised_count": 37},
}


@pytest.mark.parametrize("template", sorted(MESSAGES))
def test_non_transactional_messages_say_why_and_offer_a_way_out(session, template):
    make_customer(session, email="olivia@fans.example")
    message = mail.queue(session, "olivia@fans.example", template, MESSAGES[template], transactional=False)
    assert message is not None
    link = message.context["preferences_link"]
    for body in (message.body_text, message.body_html):
        assert link in body
        assert "Riverside Rovers FC" in body
        assert "You are getting this e-mail because" in body
        assert MESSAGES[template]["link"] in body
    assert "<style" not in message.body_html and 'style="' in message.body_html  # inlined for mail clients
    assert not re.search(r"""<img[^>]+src=["']https?:""", message.body_html)  # no remote images


def test_the_subjects_read_as_the_customer_would_expect(session):
    make_customer(session, email="olivia@fans.example")
    rating = mail.queue(session, "olivia@fans.example", "rating_request", MESSAGES["rating_request"],
                        transactional=False)
    change = mail.queue(session, "olivia@fans.example", "change_notification", MESSAGES["change_notification"],
                        transactional=False)
    assert rating.subject == "Did we make it right? (MIR-2026-000123)"
    assert change.subject.startswith("You said, we did: We opened four more tills")
    assert "37 customers raised this with us" in change.body_text


def test_the_reason_and_the_opt_out_link_are_separate_lines_in_the_text_part(session):
    make_customer(session, email="olivia@fans.example")
    message = mail.queue(session, "olivia@fans.example", "rating_request", MESSAGES["rating_request"],
                         transactional=False)
    lines = message.body_text.splitlines()
    assert any(line.startswith("You are getting this e-mail because") and line.endswith(".") for line in lines)
    assert any(line.startswith("Choose which e-mails you get from us") for line in lines)
