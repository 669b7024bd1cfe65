"""A demo focus group: the season-ticket holders among the demo customers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.cases.models import Customer
from portal.surveys.models import FocusGroup, Member


def load_groups_demo(session: Session) -> None:
    manager = session.scalar(select(Employee).where(Employee.role == Role.manager).order_by(Employee.id))
    group = FocusGroup(name="North Stand season-ticket holders 2026", created_by=manager,
                       description="Season-ticket holders we consult before changing match-day arrangements.")
    session.add(group)
    holders = session.scalars(select(Customer).where(Customer.membership == "Season-ticket holder")
                              .order_by(Customer.id).limit(40)).all()
    session.add_all(Member(group=group, email=c.email, name=c.name, membership_number=f"ST-{1000 + c.id}",
                           member_since=c.customer_since, customer_id=c.id) for c in holders)
