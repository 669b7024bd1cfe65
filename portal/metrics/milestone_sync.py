"""Keeping each case's milestones row in step with what its timeline says.

Once `keep_milestones_in_step()` has run (the app factory calls it; so do the tests' sessions), whenever a flush adds
events to cases their rows are recomputed from those cases' whole timelines in the same transaction (never
incremented, so they cannot drift). Events written around the ORM (bulk loads) need `rebuild`, which
`portal metrics rebuild` runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, event, insert, select
from sqlalchemy.orm import Session, UOWTransaction

from portal.cases.models import Event
from portal.metrics.milestones import from_timeline
from portal.metrics.models import CaseMilestones

_PENDING = "milestones_to_refresh"
COLUMNS = ("case_id", "first_response_at", "first_offer_at", "first_proposed_at", "first_approved_at",
           "first_choice_at", "resolved_at", "handoffs", "reopens", "counter_proposals", "choices", "rating",
           "resolved_at_first_contact")


def _fill(db: Session | Connection, case_ids: Sequence[int] | None, columns: Sequence[str] = COLUMNS) -> None:
    timeline = from_timeline(case_ids).subquery("t")
    # No Python-side defaults added: a migration fills only the columns the table has at that revision.
    db.execute(insert(CaseMilestones.__table__).from_select(
        list(columns), select(*(timeline.c[c] for c in columns)), include_defaults=False))


def refresh(session: Session, case_ids: Iterable[int]) -> None:
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        session.execute(delete(CaseMilestones).where(CaseMilestones.case_id.in_(chunk)))
        _fill(session, chunk)


def rebuild(db: Session | Connection, *, columns: Sequence[str] = COLUMNS) -> None:
    """Every case's row recomputed from the timeline (``columns``: those a migration's table has so far)."""
    db.execute(delete(CaseMilestones))
    _fill(db, None, columns)


def keep_milestones_in_step() -> None:
    """Listen to every session's flushes (once, however often it is called)."""
    for name, listener in (("after_flush", _note_new_events), ("after_flush_postexec", _refresh_noted)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _note_new_events(session: Session, _context: UOWTransaction) -> None:
    ids = {obj.case_id for obj in session.new if isinstance(obj, Event)}
    if ids:
        session.info.setdefault(_PENDING, set()).update(ids)


def _refresh_noted(session: Session, _context: UOWTransaction) -> None:
    ids = session.info.pop(_PENDING, None)
    if ids:
        refresh(session, ids)
