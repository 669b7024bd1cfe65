"""After a customer's erasure, no table anywhere still holds their address, name or phone number."""

import pytest
from sqlalchemy import JSON, String, Text, Unicode, cast, func, or_, select

from portal.admin.data_requests import erase_customer, export_customer
from portal.auth.models import Role
from portal.cases import profiles
from portal.cases.customer_access import CustomerSignInRefused, sign_in_with_password
from portal.cases.filing import Filing, file_case
from portal.cases.models import Customer
from portal.cases.ownership import hand_off
from portal.cases.replies import reply
from portal.changes.models import Quote
from portal.changes.themes import add_cases_to_theme, add_quote, create_theme
from portal.db import Base
from portal.mail.events import record_events
from portal.mail.models import OutboxMessage
from portal.surveys import answering
from portal.surveys.building import QuestionSpec, add_question, add_section, create_survey, open_survey
from portal.surveys.groups import add_member, create_group
from portal.surveys.invitations import invite_group
from portal.surveys.models import Answer, Invitation, QuestionKind
from tests.factories import make_category, make_employee, make_team

EMAIL, NAME, PHONE = "ottilie.grantham@fans.example", "Ottilie Grantham", "07700 900456"
NEEDLES = (EMAIL, NAME, "Ottilie", "Grantham", PHONE, "900456")
SECRET = "test-secret-key-that-is-long-enough"


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test"))


def _text_columns():
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text | Unicode | JSON):
                yield table, column


def _where_found(session, needle: str) -> list[str]:
    found = []
    for table, column in _text_columns():
        value = cast(column, Text) if isinstance(column.type, JSON) else column
        if session.scalar(select(func.count()).select_from(table).where(func.lower(value).contains(needle.lower()))):
            found.append(f"{table.name}.{column.name}")
    return found


def _a_customer_everywhere(session, tmp_path):
    team = make_team(session, "Ticket Office")
    category = make_category(session, team=team, name="Tickets")
    maria = make_employee(session, name="Maria Lopez", team=team)
    tom = make_employee(session, name="Tom Fletcher", team=team)
    manager = make_employee(session, name="Priya Shah", team=team, role=Role.manager)
    link = lambda token: f"http://portal.test/c/{token}"  # noqa: E731
    filed = file_case(session, Filing(
        name=NAME, email=EMAIL, phone=PHONE, category_id=category.id, booking_reference="BK-OTTILIE-1",
        what_happened=f"I am {NAME}; seat 14C was double-booked. Call me on {PHONE}.",
        make_it_right="Refund my ticket, please.", better_in_future="Check the bookings, Ottilie says.",
    ), upload_dir=str(tmp_path), link_for=link)
    case = filed.case
    case.owner = maria
    session.flush()
    reply(session, case, "Dear Ottilie, we are on it.", by=maria, seen_event_id=None, link_for=link)
    hand_off(session, case, to=tom, reason="specialist", by=maria, link_for=link,
             note=f"{NAME} wants a call on {PHONE} about her double-booked seat before Saturday's match.")
    profiles.add_note(session, case.customer, f"Ottilie prefers a call on {PHONE}", kind="preference", by=tom)
    with pytest.raises(CustomerSignInRefused):
        sign_in_with_password(session, EMAIL, "not her password", address="203.0.113.9")

    theme = create_theme(session, title="Double-booked seats", description="", category=category, by=manager)
    session.flush()
    add_cases_to_theme(session, theme, [case.id], by=manager)
    add_quote(session, theme, case, f"Seat 14C was double-booked — {NAME}", customer_agreed=True)

    group = create_group(session, name="North Stand", description="", by=manager)
    session.flush()
    add_member(session, group, name=NAME, email=EMAIL, membership_number="ST-0456")
    survey = create_survey(session, title="Match days", briefing="", group=group, by=manager)
    section = add_section(session, survey, title="Your view")
    question = add_question(session, survey, section, QuestionSpec(QuestionKind.text, "What should change?"))
    from portal.db import utcnow

    open_survey(survey, utcnow())
    invite_group(session, survey, lambda token: f"http://portal.test/s/{token}", SECRET)
    session.flush()
    invitation = session.scalar(select(Invitation))
    response = answering.start(session, survey, invitation=invitation)
    response.answers.append(Answer(question_id=question.id, text=f"More stewards. {NAME}, {PHONE}"))

    receipt = session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == EMAIL)
                             .order_by(OutboxMessage.id))
    record_events(session, [
        {"event": "delivered", "sg_event_id": "ev-1", "email": EMAIL, "outbox_id": str(receipt.id)},
        {"event": "bounce", "sg_event_id": "ev-2", "email": EMAIL, "outbox_id": str(receipt.id),
         "reason": f"550 {EMAIL}: mailbox unavailable"},
    ])
    session.commit()
    return case.customer, maria


def test_after_erasure_no_text_column_of_any_table_holds_the_customer(session, tmp_path):
    customer, _owner = _a_customer_everywhere(session, tmp_path)
    by = make_employee(session, name="Alex Admin", role=Role.admin)  # data requests are an admin's
    before = {needle: _where_found(session, needle) for needle in (EMAIL, NAME, PHONE)}
    # The scan sees the customer where they are: it would catch what erasure misses.
    assert {"customer.email", "focus_group_member.email", "outbox_event.email", "quote.text",
            "event.detail", "survey_answer.text"} <= set(before[EMAIL] + before[NAME] + before[PHONE])
    exported = export_customer(session, customer, by=by)
    assert exported["quoted_in_themes"][0]["words"].endswith(NAME)
    assert exported["focus_groups"][0]["membership_number"] == "ST-0456"
    assert [e["event"] for e in exported["email_events"]] == ["delivered", "bounce"]

    erase_customer(session, customer, by=by, reason="Written request of 1 December 2026")
    session.commit()
    session.expire_all()

    assert {needle: _where_found(session, needle) for needle in NEEDLES} == {needle: [] for needle in NEEDLES}
    assert session.scalar(select(func.count()).select_from(Quote)) == 0
    stored = session.get(Customer, customer.id)
    assert stored.name == "Erased customer" and len(stored.cases) == 1  # the case stays for the metrics
    assert not session.scalar(select(func.count()).select_from(Customer).where(
        or_(Customer.email == EMAIL, Customer.phone == PHONE)))
