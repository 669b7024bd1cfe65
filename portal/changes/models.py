"""Themes that group cases, quotes chosen from them, and the published changes."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Employee
from portal.cases.models import Case, Category
from portal.db import Base, utcnow


class ChangeStatus(enum.StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"

    @property
    def label(self) -> str:
        return {"in_progress": "In progress"}.get(self.value, self.value.capitalize())


class Theme(Base):
    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # A theme drawn from a focus-group survey keeps the link back to it (and to the question, when one); the
    # `survey` attribute is declared by portal.surveys.models, which builds on changes (not the other way round).
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"))
    survey_question_id: Mapped[int | None] = mapped_column(ForeignKey("survey_question.id", ondelete="SET NULL"))
    category: Mapped[Category | None] = relationship()
    created_by: Mapped[Employee] = relationship()
    quotes: Mapped[list[Quote]] = relationship(back_populates="theme", order_by="Quote.id",
                                               cascade="all, delete-orphan")


class ThemeCase(Base):
    __tablename__ = "theme_case"
    __table_args__ = (UniqueConstraint("theme_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()


class Quote(Base):
    """Words from a case a manager chose to show; public only when the customer agreed, never with a name."""

    __tablename__ = "quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    text: Mapped[str] = mapped_column(Text)
    customer_agreed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    theme: Mapped[Theme] = relationship(back_populates="quotes")


class Change(Base):
    __tablename__ = "change"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    title: Mapped[str] = mapped_column(String(140))
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    whats_next: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ChangeStatus] = mapped_column(default=ChangeStatus.planned)
    started_on: Mapped[date | None]
    done_on: Mapped[date | None]
    cover_filename: Mapped[str] = mapped_column(String(80), default="")
    cover_content_type: Mapped[str] = mapped_column(String(40), default="")
    cover_alt: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[bool] = mapped_column(default=False, index=True)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    theme: Mapped[Theme] = relationship()
    created_by: Mapped[Employee] = relationship()


class ChangeNotification(Base):
    """One e-mail per customer per change and occasion (published, done), however many cases link them."""

    __tablename__ = "change_notification"
    __table_args__ = (UniqueConstraint("change_id", "customer_id", "occasion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("change.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    occasion: Mapped[str] = mapped_column(String(20))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeFeedback(Base):
    """A customer's "Did this help?" on a public change."""

    __tablename__ = "change_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("change.id", ondelete="CASCADE"), index=True)
    helped: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
