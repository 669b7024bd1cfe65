"""The "Log a contact" page with the test client as a browser uses it (CSRF on): find the caller, log the call, put
it right there and then; every refusal comes back with the words typed and a clear message."""

import re

import pytest
from sqlalchemy import select

from portal.cases.models import Case, CaseStatus, Channel, Customer
from portal.mail.models import OutboxMessage
from tests.factories import make_category, make_customer, make_employee, make_team, sign_in
from tests.page_checks import label_targets


@pytest.fixture
def office(db_session):
    team = make_team(db_session, "Ticket Office")
    maria = make_employee(db_session, name="Maria Lopez", email="maria@staff.example", team=team,
                          authority_limit="50")
    tickets = make_category(db_session, team=team, name="Tickets")
    olivia = make_customer(db_session, name="Olivia Brown", email="olivia@fans.example")
    olivia.phone = "+44 7700 900123"
    olivia.membership = "Season-ticket holder"
    db_session.commit()
    return maria, tickets, olivia


def call(tickets, person, **changes) -> dict[str, str]:
    data = {"find": "07700 900123", "customer": str(person.id), "channel": "phone", "category_id": str(tickets.id),
            "kind": "complaint", "what_happened": "The turnstile would not read her season card.",
            "make_it_right": "Let me in next time without queueing.", "talk_time": "4:30", "hold_time": "1",
            "owner": "me"}
    data.update(changes)
    return data


def test_an_agent_finds_the_caller_by_phone_and_logs_the_call(client, office, db_session):
    maria, tickets, olivia = office
    sign_in(client, maria)
    assert 'href="/staff/cases/new"' in client.get("/staff/cases").get_data(as_text=True)  # in the header
    page = client.get("/staff/cases/new?find=07700+900123").get_data(as_text=True)
    assert "Olivia Brown · olivia@fans.example · +44 7700 900123 · Season-ticket holder" in page
    assert re.search(rf'value="{olivia.id}"[^>]*checked|checked[^>]*value="{olivia.id}"', page)  # the only match
    labels = label_targets(page)
    assert labels["Talk time (optional)"] == ("input", "/staff/cases/new")
    assert labels["Name, e-mail address or phone number"] == ("input", "/staff/cases/new")  # the search box
    response = client.post("/staff/cases/new", data=call(tickets, olivia))
    assert response.status_code == 302
    case = db_session.scalar(select(Case))
    assert response.headers["Location"].endswith(f"/staff/cases/{case.reference}")
    assert (case.customer_id, case.channel, case.owner_id) == (olivia.id, Channel.phone, maria.id)
    assert (case.talk_seconds, case.hold_seconds) == (270, 60)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Logged {case.reference}. Maria Lopez owns it." in shown


def test_a_new_caller_without_an_address_and_a_call_put_right_on_the_spot(client, office, db_session):
    maria, tickets, _olivia = office
    sign_in(client, maria)
    client.get("/staff/cases/new")
    response = client.post("/staff/cases/new", data=call(
        tickets, _olivia, find="", customer="new", name="Ann Other", email="", phone="07700 900555",
        put_right="y", remedy_kind="gesture", remedy_description="Two free tickets for the cup match.",
        remedy_cost="30"), follow_redirects=True)
    page = response.get_data(as_text=True)
    case = db_session.scalar(select(Case))
    assert case.status is CaseStatus.resolved
    assert f"Logged {case.reference} and resolved at first contact" in page and "they have no e-mail" in page
    assert db_session.get(Customer, case.customer_id).email is None
    assert db_session.scalar(select(OutboxMessage)) is None


@pytest.mark.parametrize("changes, message", [
    ({"talk_time": "four minutes"}, "Enter the time in minutes, like 5, or minutes and seconds, like 4:30."),
    ({"talk_time": "1:75:00"}, "Enter the time in minutes"),
    ({"make_it_right": ""}, "Ask the customer what we can do to make this right"),
    ({"customer": "new", "name": ""}, "Find the customer, or enter the new customer&#39;s name."),
    ({"customer": str(2**40)}, "Not a valid choice"),
    ({"category_id": str(2**64)}, "Not a valid choice"),
    ({"owner": "team", "handoff_note": ""}, "Write a context note of at least a sentence"),
    ({"put_right": "y", "remedy_kind": "refund", "remedy_description": "A full refund of her season ticket.",
      "remedy_cost": "600"}, "above your authority limit of £50.00"),
    ({"put_right": "y", "remedy_kind": "", "remedy_description": "", "remedy_cost": ""},
     "The remedy: choose what kind of remedy it is."),
    ({"what_happened": "Nul\x00byte"}, "control characters"),
])
def test_a_refused_contact_comes_back_with_its_words_and_the_reason(client, office, db_session, changes, message):
    maria, tickets, olivia = office
    sign_in(client, maria)
    client.get("/staff/cases/new?find=07700+900123")
    response = client.post("/staff/cases/new", data=call(tickets, olivia, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page, page[:3000]
    assert "There is a problem" in page
    if "what_happened" not in changes:
        assert "The turnstile would not read her season card." in page  # what was typed is kept
    assert db_session.scalar(select(Case)) is None


def test_the_customer_profile_offers_to_log_a_contact_for_them(client, office, db_session):
    from tests.factories import make_case

    maria, tickets, olivia = office
    make_case(db_session, owner=maria, customer=olivia, category=tickets)
    db_session.commit()
    sign_in(client, maria)
    profile = client.get(f"/staff/customers/{olivia.id}").get_data(as_text=True)
    assert f'href="/staff/cases/new?customer={olivia.id}"' in profile
    page = client.get(f"/staff/cases/new?customer={olivia.id}").get_data(as_text=True)
    assert re.search(rf'value="{olivia.id}"[^>]*checked|checked[^>]*value="{olivia.id}"', page)


def test_only_staff_reach_the_page(client):
    assert client.get("/staff/cases/new").status_code == 302  # to sign in


@pytest.mark.parametrize("typed, seconds", [("5", 300), ("4:30", 270), ("0:45", 45), ("1:05:00", 3900)])
def test_call_times_read_as_people_note_them(typed, seconds):
    from portal.intake.forms import seconds_of

    assert seconds_of(typed) == seconds
