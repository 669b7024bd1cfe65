"""The organisation's own settings: the name and logo shown in the header, e-mails and PDFs.

Almost every capability reads them, so they live below all of them (they import no capability); admins change
them through `portal.admin.organisation`. ORG_NAME from the environment is the name until an admin sets one."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, utcnow
from portal.mail.outbox import settings as mail_settings

# Several worker processes each keep their own copy; a change shows everywhere within this many seconds.
CACHE_SECONDS = 30.0


class Organisation(Base):
    """One row: the name and logo shown in the header, e-mails and PDFs (ORG_NAME is the default)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    logo_filename: Mapped[str] = mapped_column(String(120), default="")
    logo_content_type: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


@dataclass(frozen=True)
class Branding:
    name: str
    logo_filename: str
    logo_content_type: str


_cache: dict[str, tuple[float, Branding]] = {}


def branding(session: Session, default_name: str) -> Branding:
    key = f"{session.get_bind().url}|{default_name}"
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    row = session.scalar(select(Organisation).limit(1))
    value = Branding(row.name, row.logo_filename, row.logo_content_type) if row else Branding(default_name, "", "")
    _cache[key] = (now, value)
    return value


def organisation_name(session: Session) -> str:
    """The organisation's name on pages, e-mails and PDFs: as an admin last set it, else ORG_NAME (which the app
    hands to mail's settings at start-up, per app when several share a process)."""
    return branding(session, mail_settings().org_name).name


def forget_cached_branding() -> None:
    _cache.clear()


def logo_path(upload_dir: str, filename: str) -> Path | None:
    path = Path(upload_dir) / "organisation" / filename
    return path if filename and path.is_file() else None
