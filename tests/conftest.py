"""Fixtures: a migrated database per test on SQLite (and PostgreSQL when TEST_POSTGRES_URL is set),
an app and its test client, and factories for the domain's objects."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from portal.app import create_app
from portal.db import Base, make_engine
from portal.metrics.milestone_sync import keep_milestones_in_step
from portal.migrate import upgrade
from tests.browserlike import BrowserLikeClient

pytest_plugins = ("tests.page_checks",)  # ids, labels and the Nu Html Checker on every page the tests render

POSTGRES_ENV = "TEST_POSTGRES_URL"
POSTGRES_SKIP = f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


class PostgresDatabase:
    """A database of this test run's own, created from the admin URL and dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.name = f"mir_test_{uuid.uuid4().hex[:12]}"
        self.url = make_url(admin_url).set(database=self.name).render_as_string(hide_password=False)

    def create(self) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        engine.dispose()

    def drop(self) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        engine.dispose()


CLOCK_ENV = "TEST_CLOCK"


@pytest.fixture(autouse=True)
def suite_clock() -> Iterator[None]:
    """With TEST_CLOCK=2026-11-01T00:30:00+00:00 every test starts at that instant and time runs on from there:
    `make test` runs the suite again on the calendar's edges (the 1st of a month, 31 December, the days the
    clocks change) so that a test tied to today's date fails every day, not only in the first days of a month."""
    when = os.environ.get(CLOCK_ENV)
    if not when:
        yield
        return
    with time_machine.travel(datetime.fromisoformat(when), tick=True):
        yield


@pytest.fixture(autouse=True)
def fresh_branding_cache() -> None:
    # The organisation's name is cached per database URL; the PostgreSQL database is reused (truncated) per test.
    from portal.organisation import forget_cached_branding

    forget_cached_branding()


@pytest.fixture(autouse=True, scope="session")
def started_once(tmp_path_factory: pytest.TempPathFactory) -> None:
    """What start-up wires, for services tested without an app of their own: the routes e-mail links are built
    from, and what a bounce, an opt-out or an e-mailed reply means for a case."""
    folder = tmp_path_factory.mktemp("started-once")
    make_test_app(f"sqlite:///{folder / 'unused.sqlite3'}", folder)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresDatabase]:
    admin = postgres_admin_url()
    if not admin:
        pytest.skip(POSTGRES_SKIP)
    database = PostgresDatabase(admin)
    database.create()
    try:
        upgrade(database.url)
        yield database
    finally:
        database.drop()


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "portal.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_url(postgres_database: PostgresDatabase) -> Iterator[str]:
    yield postgres_database.url
    _truncate_all(postgres_database.url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs twice: on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    """A plain SQLAlchemy session on a migrated database, as services receive it (with the milestones kept in step,
    as the app keeps them)."""
    keep_milestones_in_step()
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


def make_test_app(db_url: str, tmp_path: Path, **overrides):
    config = {
        "PORTAL_ENV": "test",
        "SECRET_KEY": "test-secret-key-that-is-long-enough",
        "DATABASE_URL": db_url,
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        # CSRF on, as in production: BrowserLikeClient posts the token a browser would read from the page.
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "SENDGRID_API_KEY": "",
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = BrowserLikeClient
    from tests import page_checks

    page_checks.watch(app)
    return app


@pytest.fixture
def app(sqlite_url: str, tmp_path: Path):
    # No app context stays pushed: each request gets its own, as in production (own session, own g).
    return make_test_app(sqlite_url, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_session(app) -> Iterator[Session]:
    """A session on the app's database, for arranging and checking data in view tests."""
    from portal.db import db

    with Session(db.engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def outbox(tmp_path: Path):
    """The .eml files the file transport wrote, oldest first."""
    from email import policy
    from email.parser import BytesParser

    def read() -> list:
        folder = tmp_path / "outbox"
        return [
            BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))
        ]

    return read
