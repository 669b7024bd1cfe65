"""The ideas box: submitting, supporting, commenting, and managers deciding what happens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from portal import audit
from portal.auth.models import Employee, Team
from portal.auth.permissions import manages_team, manages_work_of, require
from portal.cases.models import Category
from portal.changes.models import Change
from portal.changes.permissions import changes_managed_by, require_change
from portal.db import utcnow
from portal.ideas import notify, questions
from portal.ideas.errors import IdeaRefused
from portal.ideas.models import (
    Idea,
    IdeaComment,
    IdeaKind,
    IdeaStatus,
    IdeaSupport,
    IdeaSupportNotice,
    TaskForce,
    TeamQuestion,
)
from portal.ideas.permissions import deciders, require_decide, require_run_task_force
from portal.paging import Page, paginate

PAGE_SIZE = 20


def submit_idea(
    session: Session, *, author: Employee, title: str, body: str, kind: IdeaKind, category: Category | None,
    question: TeamQuestion | None = None, today: date | None = None,
) -> Idea:
    """A new idea, perhaps as an answer to a manager's question (open on ``today``, put to the author's team)."""
    if not title.strip() or not body.strip():
        raise IdeaRefused("An idea needs a title and a description.")
    if question is not None:
        questions.require_may_answer(author, question, today or utcnow().date())
    idea = Idea(author=author, title=title.strip(), body=body.strip(), kind=kind, category=category,
                question=question)
    session.add(idea)
    session.flush()
    # Whoever raises an idea supports it; counting them keeps "supporters" honest from the start.
    session.add(IdeaSupport(idea_id=idea.id, employee_id=author.id))
    for manager in deciders(session, idea):
        if manager.id != author.id:
            notify.idea_raised(session, idea, manager)
    return idea


def supporters(session: Session, idea: Idea) -> int:
    return session.scalar(select(func.count()).where(IdeaSupport.idea_id == idea.id)) or 0


def supports(session: Session, idea: Idea, employee: Employee) -> bool:
    return session.scalar(
        select(IdeaSupport.id).where(IdeaSupport.idea_id == idea.id, IdeaSupport.employee_id == employee.id)
    ) is not None


def support(session: Session, idea: Idea, employee: Employee) -> bool:
    """Add the employee's support; returns False when they already supported it (nothing changes).

    Supporting and withdrawing are two separate intents, never a toggle: a page opened before the first press
    still offers "Support this idea", and pressing it again must not take the support away."""
    if employee.id == idea.author_id:
        raise IdeaRefused("You raised this idea, so your support is already counted.")
    if supports(session, idea, employee):
        return False
    if not _added_once(session, IdeaSupport(idea_id=idea.id, employee_id=employee.id)):
        return False
    # The author hears of each colleague once: support withdrawn and given again tells them nothing new.
    if _added_once(session, IdeaSupportNotice(idea_id=idea.id, employee_id=employee.id)):
        notify.idea_supported(session, idea, employee)
    return True


def _added_once(session: Session, row: IdeaSupport | IdeaSupportNotice) -> bool:
    """Add a row its unique constraint allows once; False when it is there already.

    Two presses at once both pass a look-up first; the constraint keeps one, and the other changes nothing."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def withdraw_support(session: Session, idea: Idea, employee: Employee) -> bool:
    """Take the employee's support away; returns False when they did not support it (nothing changes)."""
    if employee.id == idea.author_id:
        raise IdeaRefused("You raised this idea, so your support stays counted.")
    withdrawn = session.execute(
        delete(IdeaSupport).where(IdeaSupport.idea_id == idea.id, IdeaSupport.employee_id == employee.id)
    )
    return bool(withdrawn.rowcount)


def add_comment(session: Session, idea: Idea, author: Employee, body: str) -> bool:
    """Add a comment and tell the idea's author (not of their own); returns False for a repeat of the commenter's
    last words here (the button pressed twice), which adds nothing and tells nobody again."""
    body = body.strip()
    if not body:
        raise IdeaRefused("Write a comment before sending it.")
    last = session.scalar(
        select(IdeaComment.body).where(IdeaComment.idea_id == idea.id, IdeaComment.author_id == author.id)
        .order_by(IdeaComment.id.desc()).limit(1)
    )
    if last == body:
        return False
    comment = IdeaComment(idea_id=idea.id, author=author, body=body)
    idea.comments.append(comment)
    if author.id != idea.author_id:
        notify.idea_commented(session, idea, comment)
    return True


def set_status(session: Session, idea: Idea, status: IdeaStatus, *, reason: str, by: Employee) -> bool:
    """A manager's decision; the author is told by e-mail and sees it on "My ideas".

    Returns False when the status and reason are the ones already saved: "Save status" pressed again on the
    form as it came back changes nothing, stamps nothing and e-mails nobody a second time."""
    require_decide(by, idea)
    reason = reason.strip()
    if status is idea.status and reason == idea.status_reason:
        return False
    if status is IdeaStatus.not_now and not reason:
        raise IdeaRefused("Say why this is not for now: the colleague who raised it deserves a reason.")
    if status is IdeaStatus.task_force and idea.task_force is None:
        raise IdeaRefused("Form a task force for this idea to give it that status.")
    idea.status, idea.status_reason = status, reason
    idea.status_changed_at, idea.status_changed_by = utcnow(), by
    notify.idea_status(session, idea)
    return True


def form_task_force(
    session: Session, *, name: str, goal: str, due_on: date, members: list[Employee], ideas: list[Idea],
    by: Employee, figure: str = "", team: Team | None = None, started_on: date | None = None,
    question: TeamQuestion | None = None,
) -> TaskForce:
    """A task force of ``members`` working on ``ideas`` until ``due_on``, perhaps measured against one of the
    dashboard's figures for one of the teams its manager manages, from ``started_on`` (today when not given)."""
    require(manages_work_of(by, by), "Only a manager can form a task force.")
    started_on = started_on or utcnow().date()
    if figure and figure not in questions.FIGURES:
        raise IdeaRefused("Choose one of the dashboard's figures, or none.")
    if figure and team is None:
        raise IdeaRefused("Choose the team whose figure the task force should move.")
    if team is not None:
        require(manages_team(by, team), f"You do not manage {team.name}, so its figures are not yours to set.")
    for idea in ideas:
        require_decide(by, idea)
    _check_task_force(name=name, goal=goal, due_on=due_on, members=members)
    if not ideas:
        raise IdeaRefused("Choose at least one idea for the task force to work on.")
    if started_on > due_on:
        raise IdeaRefused("The task force must start on or before its due date.")
    taken = [idea.title for idea in ideas if idea.task_force is not None]
    if taken:
        raise IdeaRefused(f"Already with a task force: {', '.join(taken)}.")
    task_force = TaskForce(name=name.strip(), goal=goal.strip(), due_on=due_on, created_by=by, members=members,
                           figure=figure, team=team if figure else None, started_on=started_on, question=question)
    session.add(task_force)
    for idea in ideas:
        idea.task_force = task_force
        idea.status, idea.status_reason = IdeaStatus.task_force, f"A task force is working on this: {name.strip()}."
        idea.status_changed_at, idea.status_changed_by = utcnow(), by
        notify.idea_status(session, idea)
    _tell_members(session, task_force, members, by=by)
    return task_force


def _check_task_force(*, name: str, goal: str, due_on: date, members: list[Employee], was: date | None = None) -> None:
    """What every task force needs, formed or changed; a due date already passed may stay, not be chosen."""
    if not name.strip() or not goal.strip():
        raise IdeaRefused("A task force needs a name and a goal.")
    if not members:
        raise IdeaRefused("Choose at least one colleague for the task force.")
    if due_on != was and due_on < utcnow().date():
        raise IdeaRefused("The due date cannot be in the past.")


def _task_force_snapshot(task_force: TaskForce) -> dict[str, object]:
    """What the audit log keeps of a task force, and what tells a change from a save of the same values."""
    return {
        **audit.snapshot(task_force, ("name", "goal", "outcome", "close_reason")),
        "due_on": task_force.due_on.isoformat(),
        "members": sorted(member.name for member in task_force.members),
    }


def require_open(task_force: TaskForce) -> None:
    """A closed task force stays as it was closed: what it changed is its record."""
    if task_force.closed_at is not None:
        raise IdeaRefused(f"“{task_force.name}” is closed, so it can no longer be changed.")


def edit_task_force(
    session: Session, task_force: TaskForce, *, name: str, goal: str, due_on: date, members: list[Employee],
    by: Employee,
) -> bool:
    """Change an open task force; colleagues new to it are told, and the audit log keeps what it was. Returns
    False when nothing differs from what is saved (the form saved again as it came back)."""
    require_run_task_force(by, task_force)
    require_open(task_force)
    _check_task_force(name=name, goal=goal, due_on=due_on, members=members, was=task_force.due_on)
    before, members_before = _task_force_snapshot(task_force), {member.id for member in task_force.members}
    newcomers = [member for member in members if member.id not in members_before]
    task_force.name, task_force.goal, task_force.due_on = name.strip(), goal.strip(), due_on
    task_force.members = sorted(members, key=lambda member: member.name)
    after = _task_force_snapshot(task_force)
    if after == before and {member.id for member in members} == members_before:
        return False
    audit.record(session, actor=by, action="update", entity="task_force", entity_id=task_force.id,
                 summary=f"Changed the task force “{task_force.name}”", before=before, after=after)
    _tell_members(session, task_force, newcomers, by=by)
    return True


def close_task_force(session: Session, task_force: TaskForce, *, outcome: str, reason: str, by: Employee) -> bool:
    """Close a task force with what it changed and why it ends now. Returns False when it is closed already
    (a close pressed again on a page opened before changes nothing)."""
    require_run_task_force(by, task_force)
    if task_force.closed_at is not None:
        return False
    if not outcome.strip():
        raise IdeaRefused("Say what changed because of this task force, even if it is “nothing yet”.")
    if not reason.strip():
        raise IdeaRefused("Say why the task force is closing now.")
    before = _task_force_snapshot(task_force)
    task_force.outcome, task_force.close_reason = outcome.strip(), reason.strip()
    task_force.closed_at, task_force.closed_by = utcnow(), by
    audit.record(session, actor=by, action="close", entity="task_force", entity_id=task_force.id,
                 summary=f"Closed the task force “{task_force.name}”", before=before,
                 after=_task_force_snapshot(task_force))
    return True


def _tell_members(session: Session, task_force: TaskForce, members: list[Employee], *, by: Employee) -> None:
    session.flush()  # its id, for the link in the e-mail
    # The manager who chose the members knows already.
    for member in members:
        if member.id != by.id:
            notify.task_force_member(session, task_force, member)


def task_forces_of(session: Session, member: Employee, *, page: int = 1) -> Page[TaskForce]:
    """The task forces an employee is on ("My task forces"): those still working first, the soonest due first."""
    query = select(TaskForce).where(TaskForce.members.any(Employee.id == member.id))
    return paginate(session, query, page=page, per_page=PAGE_SIZE,
                    order_by=(TaskForce.closed_at.is_not(None), TaskForce.due_on, TaskForce.id))


@dataclass(frozen=True)
class IdeaFilters:
    status: IdeaStatus | None = None
    kind: IdeaKind | None = None
    category_id: int | None = None
    author_id: int | None = None
    sort: str = "supported"  # or "newest"
    page: int = 1


@dataclass(frozen=True)
class IdeaRow:
    idea: Idea
    supporters: int
    comments: int


def list_ideas(session: Session, filters: IdeaFilters) -> Page[IdeaRow]:
    support_count = (
        select(func.count()).where(IdeaSupport.idea_id == Idea.id).correlate(Idea).scalar_subquery()
    )
    comment_count = (
        select(func.count()).where(IdeaComment.idea_id == Idea.id).correlate(Idea).scalar_subquery()
    )
    query: Select = select(Idea, support_count.label("supporters"), comment_count.label("comments"))
    if filters.status:
        query = query.where(Idea.status == filters.status)
    if filters.kind:
        query = query.where(Idea.kind == filters.kind)
    if filters.category_id:
        query = query.where(Idea.category_id == filters.category_id)
    if filters.author_id:
        query = query.where(Idea.author_id == filters.author_id)
    order = (Idea.created_at.desc(), Idea.id.desc())
    if filters.sort != "newest":
        order = (support_count.desc(), *order)
    return paginate(session, query, page=filters.page, per_page=PAGE_SIZE, order_by=order,
                    row=lambda r: IdeaRow(r[0], r[1], r[2]))


def changes_to_ship_as(session: Session, by: Employee) -> list[Change]:
    """The changes a manager may name as what an idea shipped as: published ones they manage, by title."""
    return sorted((c for c in changes_managed_by(session, by) if c.published), key=lambda c: c.title)


def link_change(session: Session, idea: Idea, change: Change | None, *, by: Employee) -> bool:
    """Record the "You said, we did" change this idea shipped as (or unlink it); its author and supporters are told.

    Only a published change: linking marks the idea Done and tells its author it shipped, which a draft has not.
    Returns False when the link is already the one asked for ("Save link" pressed again e-mails nobody)."""
    require_decide(by, idea)
    if change is not None:
        require_change(by, change)
        if not change.published:
            raise IdeaRefused(f"“{change.title}” is not published yet. Publish it first, then link it here.")
    if change is idea.change:
        return False
    idea.change = change
    if change is not None:
        idea.status, idea.status_reason = IdeaStatus.done, f"Shipped as “{change.title}”."
        idea.status_changed_at, idea.status_changed_by = utcnow(), by
        # Everyone who spoke up for it hears that it mattered: the author and each supporter, once each.
        for employee in _backers(session, idea):
            notify.idea_shipped(session, idea, change, employee)
    return True


def _backers(session: Session, idea: Idea) -> list[Employee]:
    """The idea's author first, then its supporters (who are still employed), each once."""
    supporters = session.scalars(
        select(Employee).join(IdeaSupport, IdeaSupport.employee_id == Employee.id)
        .where(IdeaSupport.idea_id == idea.id, Employee.active, Employee.id != idea.author_id)
        .order_by(Employee.name)).all()
    return [idea.author, *supporters]


@dataclass(frozen=True)
class Shipped:
    """What was done because employees spoke up: how many ideas shipped as a change, and the latest of them."""

    count: int
    latest: list[Idea]


def shipped(session: Session, *, latest: int = 3) -> Shipped:
    done = (Idea.change_id.is_not(None), Idea.status == IdeaStatus.done)
    return Shipped(
        count=session.scalar(select(func.count()).select_from(Idea).where(*done)) or 0,
        latest=list(session.scalars(
            select(Idea).where(*done).options(selectinload(Idea.change))
            .order_by(Idea.status_changed_at.desc(), Idea.id.desc()).limit(latest))),
    )
