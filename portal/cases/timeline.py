"""Writing to a case's append-only timeline. Status changes come through portal.cases.lifecycle.move, which
writes their event here; other entries (replies, notes, handoffs, offers proposed...) are recorded directly."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases.models import Case, Event, EventKind
from portal.db import utcnow


def record(
    session: Session,
    case: Case,
    kind: EventKind,
    *,
    by: Employee | None = None,
    by_customer: bool = False,
    public: bool = False,
    body: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    event = Event(
        case=case,
        kind=EventKind(kind).value,  # a misspelt kind fails here, not later on a page that cannot word it
        employee=by,
        by_customer=by_customer,
        public=public,
        body=body,
        detail=detail or {},
        at=at or utcnow(),
    )
    session.add(event)
    return event
