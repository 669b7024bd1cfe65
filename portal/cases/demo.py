"""Demo workspace activity: helpers, a few handoffs with their notes, what colleagues know of customers, and each
team's reply templates."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.cases import customer_import, reply_templates
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

REPLY_TEMPLATES = [
    ("Refund on its way", "Dear {first_name},\n\nThank you for your patience. The refund for {reference} is on its "
                          "way and should be back on your card within five working days.\n\nYou can follow your "
                          "case, and reply, through {private_link}.\n\n{owner_name}"),
    ("Looking into it", "Dear {first_name},\n\nThank you for telling us. I am looking into {reference} myself and "
                        "will write again within two working days.\n\n{owner_name}"),
    ("Sorry, and what we change", "Dear {first_name},\n\nI am sorry this happened. We have talked it through as a "
                                  "team, and this is what we are changing so it does not happen again:\n\n\n\n"
                                  "{owner_name}"),
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
    for team in session.scalars(select(Team).where(Team.manager_id.is_not(None)).order_by(Team.id)):
        for title, body in REPLY_TEMPLATES:
            reply_templates.create(session, by=team.manager, title=title, body=body, team=team)
    members = list(session.scalars(select(Customer).where(Customer.membership != "").order_by(Customer.id)))
    for customer in rng.sample(members, k=min(40, len(members))):
        kind, body = rng.choice(CUSTOMER_NOTES)
        author = rng.choice(staff)
        session.add(CustomerNote(customer_id=customer.id, author=author, kind=kind, body=body,
                                 created_at=now - timedelta(days=rng.randint(1, 120))))


def load_crm_import_demo(session: Session, rng: random.Random, folder: Path) -> None:
    """The club's CRM export, imported as an admin would: every existing demo customer matched by address gains the
    CRM's id, membership, spend and preferences, and a few new season-ticket holders arrive."""
    admin = session.scalar(select(Employee).where(Employee.role == Role.admin).order_by(Employee.id))
    people = list(session.scalars(select(Customer).where(Customer.email.is_not(None)).order_by(Customer.id)))
    if admin is None or not people:
        return
    lines = [",".join(IMPORT_HEADER)]
    for number, person in enumerate(people[:60], start=1):
        season = person.membership or rng.choice(["", "Member"])
        lines.append(",".join([person.email or "", person.name, person.phone, f"CRM-{number:05d}", season,
                               str(person.customer_since or ""), f"{person.lifetime_spend + rng.randint(0, 90)}",
                               rng.choice(IMPORT_PREFERENCES)]))
    for number, (name, since, spend) in enumerate(NEW_FROM_CRM, start=9001):
        email = name.lower().replace(" ", ".") + "@fans.example"
        lines.append(",".join([email, name, f"07700 95{number % 10000:04d}", f"CRM-{number:05d}",
                               "Season-ticket holder", since, spend, "Family stand; prefers e-mail"]))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo-crm-export.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    today = utcnow().date()
    job = customer_import.start(session, filename="crm-export.csv", stored_name=path.name,
                                size=path.stat().st_size, by=admin)
    job = customer_import.check(session, job, path, today=today)
    if job.status == "checked":
        customer_import.confirm(session, job, by=admin)
        customer_import.run(session, job, path, by=admin, today=today)
    path.unlink(missing_ok=True)


IMPORT_HEADER = ("E-mail", "Name", "Phone", "External id", "Membership", "Customer since", "Lifetime spend",
                 "Preferences")
IMPORT_PREFERENCES = ["", "", "No calls after 6pm", "Large-print letters", "Prefers the family stand",
                      "Text rather than call"]
NEW_FROM_CRM = [("Imogen Clarke", "2009-08-15", "8240.00"), ("Ravi Sharma", "2016-07-01", "3910.50"),
                ("Bethany Moore", "2021-08-20", "1480.00")]
