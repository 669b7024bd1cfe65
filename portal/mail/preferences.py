"""A customer's choice about e-mails that are not about their own case (news of changes, surveys)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.models import Customer
from portal.db import utcnow
from portal.mail.rendering import MailSettings
from portal.tokens import sign, unsign

PURPOSE = "email-preferences"
VALID_FOR_SECONDS = 2 * 365 * 24 * 3600


def _customer(session: Session, email: str) -> Customer | None:
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email.strip().lower()))


def wants_news(session: Session, email: str) -> bool:
    customer = _customer(session, email)
    return customer is None or customer.email_opt_out_at is None


def preferences_link(email: str, settings: MailSettings) -> str:
    token = sign(settings.secret_key or "unsigned", PURPOSE, email.strip().lower())
    return f"{settings.base_url.rstrip('/')}/email-preferences/{token}"


def email_for_token(token: str, *, secret_key: str) -> str:
    """The address a preferences link was made for; raises TokenInvalid for a forged or old link."""
    return str(unsign(secret_key, PURPOSE, token, max_age=VALID_FOR_SECONDS))


def set_news(session: Session, email: str, *, wanted: bool) -> Customer | None:
    customer = _customer(session, email)
    if customer is not None:
        customer.email_opt_out_at = None if wanted else (customer.email_opt_out_at or utcnow())
    return customer
