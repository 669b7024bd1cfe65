"""Customers: found by their address, whatever its letter case ("Olivia@…" and "olivia@…" are one person)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.models import Customer


def find_customer(session: Session, email: str) -> Customer | None:
    """The customer with this address (the index on lower(email) serves it), or None; a blank address finds no one."""
    email = email.strip().lower()
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email)) if email else None


def phone_digits(phone: str) -> str:
    """The digits of a phone number as people write it ("+44 7700 900123", "07700-900123")."""
    return "".join(ch for ch in phone if ch.isdigit())


def matching_customers(session: Session, text: str, *, limit: int = 10) -> list[Customer]:
    """Customers an employee on the phone is looking for: by e-mail address, by phone number (its last nine digits,
    so "07700 900123" finds "+44 7700 900123"), or by a name containing the words typed. Best matches first."""
    text = " ".join(text.split())[:120]
    if not text:
        return []
    if "@" in text:
        return list(session.scalars(
            select(Customer).where(func.lower(Customer.email).startswith(text.lower(), autoescape=True))
            .order_by(Customer.email).limit(limit)))
    digits = phone_digits(text)
    if len(digits) >= 6 and len(digits) >= len(text.replace(" ", "")) - 3:
        tail = digits[-9:]
        stripped = func.replace(func.replace(func.replace(func.replace(Customer.phone, " ", ""), "-", ""), "+", ""),
                                "(", "")
        return list(session.scalars(
            select(Customer).where(func.replace(stripped, ")", "").endswith(tail, autoescape=True))
            .order_by(Customer.name).limit(limit)))
    query = select(Customer)
    for word in text.split()[:5]:
        query = query.where(func.lower(Customer.name).contains(word.lower(), autoescape=True))
    return list(session.scalars(query.order_by(func.length(Customer.name), Customer.name).limit(limit)))
