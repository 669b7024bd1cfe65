"""Non-transactional e-mails ("did we make it right?", "you said, we did"): both parts, the reason, a way out."""

import re

import pytest

from portal.cases.contact_preferences import queue_news
from tests.factories import make_customer

MESSAGES = {
    "rating_request": {"name": "Olivia", "reference": "MIR-2026-000123", "link": "http://portal.test/rate/abc",
                       "owner_name": "Maria Lopez"},
    "change_published": {"name": "Olivia", "you_said": "Half-time queues at the north stand kiosks are too long.",
                         "we_did": "We opened four more tills and a pre-order app for half-time.",
                         "title": "More tills at half-time", "done": False, "reference": "MIR-2026-000123",
                         "link": "http://portal.test/you-said-we-did/north-stand-queues",
                         "change_url": "http://portal.test/you-said-we-did/north-stand-queues",
                         "case_url": "http://portal.test/c/abc"},
}


@pytest.mark.parametrize("template", sorted(MESSAGES))
def test_non_transactional_messages_say_why_and_offer_a_way_out(session, template):
    make_customer(session, email="olivia@fans.example")
    message = queue_news(session, "olivia@fans.example", template, MESSAGES[template])
    assert message is not None
    link = message.context["preferences_link"]
    for body in (message.body_text, message.body_html):
        assert link in body
        assert "Riverside Rovers FC" in body
        assert "You are getting this e-mail because" in body
        assert MESSAGES[template]["link"] in body
    assert "<style" not in message.body_html and 'style="' in message.body_html  # inlined for mail clients
    assert not re.search(r"""<img[^>]+src=["']https?:""", message.body_html)  # no remote images


def test_the_rating_request_asks_the_question_in_its_subject(session):
    make_customer(session, email="olivia@fans.example")
    rating = queue_news(session, "olivia@fans.example", "rating_request", MESSAGES["rating_request"])
    assert rating.subject == "Did we make it right? (MIR-2026-000123)"


def test_the_reason_and_the_opt_out_link_are_separate_lines_in_the_text_part(session):
    make_customer(session, email="olivia@fans.example")
    message = queue_news(session, "olivia@fans.example", "rating_request", MESSAGES["rating_request"])
    lines = message.body_text.splitlines()
    assert any(line.startswith("You are getting this e-mail because") and line.endswith(".") for line in lines)
    assert any(line.startswith("Choose which e-mails you get from us") for line in lines)
