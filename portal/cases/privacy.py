"""A customer's data request, for cases: their details, their cases and timelines, colleagues' notes on them.

Erasure keeps each case, its timeline's shape and times and its statuses, so the metrics stay right; every
word and detail that could tell who the customer was goes. It runs last among the capabilities (see
portal/privacy.py): the others find the customer's rows by the address this replaces."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from portal.cases.models import Attachment, Case, CaseLink, Customer, CustomerNote, Event
from portal.db import utcnow
from portal.mail.privacy import erase_about_cases
from portal.privacy import ERASED_TEXT, plain

CUSTOMER_FIELDS = ("name", "email", "phone", "preferred_contact", "membership", "customer_since", "lifetime_spend",
                   "email_undeliverable", "created_at")
CASE_FIELDS = ("reference", "kind", "channel", "status", "created_at", "what_happened", "make_it_right",
               "better_in_future", "booking_reference", "preferred_contact", "consent_to_contact", "resolved_at",
               "closed_at")
# Timeline details written in words (a handoff's note, a status change's reason) or naming the customer's
# address (a bounce); the rest (statuses, ids, amounts) is what the metrics read.
WORDED_DETAILS = ("note", "reason", "email")


def _cases(session: Session, customer: Customer) -> list[Case]:
    return list(session.scalars(
        select(Case).where(Case.customer_id == customer.id)
        .options(selectinload(Case.category), selectinload(Case.owner)).order_by(Case.created_at, Case.id)
    ))


def export(session: Session, customer: Customer) -> dict[str, Any]:
    cases = _cases(session, customer)
    ids = [c.id for c in cases]
    events = session.scalars(
        select(Event).where(Event.case_id.in_(ids)).options(selectinload(Event.employee))
        .order_by(Event.case_id, Event.id)
    ).all() if ids else []
    by_case: dict[int, list[Event]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    files = session.scalars(select(Attachment).where(Attachment.case_id.in_(ids))).all() if ids else []
    notes = session.scalars(select(CustomerNote).where(CustomerNote.customer_id == customer.id)
                            .order_by(CustomerNote.id)).all()
    return {
        "customer": {field: plain(getattr(customer, field)) for field in CUSTOMER_FIELDS},
        "cases": [
            {
                **{field: plain(getattr(case, field)) for field in CASE_FIELDS},
                "category": case.category.name,
                "owner": case.owner.name,
                "timeline": [
                    {"at": plain(e.at), "what": e.kind, "visible_to_customer": e.public,
                     "by": "you" if e.by_customer else (e.employee.name if e.employee else "the system"),
                     "text": e.body}
                    for e in by_case.get(case.id, [])
                ],
                "files": [{"name": f.filename, "type": f.content_type, "size": f.size}
                          for f in files if f.case_id == case.id],
            }
            for case in cases
        ],
        "notes_about_you": [{"at": plain(n.created_at), "kind": n.kind, "text": n.body} for n in notes],
    }


def erase(session: Session, customer: Customer) -> dict[str, int]:
    ids = [c.id for c in _cases(session, customer)]
    events = emails = 0
    if ids:
        session.execute(
            update(Case).where(Case.id.in_(ids)).values(
                what_happened=ERASED_TEXT, make_it_right=ERASED_TEXT, better_in_future=ERASED_TEXT,
                booking_reference="",
            ).execution_options(synchronize_session="fetch")
        )
        for event in session.scalars(select(Event).where(Event.case_id.in_(ids))):
            worded = {k: ERASED_TEXT for k in WORDED_DETAILS if event.detail.get(k)}
            if event.body or worded:
                event.body = ERASED_TEXT if event.body else ""
                event.detail = {**event.detail, **worded}
                events += 1
        session.execute(update(Attachment).where(Attachment.case_id.in_(ids)).values(filename="erased")
                        .execution_options(synchronize_session="fetch"))
        # Old private links open nothing now: the case no longer says whose it was, but it is still theirs.
        session.execute(update(CaseLink).where(CaseLink.case_id.in_(ids), CaseLink.revoked_at.is_(None))
                        .values(revoked_at=utcnow()).execution_options(synchronize_session="fetch"))
        emails = erase_about_cases(session, ids)
    session.execute(update(CustomerNote).where(CustomerNote.customer_id == customer.id).values(body=ERASED_TEXT)
                    .execution_options(synchronize_session="fetch"))
    # The sign-in throttle keeps only hashes of an address with the client's network address: nothing to erase.
    customer.name, customer.email, customer.phone = "Erased customer", f"erased-{customer.id}@erased.invalid", ""
    customer.membership, customer.password_hash, customer.customer_since = "", None, None
    customer.lifetime_spend = Decimal("0")
    return {"cases": len(ids), "events": events, "emails": emails}


def move_customer(session: Session, keep: Customer, remove: Customer) -> dict[str, int]:
    """Two records of one person merged (the other capabilities have moved theirs): ``remove``'s cases and notes
    are ``keep``'s, and ``keep`` holds what either held — the earliest "customer since", both spends, both sets of
    preferences, an opt-out from news on either. ``keep``'s name and address stand."""
    cases = session.execute(update(Case).where(Case.customer_id == remove.id).values(customer_id=keep.id)
                            .execution_options(synchronize_session=False)).rowcount or 0
    notes = session.execute(update(CustomerNote).where(CustomerNote.customer_id == remove.id)
                            .values(customer_id=keep.id).execution_options(synchronize_session=False)).rowcount or 0
    keep.phone = keep.phone or remove.phone
    keep.membership = keep.membership or remove.membership
    keep.external_id = keep.external_id or remove.external_id
    keep.lifetime_spend = (keep.lifetime_spend or Decimal("0")) + (remove.lifetime_spend or Decimal("0"))
    sinces = [d for d in (keep.customer_since, remove.customer_since) if d is not None]
    keep.customer_since = min(sinces) if sinces else None
    if remove.preferences and remove.preferences not in keep.preferences:
        keep.preferences = "\n".join(p for p in (keep.preferences, remove.preferences) if p)
    opt_outs = [at for at in (keep.email_opt_out_at, remove.email_opt_out_at) if at is not None]
    keep.email_opt_out_at = min(opt_outs) if opt_outs else None
    keep.created_at = min(keep.created_at, remove.created_at)
    return {"cases": cases, "notes": notes}
