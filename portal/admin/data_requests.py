"""A customer's data: everything we hold, exported on request, and erasure that keeps the metrics right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.admin import audit
from portal.auth.models import Employee
from portal.auth.permissions import require_admin
from portal.cases.models import Case, Customer, Event
from portal.db import utcnow
from portal.mail.models import OutboxMessage
from portal.remedies.privacy import erase_remedy_text, export_remedies

ERASED_TEXT = "[erased at the customer's request]"
CUSTOMER_FIELDS = ("name", "email", "phone", "preferred_contact", "membership", "customer_since", "lifetime_spend",
                   "email_undeliverable", "created_at")
CASE_FIELDS = ("reference", "kind", "channel", "status", "created_at", "what_happened", "make_it_right",
               "better_in_future", "booking_reference", "preferred_contact", "consent_to_contact", "resolved_at",
               "closed_at")


class ErasureRefused(ValueError):
    """The erasure cannot go ahead as asked; the message says why."""


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def find_customer(session: Session, email: str) -> Customer | None:
    return session.scalar(select(Customer).where(func.lower(Customer.email) == email.strip().lower()))


def export_customer(session: Session, customer: Customer, *, by: Employee) -> dict[str, Any]:
    """Everything held about the customer, as plain JSON-able data; the export itself is audited. Admins only:
    a customer's cases may span every team."""
    require_admin(by, "customers' data")
    cases = session.scalars(select(Case).where(Case.customer_id == customer.id).order_by(Case.created_at)).all()
    events = session.scalars(
        select(Event).where(Event.case_id.in_([c.id for c in cases])).order_by(Event.case_id, Event.id)
    ).all() if cases else []
    by_case: dict[int, list[Event]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    messages = session.scalars(
        select(OutboxMessage).where(func.lower(OutboxMessage.to_address) == customer.email.lower())
        .order_by(OutboxMessage.id)
    ).all()
    data = {
        "exported_at": utcnow().isoformat(),
        "customer": {field: _plain(getattr(customer, field)) for field in CUSTOMER_FIELDS},
        "cases": [
            {
                **{field: _plain(getattr(case, field)) for field in CASE_FIELDS},
                "category": case.category.name,
                "owner": case.owner.name,
                "timeline": [
                    {"at": _plain(e.at), "what": e.kind, "visible_to_customer": e.public,
                     "by": "you" if e.by_customer else (e.employee.name if e.employee else "the system"),
                     "text": e.body}
                    for e in by_case.get(case.id, [])
                ],
            }
            for case in cases
        ],
        "remedies": export_remedies(session, [c.id for c in cases]),
        "emails": [
            {"queued_at": _plain(m.created_at), "subject": m.subject, "status": _plain(m.status), "text": m.body_text}
            for m in messages
        ],
    }
    audit.record(session, actor=by, action="export", entity="customer", entity_id=customer.id,
                 summary=f"Exported the data held about customer #{customer.id} ({len(cases)} cases)")
    return data


@dataclass(frozen=True)
class Erasure:
    cases: int
    events: int
    emails: int


def erase_customer(session: Session, customer: Customer, *, by: Employee, reason: str) -> Erasure:
    """Replace every personal field; keep the cases, their timeline's shape and times, so metrics stay right."""
    require_admin(by, "customers' data")
    if not reason.strip():
        raise ErasureRefused("Say why the data is being erased (for example, the customer's request and its date).")
    if customer.email.endswith("@erased.invalid"):
        raise ErasureRefused("This customer's data has already been erased.")
    address = customer.email
    case_ids = list(session.scalars(select(Case.id).where(Case.customer_id == customer.id)))
    customer.name, customer.email, customer.phone = "Erased customer", f"erased-{customer.id}@erased.invalid", ""
    customer.membership, customer.password_hash, customer.customer_since = "", None, None
    customer.lifetime_spend = Decimal("0")
    events = emails = 0
    if case_ids:
        session.execute(
            update(Case).where(Case.id.in_(case_ids)).values(
                what_happened=ERASED_TEXT, make_it_right=ERASED_TEXT, better_in_future=ERASED_TEXT,
                booking_reference="",
            ).execution_options(synchronize_session="fetch")
        )
        events = session.execute(
            update(Event).where(Event.case_id.in_(case_ids), Event.body != "").values(body=ERASED_TEXT)
            .execution_options(synchronize_session="fetch")
        ).rowcount
        erase_remedy_text(session, case_ids, ERASED_TEXT)
    emails = session.execute(
        update(OutboxMessage).where(func.lower(OutboxMessage.to_address) == address.lower()).values(
            to_address=customer.email, subject=ERASED_TEXT, body_text=ERASED_TEXT, body_html=ERASED_TEXT, context={},
        ).execution_options(synchronize_session="fetch")
    ).rowcount
    audit.record(session, actor=by, action="erase", entity="customer", entity_id=customer.id,
                 summary=f"Erased customer #{customer.id}: {len(case_ids)} cases anonymised. Reason: {reason.strip()}")
    return Erasure(len(case_ids), events, emails)
