"""A customer's choice about e-mails that are not about their own case (news of changes, surveys), and whether
their address takes mail at all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal import mail
from portal.cases.customers import find_customer
from portal.cases.models import Customer
from portal.db import utcnow
from portal.mail.models import OutboxMessage
from portal.organisation import organisation_name
from portal.tokens import sign, unsign
from portal.urls import public_url

PURPOSE = "email-preferences"
VALID_FOR_SECONDS = 2 * 365 * 24 * 3600


def wants_news(session: Session, email: str) -> bool:
    customer = find_customer(session, email)
    return customer is None or customer.email_opt_out_at is None


def preferences_link(email: str, *, secret_key: str, base_url: str) -> str:
    token = sign(secret_key or "unsigned", PURPOSE, email.strip().lower())
    return public_url("email_preferences.email_preferences", token=token, base_url=base_url)


def email_for_token(token: str, *, secret_key: str) -> str:
    """The address a preferences link was made for; raises TokenInvalid for a forged or old link."""
    return str(unsign(secret_key, PURPOSE, token, max_age=VALID_FOR_SECONDS))


def set_news(session: Session, email: str, *, wanted: bool) -> Customer | None:
    customer = find_customer(session, email)
    if customer is not None:
        customer.email_opt_out_at = None if wanted else (customer.email_opt_out_at or utcnow())
    return customer


def opted_out(session: Session, email: str, at: datetime) -> None:
    """The customer unsubscribed or reported spam at SendGrid: no more news, as if they had said so here."""
    customer = find_customer(session, email)
    if customer is not None and customer.email_opt_out_at is None:
        customer.email_opt_out_at = at


def queue_news(session: Session, to: str | None, template: str, context: dict[str, Any], *, case_id: int | None = None,
               org_name: str | None = None) -> OutboxMessage | None:
    """Queue an e-mail that is not about the customer's own case: none for a customer who opted out, and it
    carries a link to manage their e-mail preferences (transactional ones always go)."""
    if not to or not wants_news(session, to):
        return None
    settings = mail.settings()
    link = preferences_link(to, secret_key=settings.secret_key, base_url=settings.base_url)
    return mail.queue(session, to, template, {**context, "preferences_link": link}, case_id=case_id,
                      org_name=org_name or organisation_name(session), transactional=False)
