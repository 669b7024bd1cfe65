"""The audit log: who changed what, when, and the values before and after.

Every capability that changes settings or people writes here (admin, and case ownership when an employee is
deactivated), so the log sits below them all."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.auth.models import Employee
from portal.db import Base, utcnow
from portal.paging import Page, paginate

PAGE_SIZE = 50


class AuditEntry(Base):
    """Who changed what, when, and the values before and after."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Employee | None] = relationship()

    def changes(self) -> list[tuple[str, Any, Any]]:
        keys = sorted(set(self.before) | set(self.after))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys if self.before.get(k) != self.after.get(k)]


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


def list_entries(session: Session, *, entity: str | None = None, actor_id: int | None = None, page: int = 1
                 ) -> Page[AuditEntry]:
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    return paginate(session, query, page=page, per_page=PAGE_SIZE,
                    order_by=(AuditEntry.at.desc(), AuditEntry.id.desc()))


def entity_names(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))
