"""Customers: found by their address, whatever its letter case ("Olivia@…" and "olivia@…" are one person)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.models import Customer


def find_customer(session: Session, email: str) -> Customer | None:
    """The customer with this address (the index on lower(email) serves it), or None; a blank address finds no one."""
    email = email.strip().lower()
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email)) if email else None
