"""Build the domain's objects for tests with sensible defaults; pass only what a test is about."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.auth.passwords import hash_password
from portal.cases.models import Case, CaseStatus, Category, Customer
from portal.cases.references import next_reference
from portal.db import utcnow

PASSWORD = "correct horse battery"
# A one-pixel PNG: the smallest picture the upload checks accept.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4bb0000000049454e44ae426082"
)
# A handoff context note long enough for the rule (six words or more).
NOTE = "Customer wants a refund for the cup match; I checked the payment logs and the double charge is real."
# A focus group's member list as a club exports it: one good row, a duplicate in another case, bad rows.
CSV = b"""name,email,membership_number,member_since
Olivia Taylor,Olivia@Fans.example,ST-1001,2012-08-01
James Smith,james@fans.example,ST-1002,2023-07-15
Olivia Taylor,olivia@fans.example,ST-1001,2012-08-01
Nobody,not-an-address,ST-1003,2020-01-01
,missing@fans.example,,
Ravi Patel,ravi@fans.example,ST-1004,last summer
"""
_counter = itertools.count(1)
_password_hash = hash_password(PASSWORD)


def make_team(session: Session, name: str | None = None, manager: Employee | None = None) -> Team:
    team = Team(name=name or f"Team {next(_counter)}", manager=manager)
    session.add(team)
    session.flush()
    return team


def make_employee(
    session: Session,
    *,
    name: str | None = None,
    email: str | None = None,
    role: Role = Role.agent,
    team: Team | None = None,
    authority_limit: str = "100",
    active: bool = True,
) -> Employee:
    n = next(_counter)
    employee = Employee(
        name=name or f"Agent {n} Example",
        email=email or f"employee{n}@staff.example",
        role=role,
        team=team,
        authority_limit=Decimal(authority_limit),
        active=active,
        password_hash=_password_hash,
    )
    session.add(employee)
    session.flush()
    return employee


@dataclass(frozen=True)
class TicketOffice:
    """The browser journeys' team: Priya Shah manages Maria Lopez and Tom Fletcher."""

    team: Team
    priya: Employee
    maria: Employee
    tom: Employee


def make_ticket_office(session: Session) -> TicketOffice:
    team = make_team(session, "Ticket Office")
    priya = make_employee(session, name="Priya Shah", email="priya@staff.example", role=Role.manager, team=team)
    team.manager = priya
    maria = make_employee(session, name="Maria Lopez", email="maria@staff.example", team=team)
    tom = make_employee(session, name="Tom Fletcher", email="tom@staff.example", team=team)
    return TicketOffice(team=team, priya=priya, maria=maria, tom=tom)


def make_customer(session: Session, *, name: str | None = None, email: str | None = None) -> Customer:
    n = next(_counter)
    customer = Customer(name=name or f"Customer {n} Example", email=email or f"customer{n}@fans.example")
    session.add(customer)
    session.flush()
    return customer


def make_category(session: Session, *, team: Team | None = None, name: str | None = None) -> Category:
    category = Category(name=name or f"Category {next(_counter)}", team=team or make_team(session))
    session.add(category)
    session.flush()
    return category


def make_case(
    session: Session,
    *,
    owner: Employee | None = None,
    customer: Customer | None = None,
    category: Category | None = None,
    status: CaseStatus = CaseStatus.new,
    what_happened: str = "My seat was double-booked and I watched the match standing.",
) -> Case:
    category = category or make_category(session)
    owner = owner or make_employee(session, team=category.team)
    now = utcnow()
    case = Case(
        reference=next_reference(session, now.year),
        customer=customer or make_customer(session),
        category=category,
        owner=owner,
        status=status,
        what_happened=what_happened,
        make_it_right="Give me a seat for the next home match.",
        first_response_due=now + timedelta(hours=category.first_response_hours),
        resolution_due=now + timedelta(hours=category.resolution_hours),
    )
    session.add(case)
    session.flush()
    return case


def make_catalogue_entry(
    session: Session,
    *,
    category: Category,
    kind: str = "refund",
    title: str = "Refund the ticket",
    description: str = "We refund the price of your ticket to the card you paid with.",
    when_text: str = "The money is back on your card within 5 working days.",
    typical_cost: str = "30",
):
    from portal.remedies.models import CatalogueEntry, RemedyKind

    entry = CatalogueEntry(category=category, kind=RemedyKind(kind), title=title, description=description,
                           when_text=when_text, typical_cost=Decimal(typical_cost))
    session.add(entry)
    session.flush()
    return entry


def remedy_drafts(*costs: str) -> list:
    """Drafts of an offer, one per cost: a refund, a credit, then a gesture."""
    from portal.remedies.offers import RemedyDraft

    samples = [
        ("refund", "A full refund of your match ticket.", "Back on your card within 5 working days."),
        ("account_credit", "A credit on your account for the next home match.", "On your account today."),
        ("gesture", "Two tickets for a home match of your choice.", "We post them a week before the match."),
        ("callback", "A call from the ticket office manager.", "Within two working days."),
    ]
    return [RemedyDraft(*samples[i % len(samples)], cost) for i, cost in enumerate(costs)]


def make_offer(session: Session, *, case: Case | None = None, costs: tuple[str, ...] = ("20", "30", "40"),
               secret_key: str = "test-secret-key-that-is-long-enough", now=None):
    """An offer within its owner's limit, so it is sent to the customer at once."""
    from portal.remedies.offers import compose_offer
    from portal.remedies.settings import RemedySettings

    case = case or make_case(session)
    return compose_offer(session, case, remedy_drafts(*costs), by=case.owner,
                         settings=RemedySettings(secret_key=secret_key), now=now)


def sign_in(client, who: Employee | str, password: str = PASSWORD) -> None:
    """Sign an employee in on the staff sign-in page: an Employee, an address, or a short name ("maria" is
    maria@staff.example, as the tests' clubs spell their staff)."""
    email = who.email if isinstance(who, Employee) else who if "@" in who else f"{who}@staff.example"
    response = client.post("/staff/sign-in", data={"email": email, "password": password})
    assert response.status_code == 302, f"{email} could not sign in"
