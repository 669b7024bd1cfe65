"""Notes of a task force's meetings, written by its members (and whoever runs it) while it works."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee
from portal.auth.permissions import require
from portal.ideas.errors import IdeaRefused
from portal.ideas.models import TaskForce, TaskForceNote
from portal.ideas.permissions import may_run_task_force

__all__ = ["add_note", "may_write", "notes", "require_on_it"]

MOST_WORDS = 4000


def _on_it(actor: Employee, task_force: TaskForce) -> bool:
    return actor in task_force.members or may_run_task_force(actor, task_force)


def may_write(actor: Employee, task_force: TaskForce) -> bool:
    """Its members and those who run it, while it is open."""
    return task_force.closed_at is None and _on_it(actor, task_force)


def require_on_it(actor: Employee, task_force: TaskForce) -> None:
    """NotPermitted (403) for anyone but its members and those who run it, whatever they sent."""
    require(_on_it(actor, task_force),
            f"Only the members of “{task_force.name}” and whoever runs it write its meeting notes.")


def add_note(session: Session, task_force: TaskForce, *, by: Employee, met_on: date, body: str,
             today: date) -> TaskForceNote:
    if task_force.closed_at is not None:
        raise IdeaRefused(f"“{task_force.name}” is closed, so it takes no more meeting notes.")
    require_on_it(by, task_force)
    body = body.strip()
    if not body:
        raise IdeaRefused("Write what the meeting found or agreed.")
    if len(body) > MOST_WORDS:
        raise IdeaRefused(f"Keep a meeting note to {MOST_WORDS:,} characters.")
    if met_on > today:
        raise IdeaRefused("The meeting's date cannot be in the future.")
    note = TaskForceNote(task_force_id=task_force.id, author=by, met_on=met_on, body=body)
    session.add(note)
    return note


def notes(session: Session, task_force: TaskForce) -> list[TaskForceNote]:
    """The newest meeting first."""
    return list(session.scalars(
        select(TaskForceNote).where(TaskForceNote.task_force_id == task_force.id)
        .options(selectinload(TaskForceNote.author))
        .order_by(TaskForceNote.met_on.desc(), TaskForceNote.id.desc())))
