"""One person owns each case: handoffs with a context note, helpers, and leaving nobody without an owner."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.auth.accounts import EMPLOYEE_FIELDS
from portal.auth.models import Employee
from portal.cases import notify
from portal.cases.customer_access import issue_link
from portal.cases.errors import HandoffRefused
from portal.cases.lifecycle import OPEN_STATUSES
from portal.cases.models import Case, CaseHelper, Event, EventKind
from portal.cases.naming import name_from_team
from portal.cases.permissions import can_work_on, manages_team
from portal.cases.replies import CaseActionRefused
from portal.cases.timeline import record
from portal.db import utcnow

HANDOFF_REASONS = {
    "other_team": "Another team has to do the work",
    "specialist": "Needs someone with specialist knowledge",
    "absence": "I will be away",
    "workload": "Balancing the team's workload",
    "escalation": "Needs a more senior decision",
}
MIN_NOTE_WORDS = 6
# More handoffs than this and the customer is bouncing between people: the team's manager is told.
HANDOFFS_BEFORE_FLAG = 2


def check_note(note: str) -> str:
    """The context note a new owner reads first: at least a sentence."""
    text = " ".join(note.split())
    if len(text.split()) < MIN_NOTE_WORDS:
        raise HandoffRefused(
            "Write a context note of at least a sentence for the next owner: what the customer needs and expects, "
            "and what has been tried."
        )
    return text


def hand_off(
    session: Session, case: Case, *, to: Employee, note: str, reason: str, by: Employee,
    link_for: Callable[[str], str],
) -> Event:
    """Move ownership; the new owner must be told what the customer needs, and the customer who has it now."""
    if not can_work_on(by, case):
        raise HandoffRefused("Only the case's owner or a manager of its team can hand it off.")
    if reason not in HANDOFF_REASONS:
        raise HandoffRefused("Choose why the case is moving.")
    text = check_note(note)
    if not to.active:
        raise HandoffRefused(f"{to.name} is not active.")
    if to.id == case.owner_id:
        raise HandoffRefused(f"{to.name} already owns this case.")
    previous = case.owner
    now = utcnow()
    event = record(session, case, EventKind.handoff, by=by, body=text, at=now,
                   detail={"from": previous.id, "to": to.id, "reason": reason, "note": text})
    case.owner = to
    to.last_assigned_at = now
    case.updated_at = now
    new_owner = name_from_team(to.first_name, to.team.name if to.team else None)
    record(session, case, EventKind.owner_changed, public=True, at=now, body=(
        f"Your case is now looked after by {new_owner}. {to.first_name} has read everything "
        f"so far, so you will not need to explain again."), detail={"to": to.id})
    session.flush()
    handoffs = session.scalars(select(Event.id).where(Event.case_id == case.id, Event.kind == EventKind.handoff)).all()
    notify.case_handed_to_you(session, case, by=by, note=text, reason=HANDOFF_REASONS[reason])
    notify.new_owner(session, case, owner_from_team=new_owner, link=link_for(issue_link(session, case)))
    if len(handoffs) > HANDOFFS_BEFORE_FLAG and not case.needs_manager:
        _flag_to_manager(session, case, len(handoffs))
    return event


def reassign(
    session: Session, cases: list[Case], *, to: Employee, note: str, reason: str, by: Employee,
    link_for: Callable[[str], str],
) -> list[Event]:
    """A manager moves several cases to one colleague with one context note: each is an ordinary handoff (its
    note, its events, the new owner and the customer told), and either all of them move or none does."""
    if not cases:
        raise HandoffRefused("Tick at least one case to reassign.")
    check_note(note)
    theirs = [c.reference for c in cases if c.owner_id == to.id]
    if theirs:
        which = "it" if len(theirs) == 1 else "them"
        raise HandoffRefused(f"{to.name} already owns {', '.join(theirs)}: untick {which} or choose someone else.")
    refused = [c.reference for c in cases if not can_work_on(by, c)]
    if refused:
        raise HandoffRefused(f"Only a manager of their team can reassign {', '.join(refused)}.")
    return [hand_off(session, c, to=to, note=note, reason=reason, by=by, link_for=link_for) for c in cases]


def _flag_to_manager(session: Session, case: Case, handoffs: int) -> None:
    case.needs_manager = True
    record(session, case, EventKind.flagged, detail={"reason": f"handed off {handoffs} times"})
    manager = case.category.team.manager
    if manager is not None and manager.active:
        notify.case_flagged(session, case, manager, handoffs=handoffs)


def latest_handoff_to_owner(events: list[Event], owner_id: int) -> Event | None:
    """The handoff that gave the current owner this case: its note is what they read first."""
    for event in reversed(events):
        if event.kind == EventKind.handoff:
            return event if event.detail.get("to") == owner_id else None
    return None


def add_helper(session: Session, case: Case, helper: Employee, *, by: Employee) -> CaseHelper:
    if not can_work_on(by, case):
        raise CaseActionRefused("Only the case's owner or a manager of its team can ask for help.")
    if not helper.active:
        raise CaseActionRefused(f"{helper.name} is not active.")
    if helper.id == case.owner_id:
        raise CaseActionRefused("The owner cannot be their own helper.")
    existing = session.scalar(select(CaseHelper).where(CaseHelper.case_id == case.id,
                                                       CaseHelper.employee_id == helper.id))
    if existing is not None:
        raise CaseActionRefused(f"{helper.name} is already helping on this case.")
    link = CaseHelper(case_id=case.id, employee=helper, added_by_id=by.id)
    session.add(link)
    record(session, case, EventKind.helper_added, by=by, detail={"helper": helper.id, "name": helper.name})
    notify.helper_asked(session, case, helper, by=by)
    return link


def open_cases_of(session: Session, employee: Employee) -> list[Case]:
    return list(session.scalars(
        select(Case).where(Case.owner_id == employee.id, Case.status.in_(OPEN_STATUSES)).order_by(Case.created_at)
    ))


def deactivate(
    session: Session, employee: Employee, *, to: Employee, note: str, by: Employee, link_for: Callable[[str], str]
) -> int:
    """Hand every open case of ``employee`` to ``to`` with one note, then deactivate: no case is left ownerless."""
    if not manages_team(by, employee.team):
        raise HandoffRefused("Only a manager of their team (or an admin) can deactivate an employee.")
    if by.id == employee.id:
        raise HandoffRefused("You cannot deactivate yourself.")
    if to.id == employee.id:
        raise HandoffRefused("Choose someone else to take the cases.")
    cases = open_cases_of(session, employee)
    for case in cases:
        hand_off(session, case, to=to, note=note, reason="absence", by=by, link_for=link_for)
    before = audit.snapshot(employee, EMPLOYEE_FIELDS)
    employee.active = False
    audit.record(session, actor=by, action="deactivate", entity="employee", entity_id=employee.id,
                 summary=f"{employee.name} deactivated; {len(cases)} open case{'' if len(cases) == 1 else 's'} "
                         f"moved to {to.name}",
                 before=before, after=audit.snapshot(employee, EMPLOYEE_FIELDS))
    return len(cases)
