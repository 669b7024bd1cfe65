"""The case conversation on the staff side: replies the customer sees, internal notes, helpers' drafts,
and status changes with a reason."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases import lifecycle, notify
from portal.cases.customer_access import issue_link
from portal.cases.errors import CaseActionRefused, StaleCase
from portal.cases.lifecycle import Action
from portal.cases.models import Case, CaseStatus, Event, EventKind
from portal.cases.permissions import can_work_on, is_helper
from portal.cases.timeline import record
from portal.db import utcnow

MAX_TEXT = 5000
# Status changes an owner makes by hand; offers, choices and fulfilment move the others.
MANUAL_STATUSES = {  # the words the form shows, and the lifecycle's action that makes the change
    CaseStatus.acknowledged: ("Being looked at", Action.acknowledge),
    CaseStatus.resolved: ("Resolved", Action.resolve),
    CaseStatus.closed: ("Closed", Action.close),
    CaseStatus.reopened: ("Reopened", Action.reopen),
}


def latest_event_id(session: Session, case: Case) -> int:
    return session.scalar(select(Event.id).where(Event.case_id == case.id).order_by(Event.id.desc()).limit(1)) or 0


def _check_fresh(session: Session, case: Case, seen_event_id: int | None, by: Employee) -> None:
    if seen_event_id is None:
        return
    newer = session.scalars(
        select(Event).where(Event.case_id == case.id, Event.id > seen_event_id).order_by(Event.id)
    ).all()
    newer = [e for e in newer if e.employee_id != by.id]
    if newer:
        raise StaleCase(newer)


def _text(body: str, what: str) -> str:
    text = body.strip()
    if not text:
        raise CaseActionRefused(f"Write the {what} first.")
    if len(text) > MAX_TEXT:
        raise CaseActionRefused(f"The {what} must be {MAX_TEXT:,} characters or fewer.")
    return text


def reply(
    session: Session, case: Case, body: str, *, by: Employee, seen_event_id: int | None,
    link_for: Callable[[str], str],
) -> Event:
    """A reply the customer sees and is e-mailed; the first one counts as the first response."""
    if not can_work_on(by, case):
        raise CaseActionRefused("Only the case's owner or a manager of its team can reply to the customer. "
                                "Helpers can write a draft for the owner to send.")
    text = _text(body, "reply")
    _check_fresh(session, case, seen_event_id, by)
    if not case.can_reply:
        raise CaseActionRefused(f"This case is {case.status.label.lower()}; reopen it before replying.")
    now = utcnow()
    event = record(session, case, EventKind.reply, by=by, public=True, body=text, at=now)
    if case.first_responded_at is None:
        case.first_responded_at = now
    if case.status is CaseStatus.new:
        lifecycle.move(session, case, Action.first_reply, by=by, at=now, reason="First reply sent")
    case.updated_at = now
    session.flush()
    notify.owner_reply(session, case, by=by, body=text, link=link_for(issue_link(session, case)))
    return event


def note(session: Session, case: Case, body: str, *, by: Employee) -> Event:
    """An internal note: owners, managers and helpers write them; customers never see them."""
    if not (can_work_on(by, case) or is_helper(session, case, by)):
        raise CaseActionRefused("Only the owner, the case's helpers and its team's managers can add notes.")
    return record(session, case, EventKind.note, by=by, body=_text(body, "note"))


def draft_reply(session: Session, case: Case, body: str, *, by: Employee) -> Event:
    """A helper's suggested reply, which only the owner can send: the owner stays accountable."""
    if not (is_helper(session, case, by) or can_work_on(by, case)):
        raise CaseActionRefused("Only the case's helpers can draft replies for the owner.")
    return record(session, case, EventKind.draft_reply, by=by, body=_text(body, "draft"))


def pending_drafts(events: list[Event]) -> list[Event]:
    sent = {e.detail.get("draft") for e in events if e.kind == EventKind.draft_sent}
    return [e for e in events if e.kind == EventKind.draft_reply and e.id not in sent]


def send_draft(
    session: Session, case: Case, draft: Event, *, by: Employee, seen_event_id: int | None,
    link_for: Callable[[str], str], body: str | None = None,
) -> Event:
    if draft.case_id != case.id or draft.kind != EventKind.draft_reply:
        raise CaseActionRefused("That draft does not belong to this case.")
    if draft.id not in {e.id for e in pending_drafts(case.events)}:
        raise CaseActionRefused("That draft has already been sent.")
    sent = reply(session, case, body if body is not None else draft.body, by=by, seen_event_id=seen_event_id,
                 link_for=link_for)
    record(session, case, EventKind.draft_sent, by=by, detail={"draft": draft.id, "reply": sent.id,
                                                       "drafted_by": draft.employee_id})
    return sent


def change_status(session: Session, case: Case, to: CaseStatus, *, reason: str, by: Employee) -> Event:
    if not can_work_on(by, case):
        raise CaseActionRefused("Only the case's owner or a manager of its team can change its status.")
    if to not in MANUAL_STATUSES:
        raise CaseActionRefused("That status follows from offers and choices; it cannot be set by hand.")
    if to is case.status:
        raise CaseActionRefused(f"The case is already {to.label.lower()}.")
    if to is CaseStatus.reopened and not case.can_reopen:
        raise CaseActionRefused("Only a resolved or closed case can be reopened.")
    if to is CaseStatus.closed and case.status is not CaseStatus.resolved:
        raise CaseActionRefused("Resolve the case before closing it.")
    if case.status is CaseStatus.withdrawn:
        raise CaseActionRefused("The customer withdrew this case.")
    if not reason.strip():
        raise CaseActionRefused("Give a reason for the change; it goes on the case's timeline.")
    return lifecycle.move(session, case, MANUAL_STATUSES[to][1], by=by, reason=reason.strip()[:500])
