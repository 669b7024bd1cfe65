import pytest

from portal import create_app
from portal.config import DEV_SECRET_KEY, ConfigError, Settings


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        Settings.from_env({"PORTAL_ENV": "production"}).check()


def test_production_refuses_the_development_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        Settings.from_env({"PORTAL_ENV": "production", "SECRET_KEY": DEV_SECRET_KEY}).check()


def test_production_refuses_a_short_secret_key():
    with pytest.raises(ConfigError, match="too short"):
        Settings.from_env({"PORTAL_ENV": "production", "SECRET_KEY": "short"}).check()


def test_an_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError, match="PORTAL_ENV"):
        Settings.from_env({"PORTAL_ENV": "staging"}).check()


def test_create_app_refuses_production_with_the_default_secret(sqlite_url):
    with pytest.raises(ConfigError):
        create_app({"PORTAL_ENV": "production", "SECRET_KEY": DEV_SECRET_KEY, "DATABASE_URL": sqlite_url})


def test_production_with_a_real_secret_sets_secure_cookies(sqlite_url):
    app = create_app({"PORTAL_ENV": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": sqlite_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_defaults_suit_a_laptop():
    settings = Settings.from_env({})
    assert settings.DATABASE_URL.startswith("sqlite:///") and settings.DATABASE_URL.endswith("instance/portal.sqlite3")
    assert settings.BASE_URL == "http://127.0.0.1:5000"
    assert settings.SENDGRID_API_KEY == ""
    settings.check()
