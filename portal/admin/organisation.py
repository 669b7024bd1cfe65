"""Admins changing the organisation's name and logo (read everywhere through `portal.organisation`)."""

from __future__ import annotations

from pathlib import Path

import filetype
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.admin.errors import OrganisationRefused
from portal.auth.models import Employee
from portal.auth.permissions import require_admin
from portal.organisation import Organisation, forget_cached_branding

LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
MAX_LOGO_BYTES = 1024 * 1024

__all__ = ["OrganisationRefused", "update_organisation"]


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
