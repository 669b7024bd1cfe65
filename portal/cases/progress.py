"""What the customer sees of their case: where it has got to, and the conversation, never internal notes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.cases.models import Attachment, Case, CaseStatus, Event

STEPS = [
    (CaseStatus.new, "Received"),
    (CaseStatus.acknowledged, "Being looked at"),
    (CaseStatus.remedy_offered, "Options offered"),
    (CaseStatus.remedy_chosen, "Option chosen"),
    (CaseStatus.resolved, "Put right"),
    (CaseStatus.closed, "Closed"),
]
_POSITION = {status: i for i, (status, _label) in enumerate(STEPS)}
_POSITION[CaseStatus.reopened] = _POSITION[CaseStatus.acknowledged]

# How each public timeline entry reads to the customer.
WORDING = {
    "filed": "You told us",
    "customer_reply": "You wrote",
    "reply": "{name} wrote",
    "withdrawn": "You withdrew the case",
    "owner_changed": "Your case has a new owner",
    "offer_sent": "We offered you ways to put it right",
    "remedy_chosen": "You chose how we put it right",
    "counter_proposal": "You proposed something else",
    "remedy_fulfilled": "{name} put it right",
    "rated": "You told us how we did",
    "reopened": "Your case was reopened",
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Entry:
    event: Event
    heading: str
    attachments: list[Attachment]


@dataclass(frozen=True)
class CasePage:
    steps: list[Step]
    entries: list[Entry]
    withdrawn: bool


def steps_for(status: CaseStatus) -> list[Step]:
    if status is CaseStatus.withdrawn:
        return []
    current = _POSITION[status]
    return [Step(label, "done" if i < current else "current" if i == current else "todo")
            for i, (_s, label) in enumerate(STEPS)]


def _heading(event: Event) -> str:
    name = event.employee.first_name if event.employee else "We"
    if event.kind in WORDING:
        return WORDING[event.kind].format(name=name)
    if event.kind == "status":
        to = event.detail.get("to", "")
        label = {status.value: text for status, text in STEPS}.get(to, to.replace("_", " "))
        return f"Status: {label}"
    return event.kind.replace("_", " ").capitalize()


def case_page_data(session: Session, case: Case) -> CasePage:
    """Two queries whatever the length of the timeline: the public events (with who wrote them), their files."""
    events = session.scalars(
        select(Event).where(Event.case_id == case.id, Event.public.is_(True))
        .options(selectinload(Event.employee)).order_by(Event.at, Event.id)
    ).all()
    files: dict[int | None, list[Attachment]] = defaultdict(list)
    for attachment in session.scalars(select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)):
        files[attachment.event_id].append(attachment)
    entries = [Entry(e, _heading(e), files.get(e.id, [])) for e in events]
    # Files from internal steps (never shown) stay hidden; files not tied to an event belong to the filing.
    if entries and None in files:
        first = entries[0]
        entries[0] = Entry(first.event, first.heading, first.attachments + files[None])
    return CasePage(steps_for(case.status), entries, case.status is CaseStatus.withdrawn)
