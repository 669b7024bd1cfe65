"""Customers, categories, cases and their append-only timeline."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Employee, Team
from portal.auth.sessions import SessionHolder, end_sessions_when_changed
from portal.db import Base, utcnow


class CaseStatus(enum.StrEnum):
    new = "new"
    acknowledged = "acknowledged"
    remedy_offered = "remedy_offered"
    remedy_chosen = "remedy_chosen"
    resolved = "resolved"
    closed = "closed"
    reopened = "reopened"
    withdrawn = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class EventKind(enum.StrEnum):
    """Every kind of entry a case's timeline holds (stored as its value; event_words says how each reads)."""

    filed = "filed"
    reply = "reply"
    customer_reply = "customer_reply"
    make_it_right_added = "make_it_right_added"  # the customer said later what would make it right
    note = "note"
    draft_reply = "draft_reply"
    draft_sent = "draft_sent"
    email_held = "email_held"
    email_bounced = "email_bounced"
    handoff = "handoff"
    owner_changed = "owner_changed"
    helper_added = "helper_added"
    flagged = "flagged"
    status = "status"  # a status set by hand, or by the first reply
    withdrawn = "withdrawn"
    offer_proposed = "offer_proposed"
    offer_approved = "offer_approved"
    offer_returned = "offer_returned"
    offer_sent = "offer_sent"
    offer_reminder = "offer_reminder"
    offer_expired = "offer_expired"
    remedy_chosen = "remedy_chosen"
    counter_proposal = "counter_proposal"
    remedy_fulfilled = "remedy_fulfilled"
    rated = "rated"
    reopened = "reopened"
    change_published = "change_published"


class CaseKind(enum.StrEnum):
    complaint = "complaint"
    suggestion = "suggestion"


class Channel(enum.StrEnum):
    web = "web"
    email = "email"
    phone = "phone"
    in_person = "in_person"
    letter = "letter"
    social = "social"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.web: "Web form",
    Channel.email: "E-mail",
    Channel.phone: "Phone call",
    Channel.in_person: "In person",
    Channel.letter: "Letter",
    Channel.social: "Social media",
}


class Customer(SessionHolder, Base):
    __tablename__ = "customer"
    # Customers are found by address whatever its case ("Olivia@…" and "olivia@…" are one person).
    __table_args__ = (Index("ix_customer_email_lower", func.lower(text("email"))),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a caller or a visitor who gave no address: they get no e-mail, and the employee phones or writes.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40), default="")
    preferred_contact: Mapped[str] = mapped_column(String(10), default="email")
    lifetime_spend: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    customer_since: Mapped[date | None]
    membership: Mapped[str] = mapped_column(String(80), default="")
    # The customer's id in the club's own ticketing system or CRM: a re-import matches on it before the address.
    external_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    preferences: Mapped[str] = mapped_column(Text, default="")  # as the club's records hold them, e.g. "no calls"
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email_undeliverable: Mapped[bool] = mapped_column(default=False)
    email_opt_out_at: Mapped[datetime | None]
    last_signed_in_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cases: Mapped[list[Case]] = relationship(back_populates="customer", order_by="Case.created_at.desc()")

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""


# A new password or address (erasure replaces both) ends the customer's account sessions, whichever code does it.
end_sessions_when_changed(Customer.password_hash)
end_sessions_when_changed(Customer.email)


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    first_response_hours: Mapped[int] = mapped_column(default=24)
    resolution_hours: Mapped[int] = mapped_column(default=24 * 7)
    active: Mapped[bool] = mapped_column(default=True)

    team: Mapped[Team] = relationship()


def _asked_of_the_lifecycle(question: str) -> property:
    def ask(case: Case) -> bool:
        from portal.cases import lifecycle  # the lifecycle builds on these models

        return getattr(lifecycle, question)(case)

    return property(ask, doc=f"portal.cases.lifecycle.{question}(case)")


class Case(Base):
    __tablename__ = "case"
    __table_args__ = (
        Index("ix_case_owner_status", "owner_id", "status"),
        Index("ix_case_category_status", "category_id", "status"),  # a team's queue
        Index("ix_case_customer_created", "customer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[CaseKind] = mapped_column(default=CaseKind.complaint)
    channel: Mapped[Channel] = mapped_column(default=Channel.web)
    status: Mapped[CaseStatus] = mapped_column(default=CaseStatus.new, index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    what_happened: Mapped[str] = mapped_column(Text)
    make_it_right: Mapped[str] = mapped_column(Text, default="")
    better_in_future: Mapped[str] = mapped_column(Text, default="")
    booking_reference: Mapped[str] = mapped_column(String(60), default="")
    preferred_contact: Mapped[str] = mapped_column(String(10), default="email")
    consent_to_contact: Mapped[bool] = mapped_column(default=False)
    needs_manager: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    first_response_due: Mapped[datetime | None]
    resolution_due: Mapped[datetime | None]
    first_responded_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    last_customer_activity_at: Mapped[datetime | None]
    # A logged call's talk and hold time in seconds, where the employee recorded them.
    talk_seconds: Mapped[int | None]
    hold_seconds: Mapped[int | None]

    customer: Mapped[Customer] = relationship(back_populates="cases")
    category: Mapped[Category] = relationship()
    owner: Mapped[Employee] = relationship()
    events: Mapped[list[Event]] = relationship(
        back_populates="case", order_by="Event.id", cascade="all, delete-orphan"
    )

    # The lifecycle answers these (one home for every rule about statuses); templates ask the case.
    is_open = _asked_of_the_lifecycle("is_open")
    can_reply = _asked_of_the_lifecycle("can_reply")  # whether either side can still write (or the customer withdraw)
    can_reopen = _asked_of_the_lifecycle("can_reopen")
    can_offer = _asked_of_the_lifecycle("can_offer")


@event.listens_for(Case, "init")
def _new_from_the_start(case: Case, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    # A case is new from the moment it is made, not only once flushed, so the lifecycle can move it at once.
    kwargs.setdefault("status", CaseStatus.new)


class Event(Base):
    """One entry of a case's append-only timeline: a transition, a reply, a note."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_case_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))  # an EventKind's value
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    by_customer: Mapped[bool] = mapped_column(default=False)
    public: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")
    employee: Mapped[Employee | None] = relationship()


class CaseReferenceCounter(Base):
    """The last number given out per year, so references stay short and never collide."""

    __tablename__ = "case_reference_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class CaseLink(Base):
    """A private link to one case: only a hash of its token is stored, so a database leak opens no case."""

    __tablename__ = "case_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship()


class Attachment(Base):
    """A picture or PDF a customer sent with a case or a reply; the file lives outside static/."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseHelper(Base):
    """A colleague asked to help on a case; the owner stays the owner."""

    __tablename__ = "case_helper"
    __table_args__ = (UniqueConstraint("case_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])


class CustomerNote(Base):
    """What colleagues should know about a customer ("prefers a call", "season-ticket holder since 2012")."""

    __tablename__ = "customer_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    kind: Mapped[str] = mapped_column(String(20), default="note")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Employee] = relationship()


class CaseViewer(Base):
    """Who has a case open right now, so two colleagues never work on it unaware of each other."""

    __tablename__ = "case_viewer"

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    employee: Mapped[Employee] = relationship()


class CustomerImport(Base):
    """One CSV file of customers from the club's ticketing system or CRM: checked line by line (the preview),
    then, once confirmed, imported; both passes run in the background and report their progress here."""

    __tablename__ = "customer_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64))  # the file under UPLOAD_DIR/imports while it is needed
    size: Mapped[int] = mapped_column(default=0)
    # checking -> checked (the preview) -> importing -> done; refused (the file as a whole); failed (a crash)
    status: Mapped[str] = mapped_column(String(20), default="checking")
    lines_total: Mapped[int] = mapped_column(default=0)  # lines checked (known once the preview is done)
    lines_done: Mapped[int] = mapped_column(default=0)  # progress of the pass that is running
    columns: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # what the header named: known, unknown
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)  # why the whole file was refused
    preview_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    result_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    created_by: Mapped[Employee] = relationship()


class CustomerImportLine(Base):
    """What one line of an import file will do (create, update, unchanged, merged, refused) and why."""

    __tablename__ = "customer_import_line"
    __table_args__ = (
        Index("ix_customer_import_line_email", "import_id", "email"),
        Index("ix_customer_import_line_external_id", "import_id", "external_id"),
        Index("ix_customer_import_line_customer", "import_id", "customer_id"),
        Index("ix_customer_import_line_action", "import_id", "action", "line"),
    )

    import_id: Mapped[int] = mapped_column(ForeignKey("customer_import.id", ondelete="CASCADE"), primary_key=True)
    line: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(12))
    email: Mapped[str] = mapped_column(String(254), default="")
    external_id: Mapped[str] = mapped_column(String(80), default="")
    name: Mapped[str] = mapped_column(String(120), default="")
    customer_id: Mapped[int | None]  # the record it matched (no foreign key: a merge may remove that record)
    message: Mapped[str] = mapped_column(Text, default="")


class ReplyTemplate(Base):
    """A canned reply with placeholders: a team's (its managers keep it) or one employee's own, never both."""

    __tablename__ = "reply_template"
    __table_args__ = (
        # Titles are unique per team and per person whatever their capitals (the indexes also find a team's or a
        # person's templates).
        Index("uq_reply_template_team_title", "team_id", func.lower(text("title")), unique=True),
        Index("uq_reply_template_owner_title", "owner_id", func.lower(text("title")), unique=True),
        CheckConstraint("(team_id IS NULL) <> (owner_id IS NULL)", name="team_or_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team | None] = relationship()
    owner: Mapped[Employee | None] = relationship()
