"""Session keys: what a cookie names must match the account's current session generation."""

import pytest

from portal.auth.passwords import hash_password
from portal.auth.sessions import end_sessions
from portal.auth.signin import employee_for_session
from portal.cases.customer_access import customer_for_session
from tests.factories import make_customer, make_employee

ACCOUNTS = {"employee": (make_employee, employee_for_session), "customer": (make_customer, customer_for_session)}


@pytest.mark.parametrize("kind", ACCOUNTS)
def test_a_key_opens_the_account_until_its_sessions_end(session, kind):
    make, load = ACCOUNTS[kind]
    account = make(session)
    key = account.session_key()
    assert load(session, key) is account
    end_sessions(account)
    assert load(session, key) is None
    assert load(session, account.session_key()) is account  # signing in again works


@pytest.mark.parametrize("kind", ACCOUNTS)
def test_a_new_password_set_anywhere_ends_the_sessions(session, kind):
    make, load = ACCOUNTS[kind]
    account = make(session)
    key = account.session_key()
    account.password_hash = hash_password("a password set elsewhere")
    assert load(session, key) is None


def test_deactivation_ends_sessions_for_good_even_if_the_account_comes_back(session):
    employee = make_employee(session)
    key = employee.get_id()
    employee.active = False
    assert employee_for_session(session, key) is None
    employee.active = True
    assert employee_for_session(session, key) is None


def test_garbled_keys_open_nothing(session):
    employee = make_employee(session)
    for key in ("", "x", f"{employee.id}", f"{employee.id}:", ":0", f"{employee.id}:x", "9" * 40 + ":0",
                f"{employee.id}:{'9' * 40}", f"{employee.id}:-1", "١:٠", None, 12):
        assert employee_for_session(session, key) is None
