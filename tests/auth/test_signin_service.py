"""Employee sign-in (the throttle's own rules are in test_throttle.py; each password check costs an Argon2 hash)."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.auth.signin import WRONG, SignInRefused, sign_in
from tests.factories import PASSWORD, make_employee

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
HERE, COLLEAGUE = "203.0.113.66", "10.9.8.7"


def refusal(session, email, password, *, address=HERE, now=NOW) -> SignInRefused:
    with pytest.raises(SignInRefused) as refused:
        sign_in(session, email, password, address=address, now=now)
    return refused.value


def test_the_right_password_signs_in(session):
    employee = make_employee(session, email="maria@staff.example")
    assert sign_in(session, " Maria@Staff.example ", PASSWORD, address=HERE, now=NOW) is employee


def test_a_wrong_password_is_refused_with_a_neutral_message(session):
    make_employee(session, email="maria@staff.example")
    assert str(refusal(session, "maria@staff.example", "not the password")) == WRONG


def test_five_wrong_passwords_make_only_that_address_wait(session):
    maria = make_employee(session, email="maria@staff.example")
    messages = [str(refusal(session, "maria@staff.example", "guess")) for _ in range(5)]
    assert messages[:4] == [WRONG] * 4
    assert messages[4] == ("Too many wrong passwords for this e-mail address have been tried from here. "
                           "Wait 1 minute and try again, or reset your password.")
    # Even the right password waits: otherwise the wait would tell a guesser which guess was right.
    early = refusal(session, "maria@staff.example", PASSWORD, now=NOW + timedelta(seconds=30))
    assert early.retry_after == timedelta(seconds=30) and "Wait 1 minute " in str(early)
    assert sign_in(session, "maria@staff.example", PASSWORD, address=COLLEAGUE, now=NOW) is maria
    assert sign_in(session, "maria@staff.example", PASSWORD, address=HERE, now=NOW + timedelta(minutes=1)) is maria


def test_an_inactive_employee_cannot_sign_in(session):
    make_employee(session, email="left@staff.example", active=False)
    assert str(refusal(session, "left@staff.example", PASSWORD)) == WRONG
