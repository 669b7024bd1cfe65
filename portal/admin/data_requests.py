"""A customer's data: everything we hold, exported on request, and erasure that keeps the metrics right.

Each capability exports and erases its own customer data (its `privacy.py`, see portal/privacy.py); this
service finds the customer, calls every one of them and audits the request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from portal import audit
from portal.admin.errors import ErasureRefused
from portal.auth.models import Employee
from portal.auth.permissions import require_admin
from portal.cases import privacy as cases_privacy
from portal.cases.customers import find_customer
from portal.cases.models import Customer
from portal.changes import privacy as changes_privacy
from portal.db import utcnow
from portal.mail import privacy as mail_privacy
from portal.privacy import ERASED_TEXT, PrivacyModule
from portal.remedies import privacy as remedies_privacy
from portal.surveys import privacy as surveys_privacy

__all__ = ["ERASED_TEXT", "Erasure", "ErasureRefused", "erase_customer", "export_customer", "find_customer"]

# Every capability holding customer data, in the order erasure runs: cases, which replaces the customer's
# address and words, comes last because the others find their rows through them.
PRIVACY: tuple[PrivacyModule, ...] = (remedies_privacy, changes_privacy, surveys_privacy, mail_privacy,
                                      cases_privacy)


def export_customer(session: Session, customer: Customer, *, by: Employee) -> dict[str, Any]:
    """Everything held about the customer, as plain JSON-able data; the export itself is audited. Admins only:
    a customer's cases may span every team."""
    require_admin(by, "customers' data")
    data: dict[str, Any] = {"exported_at": utcnow().isoformat()}
    for module in PRIVACY:
        data.update(module.export(session, customer))
    audit.record(session, actor=by, action="export", entity="customer", entity_id=customer.id,
                 summary=f"Exported the data held about customer #{customer.id} ({len(data['cases'])} cases)")
    return data


@dataclass(frozen=True)
class Erasure:
    cases: int
    events: int
    emails: int


def erase_customer(session: Session, customer: Customer, *, by: Employee, reason: str) -> Erasure:
    """Replace every personal field in every capability; keep the cases, their timeline's shape and times."""
    require_admin(by, "customers' data")
    if not reason.strip():
        raise ErasureRefused("Say why the data is being erased (for example, the customer's request and its date).")
    if (customer.email or "").endswith("@erased.invalid"):
        raise ErasureRefused("This customer's data has already been erased.")
    counts: dict[str, int] = {}
    for module in PRIVACY:
        for what, n in module.erase(session, customer).items():
            counts[what] = counts.get(what, 0) + n
    audit.record(session, actor=by, action="erase", entity="customer", entity_id=customer.id,
                 summary=f"Erased customer #{customer.id}: {counts.get('cases', 0)} cases anonymised. "
                         f"Reason: {reason.strip()}")
    return Erasure(counts.get("cases", 0), counts.get("events", 0), counts.get("emails", 0))
