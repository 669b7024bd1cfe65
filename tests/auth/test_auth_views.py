import re

import pytest

from portal.auth.models import Role
from tests.browserlike import without_csrf_tokens
from tests.factories import PASSWORD, make_employee


@pytest.fixture
def maria(db_session):
    employee = make_employee(db_session, name="Maria Lopez", email="maria@staff.example")
    db_session.commit()
    return employee


def sign_in(client, email, password):
    return client.post("/staff/sign-in", data={"email": email, "password": password})


def test_the_sign_in_page_has_labelled_fields(client):
    page = client.get("/staff/sign-in").get_data(as_text=True)
    assert '<label for="email"' in page and '<label for="password"' in page
    assert "<h1" in page and page.count("<h1") == 1


def test_signing_in_greets_the_employee(client, maria):
    response = sign_in(client, "maria@staff.example", PASSWORD)
    assert response.status_code == 302
    assert "Signed in as Maria Lopez" in client.get(response.location).get_data(as_text=True)


def test_a_wrong_password_shows_the_error_beside_the_field_and_keeps_the_email(client, maria):
    response = sign_in(client, "maria@staff.example", "wrong password")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a correct e-mail address and password." in page
    assert 'href="#email"' in page  # the error summary links to the field
    assert 'value="maria@staff.example"' in page
    assert "There is a problem" in page


def test_the_lock_out_message_is_the_same_for_an_unknown_address(client, maria):
    pages = {}
    for address in ("maria@staff.example", "ghost@staff.example"):
        for _ in range(5):
            response = sign_in(client, address, "guess")
        pages[address] = re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))
    assert "too many wrong passwords" in pages["ghost@staff.example"]
    assert pages["maria@staff.example"] == pages["ghost@staff.example"]


def test_an_empty_form_explains_each_missing_field(client):
    page = client.post("/staff/sign-in", data={}).get_data(as_text=True)
    assert "Enter your e-mail address." in page and "Enter your password." in page


def test_signing_out_ends_the_session(client, maria):
    sign_in(client, "maria@staff.example", PASSWORD)
    response = client.post("/staff/sign-out")
    assert response.status_code == 302
    assert "You have signed out." in client.get(response.location).get_data(as_text=True)
    assert "Maria Lopez" not in client.get("/").get_data(as_text=True)


def test_sign_out_is_not_a_get(client, maria):
    sign_in(client, "maria@staff.example", PASSWORD)
    assert client.get("/staff/sign-out").status_code == 405


def test_next_never_redirects_off_site(client, maria):
    response = client.post(
        "/staff/sign-in?next=//evil.example/x", data={"email": "maria@staff.example", "password": PASSWORD}
    )
    assert "evil.example" not in response.location


def test_reset_link_from_the_email_changes_the_password_once(client, maria, outbox):
    client.post("/staff/forgot-password", data={"email": "maria@staff.example"})
    [message] = outbox()
    link = re.search(r"http://\S+/staff/reset-password/\S+", message.get_body(("plain",)).get_content()).group(0)
    path = link.split("127.0.0.1:5000", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "new password for maria", "confirm": "new password for maria"})
    assert response.status_code == 302
    assert sign_in(client, "maria@staff.example", "new password for maria").status_code == 302
    client.post("/staff/sign-out")
    reused = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "already been used" in reused


def test_forgot_password_says_the_same_for_unknown_addresses(client, maria, outbox):
    known = client.post("/staff/forgot-password", data={"email": "maria@staff.example"}, follow_redirects=True)
    unknown = client.post("/staff/forgot-password", data={"email": "nobody@x.example"}, follow_redirects=True)
    assert without_csrf_tokens(known.get_data(as_text=True)) == without_csrf_tokens(unknown.get_data(as_text=True))
    assert len(outbox()) == 1


def test_a_garbled_reset_link_is_explained_not_an_error(client):
    page = client.get("/staff/reset-password/not-a-token", follow_redirects=True)
    assert page.status_code == 200
    assert "This link is not valid." in page.get_data(as_text=True)


def test_mismatched_new_passwords_are_refused(app, client, maria, db_session):
    from portal.auth.reset import request_reset

    tokens = []
    request_reset(db_session, "maria@staff.example", secret_key=app.config["SECRET_KEY"],
                  link=lambda t: tokens.append(t) or t)
    response = client.post(f"/staff/reset-password/{tokens[0]}", data={"password": "a" * 14, "confirm": "b" * 14})
    assert response.status_code == 422
    assert "The passwords do not match." in response.get_data(as_text=True)


def test_role_check_gives_agents_a_403_page(app, client, db_session):
    from portal.auth.access import role_required

    @role_required(Role.manager)
    def managers_only():
        return "the managers' page"

    app.add_url_rule("/test/managers-only", view_func=managers_only)
    agent = make_employee(db_session, email="agent@staff.example", role=Role.agent)
    manager = make_employee(db_session, email="boss@staff.example", role=Role.manager)
    db_session.commit()
    assert client.get("/test/managers-only").status_code == 302  # not signed in: to the sign-in page
    sign_in(client, agent.email, PASSWORD)
    denied = client.get("/test/managers-only")
    assert denied.status_code == 403 and "You cannot see this page" in denied.get_data(as_text=True)
    client.post("/staff/sign-out")
    sign_in(client, manager.email, PASSWORD)
    assert client.get("/test/managers-only").get_data(as_text=True) == "the managers' page"


def test_a_password_change_signs_out_other_sessions(app, client, maria, db_session):
    from portal.auth.passwords import hash_password

    sign_in(client, "maria@staff.example", PASSWORD)
    assert "Maria Lopez" in client.get("/").get_data(as_text=True)
    maria.password_hash = hash_password("changed elsewhere pw")
    db_session.commit()
    assert "Maria Lopez" not in client.get("/").get_data(as_text=True)
