"""Catalogue entries, offers of two or three remedies, the customer's choice, approvals and ratings."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Employee
from portal.cases.models import Case, Category
from portal.db import Base, utcnow


class RemedyKind(enum.StrEnum):
    refund = "refund"
    account_credit = "account_credit"
    replacement = "replacement"
    redo = "redo"
    callback = "callback"
    apology_and_fix = "apology_and_fix"
    gesture = "gesture"
    other = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    RemedyKind.refund: "Refund",
    RemedyKind.account_credit: "Account credit",
    RemedyKind.replacement: "Replacement",
    RemedyKind.redo: "Redo the service",
    RemedyKind.callback: "A call back",
    RemedyKind.apology_and_fix: "An apology and a fix",
    RemedyKind.gesture: "A gesture (tickets, vouchers)",
    RemedyKind.other: "Something else",
}


class OfferStatus(enum.StrEnum):
    awaiting_approval = "awaiting_approval"
    sent = "sent"
    returned_for_changes = "returned_for_changes"
    chosen = "chosen"
    declined = "declined"
    expired = "expired"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class CatalogueEntry(Base):
    """A remedy an employee can start from, per category, with its usual wording and cost."""

    __tablename__ = "remedy_catalogue_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    kind: Mapped[RemedyKind]
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    when_text: Mapped[str] = mapped_column(Text, default="")
    typical_cost: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship()


class Offer(Base):
    """Two or three remedies put to the customer at once; one choice per offer."""

    __tablename__ = "remedy_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    status: Mapped[OfferStatus] = mapped_column(index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    fulfilled_at: Mapped[datetime | None]
    fulfilled_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    fulfilment: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship()
    proposed_by: Mapped[Employee] = relationship(foreign_keys=[proposed_by_id])
    fulfilled_by: Mapped[Employee | None] = relationship(foreign_keys=[fulfilled_by_id])
    remedies: Mapped[list[Remedy]] = relationship(
        back_populates="offer", order_by="Remedy.position", cascade="all, delete-orphan"
    )
    choice: Mapped[Choice | None] = relationship(back_populates="offer", uselist=False)
    decisions: Mapped[list[ApprovalDecision]] = relationship(
        back_populates="offer", order_by="ApprovalDecision.id"
    )
    rating: Mapped[Rating | None] = relationship(back_populates="offer", uselist=False)

    @property
    def highest_cost(self) -> Decimal:
        return max((r.cost for r in self.remedies), default=Decimal("0"))

    @property
    def chosen_remedy(self) -> Remedy | None:
        return self.choice.remedy if self.choice else None


class Remedy(Base):
    """One option of an offer, in the customer's words, with what it costs us."""

    __tablename__ = "remedy"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("remedy_offer.id"), index=True)
    position: Mapped[int]
    kind: Mapped[RemedyKind]
    description: Mapped[str] = mapped_column(Text)
    when_text: Mapped[str] = mapped_column(Text)
    cost: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    catalogue_entry_id: Mapped[int | None] = mapped_column(ForeignKey("remedy_catalogue_entry.id"))

    offer: Mapped[Offer] = relationship(back_populates="remedies")


class Choice(Base):
    """The customer's answer to an offer: one remedy, or none with their own proposal."""

    __tablename__ = "remedy_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: even if two clicks slipped past the status guard, the second insert fails.
    offer_id: Mapped[int] = mapped_column(ForeignKey("remedy_offer.id"), unique=True)
    remedy_id: Mapped[int | None] = mapped_column(ForeignKey("remedy.id"))
    counter_proposal: Mapped[str] = mapped_column(Text, default="")
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)

    offer: Mapped[Offer] = relationship(back_populates="choice")
    remedy: Mapped[Remedy | None] = relationship()


class ApprovalDecision(Base):
    """A manager's decision on an offer above the proposer's authority limit."""

    __tablename__ = "remedy_approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("remedy_offer.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    approved: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    offer: Mapped[Offer] = relationship(back_populates="decisions")
    manager: Mapped[Employee] = relationship()


class Rating(Base):
    """"Did we make it right?": the customer's 1–5 and comment on a fulfilled offer."""

    __tablename__ = "remedy_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("remedy_offer.id"), unique=True)
    score: Mapped[int]
    made_it_right: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)

    offer: Mapped[Offer] = relationship(back_populates="rating")
