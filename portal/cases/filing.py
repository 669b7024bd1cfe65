"""Filing a case: one transaction that finds the customer, gives an owner at once, and sends a receipt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases import notify
from portal.cases.assignment import Unassignable, choose_owner
from portal.cases.attachments import AttachmentRefused, check_files, store_attachments
from portal.cases.customer_access import issue_link
from portal.cases.customers import find_customer
from portal.cases.errors import FilingRefused
from portal.cases.models import Case, CaseKind, Category, Channel, Customer, EventKind
from portal.cases.references import next_reference
from portal.cases.timeline import record
from portal.db import utcnow

DUPLICATE_WINDOW = timedelta(minutes=10)
# Where the customer is asked "What can we do to make this right?" as they tell us, so a complaint needs the answer:
# the web form, and an employee on the phone or at the counter. A letter, a social-media message or an e-mail may
# not say; the receipt asks, and the case page takes the answer (`customer_replies.add_make_it_right`).
ASKED_AT_FILING = frozenset({Channel.web, Channel.phone, Channel.in_person})


@dataclass(frozen=True)
class Filing:
    name: str
    email: str
    category_id: int
    what_happened: str
    kind: CaseKind = CaseKind.complaint
    make_it_right: str = ""
    better_in_future: str = ""
    phone: str = ""
    booking_reference: str = ""
    preferred_contact: str = "email"
    consent_to_contact: bool = False
    channel: Channel = Channel.web


@dataclass(frozen=True)
class Filed:
    case: Case
    duplicate: bool
    link: str = ""  # the customer's private link to it (a new case only)


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def file_case(
    session: Session,
    filing: Filing,
    *,
    files: list[tuple[str, bytes]] = (),
    upload_dir: str,
    link_for: Callable[[str], str],
    now: datetime | None = None,
    customer: Customer | None = None,
    owner: Employee | None = None,
    taken_by: Employee | None = None,
    receipt: bool = True,
) -> Filed:
    """File the case, or return the one this customer filed with the same words in the last ten minutes.

    An employee logging a contact passes the ``customer`` they found (who may have no address) and, when they keep
    it, themselves as ``owner``; otherwise the usual rule chooses. ``receipt=False`` leaves the receipt to the
    caller (`contacts.log_contact` sends it once it knows whether the case was put right there and then)."""
    now = now or utcnow()
    category = session.get(Category, filing.category_id)
    if category is None or not category.active:
        raise FilingRefused("Choose what your feedback is about from the list.")
    if filing.kind is CaseKind.complaint and filing.channel in ASKED_AT_FILING and not filing.make_it_right.strip():
        raise FilingRefused("Tell us what we can do to make this right.")
    try:
        check_files(list(files))
    except AttachmentRefused as refused:
        raise FilingRefused(str(refused)) from refused
    customer = customer or find_customer(session, filing.email)
    if customer is not None:
        earlier = session.scalars(
            select(Case).where(Case.customer_id == customer.id, Case.created_at >= now - DUPLICATE_WINDOW)
        ).all()
        for case in earlier:
            if _same_words(case.what_happened, filing.what_happened):
                return Filed(case, duplicate=True)
    else:
        customer = Customer(email=filing.email.strip().lower() or None, name=filing.name.strip())
        session.add(customer)
    customer.name = filing.name.strip() or customer.name
    customer.phone = filing.phone.strip() or customer.phone
    customer.preferred_contact = filing.preferred_contact
    flagged = False
    if owner is None:
        try:
            owner, flagged = choose_owner(session, category)
        except Unassignable as exc:
            raise FilingRefused(
                "We cannot take feedback about this just now because nobody is available to own it. "
                "Please call us instead."
            ) from exc
    case = Case(
        reference=next_reference(session, now.year),
        kind=filing.kind,
        channel=filing.channel,
        customer=customer,
        category=category,
        owner=owner,
        what_happened=filing.what_happened.strip(),
        make_it_right=filing.make_it_right.strip() if filing.kind is CaseKind.complaint else "",
        better_in_future=filing.better_in_future.strip(),
        booking_reference=filing.booking_reference.strip(),
        preferred_contact=filing.preferred_contact,
        consent_to_contact=filing.consent_to_contact,
        needs_manager=flagged,
        created_at=now,
        updated_at=now,
        first_response_due=now + timedelta(hours=category.first_response_hours),
        resolution_due=now + timedelta(hours=category.resolution_hours),
        last_customer_activity_at=now,
    )
    session.add(case)
    owner.last_assigned_at = now
    detail = {"owner": owner.id, "channel": filing.channel.value}
    if taken_by is not None:
        detail["taken_by"] = taken_by.id  # the employee who took the call, the visit, the letter
    filed = record(session, case, EventKind.filed, by_customer=True, public=True, at=now, detail=detail)
    if flagged:
        record(session, case, EventKind.flagged, at=now, detail={"reason": "no active agent in the team",
                                                         "team": category.team.name})
    session.flush()
    if files:
        store_attachments(session, case, filed, list(files), upload_dir=upload_dir)
    link = link_for(issue_link(session, case))
    if receipt:
        notify.receipt(session, case, link=link)
    return Filed(case, duplicate=False, link=link)
