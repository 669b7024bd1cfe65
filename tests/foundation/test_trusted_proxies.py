"""TRUSTED_PROXIES: who the client is, for rate limits, sign-in throttles and the staff session's binding."""

import pytest

from portal.config import ConfigError, Settings
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_employee

PROXY = "10.0.0.1"


def through_proxy(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = PROXY
    return client


def forgot_password(client, forwarded_for: str) -> int:
    return client.post("/staff/forgot-password", data={"email": "nobody@staff.example"},
                       headers={"X-Forwarded-For": forwarded_for}).status_code


def test_without_trusted_proxies_x_forwarded_for_is_ignored_by_the_rate_limiter(sqlite_url, tmp_path):
    client = through_proxy(make_test_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True))
    # A client inventing a new address for every request is still one client: the limit (10 a minute) holds.
    statuses = [forgot_password(client, f"198.51.100.{n}") for n in range(11)]
    assert statuses == [302] * 10 + [429]


def test_with_one_trusted_proxy_the_forwarded_client_address_is_limited(sqlite_url, tmp_path):
    client = through_proxy(make_test_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1))
    statuses = [forgot_password(client, "198.51.100.7") for _ in range(11)]
    assert statuses == [302] * 10 + [429]
    assert forgot_password(client, "198.51.100.8") == 302  # another client behind the same proxy
    # Only the hop the proxy added (the last) is believed: an address the client put in front of it is not.
    assert forgot_password(client, "198.51.100.9, 198.51.100.7") == 429


def test_with_a_trusted_proxy_the_staff_session_is_bound_to_the_forwarded_client(sqlite_url, tmp_path, db_session):
    app = make_test_app(sqlite_url, tmp_path, TRUSTED_PROXIES=1)
    make_employee(db_session, email="maria@staff.example")
    db_session.commit()
    maria = through_proxy(app)
    maria.post("/staff/sign-in", data={"email": "maria@staff.example", "password": PASSWORD},
               headers={"X-Forwarded-For": "198.51.100.7"})
    assert maria.get("/staff/cases", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 200
    thief = through_proxy(app)
    thief.set_cookie("session", maria.get_cookie("session").value)
    assert thief.get("/staff/cases", headers={"X-Forwarded-For": "198.51.100.99"}).status_code == 302


def test_trusted_proxies_comes_from_the_environment_and_cannot_be_negative():
    assert Settings.from_env({}).TRUSTED_PROXIES == 0
    assert Settings.from_env({"TRUSTED_PROXIES": "2"}).TRUSTED_PROXIES == 2
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        Settings.from_env({"TRUSTED_PROXIES": "-1"}).check()
