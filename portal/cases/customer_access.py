"""How customers reach their cases without staff accounts: private links, and an optional account."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.auth import throttle
from portal.auth.passwords import hash_password, verify_password
from portal.auth.sessions import account_for_session
from portal.cases import notify
from portal.cases.customers import find_customer
from portal.cases.errors import CustomerSignInRefused
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
    notify.case_links(session, customer, links)


def sign_in_link(session: Session, email: str, *, secret_key: str, link_for: Callable[[str], str]) -> None:
    """E-mail a one-use sign-in link (30 minutes) to a customer who has cases; nothing otherwise."""
    customer = find_customer(session, email)
    if customer is None or not customer.cases:
        return
    token = sign(secret_key, SIGN_IN_PURPOSE, {"id": customer.id, "fp": _fingerprint(customer)})
    notify.customer_sign_in(session, customer, link=link_for(token))


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


WRONG = "Enter a correct e-mail address and password, or ask for a sign-in link by e-mail instead."
WAIT = {
    "account": "Too many wrong passwords for this address have been tried from here. "
               "Wait {wait}, or ask for a sign-in link by e-mail instead.",
    "address": "Too many wrong passwords have been tried from your network. "
               "Wait {wait}, or ask for a sign-in link by e-mail instead.",
}


def sign_in_with_password(
    session: Session, email: str, password: str, *, address: str, now: datetime | None = None
) -> Customer:
    """The customer whose password this is; wrong ones slow down the client they come from (portal.auth.throttle)."""
    now = now or utcnow()
    account = "customer:" + email.strip().lower()
    try:
        throttle.check(session, account=account, address=address, now=now)
    except throttle.Throttled as throttled:
        raise CustomerSignInRefused(WAIT[throttled.scope].format(wait=throttled.wait_text)) from None
    customer = find_customer(session, email)
    if not verify_password(customer.password_hash if customer else None, password) or customer is None:
        started = throttle.record_failure(session, account=account, address=address, now=now)
        raise CustomerSignInRefused(WAIT[started.scope].format(wait=started.wait_text) if started else WRONG)
    throttle.record_success(session, account=account, address=address)
    customer.last_signed_in_at = now
    return customer


def customer_for_session(session: Session, key: object) -> Customer | None:
    """The customer a session cookie names, or None once that session has been ended."""
    return account_for_session(session, Customer, key)


def set_password(customer: Customer, password: str) -> None:
    """A new password; it ends the customer's other sessions (the caller re-keys the current one)."""
    customer.password_hash = hash_password(password)
