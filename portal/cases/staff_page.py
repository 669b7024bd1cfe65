"""What the staff case page shows: the whole timeline with its files, the helpers, who else has it open, the
handoff to read first, drafts waiting, and the colleagues the owner could hand it to or ask for help."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee
from portal.cases import ownership, presence, replies, workspace
from portal.cases.models import Attachment, Case, CaseHelper, Event
from portal.cases.permissions import can_work_on


@dataclass(frozen=True)
class StaffCasePage:
    events: list[Event]
    files: dict[int | None, list[Attachment]]
    helpers: list[CaseHelper]
    viewers: list[Employee]
    handoff: Event | None
    drafts: list[Event]
    latest_event_id: int
    can_act: bool
    is_helper: bool
    due_at: datetime | None
    # Pickers: a new owner may be anyone active but the owner; a helper, anyone active not already helping.
    new_owners: list[Employee]
    new_helpers: list[Employee]


def staff_case_page(session: Session, case: Case, viewer: Employee, *, now: datetime) -> StaffCasePage:
    """Reading only: presence is recorded by the page's own poll, so a page view (or an error page after a
    rollback) never writes."""
    events = list(session.scalars(
        select(Event).where(Event.case_id == case.id).options(selectinload(Event.employee)).order_by(Event.id)
    ))
    files: dict[int | None, list[Attachment]] = defaultdict(list)
    for attachment in session.scalars(select(Attachment).where(Attachment.case_id == case.id)):
        files[attachment.event_id].append(attachment)
    helpers = list(session.scalars(
        select(CaseHelper).where(CaseHelper.case_id == case.id).options(selectinload(CaseHelper.employee))
    ))
    helping = {h.employee_id for h in helpers}
    new_owners, new_helpers = colleagues(session, case, helping=helping)
    return StaffCasePage(
        events=events, files=files, helpers=helpers,
        viewers=presence.others_viewing(session, case, viewer, now=now),
        handoff=ownership.latest_handoff_to_owner(events, case.owner_id),
        drafts=replies.pending_drafts(events), latest_event_id=events[-1].id if events else 0,
        can_act=can_work_on(viewer, case), is_helper=viewer.id in helping, due_at=workspace.due_at(case),
        new_owners=new_owners, new_helpers=new_helpers,
    )


def colleagues(session: Session, case: Case, *, helping: set[int] | None = None
               ) -> tuple[list[Employee], list[Employee]]:
    """Who could take the case (anyone active but its owner) and who could help (those not helping already:
    ``helping``, when the caller has read them)."""
    if helping is None:
        helping = set(session.scalars(select(CaseHelper.employee_id).where(CaseHelper.case_id == case.id)))
    active = [e for e in session.scalars(
        select(Employee).where(Employee.active).options(selectinload(Employee.team)).order_by(Employee.name)
    ) if e.id != case.owner_id]
    return active, [e for e in active if e.id not in helping]
