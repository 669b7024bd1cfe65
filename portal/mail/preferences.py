"""A customer's e-mail preferences, reached from a signed link in every non-transactional e-mail (no account)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.models import Customer
from portal.db import utcnow
from portal.tokens import TokenInvalid, sign, unsign

PURPOSE = "mail-preferences"
# Old e-mails keep working for a long time: an unsubscribe link must not expire quickly.
MAX_AGE = 3 * 365 * 24 * 3600


def preferences_token(secret_key: str, email: str) -> str:
    return sign(secret_key, PURPOSE, email.strip().lower())


def customer_for_token(session: Session, secret_key: str, token: str) -> Customer:
    """The customer the link was made for; TokenInvalid when forged or unknown."""
    email = unsign(secret_key, PURPOSE, token, MAX_AGE)
    customer = find_customer(session, email)
    if customer is None:
        raise TokenInvalid("This link is not valid.")
    return customer


def find_customer(session: Session, email: str) -> Customer | None:
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email.strip().lower()))


def set_opt_out(customer: Customer, opted_out: bool) -> None:
    if opted_out and customer.email_opt_out_at is None:
        customer.email_opt_out_at = utcnow()
    elif not opted_out:
        customer.email_opt_out_at = None


def is_opted_out(session: Session, email: str) -> bool:
    customer = find_customer(session, email)
    return customer is not None and customer.email_opt_out_at is not None
