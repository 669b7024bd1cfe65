from datetime import timedelta

import pytest

from portal.auth.signin import LOCKED, WRONG, SignInRefused, sign_in
from portal.db import utcnow
from tests.factories import PASSWORD, make_employee


def test_the_right_password_signs_in(session):
    employee = make_employee(session, email="maria@staff.example")
    assert sign_in(session, " Maria@Staff.example ", PASSWORD) is employee


def test_a_wrong_password_is_refused_with_a_neutral_message(session):
    make_employee(session, email="maria@staff.example")
    with pytest.raises(SignInRefused) as refused:
        sign_in(session, "maria@staff.example", "not the password")
    assert str(refused.value) == WRONG


def test_five_wrong_passwords_lock_the_address_for_fifteen_minutes(session):
    make_employee(session, email="maria@staff.example")
    messages = []
    for _ in range(5):
        with pytest.raises(SignInRefused) as refused:
            sign_in(session, "maria@staff.example", "guess")
        messages.append(str(refused.value))
    assert messages == [WRONG] * 4 + [LOCKED]
    with pytest.raises(SignInRefused, match="too many wrong passwords"):
        sign_in(session, "maria@staff.example", PASSWORD)


def test_an_unknown_address_locks_the_same_way_so_nothing_is_revealed(session):
    make_employee(session, email="maria@staff.example")
    seen = {}
    for address in ("maria@staff.example", "nobody@staff.example"):
        messages = []
        for _ in range(6):
            with pytest.raises(SignInRefused) as refused:
                sign_in(session, address, "guess")
            messages.append(str(refused.value))
        seen[address] = messages
    assert seen["maria@staff.example"] == seen["nobody@staff.example"]


def test_the_lock_lifts_after_fifteen_minutes(session):
    from portal.auth.models import SignInThrottle

    employee = make_employee(session, email="maria@staff.example")
    for _ in range(5):
        with pytest.raises(SignInRefused):
            sign_in(session, "maria@staff.example", "guess")
    throttle = session.get(SignInThrottle, "maria@staff.example")
    throttle.locked_until = utcnow() - timedelta(seconds=1)
    assert sign_in(session, "maria@staff.example", PASSWORD) is employee
    assert session.get(SignInThrottle, "maria@staff.example") is None or throttle in session.deleted


def test_an_inactive_employee_cannot_sign_in(session):
    make_employee(session, email="left@staff.example", active=False)
    with pytest.raises(SignInRefused):
        sign_in(session, "left@staff.example", PASSWORD)
