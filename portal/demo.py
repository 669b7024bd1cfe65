"""A realistic demo organisation: a football club's customer service, six months of cases."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.auth.passwords import hash_password
from portal.cases import lifecycle
from portal.cases.demo import load_crm_import_demo, load_workspace_demo
from portal.cases.lifecycle import Action
from portal.cases.models import Case, CaseKind, CaseStatus, Category, Channel, Customer, EventKind
from portal.cases.references import next_reference
from portal.cases.timeline import record
from portal.changes.demo import load_changes_demo
from portal.db import utcnow
from portal.ideas.demo import TASK_FORCE_STARTED_DAYS_AGO, TASK_FORCE_TEAM, load_ideas
from portal.intake.demo import load_intake_demo
from portal.remedies.demo import load_remedies_demo
from portal.surveys.demo import load_groups_demo, load_surveys_demo

DEMO_PASSWORD = "rovers-demo-2026"

TEAMS = ["Ticket Office", "Catering", "Stewarding", "Parking"]

# (name, job title, role, team, authority limit)
EMPLOYEES = [
    ("Alex Morgan", "Head of Customer Experience", Role.admin, None, "100000"),
    ("Priya Shah", "Ticket Office Manager", Role.manager, "Ticket Office", "1000"),
    ("Maria Lopez", "Ticket Office Adviser", Role.agent, "Ticket Office", "150"),
    ("Tom Fletcher", "Ticket Office Adviser", Role.agent, "Ticket Office", "75"),
    ("Grace Okafor", "Catering Manager", Role.manager, "Catering", "500"),
    ("Sam Whitaker", "Catering Supervisor", Role.agent, "Catering", "60"),
    ("Hannah Kelly", "Kiosk Team Leader", Role.agent, "Catering", "40"),
    ("David Chen", "Head of Stewarding", Role.manager, "Stewarding", "750"),
    ("Aisha Begum", "Senior Steward", Role.agent, "Stewarding", "100"),
    ("Luke Bennett", "Accessibility Officer", Role.agent, "Stewarding", "200"),
    ("Fiona Walsh", "Parking and Travel Manager", Role.manager, "Parking", "400"),
    ("Owen Price", "Car Park Supervisor", Role.agent, "Parking", "50"),
]

# (name, description, team, first response hours, resolution hours)
CATEGORIES = [
    ("Tickets and season tickets", "Buying, collecting, transferring or refunding tickets", "Ticket Office", 24, 120),
    ("Food and drink", "Kiosks, hospitality and queues at half-time", "Catering", 24, 72),
    ("Safety and stewarding", "Stewards, entry, searches and crowd safety", "Stewarding", 8, 72),
    ("Accessibility", "Wheelchair spaces, access routes, sensory room and support", "Stewarding", 8, 72),
    ("Parking and travel", "Car parks, shuttle buses and getting to the ground", "Parking", 24, 96),
]

# (category, what happened, make it right, better in future)
STORIES = [
    ("Tickets and season tickets",
     "My season ticket card would not scan at turnstile 14 and I missed the first 20 minutes queuing at the "
     "ticket office.", "Refund the match or give me a credit for the next home game.",
     "Have a steward with a hand scanner at the turnstiles on match days."),
    ("Tickets and season tickets",
     "I was charged twice for two tickets to the cup match against Harbour City.",
     "Refund the second payment please.", "Check for duplicate payments before confirming."),
    ("Tickets and season tickets",
     "The ticket transfer to my son failed three times and the helpline was closed.",
     "Transfer the ticket and call me to confirm.", "Keep the phone line open on match days."),
    ("Food and drink",
     "The pies at the north stand kiosk were cold at half-time and the queue took 25 minutes.",
     "A voucher for food at the next match.", "Open more tills at half-time in the north stand."),
    ("Food and drink",
     "There were no gluten-free options left in the family stand by the 30th minute.",
     "Make sure there are gluten-free options; a refund for the wasted trip to the kiosk.",
     "Stock more gluten-free food and label it clearly."),
    ("Food and drink",
     "I was served a drink in a cracked cup and cut my lip.", "An apology and a refund.",
     "Check cups before serving."),
    ("Safety and stewarding",
     "A steward was rude to my elderly father when he asked for directions to block C.",
     "An apology to my father.", "More training for stewards on helping older fans."),
    ("Safety and stewarding",
     "The crush at gate 3 after the match felt unsafe; nobody was directing people.",
     "Tell me what you will do about it.", "Open the second exit gate and put stewards there."),
    ("Accessibility",
     "The lift to the wheelchair platform was out of order and nobody had told us in advance.",
     "A call from someone responsible and a refund for my carer's ticket.",
     "Text disabled supporters when the lift is broken."),
    ("Accessibility",
     "The sensory room was locked when we arrived with our autistic son.",
     "Tickets for another match with the room guaranteed.", "Publish the sensory room opening times."),
    ("Parking and travel",
     "The shuttle bus from the station did not turn up and we missed kick-off.",
     "Refund the shuttle fare and a credit towards the next match.", "Run the shuttle more often before kick-off."),
    ("Parking and travel",
     "I was given a parking fine in the west car park even though I had a valid permit on display.",
     "Cancel the fine.", "Train car park staff to check the permit list."),
]

FIRST = ["James", "Olivia", "Mohammed", "Emily", "Jack", "Sophie", "Harry", "Amelia", "George", "Isla",
         "Noah", "Ava", "Leo", "Mia", "Oscar", "Freya", "Arthur", "Zara", "Charlie", "Ella", "Ravi", "Chloe",
         "Daniel", "Ruby", "Kwame", "Lily", "Patrick", "Niamh", "Tomasz", "Ellie"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
        "Clarke", "Hughes", "Edwards", "Murphy", "Nowak", "Ahmed", "Campbell", "Kaur", "Mensah", "O'Brien"]


@dataclass
class DemoSummary:
    loaded: bool
    employees: int
    customers: int
    cases: int


def demo_customer_link(session: Session) -> str | None:
    """A fresh private link to a demo case waiting for the customer's choice (or any open case)."""
    from portal.cases.customer_access import issue_link
    from portal.cases.lifecycle import OPEN_STATUSES

    case = session.scalar(select(Case).where(Case.status == CaseStatus.remedy_offered).order_by(Case.id)) or \
        session.scalar(select(Case).where(Case.status.in_(OPEN_STATUSES)).order_by(Case.id))
    return issue_link(session, case) if case else None


def demo_logins() -> list[tuple[str, str, str]]:
    return [(name, _email(name), role.value) for name, _title, role, _team, _limit in EMPLOYEES]


def _email(name: str) -> str:
    return name.lower().replace(" ", ".").replace("'", "") + "@rovers.example"


def load_demo(session: Session, *, customers: int = 300, cases: int = 420, seed: int = 2026,
              config: Mapping[str, Any] | None = None) -> DemoSummary:
    """Load the demo organisation once; a second call changes nothing. With the app's ``config``, also contacts from
    every channel through the real intake paths (e-mail to the care address, logged calls)."""
    if session.scalar(select(Team).where(Team.name == TEAMS[0])) is not None:
        return DemoSummary(False, 0, 0, 0)
    rng = random.Random(seed)
    teams = {name: Team(name=name) for name in TEAMS}
    session.add_all(teams.values())
    password = hash_password(DEMO_PASSWORD)
    staff: list[Employee] = []
    for name, title, role, team, limit in EMPLOYEES:
        employee = Employee(
            name=name, email=_email(name), job_title=title, role=role,
            team=teams[team] if team else None, authority_limit=Decimal(limit), password_hash=password,
        )
        staff.append(employee)
        if role is Role.manager and team:
            teams[team].manager = employee
    session.add_all(staff)
    categories = {
        name: Category(name=name, description=desc, team=teams[team], first_response_hours=frh,
                       resolution_hours=rh)
        for name, desc, team, frh, rh in CATEGORIES
    }
    session.add_all(categories.values())

    people = _customers(rng, customers)
    session.add_all(people)
    session.flush()
    agents = {team: [e for e in staff if e.team is teams[team]] for team in TEAMS}
    now = utcnow()
    for _ in range(cases):
        _demo_case(session, rng, rng.choice(people), categories, agents, now)
    session.flush()
    load_workspace_demo(session, rng)
    load_ideas(session, staff, categories, rng)
    load_changes_demo(session)
    load_groups_demo(session)
    session.flush()
    load_surveys_demo(session, rng)
    load_remedies_demo(session)
    if config is not None:
        load_crm_import_demo(session, rng, Path(config["UPLOAD_DIR"]) / "imports")
        load_intake_demo(session, config)
    return DemoSummary(True, len(staff), len(people), cases)


def _customers(rng: random.Random, count: int) -> list[Customer]:
    people = []
    today = date.today()
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        season = rng.random() < 0.4
        years = rng.randint(1, 25) if season else rng.randint(0, 4)
        spend = Decimal(rng.randint(400, 650) * years if season else rng.randint(20, 400)).quantize(Decimal("1"))
        people.append(Customer(
            name=f"{first} {last}",
            email=f"{first}.{last}.{i}@fans.example".lower().replace("'", ""),
            phone=f"07700 9{rng.randint(10000, 99999)}",
            lifetime_spend=spend,
            customer_since=today - timedelta(days=365 * years + rng.randint(0, 300)),
            membership="Season-ticket holder" if season else "",
            preferred_contact=rng.choice(["email", "email", "phone"]),
        ))
    return people


def _demo_case(session: Session, rng: random.Random, customer: Customer, categories: dict[str, Category],
               agents: dict[str, list[Employee]], now) -> Case:
    category_name, happened, make_right, better = rng.choice(STORIES)
    category = categories[category_name]
    filed = now - timedelta(days=rng.uniform(0, 182), hours=rng.uniform(0, 23))
    owner = rng.choice([e for e in agents[category.team.name] if e.role is Role.agent])
    age_days = (now - filed).days
    status = _status_for_age(rng, age_days)
    case = Case(
        reference=next_reference(session, filed.year),
        kind=CaseKind.complaint if rng.random() < 0.85 else CaseKind.suggestion,
        channel=rng.choice([Channel.web, Channel.web, Channel.web, Channel.email, Channel.phone]),
        customer=customer, category=category, owner=owner,
        what_happened=happened, make_it_right=make_right, better_in_future=better,
        preferred_contact=customer.preferred_contact, consent_to_contact=rng.random() < 0.7,
        created_at=filed, updated_at=filed,
        first_response_due=filed + timedelta(hours=category.first_response_hours),
        resolution_due=filed + timedelta(hours=category.resolution_hours),
        last_customer_activity_at=filed,
    )
    session.add(case)
    record(session, case, EventKind.filed, by_customer=True, public=True, at=filed,
           detail={"owner": owner.id, "channel": case.channel.value})
    if status is CaseStatus.new:
        return case
    # The case lives its history through the lifecycle, as a live one would, at the times the story gives.
    hours = rng.uniform(0.5, category.first_response_hours * 1.4)
    if category.team.name == TASK_FORCE_TEAM:  # slow until the task force started, quick since (ideas demo)
        hours = hours * 1.6 + 4 if filed < now - timedelta(days=TASK_FORCE_STARTED_DAYS_AGO) else hours * 0.45
    responded = filed + timedelta(hours=hours)
    case.first_responded_at = responded
    lifecycle.move(session, case, Action.first_reply, by=owner, at=responded, reason="First reply sent")
    record(session, case, EventKind.reply, by=owner, public=True, at=responded + timedelta(minutes=1), body=(
        f"Hello {customer.first_name}, I'm {owner.first_name} from the {category.team.name} and I'll look after "
        "this until it's put right. I'm sorry this happened; I'll come back to you with options shortly."))
    if status in (CaseStatus.resolved, CaseStatus.closed):
        resolved = responded + timedelta(hours=rng.uniform(2, category.resolution_hours))
        lifecycle.move(session, case, Action.resolve, by=owner, at=resolved)
        if status is CaseStatus.closed:
            lifecycle.move(session, case, Action.close, at=resolved + timedelta(days=7))
    case.updated_at = max(e.at for e in case.events)
    return case


def _status_for_age(rng: random.Random, age_days: int) -> CaseStatus:
    if age_days < 3:
        return rng.choice([CaseStatus.new, CaseStatus.new, CaseStatus.acknowledged])
    if age_days < 14:
        return rng.choice([CaseStatus.acknowledged, CaseStatus.resolved, CaseStatus.new])
    return rng.choice([CaseStatus.closed, CaseStatus.closed, CaseStatus.resolved, CaseStatus.acknowledged])
