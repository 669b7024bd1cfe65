import pytest

from portal.app import create_app
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


def test_base_url_follows_the_port_when_it_is_not_set():
    assert Settings.from_env({}).BASE_URL == "http://127.0.0.1:5000"
    assert Settings.from_env({"PORT": "5101"}).BASE_URL == "http://127.0.0.1:5101"
    assert Settings.from_env({"PORT": "5101", "BASE_URL": "https://care.example.org"}).BASE_URL == \
        "https://care.example.org"
    with pytest.raises(ConfigError, match="PORT must be a port number"):
        Settings.from_env({"PORT": "fifty"})


def test_portal_run_on_another_port_e_mails_links_to_that_port(monkeypatch, sqlite_url, tmp_path):
    """`portal run --port 5101` with no BASE_URL: the app it serves links to 5101, not 5000."""
    import flask.cli
    from click.testing import CliRunner

    from portal.__main__ import portal_group

    served = {}

    def run_simple(host, port, app, **options):
        with app.app_context():  # the app Flask's CLI loaded, as it would serve it
            from flask import current_app
            served.update(host=host, port=port, base_url=current_app.config["BASE_URL"])

    monkeypatch.setattr(flask.cli, "run_simple", run_simple)
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "5000")  # so that what the command sets is undone after the test
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("PORTAL_INSTANCE", str(tmp_path))
    result = CliRunner().invoke(portal_group(), ["run", "--port", "5101"], catch_exceptions=False)
    assert served == {"host": "127.0.0.1", "port": 5101, "base_url": "http://127.0.0.1:5101"}, result.output


def test_make_run_passes_its_port_to_the_demo_links_and_the_server():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(["make", "-n", "run", "PORT=5101"], cwd=root, capture_output=True,
                          text=True, check=True).stdout
    assert "PORT=5101 .venv/bin/portal demo" in plan
    assert "PORT=5101 .venv/bin/portal run --host 127.0.0.1 --port 5101" in plan
