"""An employee logs a contact: a call, a visit to the counter, a letter or a social-media message becomes a case.

Whoever takes the contact owns the case (a customer is never passed around), unless it belongs to another team: then
the usual rule of that team chooses the owner, and the taker's context note goes with it as a handoff. If it was put
right there and then, the caller's ``put_right`` resolves it in the same transaction, before the receipt is sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases import notify
from portal.cases.errors import FilingRefused, HandoffRefused
from portal.cases.filing import ASKED_AT_FILING, Filed, Filing, file_case
from portal.cases.models import Case, CaseKind, Channel, Customer, EventKind
from portal.cases.ownership import HANDOFF_REASONS, check_note
from portal.cases.timeline import record
from portal.db import utcnow
from portal.urls import case_link

LOGGED_CHANNELS = (Channel.phone, Channel.in_person, Channel.letter, Channel.social)
MAX_CALL_SECONDS = 12 * 60 * 60  # longer than any call; past it the figure was typed wrongly


@dataclass(frozen=True)
class Contact:
    """What the employee wrote down. ``customer_id`` is a customer they found; without it, a new customer from
    ``name``, ``email`` (optional: not every caller gives one) and ``phone``."""

    channel: Channel
    category_id: int
    what_happened: str
    make_it_right: str = ""
    kind: CaseKind = CaseKind.complaint
    customer_id: int | None = None
    name: str = ""
    email: str = ""
    phone: str = ""
    booking_reference: str = ""
    talk_seconds: int | None = None
    hold_seconds: int | None = None
    keep_it: bool = True  # False: it belongs to another team, whose usual rule chooses the owner
    handoff_note: str = ""


def _check(contact: Contact) -> None:
    if contact.channel not in LOGGED_CHANNELS:
        raise FilingRefused("Choose how the customer got in touch: a call, a visit, a letter or a message.")
    for label, seconds in (("Talk time", contact.talk_seconds), ("Hold time", contact.hold_seconds)):
        if seconds is None:
            continue
        if contact.channel is not Channel.phone:
            raise FilingRefused(f"{label} is for phone calls: leave it empty for a {contact.channel.label.lower()}.")
        if not 0 <= seconds <= MAX_CALL_SECONDS:
            raise FilingRefused(f"{label} must be between 0 and 12 hours.")
    if contact.customer_id is None and not contact.name.strip():
        raise FilingRefused("Find the customer, or enter the new customer's name.")
    if (contact.kind is CaseKind.complaint and contact.channel in ASKED_AT_FILING
            and not contact.make_it_right.strip()):
        raise FilingRefused("Ask the customer what we can do to make this right, and write down their answer.")


def log_contact(
    session: Session,
    contact: Contact,
    *,
    by: Employee,
    put_right: Callable[[Case], object] | None = None,
    now: datetime | None = None,
) -> Filed:
    """File the contact as a case; with ``put_right``, the taker also put it right there and then."""
    _check(contact)
    now = now or utcnow()
    customer = None
    if contact.customer_id is not None:
        customer = session.get(Customer, contact.customer_id)
        if customer is None:
            raise FilingRefused("That customer's record no longer exists: find them again.")
    note = ""
    if not contact.keep_it:
        try:
            note = check_note(contact.handoff_note)
        except HandoffRefused as refused:
            raise FilingRefused(str(refused)) from refused
    if put_right is not None and not contact.keep_it:
        raise FilingRefused("Only a contact you keep yourself can be put right there and then.")
    filing = Filing(
        name=contact.name if customer is None else "",
        email=contact.email if customer is None else (customer.email or ""),
        phone=contact.phone,
        category_id=contact.category_id,
        what_happened=contact.what_happened,
        kind=contact.kind,
        make_it_right=contact.make_it_right if contact.kind is CaseKind.complaint else "",
        booking_reference=contact.booking_reference,
        preferred_contact=_preferred(contact, customer),
        channel=contact.channel,
    )
    filed = file_case(session, filing, upload_dir="", link_for=case_link, now=now, customer=customer,
                      owner=by if contact.keep_it else None, taken_by=by, receipt=False)
    if filed.duplicate:
        return filed
    case = filed.case
    case.talk_seconds, case.hold_seconds = contact.talk_seconds, contact.hold_seconds
    if not contact.keep_it and case.owner_id != by.id:
        _handed_over(session, case, by=by, note=note, at=now)
    notify.receipt(session, case, link=filed.link, put_right_now=put_right is not None)
    if put_right is not None:
        put_right(case)
    return filed


def _preferred(contact: Contact, customer: Customer | None) -> str:
    has_email = bool(customer.email if customer is not None else contact.email.strip())
    if contact.channel is Channel.phone or not has_email:
        return "phone" if (contact.phone.strip() or (customer is not None and customer.phone)) else "email"
    return "email"


def _handed_over(session: Session, case: Case, *, by: Employee, note: str, at: datetime) -> None:
    """The taker gives the new case to the team it belongs to: the owner reads their note first."""
    record(session, case, EventKind.handoff, by=by, body=note, at=at,
           detail={"from": by.id, "to": case.owner_id, "reason": "other_team", "note": note})
    notify.case_handed_to_you(session, case, by=by, note=note, reason=HANDOFF_REASONS["other_team"])
