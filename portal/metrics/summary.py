"""Keeping each case's milestones row equal to what its timeline says.

Whenever a flush adds events to cases, their rows are recomputed from those cases' whole timelines in the same
transaction (never incremented, so they cannot drift). Events written around the ORM (bulk loads) need
`rebuild`, which `portal metrics rebuild` runs."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, event, insert
from sqlalchemy.orm import Session, UOWTransaction

from portal.cases.models import Event
from portal.metrics.milestones import from_timeline
from portal.metrics.models import CaseMilestones

_PENDING = "milestones_to_refresh"
COLUMNS = ("case_id", "first_response_at", "first_offer_at", "first_proposed_at", "first_approved_at",
           "first_choice_at", "resolved_at", "handoffs", "reopens", "counter_proposals", "choices", "rating")


def refresh(session: Session, case_ids: Iterable[int]) -> None:
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        session.execute(delete(CaseMilestones).where(CaseMilestones.case_id.in_(chunk)))
        session.execute(insert(CaseMilestones).from_select(COLUMNS, from_timeline(chunk)))


def rebuild(db: Session | Connection) -> None:
    """Every case's row recomputed from the timeline."""
    db.execute(delete(CaseMilestones))
    db.execute(insert(CaseMilestones).from_select(COLUMNS, from_timeline()))


@event.listens_for(Session, "after_flush")
def _note_new_events(session: Session, _context: UOWTransaction) -> None:
    ids = {obj.case_id for obj in session.new if isinstance(obj, Event)}
    if ids:
        session.info.setdefault(_PENDING, set()).update(ids)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_noted(session: Session, _context: UOWTransaction) -> None:
    ids = session.info.pop(_PENDING, None)
    if ids:
        refresh(session, ids)
