"""What the customer sees of their case: where it has got to, and the conversation, never internal notes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.cases.event_words import customer_heading
from portal.cases.models import Attachment, Case, CaseStatus, Event, EventKind

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
    step = ""
    if event.kind == EventKind.status:
        to = event.detail.get("to", "")
        step = {status.value: text for status, text in STEPS}.get(to, to.replace("_", " "))
    return customer_heading(event, step)


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
