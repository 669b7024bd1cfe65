"""Teams and the employees who sign in and own cases."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.sessions import SessionHolder, end_sessions_when_changed
from portal.db import Base, utcnow


class Role(enum.StrEnum):
    agent = "agent"
    manager = "manager"
    admin = "admin"


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", use_alter=True))

    manager: Mapped[Employee | None] = relationship(foreign_keys=[manager_id], post_update=True)
    members: Mapped[list[Employee]] = relationship(
        back_populates="team", foreign_keys="Employee.team_id", order_by="Employee.name"
    )

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class Employee(SessionHolder, Base):
    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(80), default="")
    role: Mapped[Role] = mapped_column(default=Role.agent)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    authority_limit: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    last_assigned_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.manager, Role.admin)

    # Flask-Login reads these; they hold no Flask import, so the model stays framework-free.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # What the session cookie names: the employee and their session generation (see portal.auth.sessions).
        return self.session_key()

    def __repr__(self) -> str:
        return f"<Employee {self.email}>"


# A new password or deactivation ends every session, whichever code makes the change.
end_sessions_when_changed(Employee.password_hash)
end_sessions_when_changed(Employee.active)


class SignInThrottle(Base):
    """Wrong passwords from one client address, for one account or for all of them (see portal.auth.throttle).

    Kept for addresses with and without an account alike; the key is a hash, so the table holds neither
    e-mail addresses nor client addresses."""

    __tablename__ = "sign_in_throttle"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
