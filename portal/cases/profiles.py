"""The customer as employees see them: history, preferences, notes, and what keeping them is worth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee
from portal.cases.errors import NoteRefused
from portal.cases.models import Case, Customer, CustomerNote

NOTE_KINDS = {"note": "Note", "likes": "Likes", "dislikes": "Dislikes", "preference": "Preference"}


@dataclass(frozen=True)
class Profile:
    customer: Customer
    cases: list[Case]
    notes: list[CustomerNote]
    value: str


def worth(customer: Customer, today: date) -> str:
    """For example "Season-ticket holder for 7 years, £4,200 spent"."""
    parts = []
    if customer.customer_since:
        years = (today - customer.customer_since).days // 365
        tenure = f"{years} year{'s' if years != 1 else ''}" if years else "less than a year"
        parts.append(f"{customer.membership or 'Customer'} for {tenure}")
    elif customer.membership:
        parts.append(customer.membership)
    parts.append(f"£{customer.lifetime_spend:,.0f} spent")
    return ", ".join(parts)


def worth_tag(customer: Customer) -> str:
    """The queue's small tag beside a customer's name, e.g. "£4,200 · Season-ticket holder" ("" for neither)."""
    parts = [f"£{customer.lifetime_spend:,.0f}"] if customer.lifetime_spend else []
    return " · ".join(parts + ([customer.membership] if customer.membership else []))


def profile(session: Session, customer: Customer, *, today: date) -> Profile:
    cases = session.scalars(
        select(Case).where(Case.customer_id == customer.id).options(selectinload(Case.owner),
                                                                     selectinload(Case.category))
        .order_by(Case.created_at.desc())
    ).all()
    notes = session.scalars(
        select(CustomerNote).where(CustomerNote.customer_id == customer.id).options(selectinload(CustomerNote.author))
        .order_by(CustomerNote.created_at.desc(), CustomerNote.id.desc())
    ).all()
    return Profile(customer, list(cases), list(notes), worth(customer, today))


def add_note(session: Session, customer: Customer, body: str, *, kind: str, by: Employee) -> CustomerNote:
    if kind not in NOTE_KINDS:
        raise NoteRefused("Choose what kind of note this is.")
    text = body.strip()
    if not text:
        raise NoteRefused("Write the note first.")
    if len(text) > 1000:
        raise NoteRefused("A note must be 1,000 characters or fewer.")
    note = CustomerNote(customer_id=customer.id, author=by, kind=kind, body=text)
    session.add(note)
    return note
