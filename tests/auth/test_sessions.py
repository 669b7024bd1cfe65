"""A signed-in session lives on the server's word: signing out, a new password or deactivation end every copy of
the cookie, and the cookie holds nothing derived from the password."""

import re

import pytest

from portal.auth.models import Role
from tests.factories import PASSWORD, make_case, make_category, make_customer, make_employee, make_team

ATTACKER = "203.0.113.66"


@pytest.fixture
def ticket_office(db_session):
    team = make_team(db_session, "Ticket Office")
    people = {
        "maria": make_employee(db_session, name="Maria Lopez", email="maria@staff.example", team=team),
        "tom": make_employee(db_session, name="Tom Fletcher", email="tom@staff.example", team=team),
        "priya": make_employee(db_session, name="Priya Shah", email="priya@staff.example", role=Role.manager,
                               team=team),
    }
    team.manager = people["priya"]
    db_session.commit()
    return people


def staff_sign_in(client, email, password=PASSWORD):
    return client.post("/staff/sign-in", data={"email": email, "password": password})


def stolen_copy(app, client, *, address: str = "127.0.0.1"):
    """Another browser holding a copy of ``client``'s session cookie, as someone who captured it would."""
    thief = app.test_client()
    thief.environ_base["REMOTE_ADDR"] = address
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def refused_to_sign_in(response, sign_in_path: str) -> bool:
    return response.status_code == 302 and sign_in_path in response.location


def test_a_staff_cookie_replayed_after_sign_out_is_refused(app, client, ticket_office):
    staff_sign_in(client, "maria@staff.example")
    thief = stolen_copy(app, client)
    assert thief.get("/staff/cases").status_code == 200
    client.post("/staff/sign-out")
    assert refused_to_sign_in(thief.get("/staff/cases"), "/staff/sign-in")


def test_a_staff_cookie_replayed_after_a_password_reset_is_refused(app, client, ticket_office, outbox):
    staff_sign_in(client, "maria@staff.example")
    thief = stolen_copy(app, client)
    other_browser = app.test_client()
    other_browser.post("/staff/forgot-password", data={"email": "maria@staff.example"})
    link = re.search(r"http://127\.0\.0\.1:5000(/staff/reset-password/\S+)",
                     outbox()[-1].get_body(("plain",)).get_content()).group(1)
    other_browser.post(link, data={"password": "a new password for maria", "confirm": "a new password for maria"})
    assert refused_to_sign_in(thief.get("/staff/cases"), "/staff/sign-in")
    assert refused_to_sign_in(client.get("/staff/cases"), "/staff/sign-in")


def test_a_staff_cookie_replayed_after_deactivation_is_refused(app, client, ticket_office):
    staff_sign_in(client, "maria@staff.example")
    thief = stolen_copy(app, client)
    manager = app.test_client()
    staff_sign_in(manager, "priya@staff.example")
    response = manager.post(f"/staff/employees/{ticket_office['maria'].id}/deactivate",
                            data={"new_owner": ticket_office["tom"].id, "note": "Maria has left the club; Tom has "
                                  "her cases now and knows each customer's story."})
    assert response.status_code == 302
    assert refused_to_sign_in(thief.get("/staff/cases"), "/staff/sign-in")


def test_signing_out_in_one_browser_leaves_a_colleagues_session_alone(app, client, ticket_office):
    staff_sign_in(client, "maria@staff.example")
    tom = app.test_client()
    staff_sign_in(tom, "tom@staff.example")
    client.post("/staff/sign-out")
    assert tom.get("/staff/cases").status_code == 200


def test_the_staff_cookie_holds_nothing_of_the_password(app, client, ticket_office, db_session):
    staff_sign_in(client, "maria@staff.example")
    contents = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("session").value)
    password_hash = ticket_office["maria"].password_hash
    text = repr(contents)
    assert "_user_id" in contents
    assert not any(password_hash[i:i + 6] in text for i in range(len(password_hash) - 6))


def test_forging_x_forwarded_for_gains_nothing(app, client, ticket_office):
    client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    staff_sign_in(client, "maria@staff.example")
    assert client.get("/staff/cases").status_code == 200
    thief = stolen_copy(app, client, address=ATTACKER)
    replayed = thief.get("/staff/cases", headers={"X-Forwarded-For": "10.1.2.3"})
    assert refused_to_sign_in(replayed, "/staff/sign-in")


@pytest.fixture
def olivia(db_session):
    from portal.cases.customer_access import set_password

    customer = make_customer(db_session, name="Olivia Brown", email="olivia@fans.example")
    make_case(db_session, customer=customer, category=make_category(db_session))
    set_password(customer, "olivia's own password")
    db_session.commit()
    return customer


def customer_sign_in(client, password="olivia's own password"):
    return client.post("/account/sign-in", data={"email": "olivia@fans.example", "password": password})


def test_a_customer_cookie_replayed_after_sign_out_is_refused(app, client, olivia):
    assert customer_sign_in(client).status_code == 302
    thief = stolen_copy(app, client)
    assert thief.get("/account").status_code == 200
    client.post("/account/sign-out")
    assert refused_to_sign_in(thief.get("/account"), "/account/sign-in")


def test_a_customer_cookie_replayed_after_a_password_change_is_refused(app, client, olivia):
    customer_sign_in(client)
    thief = stolen_copy(app, client)
    response = client.post("/account/password", data={"password": "a brand new password", "confirm":
                                                     "a brand new password"})
    assert response.status_code == 302
    assert refused_to_sign_in(thief.get("/account"), "/account/sign-in")
    assert client.get("/account").status_code == 200  # the customer who changed it stays signed in


def test_a_customer_cookie_replayed_after_erasure_is_refused(app, client, db_session, outbox):
    from portal.admin.data_requests import erase_customer

    james = make_customer(db_session, email="james@fans.example")  # signs in by e-mailed link: no password
    make_case(db_session, customer=james, category=make_category(db_session))
    db_session.commit()
    client.post("/account/sign-in", data={"email": "james@fans.example"})
    link = re.search(r"http://127\.0\.0\.1:5000(/account/sign-in/\S+)",
                     outbox()[-1].get_body(("plain",)).get_content()).group(1)
    assert client.get(link).status_code == 302
    thief = stolen_copy(app, client)
    assert thief.get("/account").status_code == 200
    erase_customer(db_session, james, by=make_employee(db_session, role=Role.admin),
                   reason="Asked by e-mail on 1 December.")
    db_session.commit()
    assert refused_to_sign_in(thief.get("/account"), "/account/sign-in")

