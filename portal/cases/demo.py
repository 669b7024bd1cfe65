"""Demo workspace activity: helpers, a few handoffs with their notes, and what colleagues know of customers."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.cases.lifecycle import OPEN_STATUSES
from portal.cases.models import Case, CaseHelper, Customer, CustomerNote, EventKind
from portal.cases.naming import name_from_team
from portal.cases.timeline import record
from portal.db import utcnow

HANDOFF_NOTES = [
    "The customer wants a refund rather than a credit and has said so twice; I checked the payment log and the "
    "double charge is real. They prefer a call after 6pm.",
    "This needs the stewarding team's CCTV review; the customer is upset but reasonable and expects an apology "
    "from whoever was on gate 3.",
    "I am on leave from tomorrow. The customer is waiting for a callback about the lift; the facilities team "
    "confirmed the repair date is Friday.",
]
CUSTOMER_NOTES = [
    ("preference", "Prefers a call after 6pm on weekdays."),
    ("likes", "Brings two grandchildren to every home match; loves the family stand."),
    ("dislikes", "Does not want marketing e-mails, only about their cases."),
    ("note", "Wheelchair user: always check the platform lift is working before a home match."),
]


def load_workspace_demo(session: Session, rng: random.Random) -> None:
    now = utcnow()
    open_cases = list(session.scalars(select(Case).where(Case.status.in_(OPEN_STATUSES)).order_by(Case.id)))
    staff = list(session.scalars(select(Employee).where(Employee.role == Role.agent).order_by(Employee.id)))
    for case in rng.sample(open_cases, k=min(12, len(open_cases))):
        helper = rng.choice([e for e in staff if e.id != case.owner_id])
        session.add(CaseHelper(case_id=case.id, employee_id=helper.id, added_by_id=case.owner_id,
                               added_at=case.created_at + timedelta(hours=3)))
        record(session, case, EventKind.helper_added, by=case.owner, at=case.created_at + timedelta(hours=3),
               detail={"helper": helper.id, "name": helper.name})
    for case, note in zip(rng.sample(open_cases, k=min(3, len(open_cases))), HANDOFF_NOTES, strict=False):
        teammates = [e for e in staff if e.team_id == case.owner.team_id and e.id != case.owner_id]
        if not teammates:
            continue
        previous, new_owner = case.owner, rng.choice(teammates)
        at = min(now - timedelta(hours=2), case.created_at + timedelta(hours=6))
        record(session, case, EventKind.handoff, by=previous, body=note, at=at,
               detail={"from": previous.id, "to": new_owner.id, "reason": "specialist", "note": note})
        record(session, case, EventKind.owner_changed, public=True, at=at, detail={"to": new_owner.id}, body=(
            f"Your case is now looked after by {name_from_team(new_owner.first_name, new_owner.team.name)}. "
            f"{new_owner.first_name} has read everything so far, so you will not need to explain again."))
        case.owner = new_owner
    members = list(session.scalars(select(Customer).where(Customer.membership != "").order_by(Customer.id)))
    for customer in rng.sample(members, k=min(40, len(members))):
        kind, body = rng.choice(CUSTOMER_NOTES)
        author = rng.choice(staff)
        session.add(CustomerNote(customer_id=customer.id, author=author, kind=kind, body=body,
                                 created_at=now - timedelta(days=rng.randint(1, 120))))
