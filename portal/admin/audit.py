"""Writing and reading the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.admin.models import AuditEntry
from portal.auth.models import Employee

PAGE_SIZE = 50


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """Plain JSON-able values of ``fields``, so before/after survive in the log whatever the types."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, Decimal):
            value = f"{value:.2f}"
        elif hasattr(value, "name") and not isinstance(value, str | int | float | bool):
            value = value.name
        values[name] = value
    return values


def record(
    session: Session,
    *,
    actor: Employee | None,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor, action=action, entity=entity, entity_id=entity_id, summary=summary,
        before=before or {}, after=after or {},
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def list_entries(session: Session, *, entity: str | None = None, actor_id: int | None = None, page: int = 1
                 ) -> AuditPage:
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    entries = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return AuditPage(list(entries), total, page, pages)


def entity_names(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))
