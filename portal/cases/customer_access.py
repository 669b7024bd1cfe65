"""How customers reach their cases without staff accounts: private links, and an optional account."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal import mail
from portal.auth import signin
from portal.auth.passwords import hash_password, verify_password
from portal.cases.models import Case, CaseLink, Customer
from portal.db import utcnow
from portal.tokens import TokenInvalid, sign, unsign

SIGN_IN_PURPOSE = "customer-sign-in"
SIGN_IN_VALID_FOR_SECONDS = 30 * 60
RECENT = timedelta(days=365)


LAST_USED_GRAIN = timedelta(hours=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(session: Session, case: Case) -> str:
    """A new private link token for ``case``; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    session.add(CaseLink(case_id=case.id, token_hash=_hash(token)))
    return token


def case_for_token(session: Session, token: str) -> Case | None:
    """The case a private link opens, or None for a wrong, guessed or revoked link (never say which)."""
    if not token or len(token) > 100:
        return None
    link = session.scalar(select(CaseLink).where(CaseLink.token_hash == _hash(token)))
    if link is None or link.revoked_at is not None:
        return None
    now = utcnow()
    # Noted at most hourly: a write on every view would serialise page views behind the database's write lock.
    if link.last_used_at is None or now - link.last_used_at > LAST_USED_GRAIN:
        link.last_used_at = now
    return link.case


def revoke_links(session: Session, case: Case) -> int:
    """Stop every private link to ``case`` working (a forwarded e-mail, say); a new one can be sent."""
    result = session.execute(
        update(CaseLink).where(CaseLink.case_id == case.id, CaseLink.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    return result.rowcount


def find_customer(session: Session, email: str) -> Customer | None:
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email.strip().lower()))


def send_links(session: Session, email: str, *, link_for: Callable[[str], str]) -> None:
    """E-mail fresh private links to the customer's recent cases; say nothing about whether there are any."""
    customer = find_customer(session, email)
    if customer is None:
        return
    since = utcnow() - RECENT
    cases = [c for c in customer.cases if c.created_at >= since]
    if not cases:
        return
    links = [{"reference": c.reference, "status": c.status.label, "link": link_for(issue_link(session, c))}
             for c in cases]
    mail.queue(session, customer.email, "case_links", {"name": customer.first_name, "cases": links})


def sign_in_link(session: Session, email: str, *, secret_key: str, link_for: Callable[[str], str]) -> None:
    """E-mail a one-use sign-in link (30 minutes) to a customer who has cases; nothing otherwise."""
    customer = find_customer(session, email)
    if customer is None or not customer.cases:
        return
    token = sign(secret_key, SIGN_IN_PURPOSE, {"id": customer.id, "fp": _fingerprint(customer)})
    mail.queue(session, customer.email, "customer_sign_in", {"name": customer.first_name, "link": link_for(token)})


def _fingerprint(customer: Customer) -> str:
    # Changes when the customer signs in with it (last_sign_in) so each e-mailed link works once.
    seed = f"{customer.id}:{customer.password_hash or ''}:{customer.last_signed_in_at or ''}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def customer_for_sign_in_token(session: Session, token: str, *, secret_key: str) -> Customer:
    payload = unsign(secret_key, SIGN_IN_PURPOSE, token, max_age=SIGN_IN_VALID_FOR_SECONDS)
    customer = session.get(Customer, payload.get("id")) if isinstance(payload, dict) else None
    if customer is None or payload.get("fp") != _fingerprint(customer):
        raise TokenInvalid("This sign-in link has already been used or is no longer valid.")
    customer.last_signed_in_at = utcnow()
    return customer


class CustomerSignInRefused(Exception):
    """Wrong e-mail address or password for a customer account."""


def throttle_key(email: str) -> str:
    """The sign-in throttle's key for a customer's address (employees' addresses are counted apart)."""
    return ("customer:" + email.strip().lower())[:254]


def sign_in_with_password(session: Session, email: str, password: str) -> Customer:
    """The customer whose password this is; five wrong tries lock the address for 15 minutes."""
    key = throttle_key(email)
    if signin.is_locked(session, key):
        raise CustomerSignInRefused(
            "There have been too many wrong passwords for this address. Wait 15 minutes, or ask for a sign-in link."
        )
    customer = find_customer(session, email)
    if not verify_password(customer.password_hash if customer else None, password) or customer is None:
        signin.record_failure(session, key)
        raise CustomerSignInRefused(
            "Enter a correct e-mail address and password, or ask for a sign-in link by e-mail instead."
        )
    signin.clear_failures(session, key)
    customer.last_signed_in_at = utcnow()
    return customer


def set_password(customer: Customer, password: str) -> None:
    customer.password_hash = hash_password(password)
