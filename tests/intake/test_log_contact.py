"""An employee logs a contact (on SQLite and PostgreSQL): every channel, who owns it, talk and hold time, a customer
without an address, and a case put right at first contact within the taker's authority limit."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.cases import contacts
from portal.cases.contacts import Contact
from portal.cases.customers import matching_customers
from portal.cases.errors import FilingRefused
from portal.cases.models import Case, CaseStatus, Channel, Customer, Event
from portal.mail.models import OutboxMessage
from portal.remedies import first_contact
from portal.remedies.errors import OfferRefused
from portal.remedies.models import Offer, OfferStatus
from portal.remedies.offers import RemedyDraft
from portal.remedies.settings import RemedySettings
from tests.factories import make_category, make_customer, make_employee, make_team

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
SETTINGS = RemedySettings(secret_key="test-secret-key-that-is-long-enough")


@pytest.fixture
def desk(app, session):
    """The ticket office (where the agent who answers the phone works) and the catering team (another team)."""
    office = make_team(session, "Ticket Office")
    taker = make_employee(session, name="Maria Lopez", team=office, authority_limit="50")
    tickets = make_category(session, team=office, name="Tickets")
    catering = make_team(session, "Catering")
    cook = make_employee(session, name="Sam Baker", team=catering)
    food = make_category(session, team=catering, name="Food and drink")
    session.commit()
    return taker, tickets, cook, food


def contact(category, **changes) -> Contact:
    values = dict(channel=Channel.phone, category_id=category.id, name="James Smith", email="james@fans.example",
                  phone="+44 7700 900123", what_happened="The turnstile would not read my season card.",
                  make_it_right="Let me in for the next match without a queue.")
    values.update(changes)
    return Contact(**values)


def mails_to(session, address: str) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)
                                .order_by(OutboxMessage.id)))


def test_a_call_is_owned_by_whoever_took_it_with_its_talk_and_hold_time(desk, session):
    taker, tickets, _cook, food = desk
    # Even about another team's category: the customer is not passed around unless the taker says so.
    filed = contacts.log_contact(session, contact(food, talk_seconds=270, hold_seconds=45), by=taker, now=NOW)
    session.commit()
    case = filed.case
    assert (case.channel, case.owner_id, case.talk_seconds, case.hold_seconds) == (Channel.phone, taker.id, 270, 45)
    assert case.status is CaseStatus.new and case.make_it_right == "Let me in for the next match without a queue."
    filed_event = session.scalar(select(Event).where(Event.case_id == case.id, Event.kind == "filed"))
    assert filed_event.detail == {"owner": taker.id, "channel": "phone", "taken_by": taker.id}
    [receipt] = mails_to(session, "james@fans.example")
    assert "/my-case/" in receipt.body_text and "Maria" in receipt.body_text
    assert session.get(Customer, case.customer_id).preferred_contact == "phone"


@pytest.mark.parametrize("channel", [Channel.in_person, Channel.letter, Channel.social])
def test_every_channel_is_logged(desk, session, channel):
    taker, tickets, *_ = desk
    # A letter or a message may not say what would make it right: the receipt asks.
    wish = "" if channel in (Channel.letter, Channel.social) else "A refund of the ticket."
    case = contacts.log_contact(session, contact(tickets, channel=channel, make_it_right=wish), by=taker,
                                now=NOW).case
    session.commit()
    assert case.channel is channel and case.owner_id == taker.id
    [receipt] = mails_to(session, "james@fans.example")
    assert ("What can we do to make this right?" in receipt.body_text) == (not wish)


@pytest.mark.parametrize("changes, message", [
    ({"make_it_right": " "}, "Ask the customer what we can do to make this right"),
    ({"channel": Channel.letter, "talk_seconds": 60}, "Talk time is for phone calls"),
    ({"hold_seconds": 12 * 3600 + 1}, "Hold time must be between 0 and 12 hours"),
    ({"channel": Channel.web}, "Choose how the customer got in touch"),
    ({"name": "", "customer_id": None}, "Find the customer, or enter the new customer's name"),
    ({"customer_id": 2**31 - 1}, "That customer's record no longer exists"),
    ({"keep_it": False, "handoff_note": "Food."}, "Write a context note of at least a sentence"),
])
def test_what_cannot_be_logged_says_why_and_keeps_nothing(desk, session, changes, message):
    taker, tickets, *_ = desk
    with pytest.raises(FilingRefused, match=message):
        contacts.log_contact(session, contact(tickets, **changes), by=taker, now=NOW)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_caller_without_an_email_address_gets_a_case_and_no_email(desk, session):
    taker, tickets, *_ = desk
    first = contacts.log_contact(session, contact(tickets, email="", phone="07700 900001"), by=taker, now=NOW).case
    second = contacts.log_contact(session, contact(tickets, email="", name="Ann Other", phone="07700 900002",
                                                   what_happened="Another call."), by=taker, now=NOW).case
    session.commit()
    assert first.customer_id != second.customer_id
    assert session.get(Customer, first.customer_id).email is None
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_contact_for_another_team_goes_to_its_usual_owner_with_the_context_note(desk, session):
    taker, _tickets, cook, food = desk
    note = "The pie was cold at half time; he wants a voucher and a call back before Saturday."
    case = contacts.log_contact(session, contact(food, keep_it=False, handoff_note=note), by=taker, now=NOW).case
    session.commit()
    assert case.owner_id == cook.id
    handoff = session.scalar(select(Event).where(Event.case_id == case.id, Event.kind == "handoff"))
    assert handoff.body == note and handoff.employee_id == taker.id and handoff.detail["to"] == cook.id
    [told] = mails_to(session, cook.email)
    assert note in told.body_text
    [receipt] = mails_to(session, "james@fans.example")
    assert "Sam" in receipt.body_text  # the customer hears from the owner they will deal with, once


def test_an_existing_customer_is_found_by_phone_and_keeps_their_address(desk, session):
    taker, tickets, *_ = desk
    known = make_customer(session, name="Olivia Brown", email="olivia@fans.example")
    known.phone = "+44 (0)7700 900123"
    session.commit()
    assert matching_customers(session, "07700 900123") == [known]
    assert matching_customers(session, "OLIVIA@fans") == [known]
    assert matching_customers(session, "brown oli") == [known]
    assert matching_customers(session, "100%_") == []
    case = contacts.log_contact(session, contact(tickets, customer_id=known.id, name="", email=""), by=taker,
                                now=NOW).case
    session.commit()
    assert case.customer_id == known.id and session.get(Customer, known.id).name == "Olivia Brown"
    assert [m.to_address for m in mails_to(session, "olivia@fans.example")] == ["olivia@fans.example"]


def test_put_right_at_first_contact_resolves_it_in_the_same_step_with_letter_and_rating(desk, session):
    taker, tickets, *_ = desk
    draft = RemedyDraft("refund", "A refund of £25 to your card for the match you missed.", "", "25")

    def put_right(case):
        return first_contact.put_right_there_and_then(session, case, draft, by=taker, settings=SETTINGS, now=NOW)

    case = contacts.log_contact(session, contact(tickets, talk_seconds=300), by=taker, put_right=put_right,
                                now=NOW).case
    session.commit()
    assert case.status is CaseStatus.resolved and case.resolved_at == NOW
    offer = session.scalar(select(Offer).where(Offer.case_id == case.id))
    assert offer.status is OfferStatus.chosen and offer.fulfilled_at == NOW and offer.fulfilled_by_id == taker.id
    kinds = session.scalars(select(Event.kind).where(Event.case_id == case.id).order_by(Event.id)).all()
    assert kinds == ["filed", "remedy_chosen", "remedy_fulfilled"]  # no reply, no customer message: first contact
    receipt, letter = mails_to(session, "james@fans.example")
    assert "put it right while you were with us" in receipt.body_text
    assert letter.template == "remedy_resolution" and re.search(r"/\S+/rate\b", letter.body_text)  # "Did we...?"
    assert [a.filename for a in letter.attachments] == [f"{case.reference}-resolution-letter.pdf"]


def test_above_the_authority_limit_nothing_is_given_there_and_then(desk, session):
    taker, *_ = desk
    draft = RemedyDraft("refund", "A refund of two season tickets.", "", Decimal("900"))
    with pytest.raises(OfferRefused, match=r"above your authority limit of £50.00"):
        first_contact.check_within_limit(draft, by=taker)


def test_the_same_contact_submitted_twice_is_logged_once(desk, session):
    taker, tickets, *_ = desk
    first = contacts.log_contact(session, contact(tickets), by=taker, now=NOW)
    session.commit()
    again = contacts.log_contact(session, contact(tickets), by=taker, now=NOW)
    assert again.duplicate and again.case.id == first.case.id
    assert len(mails_to(session, "james@fans.example")) == 1
