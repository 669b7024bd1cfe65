import pytest

from portal.auth.passwords import verify_password
from portal.auth.reset import employee_for_token, request_reset, reset_password
from portal.mail.models import OutboxMessage
from portal.tokens import TokenInvalid, sign
from tests.factories import make_employee

SECRET = "a-secret-for-tokens-in-tests"


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test"))


def _requested_link(session, email: str) -> str:
    links = []
    request_reset(session, email, secret_key=SECRET, link=lambda token: links.append(token) or f"/r/{token}")
    return links[0] if links else ""


def test_a_reset_queues_an_email_with_a_link(session):
    employee = make_employee(session, email="maria@staff.example")
    token = _requested_link(session, "maria@staff.example")
    message = session.query(OutboxMessage).one()
    assert message.to_address == employee.email
    assert f"/r/{token}" in message.body_text and f"/r/{token}" in message.body_html
    assert message.subject == "Reset your Riverside Rovers FC password"


def test_an_unknown_address_gets_no_email(session):
    assert _requested_link(session, "nobody@staff.example") == ""
    assert session.query(OutboxMessage).count() == 0


def test_the_link_changes_the_password_once(session):
    employee = make_employee(session, email="maria@staff.example")
    token = _requested_link(session, "maria@staff.example")
    reset_password(session, token, "a brand new password", secret_key=SECRET)
    assert verify_password(employee.password_hash, "a brand new password")
    with pytest.raises(TokenInvalid, match="already been used"):
        reset_password(session, token, "another new password", secret_key=SECRET)


def test_an_expired_link_is_refused(session, monkeypatch):
    make_employee(session, email="maria@staff.example")
    token = _requested_link(session, "maria@staff.example")
    import portal.auth.reset as reset_module

    monkeypatch.setattr(reset_module, "VALID_FOR_SECONDS", -1)
    with pytest.raises(TokenInvalid, match="expired"):
        employee_for_token(session, token, secret_key=SECRET)


def test_a_forged_link_is_refused(session):
    employee = make_employee(session)
    forged = sign("another-secret", "password-reset", {"id": employee.id, "fp": "x"})
    with pytest.raises(TokenInvalid):
        employee_for_token(session, forged, secret_key=SECRET)
