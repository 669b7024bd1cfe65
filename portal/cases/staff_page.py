"""What the staff case page shows: the whole timeline with its files, the helpers, who else has it open, the
handoff to read first, drafts waiting, and the customer beside it (their worth, other cases and the notes colleagues
keep on them); and the colleagues the owner could hand the case to or ask for help, for the focused action pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee
from portal.cases import ownership, presence, profiles, replies, reply_templates, workspace
from portal.cases.models import Attachment, Case, CaseHelper, CustomerNote, Event, EventKind
from portal.cases.permissions import can_work_on

# The customer panel lists this many of the customer's other cases and notes; the profile has every one.
PANEL_LIMIT = 5


class Voice(StrEnum):
    """How a timeline entry reads in the conversation: the customer's words, a reply they were sent, an internal
    entry only staff see (notes, drafts), or a step of the case (status, handoff, offer)."""

    customer = "customer"
    reply = "reply"
    internal = "internal"
    step = "step"


_CUSTOMER_WORDS = {EventKind.customer_reply, EventKind.make_it_right_added, EventKind.counter_proposal}
# A handoff's context note is written for the next owner, never for the customer.
_INTERNAL_WORDS = {EventKind.note, EventKind.draft_reply, EventKind.email_held, EventKind.handoff}


def voice(event: Event) -> Voice:
    if event.kind in _CUSTOMER_WORDS:
        return Voice.customer
    if event.kind == EventKind.reply or (event.public and event.body and not event.by_customer):
        return Voice.reply  # what the customer was sent, a reply or a message of ours ("now looked after by Tom")
    if event.kind in _INTERNAL_WORDS or (not event.public and event.body):
        return Voice.internal
    return Voice.step


@dataclass(frozen=True)
class CustomerPanel:
    worth: str
    other_cases: list[Case]  # the newest PANEL_LIMIT, this case left out
    more_cases: bool
    notes: list[CustomerNote]  # likes, dislikes, preferences and notes, newest PANEL_LIMIT
    more_notes: bool


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
    customer: CustomerPanel
    reply_templates: list[reply_templates.FilledTemplate]  # for the reply's (or the draft's) picker

    @property
    def compose_modes(self) -> tuple[str, ...]:
        """What this viewer may write: who can act replies, a helper drafts a reply for the owner to send, and
        both keep internal notes; anyone else writes nothing here."""
        if self.can_act:
            return ("reply", "note")
        return ("draft", "note") if self.is_helper else ()


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
    can_act, is_helper = can_work_on(viewer, case), viewer.id in helping
    return StaffCasePage(
        events=events, files=files, helpers=helpers,
        viewers=presence.others_viewing(session, case, viewer, now=now),
        handoff=ownership.latest_handoff_to_owner(events, case.owner_id),
        drafts=replies.pending_drafts(events), latest_event_id=events[-1].id if events else 0,
        can_act=can_act, is_helper=is_helper, due_at=workspace.due_at(case),
        customer=customer_panel(session, case, today=now.date()),
        reply_templates=reply_templates.filled_for(session, viewer, case) if can_act or is_helper else [],
    )


def customer_panel(session: Session, case: Case, *, today: date) -> CustomerPanel:
    """Two queries whatever the customer's history: one more row than shown tells whether there is more."""
    others = list(session.scalars(
        select(Case).where(Case.customer_id == case.customer_id, Case.id != case.id)
        .order_by(Case.created_at.desc(), Case.id.desc()).limit(PANEL_LIMIT + 1)
    ))
    notes = list(session.scalars(
        select(CustomerNote).where(CustomerNote.customer_id == case.customer_id)
        .order_by(CustomerNote.created_at.desc(), CustomerNote.id.desc()).limit(PANEL_LIMIT + 1)
    ))
    return CustomerPanel(
        worth=profiles.worth(case.customer, today), other_cases=others[:PANEL_LIMIT],
        more_cases=len(others) > PANEL_LIMIT, notes=notes[:PANEL_LIMIT], more_notes=len(notes) > PANEL_LIMIT,
    )


def colleagues(session: Session, case: Case, *, helping: set[int] | None = None
               ) -> tuple[list[Employee], list[Employee]]:
    """The pickers of the focused action pages: who could take the case (anyone active but its owner) and who
    could help (those not helping already: ``helping``, when the caller has read them)."""
    if helping is None:
        helping = set(session.scalars(select(CaseHelper.employee_id).where(CaseHelper.case_id == case.id)))
    active = [e for e in session.scalars(
        select(Employee).where(Employee.active).options(selectinload(Employee.team)).order_by(Employee.name)
    ) if e.id != case.owner_id]
    return active, [e for e in active if e.id not in helping]
