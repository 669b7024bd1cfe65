"""The organisation's name and logo, editable by admins; ORG_NAME from the environment until then."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import filetype
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.admin.errors import OrganisationRefused
from portal.admin.models import Organisation
from portal.auth.models import Employee
from portal.auth.permissions import require_admin

LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
MAX_LOGO_BYTES = 1024 * 1024
# Several worker processes each keep their own copy; a change shows everywhere within this many seconds.
CACHE_SECONDS = 30.0


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


def forget_cached_branding() -> None:
    _cache.clear()


def update_organisation(
    session: Session, *, name: str, logo: bytes | None, upload_dir: str, by: Employee, default_name: str
) -> Organisation:
    require_admin(by, "the organisation's details")
    name = name.strip()
    if not name:
        raise OrganisationRefused("Enter the organisation's name.")
    row = session.scalar(select(Organisation).limit(1))
    if row is None:
        row = Organisation(name=default_name)
        session.add(row)
    before = audit.snapshot(row, ("name", "logo_filename"))
    row.name = name
    if logo:
        if len(logo) > MAX_LOGO_BYTES:
            raise OrganisationRefused("The logo must be 1 MB or smaller.")
        kind = filetype.guess(logo)
        if kind is None or kind.mime not in LOGO_TYPES:
            raise OrganisationRefused("The logo must be a PNG, JPEG or WebP picture.")
        folder = Path(upload_dir) / "organisation"
        folder.mkdir(parents=True, exist_ok=True)
        filename = f"logo.{LOGO_TYPES[kind.mime]}"
        (folder / filename).write_bytes(logo)
        row.logo_filename, row.logo_content_type = filename, kind.mime
    session.flush()
    audit.record(session, actor=by, action="update", entity="organisation", entity_id=row.id,
                 summary=f"Organisation details changed to “{name}”",
                 before=before, after=audit.snapshot(row, ("name", "logo_filename")))
    forget_cached_branding()
    return row


def logo_path(upload_dir: str, filename: str) -> Path | None:
    path = Path(upload_dir) / "organisation" / filename
    return path if filename and path.is_file() else None
