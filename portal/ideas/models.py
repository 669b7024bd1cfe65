"""Ideas, the colleagues who support them, comments, and task forces."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Employee, Team
from portal.cases.models import Category
from portal.changes.models import Change
from portal.db import Base, utcnow


class IdeaStatus(enum.StrEnum):
    new = "new"
    under_review = "under_review"
    task_force = "task_force"
    done = "done"
    not_now = "not_now"

    @property
    def label(self) -> str:
        return {"under_review": "Under review", "task_force": "Task force", "not_now": "Not now"}.get(
            self.value, self.value.capitalize()
        )


class IdeaKind(enum.StrEnum):
    idea = "idea"
    blocker = "blocker"

    @property
    def label(self) -> str:
        return "Idea" if self is IdeaKind.idea else "Something stopping us"


task_force_member = Table(
    "task_force_member",
    Base.metadata,
    Column("task_force_id", ForeignKey("task_force.id", ondelete="CASCADE"), primary_key=True),
    Column("employee_id", ForeignKey("employee.id"), primary_key=True),
)


class TaskForce(Base):
    __tablename__ = "task_force"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    goal: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Closing records what the task force changed and why it ends now; a closed task force is not changed again.
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    outcome: Mapped[str] = mapped_column(Text, default="")
    close_reason: Mapped[str] = mapped_column(Text, default="")
    # What it is measured against: one of the dashboard's figures (questions.FIGURES) for one team, from the day it
    # started; and the manager's question it grew from, if any.
    figure: Mapped[str] = mapped_column(String(40), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    started_on: Mapped[date | None]
    question_id: Mapped[int | None] = mapped_column(ForeignKey("team_question.id"))

    created_by: Mapped[Employee] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[Employee | None] = relationship(foreign_keys=[closed_by_id])
    team: Mapped[Team | None] = relationship()
    question: Mapped[TeamQuestion | None] = relationship()
    members: Mapped[list[Employee]] = relationship(secondary=task_force_member, order_by=Employee.name)
    ideas: Mapped[list[Idea]] = relationship(back_populates="task_force", order_by="Idea.id")


# The teams a manager's question was put to.
team_question_team = Table(
    "team_question_team",
    Base.metadata,
    Column("question_id", ForeignKey("team_question.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id"), primary_key=True),
)


class TeamQuestion(Base):
    """A manager asks their teams what is stopping them ("What is stopping us from answering within 24 hours?"),
    perhaps about one of the dashboard's figures; the answers are ideas linked to it."""

    __tablename__ = "team_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="")
    figure: Mapped[str] = mapped_column(String(40), default="")  # a key of questions.FIGURES, or "" for none
    closes_on: Mapped[date]
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    asked_by: Mapped[Employee] = relationship(foreign_keys=[asked_by_id])
    teams: Mapped[list[Team]] = relationship(secondary=team_question_team, order_by=Team.name)
    answers: Mapped[list[Idea]] = relationship(back_populates="question", order_by="Idea.id")


class TaskForceNote(Base):
    """A note of one of a task force's meetings: what was found, what was agreed."""

    __tablename__ = "task_force_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_force_id: Mapped[int] = mapped_column(ForeignKey("task_force.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    met_on: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Employee] = relationship()


class Idea(Base):
    __tablename__ = "idea"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[IdeaKind] = mapped_column(default=IdeaKind.idea)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    status: Mapped[IdeaStatus] = mapped_column(default=IdeaStatus.new, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    task_force_id: Mapped[int | None] = mapped_column(ForeignKey("task_force.id"))
    # The "You said, we did" change this idea became, once it shipped.
    change_id: Mapped[int | None] = mapped_column(ForeignKey("change.id"))
    # The manager's question this idea answers, if it was raised as an answer.
    question_id: Mapped[int | None] = mapped_column(ForeignKey("team_question.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    author: Mapped[Employee] = relationship(foreign_keys=[author_id])
    status_changed_by: Mapped[Employee | None] = relationship(foreign_keys=[status_changed_by_id])
    category: Mapped[Category | None] = relationship()
    task_force: Mapped[TaskForce | None] = relationship(back_populates="ideas")
    change: Mapped[Change | None] = relationship()
    question: Mapped[TeamQuestion | None] = relationship(back_populates="answers")
    comments: Mapped[list[IdeaComment]] = relationship(order_by="IdeaComment.id", cascade="all, delete-orphan")


class _ColleagueOnIdea:
    """One colleague's mark on one idea, at most once (the unique constraint each table declares)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdeaSupport(_ColleagueOnIdea, Base):
    __tablename__ = "idea_support"
    __table_args__ = (UniqueConstraint("idea_id", "employee_id"),)


class IdeaSupportNotice(_ColleagueOnIdea, Base):
    """That an idea's author was told of one colleague's support: told once, however often that colleague
    withdraws it and gives it again (the support rows come and go; this stays)."""

    __tablename__ = "idea_support_notice"
    __table_args__ = (UniqueConstraint("idea_id", "employee_id"),)


class IdeaComment(Base):
    __tablename__ = "idea_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Employee] = relationship()
