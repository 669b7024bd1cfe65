"""A realistic data set of any size, written with bulk inserts (COPY-speed Core inserts in chunks).

Default 20,000 cases and 5,000 customers; `--cases 1000000` with a PostgreSQL URL for the large run."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.auth.passwords import hash_password
from portal.cases.customer_access import issue_link
from portal.cases.models import Case, CaseStatus, Category, Customer, Event
from portal.changes.models import Change, ChangeStatus, Theme, ThemeCase
from portal.db import utcnow
from portal.demo import CATEGORIES, EMPLOYEES, STORIES, TEAMS

PASSWORD = "bench-password-123"
CHUNK = 5000


@dataclass(frozen=True)
class BenchData:
    cases: int
    customers: int
    agent_email: str
    manager_email: str
    case_token: str
    change_slug: str


def build(engine: Engine, *, cases: int = 20_000, customers: int = 5_000, changes: int = 300,
          seed: int = 7) -> BenchData:
    rng = random.Random(seed)
    now = utcnow()
    with Session(engine) as session:
        if session.scalar(select(func.count()).select_from(Case)):
            raise SystemExit("The bench database is not empty; give a fresh one.")
        teams = {name: Team(name=name) for name in TEAMS}
        session.add_all(teams.values())
        password = hash_password(PASSWORD)
        staff = []
        for name, title, role, team, limit in EMPLOYEES:
            employee = Employee(name=name, email=name.lower().replace(" ", ".") + "@bench.example", job_title=title,
                                role=role, team=teams[team] if team else None, authority_limit=Decimal(limit),
                                password_hash=password)
            staff.append(employee)
            if role is Role.manager and team:
                teams[team].manager = employee
        session.add_all(staff)
        categories = [Category(name=n, description=d, team=teams[t], first_response_hours=f, resolution_hours=r)
                      for n, d, t, f, r in CATEGORIES]
        session.add_all(categories)
        session.commit()
        agents_by_team = {t.id: [e.id for e in staff if e.team_id == t.id and e.role is Role.agent]
                          for t in teams.values()}
        category_rows = [(c.id, c.team_id, c.name, c.first_response_hours, c.resolution_hours) for c in categories]
        stories = {name: [s for s in STORIES if s[0] == name] for name, *_ in CATEGORIES}

    with engine.begin() as conn:
        for start in range(0, customers, CHUNK):
            conn.execute(insert(Customer), [
                {"email": f"fan{i}@bench.example", "name": f"Fan {i}", "phone": "", "preferred_contact": "email",
                 "lifetime_spend": Decimal(rng.randint(20, 5000)), "membership": "", "email_undeliverable": False,
                 "created_at": now}
                for i in range(start, min(customers, start + CHUNK))])
        first_customer = conn.scalar(select(func.min(Customer.id)))
        year_counter: dict[int, int] = {}
        statuses = [CaseStatus.new, CaseStatus.acknowledged, CaseStatus.resolved, CaseStatus.closed, CaseStatus.closed]
        for start in range(0, cases, CHUNK):
            rows, events = [], []
            for i in range(start, min(cases, start + CHUNK)):
                cat_id, team_id, cat_name, frh, rh = category_rows[i % len(category_rows)]
                story = rng.choice(stories[cat_name] or STORIES)
                filed = now - timedelta(days=rng.uniform(0, 365))
                year_counter[filed.year] = year_counter.get(filed.year, 0) + 1
                status = statuses[i % len(statuses)]
                rows.append({
                    "reference": f"MIR-{filed.year}-{year_counter[filed.year]:06d}", "kind": "complaint",
                    "channel": "web", "status": status, "customer_id": first_customer + i % customers,
                    "category_id": cat_id, "owner_id": rng.choice(agents_by_team[team_id]),
                    "what_happened": story[1], "make_it_right": story[2], "better_in_future": story[3],
                    "booking_reference": "", "preferred_contact": "email", "consent_to_contact": i % 3 == 0,
                    "needs_manager": False, "created_at": filed, "updated_at": filed,
                    "first_response_due": filed + timedelta(hours=frh), "resolution_due": filed + timedelta(hours=rh),
                    "first_responded_at": None if status is CaseStatus.new else filed + timedelta(hours=3),
                    "last_customer_activity_at": filed,
                })
            ids = conn.execute(insert(Case).returning(Case.id, Case.created_at, Case.status, Case.owner_id),
                               rows).all()
            for case_id, filed, status, owner in ids:
                events.append({"case_id": case_id, "at": filed, "kind": "filed", "employee_id": None,
                               "by_customer": True, "public": True,
                               "body": "", "detail": {}})
                if status is not CaseStatus.new:
                    events.append({"case_id": case_id, "at": filed + timedelta(hours=3), "kind": "reply",
                                   "employee_id": owner, "by_customer": False, "public": True,
                                   "body": "Thank you, I am looking into this now.", "detail": {}})
                if status in (CaseStatus.resolved, CaseStatus.closed):
                    events.append({"case_id": case_id, "at": filed + timedelta(hours=30), "kind": "status",
                                   "employee_id": owner, "by_customer": False, "public": True, "body": "",
                                   "detail": {"from": "acknowledged", "to": "resolved"}})
            conn.execute(insert(Event), events)
        from portal.cases.models import CaseReferenceCounter

        conn.execute(insert(CaseReferenceCounter), [{"year": y, "last": n} for y, n in year_counter.items()])

    with Session(engine, expire_on_commit=False) as session:
        manager = session.scalar(select(Employee).where(Employee.role == Role.manager).order_by(Employee.id))
        agent = session.scalar(select(Employee).where(Employee.role == Role.agent).order_by(Employee.id))
        case = session.scalar(select(Case).where(Case.owner_id == agent.id).order_by(Case.id))
        token = issue_link(session, case)
        slug = seed_changes(session, count=changes, by=manager)
        session.commit()
        return BenchData(cases, customers, agent.email, manager.email, token, slug)


def seed_changes(session: Session, *, count: int, by: Employee) -> str:
    """Published changes, each over a theme linking a handful of cases."""
    case_ids = list(session.scalars(select(Case.id).order_by(Case.id).limit(count * 5)))
    now = utcnow()
    slug = ""
    for n in range(count):
        theme = Theme(title=f"Theme {n}", created_by=by)
        session.add(theme)
        session.flush()
        session.add_all(ThemeCase(theme_id=theme.id, case_id=cid, added_by_id=by.id)
                        for cid in case_ids[n * 5:(n + 1) * 5])
        slug = f"change-{n}"
        session.add(Change(theme=theme, slug=slug, title=f"Change number {n} after your feedback",
                           you_said="Queues at half-time were too long.", we_did="We opened two more tills.",
                           status=ChangeStatus.done, published=True, published_at=now - timedelta(hours=n),
                           created_by=by))
    return slug
