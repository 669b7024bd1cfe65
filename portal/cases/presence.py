"""Who else has a case open, so colleagues never work on it unaware of each other."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee
from portal.cases.models import Case, CaseViewer

# A page polls every 20 seconds; a viewer unseen for longer than this has left.
WINDOW = timedelta(seconds=60)


def touch(session: Session, case: Case, employee: Employee, *, now: datetime) -> None:
    viewer = session.get(CaseViewer, (case.id, employee.id))
    if viewer is None:
        session.add(CaseViewer(case_id=case.id, employee_id=employee.id, seen_at=now))
    else:
        viewer.seen_at = now


def others_viewing(session: Session, case: Case, employee: Employee, *, now: datetime) -> list[Employee]:
    viewers = session.scalars(
        select(CaseViewer).where(CaseViewer.case_id == case.id, CaseViewer.employee_id != employee.id,
                                 CaseViewer.seen_at >= now - WINDOW).options(selectinload(CaseViewer.employee))
    ).all()
    return [v.employee for v in viewers]
