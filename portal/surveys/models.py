"""Focus groups and their members."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Employee
from portal.cases.models import Customer
from portal.db import Base, utcnow


class FocusGroup(Base):
    __tablename__ = "focus_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[Employee] = relationship()
    members: Mapped[list[Member]] = relationship(back_populates="group", order_by="Member.name",
                                                 cascade="all, delete-orphan")


class Member(Base):
    """A person in a focus group; linked to the Customer with the same e-mail address when there is one."""

    __tablename__ = "focus_group_member"
    __table_args__ = (UniqueConstraint("group_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_group.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    membership_number: Mapped[str] = mapped_column(String(40), default="")
    member_since: Mapped[date | None]
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    left_at: Mapped[datetime | None]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[FocusGroup] = relationship(back_populates="members")
    customer: Mapped[Customer | None] = relationship()

    @property
    def active(self) -> bool:
        return self.left_at is None
