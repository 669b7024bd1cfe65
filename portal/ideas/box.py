"""The ideas box: submitting, supporting, commenting, and managers deciding what happens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee, Team
from portal.auth.permissions import manages_team, manages_work_of, require
from portal.cases.models import Category
from portal.changes.models import Change
from portal.changes.permissions import require_change
from portal.db import utcnow
from portal.ideas import notify, questions
from portal.ideas.errors import IdeaRefused
from portal.ideas.models import Idea, IdeaComment, IdeaKind, IdeaStatus, IdeaSupport, TaskForce, TeamQuestion
from portal.ideas.permissions import require_decide
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
    return idea


def supporters(session: Session, idea: Idea) -> int:
    return session.scalar(select(func.count()).where(IdeaSupport.idea_id == idea.id)) or 0


def supports(session: Session, idea: Idea, employee: Employee) -> bool:
    return session.scalar(
        select(IdeaSupport.id).where(IdeaSupport.idea_id == idea.id, IdeaSupport.employee_id == employee.id)
    ) is not None


def toggle_support(session: Session, idea: Idea, employee: Employee) -> bool:
    """Support the idea, or withdraw support; returns whether the employee now supports it."""
    if employee.id == idea.author_id:
        raise IdeaRefused("You raised this idea, so your support is already counted.")
    if supports(session, idea, employee):
        session.execute(
            delete(IdeaSupport).where(IdeaSupport.idea_id == idea.id, IdeaSupport.employee_id == employee.id)
        )
        return False
    session.add(IdeaSupport(idea_id=idea.id, employee_id=employee.id))
    return True


def add_comment(session: Session, idea: Idea, author: Employee, body: str) -> IdeaComment:
    if not body.strip():
        raise IdeaRefused("Write a comment before sending it.")
    comment = IdeaComment(idea_id=idea.id, author=author, body=body.strip())
    session.add(comment)
    return comment


def set_status(session: Session, idea: Idea, status: IdeaStatus, *, reason: str, by: Employee) -> Idea:
    """A manager's decision; the author is told by e-mail and sees it on "My ideas"."""
    require_decide(by, idea)
    if status is IdeaStatus.not_now and not reason.strip():
        raise IdeaRefused("Say why this is not for now: the colleague who raised it deserves a reason.")
    if status is IdeaStatus.task_force and idea.task_force is None:
        raise IdeaRefused("Form a task force for this idea to give it that status.")
    if status is idea.status and reason.strip() == idea.status_reason:
        raise IdeaRefused(f"This idea is already {status.label.lower()}.")
    idea.status, idea.status_reason = status, reason.strip()
    idea.status_changed_at, idea.status_changed_by = utcnow(), by
    notify.idea_status(session, idea)
    return idea


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
    if not name.strip() or not goal.strip():
        raise IdeaRefused("A task force needs a name and a goal.")
    if not members:
        raise IdeaRefused("Choose at least one colleague for the task force.")
    if not ideas:
        raise IdeaRefused("Choose at least one idea for the task force to work on.")
    if due_on < utcnow().date():
        raise IdeaRefused("The due date cannot be in the past.")
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
    return task_force


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


def link_change(session: Session, idea: Idea, change: Change | None, *, by: Employee) -> Idea:
    """Record the "You said, we did" change this idea shipped as (or unlink it); the author is told."""
    require_decide(by, idea)
    if change is not None:
        require_change(by, change)
    if change is not None and idea.change_id == change.id:
        return idea  # already shipped as this change: nobody is told twice
    idea.change = change
    if change is not None:
        idea.status, idea.status_reason = IdeaStatus.done, f"Shipped as “{change.title}”."
        idea.status_changed_at, idea.status_changed_by = utcnow(), by
        # Everyone who spoke up for it hears that it mattered: the author and each supporter, once each.
        for employee in _backers(session, idea):
            notify.idea_shipped(session, idea, change, employee)
    return idea


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
