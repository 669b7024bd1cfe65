"""Fixtures for the mail tests: configured rendering, a session factory for workers, the fake SendGrid."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from portal.db import make_engine, utcnow
from portal.mail import outbox
from portal.mail.models import OutboxMessage
from portal.mail.rendering import MailSettings
from tests.mail.fake_sendgrid import FakeSendGrid

SECRET = "test-secret-key-that-is-long-enough"
SETTINGS = MailSettings("Riverside Rovers FC", "http://portal.test", "Make It Right <care@example.org>", SECRET,
                        "reply.example.org")


@pytest.fixture(autouse=True)
def mail_settings() -> MailSettings:
    outbox.configure(SETTINGS)
    return SETTINGS


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def fake_sendgrid() -> Iterator[FakeSendGrid]:
    with FakeSendGrid() as server:
        yield server


def fill_outbox(factory: sessionmaker[Session], count: int, *, prefix: str = "fan") -> list[int]:
    """``count`` plain messages written straight to the table (rendering is not what these tests are about)."""
    now = utcnow()
    rows = [
        dict(to_address=f"{prefix}{i}@fans.example", template="bulk", subject=f"Message {i}", body_text=f"Hello {i}",
             body_html=f"<p>Hello {i}</p>", context={}, status="queued", attempts=0, next_attempt_at=now,
             claimed_by="", provider_message_id="", last_error="", created_at=now, reply_to="", categories=["bulk"],
             transactional=True, last_event="")
        for i in range(count)
    ]
    with factory() as session:
        session.execute(insert(OutboxMessage), rows)
        session.commit()
        return list(session.scalars(OutboxMessage.__table__.select().with_only_columns(OutboxMessage.id)))


def portal_command(*args: str, env: dict[str, str]) -> list[str]:
    return [str(Path(sys.executable).parent / "portal"), *args]


def worker_env(db_url: str, fake: FakeSendGrid, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PORTAL_ENV": "test",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": db_url,
        "SENDGRID_API_KEY": "SG.test-key",
        "SENDGRID_HOST": fake.url,
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "PORTAL_INSTANCE": str(tmp_path),
    }


def start_worker(db_url: str, fake: FakeSendGrid, tmp_path: Path, *args: str) -> subprocess.Popen:
    env = worker_env(db_url, fake, tmp_path)
    return subprocess.Popen(portal_command("worker", "--quiet", *args, env=env), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
