"""Every link in the e-mails opens a page: it starts with BASE_URL and its path is a route the app has."""

import re

from sqlalchemy import select

from portal import mail
from portal.auth.models import Role
from portal.cases import notify as case_mail
from portal.cases import ownership, replies
from portal.cases.customer_replies import add_customer_reply, hold_email_from_unknown_sender, withdraw_case
from portal.ideas import notify as idea_mail
from portal.ideas.models import Idea, IdeaKind
from portal.mail.models import OutboxMessage
from portal.remedies import notify as remedy_mail
from portal.remedies.choice import choose
from portal.remedies.fulfilment import fulfil
from portal.remedies.settings import RemedySettings
from tests.factories import make_case, make_employee, make_offer

LINK = re.compile(r"""https?://[^\s"'<>)]+""")
SECRET = "test-secret-key-that-is-long-enough"


def _send_one_of_each(session) -> None:
    case = make_case(session)
    owner, customer = case.owner, case.customer
    colleague = make_employee(session, team=case.category.team)
    replies.reply(session, case, "We are looking into it.", by=owner, seen_event_id=None,
                  link_for=lambda token: mail.settings().base_url + f"/my-case/{token}")
    add_customer_reply(session, case, "Thanks.", upload_dir="/nonexistent")
    hold_email_from_unknown_sender(session, case, sender="someone@else.example", body="Hello")
    ownership.add_helper(session, case, colleague, by=owner)
    case_mail.case_flagged(session, case, owner, handoffs=4)
    bounced = session.scalars(select(OutboxMessage)).first()
    case_mail.email_bounced(session, case, customer, reason="550", bounced=bounced)
    offer = make_offer(session, secret_key=SECRET)
    make_employee(session, role=Role.admin)  # approves when no manager can
    remedy_mail.approval_needed(session, offer)
    for outcome in ("chosen", "counter_proposal", "expired"):
        remedy_mail.owner_told(session, offer, outcome)
    choose(session, offer, offer.remedies[0].id)
    fulfil(session, offer.case, what_was_done="Refunded.", by=offer.case.owner, settings=RemedySettings(SECRET))
    idea = Idea(author=owner, title="Shorter queues", body="More tills.", kind=IdeaKind.idea)
    session.add(idea)
    session.flush()
    idea_mail.idea_status(session, idea)
    withdraw_case(session, make_case(session), "Sorted now.")
    session.flush()


def test_every_link_in_every_email_starts_with_base_url_and_names_a_route(app, session):
    _send_one_of_each(session)
    routes = app.url_map.bind("localhost")
    base = mail.settings().base_url.rstrip("/")
    messages = session.scalars(select(OutboxMessage)).all()
    templates = {m.template for m in messages}
    assert {"case_flagged", "email_bounced", "helper_asked", "customer_replied", "email_held", "idea_status",
            "remedy_offer", "remedy_chosen_owner", "offer_approval_needed", "remedy_resolution"} <= templates
    for message in messages:
        for link in LINK.findall(message.body_text) + LINK.findall(message.body_html):
            assert link.startswith(base + "/"), f"{message.template}: {link}"
            path = link[len(base):].split("?")[0]
            endpoint, _values = routes.match(path, method="GET")  # raises NotFound for a path no route has
            assert endpoint, f"{message.template}: {link}"
