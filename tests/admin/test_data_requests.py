import json

import pytest
from sqlalchemy import select

from portal import mail
from portal.admin.data_requests import ERASED_TEXT, ErasureRefused, erase_customer, export_customer
from portal.audit import AuditEntry
from portal.auth.models import Role
from portal.cases.models import Case, Customer, Event
from portal.cases.timeline import record
from portal.mail.models import OutboxMessage
from tests.factories import PASSWORD, make_case, make_customer, make_employee


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test"))


@pytest.fixture
def customer_with_history(session):
    customer = make_customer(session, name="James Smith", email="james.smith@fans.example")
    customer.phone = "07700 900123"
    case = make_case(session, customer=customer, what_happened="James Smith's seat 14C was double-booked.")
    record(session, case, "customer_reply", by_customer=True, public=True, body="Call me on 07700 900123.")
    record(session, case, "note", by=case.owner, body="James prefers a call after 6pm.")
    record(session, case, "status", by=case.owner, detail={"from": "new", "to": "acknowledged"})
    mail.queue(session, customer.email, "password_reset", {"name": "James", "link": "http://x"}, case_id=case.id)
    other = make_case(session, what_happened="Somebody else's case.")
    session.flush()
    return customer, case, other


def test_the_export_holds_the_details_every_case_and_its_whole_timeline(session, customer_with_history):
    customer, case, other = customer_with_history
    admin = make_employee(session, role=Role.admin)
    data = export_customer(session, customer, by=admin)
    json.dumps(data)  # it must be plain JSON
    assert data["customer"]["email"] == "james.smith@fans.example" and data["customer"]["phone"] == "07700 900123"
    assert [c["reference"] for c in data["cases"]] == [case.reference]
    texts = [entry["text"] for entry in data["cases"][0]["timeline"]]
    assert "Call me on 07700 900123." in texts and "James prefers a call after 6pm." in texts
    assert len(data["emails"]) == 1
    assert other.reference not in json.dumps(data)
    assert session.scalar(select(AuditEntry)).action == "export"


def test_erasure_removes_personal_details_and_keeps_the_timeline_shape(session, customer_with_history):
    customer, case, other = customer_with_history
    admin = make_employee(session, role=Role.admin)
    kinds_before = [e.kind for e in case.events]
    result = erase_customer(session, customer, by=admin, reason="Written request of 3 November 2026")
    session.commit()
    session.expire_all()
    stored = session.get(Customer, customer.id)
    assert (stored.name, stored.phone) == ("Erased customer", "")
    assert stored.email == f"erased-{customer.id}@erased.invalid"
    erased_case = session.get(Case, case.id)
    assert erased_case.what_happened == ERASED_TEXT and erased_case.reference == case.reference
    events = session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id)).all()
    assert [e.kind for e in events] == kinds_before
    assert all("07700" not in e.body and "James" not in e.body for e in events)
    message = session.scalar(select(OutboxMessage))
    assert "james" not in message.to_address and message.body_text == ERASED_TEXT
    assert session.get(Case, other.id).what_happened == "Somebody else's case."
    assert (result.cases, result.emails) == (1, 1)


def test_erasure_needs_a_reason_and_happens_once(session, customer_with_history):
    customer, _case, _other = customer_with_history
    admin = make_employee(session, role=Role.admin)
    with pytest.raises(ErasureRefused, match="Say why"):
        erase_customer(session, customer, by=admin, reason=" ")
    erase_customer(session, customer, by=admin, reason="Request")
    with pytest.raises(ErasureRefused, match="already been erased"):
        erase_customer(session, customer, by=admin, reason="Request")


def test_only_admins_handle_data_requests(client, db_session):
    make_employee(db_session, email="priya@staff.example", role=Role.manager)
    customer = make_customer(db_session)
    db_session.commit()
    client.post("/staff/sign-in", data={"email": "priya@staff.example", "password": PASSWORD})
    assert client.get("/staff/admin/data-requests").status_code == 403
    assert client.get(f"/staff/admin/data-requests/{customer.id}/export.json").status_code == 403


def test_an_admin_finds_exports_and_erases(client, db_session):
    make_employee(db_session, email="alex@staff.example", role=Role.admin)
    customer = make_customer(db_session, name="Olivia Jones", email="olivia@fans.example")
    make_case(db_session, customer=customer)
    db_session.commit()
    client.post("/staff/sign-in", data={"email": "alex@staff.example", "password": PASSWORD})
    missing = client.get("/staff/admin/data-requests?email=nobody@fans.example")
    assert "No customer has the e-mail address nobody@fans.example." in missing.get_data(as_text=True)
    found = client.get("/staff/admin/data-requests?email=OLIVIA@fans.example")
    assert found.status_code == 302
    export = client.get(f"/staff/admin/data-requests/{customer.id}/export.json")
    assert export.json["customer"]["name"] == "Olivia Jones" and "attachment" in export.headers["Content-Disposition"]
    unconfirmed = client.post(f"/staff/admin/data-requests/{customer.id}", data={"reason": "Her request"})
    assert unconfirmed.status_code == 422
    assert "Confirm that you understand this cannot be undone." in unconfirmed.get_data(as_text=True)
    done = client.post(f"/staff/admin/data-requests/{customer.id}", data={"reason": "Her request", "confirm": "y"},
                       follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "Erased. 1 case kept without personal details" in page and "Olivia" not in page
